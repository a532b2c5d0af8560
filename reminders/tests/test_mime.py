"""The reminders' directly written wire format (reminders/mime.py) and the rendering by substitution
(plans/email.render): both must give exactly what Django's own builder and renderer give."""

import email
import email.policy
from datetime import date

import pytest
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reminders import email as reminder_email
from reminders import mime

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


def parse(data: bytes):
    return email.message_from_bytes(data, policy=email.policy.default)


def django_wire(message, policy=email.policy.SMTP) -> bytes:
    return EmailMultiAlternatives.message(message, policy=policy).as_bytes()


def assert_same_message(ours: bytes, django: bytes) -> None:
    a, b = parse(ours), parse(django)
    for header in ("Subject", "From", "To", "Message-ID", "List-Unsubscribe-Post", "Auto-Submitted"):
        assert str(a[header]) == str(b[header]), header
    assert a.get_content_type() == b.get_content_type() == "multipart/alternative"
    for kind in ("plain", "html"):
        assert a.get_body((kind,)).get_content() == b.get_body((kind,)).get_content(), kind


# --- The wire format -------------------------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=typed, name=typed)
def test_the_written_message_reads_back_exactly_as_djangos(title, name):
    message = reminder_email.build_message(content(milestone_title=title, name=name))

    ours = message.message(policy=email.policy.SMTP)

    assert isinstance(ours, mime.PreparedMessage)
    data = ours.as_bytes()
    assert data.isascii()
    assert all(len(line) <= mime.MAX_LINE for line in data.split(b"\r\n"))
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert_same_message(data, django_wire(message))


def test_an_ascii_message_is_7bit_and_a_non_ascii_one_quoted_printable():
    plain = reminder_email.build_message(content()).message().as_string()
    accented = reminder_email.build_message(content(name="Zoë")).message().as_string()

    assert plain.count("Content-Transfer-Encoding: 7bit") == 2
    assert "Content-Transfer-Encoding: quoted-printable" in accented
    assert "Hello Zo=C3=AB," in accented


def test_list_unsubscribe_is_the_plain_url_on_the_wire():
    # Django's builder turns a header this long into RFC 2047 encoded words, which mail
    # clients do not decode in List-Unsubscribe; written directly it stays a plain <URL>.
    message = reminder_email.build_message(content())
    url = reminder_email.unsubscribe_url(17)

    wire = message.message(policy=email.policy.SMTP).as_string()

    assert f"\r\nList-Unsubscribe: <{url}>\r\n" in wire
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in wire
    assert parse(wire.encode())["List-Unsubscribe"] == f"<{url}>"


def test_a_long_subject_is_folded_at_spaces_and_unfolds_to_the_same_text():
    title = " ".join(["milestone"] * 30)
    message = reminder_email.build_message(content(milestone_title=title))

    wire = message.message(policy=email.policy.SMTP).as_bytes()

    head = wire.split(b"\r\n\r\n", 1)[0]
    assert all(len(line) <= mime.FOLD_AT for line in head.split(b"\r\n") if not line.startswith(b"List-Unsubscribe:"))
    assert str(parse(wire)["Subject"]) == f"Coming up on 9 March: {title}"


def test_the_line_separator_follows_the_policy():
    message = reminder_email.build_message(content(name="Zoë"))

    smtp = message.message(policy=email.policy.SMTP).as_bytes()
    local = message.message().as_bytes()

    assert b"\r\n" in smtp and b"\n" not in smtp.replace(b"\r\n", b"")
    assert b"\r" not in local
    assert_same_message(smtp, django_wire(message))
    assert_same_message(local, django_wire(message, policy=email.policy.default))


def test_the_prepared_message_answers_like_a_parsed_one():
    prepared = reminder_email.build_message(content()).message()

    assert prepared["To"] == "ada@example.com"
    assert "X-Careerpath-Reminder" in prepared
    assert "Lead a design review" in prepared.get_body(("plain",)).get_content()
    assert prepared.as_string() == prepared.as_bytes().decode()


def test_a_line_break_in_the_subject_still_raises_as_django_does():
    message = mime.ReminderMessage(subject="a\nb", body="x", from_email="a@example.com", to=["x@example.com"])
    message.attach_alternative("<p>x</p>", "text/html")

    with pytest.raises(ValueError, match="linefeed or carriage return"):
        message.message()


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"to": ["Zoë <zoe@exämple.com>"]}, id="display name and IDN"),
        pytest.param({"to": ["a@example.com", "b@example.com"]}, id="two recipients"),
        pytest.param({"cc": ["c@example.com"]}, id="cc"),
        pytest.param({"headers": {"X-Note": "caf\u00e9"}}, id="non-ASCII header"),
    ],
)
def test_anything_but_the_simple_shape_is_built_by_django(changes):
    fields = {"subject": "Hi", "body": "x", "from_email": "a@example.com", "to": ["x@example.com"], **changes}
    message = mime.ReminderMessage(**fields)
    message.attach_alternative("<p>x</p>", "text/html")

    built = message.message()

    assert isinstance(built, email.message.EmailMessage)


def test_a_message_with_an_attachment_is_built_by_django():
    message = reminder_email.build_message(content())
    message.attach("notes.txt", "hello", "text/plain")

    assert isinstance(message.message(), email.message.EmailMessage)


# --- Rendering by substitution ---------------------------------------------------------------


def context_for(c: reminder_email.ReminderContent) -> dict:
    context = {
        "c": c,
        "name": c.name,
        "subject": reminder_email.subject_for(c),
        "unsubscribe_url": reminder_email.unsubscribe_url(c.user_id),
        "profile_url": reminder_email.link("accounts:profile"),
        "site_url": SITE,
        "plans_url": reminder_email.link("plans:list"),
        "assess_url": reminder_email.link("assessments:home"),
        "milestone_url": reminder_email.milestone_url(plan_id=c.plan_id, milestone_id=c.milestone_id),
    }
    return context


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=typed, name=typed, target=typed, kind=st.sampled_from(["upcoming", "overdue"]))
def test_substitution_renders_exactly_what_the_template_renders(title, name, target, kind):
    c = content(kind=kind, milestone_title=title, name=name, plan_target=target)
    context = context_for(c)

    for suffix in ("txt", "html"):
        template = f"reminders/email/reminder_{kind}.{suffix}"
        assert reminder_email.render(template, context) == render_to_string(template, context)


def test_the_emails_templates_are_rendered_by_substitution():
    reminder_email._rendering.cache_clear()
    for kind in ("upcoming", "overdue"):
        for suffix in ("txt", "html"):
            template = f"reminders/email/reminder_{kind}.{suffix}"
            reminder_email.render(template, context_for(content(kind=kind)))
            assert reminder_email._rendering.cache_info().currsize > 0
            rendering = reminder_email._rendering(
                template, kind, date(2026, 3, 9), None, 6, tuple(k for k in context_for(content()) if k != "c"), "en-us"
            )
            assert rendering is not None and rendering.escape == (suffix == "html"), template


def test_an_empty_value_is_rendered_by_the_template():
    c = content(name="")
    context = context_for(c)

    assert reminder_email.render("reminders/email/reminder_upcoming.txt", context) == render_to_string(
        "reminders/email/reminder_upcoming.txt", context
    )


@pytest.fixture
def own_template(tmp_path, settings):
    folder = tmp_path / "reminders" / "email"
    folder.mkdir(parents=True)
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    reminder_email._rendering.cache_clear()
    reminder_email._UNSUBSTITUTABLE.clear()
    yield folder
    reminder_email._rendering.cache_clear()
    reminder_email._UNSUBSTITUTABLE.clear()


@pytest.mark.parametrize(
    "source",
    [
        "Hello {{ name|upper }}",
        "Hello {{ name|capfirst }}",
        "{{ c.milestone_title|truncatechars:12 }}",
        "{{ name|length }} {{ name }}",
        "{{ name|safe }} and {{ name }}",
    ],
)
def test_a_template_that_transforms_a_value_is_never_substituted_wrongly(own_template, source):
    (own_template / "probe.txt").write_text(source)
    template = "reminders/email/probe.txt"

    for name in ("Ada", "bob <b> & co", "Zoë Ångström-Øre the Third of Her Name"):
        context = context_for(content(name=name, milestone_title=f"Title for {name}"))
        assert reminder_email.render(template, context) == render_to_string(template, context)
