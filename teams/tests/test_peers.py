"""Peer input: asking colleagues, their answers, and the anonymity rule (docs/teams.md)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from teams import selectors
from teams.models import PEER_RATERS_MAX, PeerAnswer, PeerRequest, PeerRound
from teams.services import peer_answer_submit, peer_round_close, peer_round_create

from .test_ratings import skill_ids

pytestmark = pytest.mark.django_db


def ask(subject, raters, slugs=("design", "planning"), **kwargs) -> PeerRound:
    ids = skill_ids()
    return peer_round_create(
        subject=subject, skill_ids=[ids[slug] for slug in slugs], rater_emails=[r.email for r in raters], **kwargs
    )


def answer(peer_round, rater, levels, **kwargs) -> PeerRequest:
    request = peer_round.requests.get(rater=rater)
    return peer_answer_submit(rater=rater, request_id=request.pk, levels=levels, **kwargs)


@pytest.fixture
def people(catalog):
    """Ali asks; Bea, Cem, Dia and Eve are colleagues."""
    return [UserFactory(name=name) for name in ("Ali", "Bea", "Cem", "Dia", "Eve")]


# --- Asking -------------------------------------------------------------------------------------


def test_asking_makes_one_round_with_the_chosen_skills_and_one_request_per_colleague(people):
    ali, bea, cem, *_ = people
    now = timezone.now()

    peer_round = ask(ali, [bea, cem], now=now)

    assert peer_round.expires_at == now + timedelta(days=21)
    assert [s.skill_slug for s in peer_round.skills.all()] == ["design", "planning"]
    assert sorted(r.rater.name for r in peer_round.requests.all()) == ["Bea", "Cem"]
    assert {r.status for r in peer_round.requests.all()} == {PeerRequest.Status.PENDING}


def test_addresses_are_matched_whatever_their_case_and_a_repeat_counts_once(people):
    ali, bea, *_ = people

    peer_round = peer_round_create(
        subject=ali, skill_ids=[skill_ids()["design"]], rater_emails=[bea.email.upper(), f" {bea.email} "]
    )

    assert peer_round.requests.count() == 1


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("nobody", "Name at least one colleague"),
        ("self", "You can't ask yourself"),
        ("unknown", "Nobody in careerpath has this address: someone@nowhere.example"),
        ("inactive", "Nobody in careerpath has this address"),
        ("no skill", "Choose at least one skill"),
        ("unknown skill", "not in the catalog"),
    ],
)
def test_a_request_that_cannot_be_sent_is_refused_and_nothing_is_stored(people, case, message):
    ali, bea, cem, *_ = people
    emails, skills = [bea.email], [skill_ids()["design"]]
    if case == "nobody":
        emails = ["", "  "]
    elif case == "self":
        emails = [bea.email, ali.email]
    elif case == "unknown":
        emails = [bea.email, "someone@nowhere.example"]
    elif case == "inactive":
        cem.is_active = False
        cem.save()
        emails = [cem.email]
    elif case == "no skill":
        skills = []
    else:
        skills = [999_999]

    with pytest.raises(ValidationError, match=message):
        peer_round_create(subject=ali, skill_ids=skills, rater_emails=emails)
    assert not PeerRound.objects.exists() and not PeerRequest.objects.exists()


def test_at_most_eight_colleagues_are_asked_at_once(people):
    ali = people[0]
    colleagues = [UserFactory() for _ in range(PEER_RATERS_MAX + 1)]

    with pytest.raises(ValidationError, match="at most 8 colleagues"):
        ask(ali, colleagues)
    assert ask(ali, colleagues[:PEER_RATERS_MAX]).requests.count() == PEER_RATERS_MAX


def test_a_colleague_with_an_open_request_is_not_asked_again_until_it_closes(people):
    ali, bea, cem, *_ = people
    now = timezone.now()
    ask(ali, [bea], now=now)

    with pytest.raises(ValidationError, match="You asked Bea already"):
        ask(ali, [cem, bea], now=now + timedelta(days=1))
    later = ask(ali, [bea, cem], now=now + timedelta(days=22))  # the first request has closed

    assert later.requests.count() == 2
    assert PeerRequest.objects.filter(rater=bea, status=PeerRequest.Status.EXPIRED).count() == 1


def test_the_database_refuses_a_request_to_oneself_and_a_second_open_one(people):
    ali, bea, *_ = people
    peer_round = ask(ali, [bea])
    now = timezone.now()

    with pytest.raises(IntegrityError), transaction.atomic():
        PeerRequest.objects.create(round=peer_round, subject=ali, rater=ali, created_at=now)
    other_round = PeerRound.objects.create(subject=ali, created_at=now, expires_at=now + timedelta(days=1))
    with pytest.raises(IntegrityError), transaction.atomic():
        PeerRequest.objects.create(round=other_round, subject=ali, rater=bea, created_at=now)


# --- Answering ----------------------------------------------------------------------------------


def test_a_peer_answers_with_a_level_or_not_observed_per_skill(people):
    ali, bea, *_ = people
    peer_round = ask(ali, [bea])

    request = answer(peer_round, bea, {"design": 4, "planning": None})

    assert request.status == PeerRequest.Status.ANSWERED and request.answered_at
    assert sorted(PeerAnswer.objects.values_list("skill_slug", "level")) == [("design", 4), ("planning", None)]


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        ({"design": None, "planning": None}, "Rate at least one skill"),
        ({"design": 6}, "whole number from 1 to 5"),
        ({"design": 0}, "whole number from 1 to 5"),
        ({"design": "3"}, "whole number from 1 to 5"),
        ({"people": 3}, "not asked about"),
    ],
)
def test_an_answer_out_of_bounds_is_refused_and_nothing_is_stored(people, levels, message):
    ali, bea, *_ = people
    peer_round = ask(ali, [bea])

    with pytest.raises(ValidationError, match=message):
        answer(peer_round, bea, levels)
    assert not PeerAnswer.objects.exists()
    assert peer_round.requests.get().status == PeerRequest.Status.PENDING


def test_only_the_peer_asked_answers_once_and_only_while_the_request_is_open(people):
    ali, bea, cem, *_ = people
    now = timezone.now()
    peer_round = ask(ali, [bea, cem], now=now)
    request = peer_round.requests.get(rater=bea)

    with pytest.raises(PermissionDenied):
        peer_answer_submit(rater=cem, request_id=request.pk, levels={"design": 3})
    with pytest.raises(PermissionDenied):
        peer_answer_submit(rater=ali, request_id=request.pk, levels={"design": 3})
    answer(peer_round, bea, {"design": 3})
    with pytest.raises(ValidationError, match="answered this request already"):
        answer(peer_round, bea, {"design": 5})
    with pytest.raises(ValidationError, match="has closed"):
        answer(peer_round, cem, {"design": 3}, now=now + timedelta(days=21))


# --- What the engineer sees: the anonymity rule --------------------------------------------------


def test_two_answers_show_nothing_even_once_the_round_has_closed(people):
    ali, bea, cem, dia, _ = people
    now = timezone.now()
    peer_round = ask(ali, [bea, cem, dia], now=now)
    answer(peer_round, bea, {"design": 2, "planning": 2})
    answer(peer_round, cem, {"design": 5, "planning": 5})

    assert selectors.peer_aggregate(subject=ali, now=now + timedelta(days=30)) is None
    view = selectors.peer_rounds(subject=ali, now=now + timedelta(days=30))[0]
    assert view.closed and view.too_few and not view.shown and view.answered == 2


def test_three_answers_show_each_skills_mean_and_count_once_everyone_answered(people):
    ali, bea, cem, dia, _ = people
    peer_round = ask(ali, [bea, cem, dia])
    answer(peer_round, bea, {"design": 2, "planning": 4})
    answer(peer_round, cem, {"design": 3, "planning": 4})
    answer(peer_round, dia, {"design": 5, "planning": None})

    aggregate = selectors.peer_aggregate(subject=ali)

    assert aggregate.answered == 3
    # Planning had two levels only ("not observed" once): it is not shown, whatever its mean.
    assert aggregate.as_peers() == {"design": (10 / 3, 3)}
    assert set(aggregate.names()) == {"design"}


def test_while_a_colleague_may_still_answer_nothing_is_shown_so_no_answer_can_be_told_from_a_change(people):
    ali, bea, cem, dia, eve = people
    now = timezone.now()
    peer_round = ask(ali, [bea, cem, dia, eve], now=now)
    for rater in (bea, cem, dia):
        answer(peer_round, rater, {"design": 3}, now=now)

    assert selectors.peer_aggregate(subject=ali, now=now + timedelta(days=1)) is None
    shown = selectors.peer_aggregate(subject=ali, now=now + timedelta(days=21))  # Eve's request closed
    assert shown.as_peers() == {"design": (3.0, 3)}


def test_closing_early_with_three_answers_shows_them_and_the_others_can_no_longer_answer(people):
    ali, bea, cem, dia, eve = people
    now = timezone.now()
    peer_round = ask(ali, [bea, cem, dia, eve], now=now)
    for rater in (bea, cem, dia):
        answer(peer_round, rater, {"design": 3}, now=now)

    peer_round_close(subject=ali, round_id=peer_round.pk, now=now + timedelta(days=2))

    assert selectors.peer_aggregate(subject=ali, now=now + timedelta(days=2)).as_peers() == {"design": (3.0, 3)}
    assert peer_round.requests.get(rater=eve).status == PeerRequest.Status.EXPIRED
    assert selectors.peer_requests_waiting(rater=eve, now=now + timedelta(days=2)) == []
    with pytest.raises(ValidationError, match="closed"):
        answer(peer_round, eve, {"design": 1}, now=now + timedelta(days=2))
    view = selectors.peer_rounds(subject=ali, now=now + timedelta(days=2))[0]
    assert view.closed and view.shown and view.expires_at == now + timedelta(days=2)
    assert ask(ali, [eve], now=now + timedelta(days=3))  # and Eve may be asked again


def test_closing_early_with_two_answers_shows_nothing(people):
    ali, bea, cem, dia, _ = people
    now = timezone.now()
    peer_round = ask(ali, [bea, cem, dia], now=now)
    for rater in (bea, cem):
        answer(peer_round, rater, {"design": 3}, now=now)

    peer_round_close(subject=ali, round_id=peer_round.pk, now=now + timedelta(hours=1))

    assert selectors.peer_aggregate(subject=ali, now=now + timedelta(hours=1)) is None
    assert selectors.peer_rounds(subject=ali, now=now + timedelta(hours=1))[0].too_few


def test_only_the_engineer_closes_their_open_request_and_only_once(people):
    ali, bea, cem, dia, _ = people
    now = timezone.now()
    peer_round = ask(ali, [bea, cem, dia], now=now)

    for someone in (bea, UserFactory()):
        with pytest.raises(PermissionDenied):
            peer_round_close(subject=someone, round_id=peer_round.pk, now=now)
    with pytest.raises(PermissionDenied):
        peer_round_close(subject=ali, round_id=peer_round.pk + 1000, now=now)
    peer_round_close(subject=ali, round_id=peer_round.pk, now=now + timedelta(minutes=1))
    with pytest.raises(ValidationError, match="closed already"):
        peer_round_close(subject=ali, round_id=peer_round.pk, now=now + timedelta(minutes=2))
    expired = ask(ali, [bea], now=now - timedelta(days=30))  # past its date
    with pytest.raises(ValidationError, match="closed already"):
        peer_round_close(subject=ali, round_id=expired.pk, now=now)


def test_the_peers_page_offers_to_close_an_open_request_and_says_what_it_shows(client, people):
    ali, bea, cem, dia, _ = people
    peer_round = ask(ali, [bea, cem, dia])
    answer(peer_round, bea, {"design": 3})
    client.force_login(ali)

    html = client.get(reverse("teams:peers")).content.decode()
    close = reverse("teams:peer_round_close", args=[peer_round.pk])
    assert f'action="{close}"' in html and "With 1 answer, closing shows nothing" in html

    response = client.post(close, follow=True)
    assert response.redirect_chain[-1][0] == reverse("teams:peers") + f"#round-{peer_round.pk}"
    assert "closed with 1 answer. Fewer than 3 answered" in response.content.decode()
    assert f'action="{close}"' not in response.content.decode()
    again = client.post(close, follow=True)
    assert "This request has closed already." in again.content.decode()


def test_the_latest_round_that_may_be_shown_is_the_one_shown(people):
    ali, bea, cem, dia, eve = people
    now = timezone.now()
    first = ask(ali, [bea, cem, dia], now=now - timedelta(days=40))
    for rater in (bea, cem, dia):
        answer(first, rater, {"design": 2}, now=now - timedelta(days=39))
    second = ask(ali, [bea, cem, eve], now=now)  # open: the first one still shows
    answer(second, bea, {"design": 5}, now=now)

    assert selectors.peer_aggregate(subject=ali, now=now).round_id == first.pk
    for rater in (cem, eve):
        answer(second, rater, {"design": 5}, now=now)
    assert selectors.peer_aggregate(subject=ali, now=now).as_peers() == {"design": (5.0, 3)}


def test_the_engineers_rounds_name_whom_they_asked_in_alphabetical_order_not_who_answered(people):
    ali, bea, cem, dia, _ = people
    peer_round = ask(ali, [dia, bea, cem])
    answer(peer_round, dia, {"design": 4})

    view = selectors.peer_rounds(subject=ali)[0]

    assert view.asked == ("Bea", "Cem", "Dia") and view.answered == 1 and not view.closed
    assert view.skill_names == tuple(s.skill_name for s in peer_round.skills.all())


def test_a_raters_waiting_requests_are_the_open_unanswered_ones(people):
    ali, bea, cem, *_ = people
    now = timezone.now()
    old = ask(cem, [bea], now=now - timedelta(days=30))
    answered = ask(ali, [bea], now=now)
    answer(answered, bea, {"design": 3}, now=now)
    waiting = ask(UserFactory(name="Fay"), [bea], now=now)

    found = selectors.peer_requests_waiting(rater=bea, now=now)

    assert [r.round_id for r in found] == [waiting.pk]
    assert found[0].skill_count == 2 and found[0].round.subject.name == "Fay"
    assert old.pk not in [r.round_id for r in found]


@pytest.mark.parametrize("rounds", [1, 10])
def test_the_aggregate_and_the_rounds_take_a_fixed_number_of_queries(people, django_assert_num_queries, rounds):
    ali, bea, cem, dia, _ = people
    now = timezone.now()
    for n in range(rounds):
        when = now - timedelta(days=30 * (rounds - n))
        peer_round = ask(ali, [bea, cem, dia], now=when)
        for rater in (bea, cem, dia):
            answer(peer_round, rater, {"design": 3, "planning": 4}, now=when)

    with django_assert_num_queries(3):  # the rounds, their skill names, the answers' sums
        assert selectors.peer_aggregate(subject=ali, now=now)
    with django_assert_num_queries(3):  # the rounds, their skills, their requests with the raters
        assert len(selectors.peer_rounds(subject=ali, now=now)) == rounds
