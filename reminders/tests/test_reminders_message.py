"""The reminder as Django's mail API builds it: headers, both parts, the unsubscribe link, on the wire."""

import email
import email.policy
from datetime import date

import pytest
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reminders import email as reminder_email

SITE = "https://careerpath.example.com"
# Text a person may type into a title or a name: any printable character, no line breaks.
typed = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85"), min_size=1, max_size=120
).filter(lambda s: s.strip())


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


def content(**changes) -> reminder_email.ReminderContent:
    fields = {
        "reminder_id": 4242,
        "kind": "upcoming",
        "to": "ada@example.com",
        "name": "Ada",
        "user_id": 17,
        "due_date": date(2026, 3, 9),
        "milestone_id": 99,
        "milestone_title": "Lead a design review",
        "plan_id": 5,
        "plan_target": "Engineering Manager",
    }
    return reminder_email.ReminderContent(**{**fields, **changes})


def wire(message, policy=email.policy.SMTP) -> bytes:
    """What the SMTP backend sends (it asks for the SMTP policy)."""
    return message.message(policy=policy).as_bytes()


def parse(data: bytes):
    return email.message_from_bytes(data, policy=email.policy.default)


def test_a_reminder_is_djangos_multipart_email_with_text_and_html():
    message = reminder_email.build_message(content())

    assert isinstance(message, EmailMultiAlternatives)
    assert message.to == ["ada@example.com"]
    assert message.subject == "Coming up on 9 March: Lead a design review"
    ((html_body, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    assert "Hello Ada," in message.body
    assert "<html" in html_body


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=typed, name=typed)
def test_whatever_a_person_types_reads_back_the_same_from_the_wire(title, name):
    message = reminder_email.build_message(content(milestone_title=title, name=name))

    data = wire(message)
    read = parse(data)

    assert str(read["Subject"]) == message.subject
    assert str(read["To"]) == "ada@example.com"
    assert str(read["Message-ID"]) == "<reminder-4242@careerpath.example.com>"
    assert read.get_content_type() == "multipart/alternative"
    assert read.get_body(("plain",)).get_content().replace("\r\n", "\n") == message.body
    assert read.get_body(("html",)).get_content().replace("\r\n", "\n") == message.alternatives[0][0]
    assert all(len(line) <= 998 for line in data.split(b"\r\n"))


def test_list_unsubscribe_is_the_plain_url_on_the_wire():
    # Folded the standard way this header would become RFC 2047 encoded words, which mail
    # clients do not decode in List-Unsubscribe; it must stay a plain <URL>.
    url = reminder_email.unsubscribe_url(17)
    assert len(f"List-Unsubscribe: <{url}>") > 78

    data = wire(reminder_email.build_message(content())).decode("ascii")

    assert f"\r\nList-Unsubscribe: <{url}>\r\n" in data
    assert "\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in data
    assert "\r\nAuto-Submitted: auto-generated\r\n" in data
    assert parse(data.encode())["List-Unsubscribe"] == f"<{url}>"


def test_the_unsubscribe_link_in_both_parts_is_the_one_in_the_header():
    message = reminder_email.build_message(content())
    url = reminder_email.unsubscribe_url(17)

    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert url in message.body
    assert f'href="{url}"' in message.alternatives[0][0]


def test_the_message_id_is_the_same_every_time_the_reminder_is_built():
    first = parse(wire(reminder_email.build_message(content())))
    again = parse(wire(reminder_email.build_message(content(name="Someone else"))))
    other = parse(wire(reminder_email.build_message(content(reminder_id=4243))))

    assert first["Message-ID"] == again["Message-ID"] == "<reminder-4242@careerpath.example.com>"
    assert other["Message-ID"] == "<reminder-4243@careerpath.example.com>"
    assert first["X-Careerpath-Reminder"] == "4242"


def test_a_long_subject_is_folded_at_spaces_and_unfolds_to_the_same_text():
    title = " ".join(["milestone"] * 30)
    message = reminder_email.build_message(content(milestone_title=title))

    data = wire(message)

    head = data.split(b"\r\n\r\n", 1)[0]
    assert all(len(line) <= 78 for line in head.split(b"\r\n") if not line.startswith(b"List-Unsubscribe:"))
    assert str(parse(data)["Subject"]) == f"Coming up on 9 March: {title}"


def test_a_non_ascii_subject_is_encoded_and_reads_back():
    message = reminder_email.build_message(content(milestone_title="Café für Zoë"))

    data = wire(message)

    assert data.isascii()
    assert str(parse(data)["Subject"]) == "Coming up on 9 March: Café für Zoë"


def test_the_line_separator_follows_the_backends_policy():
    message = reminder_email.build_message(content(name="Zoë"))

    smtp = wire(message)
    local = wire(message, policy=email.policy.default)

    assert b"\n" not in smtp.replace(b"\r\n", b"")
    assert b"\r" not in local
    assert parse(smtp)["List-Unsubscribe"] == parse(local)["List-Unsubscribe"]


def test_a_line_break_in_the_subject_raises_as_django_does():
    message = reminder_email.build_message(content(milestone_title="a\nb"))

    with pytest.raises(ValueError, match="linefeed or carriage return"):
        message.message()


# --- Templates -------------------------------------------------------------------------------


def context_for(c: reminder_email.ReminderContent) -> dict:
    return {"c": c, "name": c.name, "subject": "s", "unsubscribe_url": "u", "profile_url": "p", "site_url": SITE}


@pytest.mark.parametrize("kind", ["upcoming", "overdue", "reassess", "digest"])
def test_each_kind_has_both_templates_and_they_render(kind):
    for suffix in ("txt", "html"):
        assert render_to_string(f"reminders/email/reminder_{kind}.{suffix}", context_for(content(kind=kind)))


@pytest.fixture
def own_template(tmp_path, settings):
    folder = tmp_path / "reminders" / "email"
    folder.mkdir(parents=True)
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    return folder


def test_a_template_authors_filters_and_comparisons_work_as_anywhere_in_django(own_template):
    (own_template / "reminder_upcoming.txt").write_text(
        '{% if name == "Ada" %}Dear {{ name|upper }}{% else %}Hello {{ name }}{% endif %}: '
        "{{ c.milestone_title|truncatechars:9 }}"
    )
    (own_template / "reminder_upcoming.html").write_text("<p>{{ name|capfirst }}</p>")

    ada = reminder_email.build_message(content())
    bob = reminder_email.build_message(content(name="bob <b>"))

    assert ada.body == "Dear ADA: Lead a d…"
    assert bob.body == "Hello bob &lt;b&gt;: Lead a d…"
    assert bob.alternatives[0][0] == "<p>Bob &lt;b&gt;</p>"
