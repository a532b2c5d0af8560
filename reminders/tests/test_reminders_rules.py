"""The pure reminder rules: what is due when, in whose time zone, and how failures back off."""

import smtplib
from datetime import UTC, date, datetime, timedelta

import pytest

from reminders import rules
from reminders.rules import Due, MilestoneFacts, PersonFacts, Policy

POLICY = Policy(send_hour=9, reassess_after_months=6)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def milestone(due: date, *, tz="UTC", lead=7) -> MilestoneFacts:
    return MilestoneFacts(milestone_id=1, user_id=10, due_date=due, time_zone=tz, lead_days=lead)


# --- The send window -----------------------------------------------------------------


def test_the_window_opens_at_the_local_send_hour_and_lasts_six_hours():
    assert rules.send_window(utc(2026, 3, 2, 8, 59), "UTC", 9) is None
    assert rules.send_window(utc(2026, 3, 2, 9, 0), "UTC", 9) == (date(2026, 3, 2), utc(2026, 3, 2, 9))
    assert rules.send_window(utc(2026, 3, 2, 14, 59), "UTC", 9) is not None
    assert rules.send_window(utc(2026, 3, 2, 15, 0), "UTC", 9) is None


def test_the_window_never_runs_past_local_midnight():
    assert rules.send_window(utc(2026, 3, 2, 23, 30), "UTC", 22) is not None
    assert rules.send_window(utc(2026, 3, 3, 0, 30), "UTC", 22) is None


def test_a_utc_plus_13_person_gets_9am_their_time_which_is_the_previous_utc_evening():
    # Pacific/Tongatapu is UTC+13 all year: 09:00 on 3 March there is 20:00 on 2 March in UTC.
    assert rules.local_moment(date(2026, 3, 3), 9, "Pacific/Tongatapu") == utc(2026, 3, 2, 20)
    window = rules.send_window(utc(2026, 3, 2, 20, 15), "Pacific/Tongatapu", 9)
    assert window == (date(2026, 3, 3), utc(2026, 3, 2, 20))


def test_a_utc_minus_10_person_gets_9am_their_time_which_is_19_utc():
    # Pacific/Honolulu is UTC-10 all year.
    assert rules.send_window(utc(2026, 3, 2, 18, 59), "Pacific/Honolulu", 9) is None
    assert rules.send_window(utc(2026, 3, 2, 19, 0), "Pacific/Honolulu", 9) == (
        date(2026, 3, 2),
        utc(2026, 3, 2, 19),
    )


def test_the_send_hour_follows_daylight_saving_time():
    # Berlin: 09:00 is 08:00 UTC in winter and 07:00 UTC in summer (clocks went forward on 29 March 2026).
    assert rules.local_moment(date(2026, 3, 28), 9, "Europe/Berlin") == utc(2026, 3, 28, 8)
    assert rules.local_moment(date(2026, 3, 29), 9, "Europe/Berlin") == utc(2026, 3, 29, 7)
    # New York falls back on 1 November 2026: 09:00 is 13:00 UTC before and 14:00 UTC after.
    assert rules.local_moment(date(2026, 10, 31), 9, "America/New_York") == utc(2026, 10, 31, 13)
    assert rules.local_moment(date(2026, 11, 1), 9, "America/New_York") == utc(2026, 11, 1, 14)


def test_an_hour_skipped_by_the_clock_change_still_gives_a_moment():
    # 02:00 does not exist in Berlin on 29 March 2026; the reading after the jump is used, an hour later.
    assert rules.local_moment(date(2026, 3, 29), 2, "Europe/Berlin") == utc(2026, 3, 29, 1)


def test_an_unknown_time_zone_is_treated_as_utc():
    assert rules.local_moment(date(2026, 3, 2), 9, "Mars/Olympus") == utc(2026, 3, 2, 9)


# --- Upcoming -------------------------------------------------------------------------


def test_upcoming_is_due_from_lead_days_before_the_due_date():
    due = date(2026, 3, 10)
    assert rules.upcoming_due(milestone(due), policy=POLICY, now=utc(2026, 3, 2, 10)) is None
    found = rules.upcoming_due(milestone(due), policy=POLICY, now=utc(2026, 3, 3, 10))
    assert found == Due(10, 1, "upcoming", due, utc(2026, 3, 3, 9))


def test_upcoming_respects_the_persons_own_lead_time():
    due = date(2026, 3, 10)
    assert rules.upcoming_due(milestone(due, lead=1), policy=POLICY, now=utc(2026, 3, 8, 10)) is None
    assert rules.upcoming_due(milestone(due, lead=1), policy=POLICY, now=utc(2026, 3, 9, 10)) is not None
    assert rules.upcoming_due(milestone(due, lead=30), policy=POLICY, now=utc(2026, 2, 8, 10)) is not None


def test_a_milestone_added_inside_the_lead_time_is_announced_in_the_next_window():
    due = date(2026, 3, 10)
    # Added at 23:00 on the 7th: no email at night ...
    assert rules.upcoming_due(milestone(due), policy=POLICY, now=utc(2026, 3, 7, 23)) is None
    # ... but the next morning.
    assert rules.upcoming_due(milestone(due), policy=POLICY, now=utc(2026, 3, 8, 9, 15)) is not None


def test_upcoming_ends_on_the_due_date():
    due = date(2026, 3, 10)
    assert rules.upcoming_due(milestone(due), policy=POLICY, now=utc(2026, 3, 10, 10)) is not None
    assert rules.upcoming_due(milestone(due), policy=POLICY, now=utc(2026, 3, 11, 10)) is None


def test_upcoming_uses_the_local_date_of_a_utc_plus_13_person_around_midnight():
    # Due 10 March, lead 7: due from 3 March in Tonga, whose 3 March 09:00 is 2 March 20:00 UTC.
    m = milestone(date(2026, 3, 10), tz="Pacific/Tongatapu")
    assert rules.upcoming_due(m, policy=POLICY, now=utc(2026, 3, 2, 19, 45)) is None
    found = rules.upcoming_due(m, policy=POLICY, now=utc(2026, 3, 2, 20, 0))
    assert found is not None and found.send_after == utc(2026, 3, 2, 20)


def test_upcoming_uses_the_local_date_of_a_utc_minus_10_person_around_midnight():
    # At 05:00 UTC on 3 March it is still 2 March, 19:00, in Honolulu: not due yet, and outside the window.
    m = milestone(date(2026, 3, 10), tz="Pacific/Honolulu")
    assert rules.upcoming_due(m, policy=POLICY, now=utc(2026, 3, 3, 5)) is None
    assert rules.upcoming_due(m, policy=POLICY, now=utc(2026, 3, 3, 18, 59)) is None
    assert rules.upcoming_due(m, policy=POLICY, now=utc(2026, 3, 3, 19)).send_after == utc(2026, 3, 3, 19)


# --- Overdue --------------------------------------------------------------------------


def test_overdue_is_due_the_day_after_the_due_date():
    due = date(2026, 3, 10)
    assert rules.overdue_due(milestone(due), policy=POLICY, now=utc(2026, 3, 10, 10)) is None
    found = rules.overdue_due(milestone(due), policy=POLICY, now=utc(2026, 3, 11, 9, 30))
    assert found == Due(10, 1, "overdue", due, utc(2026, 3, 11, 9))


def test_an_overdue_reminder_missed_for_more_than_a_week_is_never_sent():
    due = date(2026, 3, 10)
    assert rules.overdue_due(milestone(due), policy=POLICY, now=utc(2026, 3, 18, 10)) is not None
    assert rules.overdue_due(milestone(due), policy=POLICY, now=utc(2026, 3, 19, 10)) is None


def test_milestone_reminders_lists_each_rule_that_applies():
    found = rules.milestone_reminders(
        [milestone(date(2026, 3, 12)), milestone(date(2026, 3, 9)), milestone(date(2026, 6, 1))],
        policy=POLICY,
        now=utc(2026, 3, 10, 9),
    )
    assert [(d.kind, d.due_date) for d in found] == [("upcoming", date(2026, 3, 12)), ("overdue", date(2026, 3, 9))]


# --- Digest ---------------------------------------------------------------------------


def test_the_digest_goes_out_on_monday_with_the_monday_as_its_date():
    person = PersonFacts(user_id=10, time_zone="UTC")
    monday = date(2026, 3, 2)
    assert monday.weekday() == 0
    assert rules.digest_due(person, policy=POLICY, now=utc(2026, 3, 2, 9, 5)) == Due(
        10, None, "digest", monday, utc(2026, 3, 2, 9)
    )
    # Tuesday and Wednesday catch up a missed Monday, with the same date; Thursday does not.
    assert rules.digest_due(person, policy=POLICY, now=utc(2026, 3, 4, 9)).due_date == monday
    assert rules.digest_due(person, policy=POLICY, now=utc(2026, 3, 5, 9)) is None


def test_the_digest_monday_is_the_persons_monday():
    # Sunday 1 March 20:00 UTC is Monday 2 March 09:00 in Tonga.
    tonga = PersonFacts(user_id=10, time_zone="Pacific/Tongatapu")
    assert rules.digest_due(tonga, policy=POLICY, now=utc(2026, 3, 1, 20)).due_date == date(2026, 3, 2)
    # Thursday 5 March 05:00 UTC is still Wednesday evening in Honolulu, but outside its window.
    honolulu = PersonFacts(user_id=10, time_zone="Pacific/Honolulu")
    assert rules.digest_due(honolulu, policy=POLICY, now=utc(2026, 3, 5, 5)) is None
    assert rules.digest_due(honolulu, policy=POLICY, now=utc(2026, 3, 4, 19)).due_date == date(2026, 3, 2)


def test_digest_items_split_overdue_and_the_coming_week():
    class Item:
        def __init__(self, due):
            self.due_date = due

    today = date(2026, 3, 2)
    items = [Item(date(2026, 3, 9)), Item(date(2026, 2, 20)), Item(date(2026, 3, 10)), Item(date(2026, 3, 2))]
    overdue, coming = rules.digest_items(items, today=today)
    assert [i.due_date for i in overdue] == [date(2026, 2, 20)]
    assert [i.due_date for i in coming] == [date(2026, 3, 2), date(2026, 3, 9)]


# --- Re-assessment ---------------------------------------------------------------------


def test_reassess_is_due_once_per_whole_interval():
    last = date(2025, 9, 15)
    assert rules.reassess_due_date(last, today=date(2026, 3, 14), months=6) is None
    assert rules.reassess_due_date(last, today=date(2026, 3, 15), months=6) == date(2026, 3, 15)
    assert rules.reassess_due_date(last, today=date(2026, 9, 14), months=6) == date(2026, 3, 15)
    assert rules.reassess_due_date(last, today=date(2026, 9, 15), months=6) == date(2026, 9, 15)


def test_reassess_follows_the_hr_interval():
    last = date(2025, 9, 15)
    assert rules.reassess_due_date(last, today=date(2025, 12, 15), months=3) == date(2025, 12, 15)
    assert rules.reassess_due_date(last, today=date(2025, 12, 15), months=6) is None


def test_reassess_counts_from_the_local_date_of_the_last_assessment():
    # Assessed at 23:30 UTC on 14 September: in Tonga that was already 15 September.
    person = PersonFacts(user_id=10, time_zone="Pacific/Tongatapu")
    found = rules.reassess_due(
        person, last_assessed_at=utc(2025, 9, 14, 23, 30), policy=POLICY, now=utc(2026, 3, 14, 20, 30)
    )
    assert found == Due(10, None, "reassess", date(2026, 3, 15), utc(2026, 3, 14, 20))


# --- Still wanted at send time ---------------------------------------------------------


def state(**overrides) -> rules.ReminderState:
    base = {
        "kind": "upcoming",
        "due_date": date(2026, 3, 10),
        "user_active": True,
        "reminders_enabled": True,
        "weekly_digest": False,
        "milestone_due_date": date(2026, 3, 10),
    }
    return rules.ReminderState(**{**base, **overrides})


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({}, ""),
        ({"user_active": False}, "the account is inactive"),
        ({"reminders_enabled": False}, "reminders are turned off"),
        ({"weekly_digest": True}, "the person chose the weekly digest"),
        ({"milestone_done": True}, "the milestone is done"),
        ({"milestone_set_aside": True}, "the milestone was set aside"),
        ({"plan_active": False}, "the plan is archived"),
        ({"milestone_due_date": date(2026, 4, 1)}, "the milestone's due date changed"),
        ({"kind": "digest", "weekly_digest": True, "digest_items": 2}, ""),
        ({"kind": "digest", "weekly_digest": True, "digest_items": 0}, "nothing to report this week"),
        ({"kind": "digest", "weekly_digest": False, "digest_items": 2}, "the person no longer wants the digest"),
        ({"kind": "reassess", "assessed_since": True}, "the person has assessed themselves since"),
        ({"kind": "reassess"}, ""),
    ],
)
def test_cancel_reason(overrides, reason):
    assert rules.cancel_reason(state(**overrides)) == reason


# --- Errors and backoff ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (smtplib.SMTPServerDisconnected("gone"), "temporary"),
        (ConnectionRefusedError(111, "refused"), "temporary"),
        (TimeoutError("slow"), "temporary"),
        (smtplib.SMTPResponseException(421, b"try later"), "temporary"),
        (smtplib.SMTPDataError(451, b"greylisted"), "temporary"),
        (smtplib.SMTPSenderRefused(452, b"full", "a@b"), "temporary"),
        (smtplib.SMTPDataError(554, b"rejected"), "permanent"),
        (smtplib.SMTPRecipientsRefused({"a@b": (550, b"no such user")}), "permanent"),
        (smtplib.SMTPRecipientsRefused({"a@b": (450, b"mailbox busy")}), "temporary"),
        (ValueError("Invalid address"), "permanent"),
    ],
)
def test_classify_error(exc, expected):
    assert rules.classify_error(exc) == expected


def test_backoff_grows_exponentially_with_half_of_it_jittered_and_a_cap():
    top = [rules.retry_delay(n, rand=0.999999, base=60, cap=3600).total_seconds() for n in range(1, 9)]
    assert [round(s) for s in top] == [60, 120, 240, 480, 960, 1920, 3600, 3600]
    assert rules.retry_delay(4, rand=0.0).total_seconds() == 240
    assert rules.retry_delay(2, rand=0.5) == timedelta(seconds=90)


def test_describe_error_names_the_code_and_the_server_text():
    assert rules.describe_error(smtplib.SMTPDataError(554, b"rejected as spam")) == (
        "SMTPDataError: 554 rejected as spam"
    )
    assert "550 no such user" in rules.describe_error(smtplib.SMTPRecipientsRefused({"a@b": (550, b"no such user")}))
