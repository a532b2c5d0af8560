"""Sign-up and password reset do not tell whether an address has an account (issue 19).

They are allauth's (ACCOUNT_PREVENT_ENUMERATION). Both answer with the same redirect and page for a
known and an unknown address and send no email in the request: accounts/adapter.py queues every email
for after the commit. The emails themselves are checked too. Unlike the hand-written views before
allauth, the work in the request differs: allauth creates a new sign-up's account in the request (so
its queries differ from a known address's), and a reset for an unknown address queues nothing.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import UserFactory

# Runs on any database: what it compares (the answer and the mail) does not depend on the SQL.
pytestmark = pytest.mark.django_db

KNOWN, UNKNOWN = "known.person@example.com", "nobody.yet@example.com"
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture
def known():
    return UserFactory(email=KNOWN)


def signup(email: str) -> dict:
    return {
        "email": email,
        "name": "",
        "password1": "correct-horse-battery-42",
        "password2": "correct-horse-battery-42",
    }


FORMS = {
    "signup": (reverse("account_signup"), signup),
    "password_reset": (reverse("account_reset_password"), lambda email: {"email": email}),
}


def submit(client, django_capture_on_commit_callbacks, mailoutbox, url, data):
    """Post the form; what the request did (queries, mail, queued callbacks) and the page it leads to."""
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks() as queued:
        response = client.post(url, data)
    sent_in_request = len(mailoutbox)
    page = client.get(response["Location"]) if response.status_code == 302 else response
    return {
        "status": response.status_code,
        "location": response.get("Location"),
        "page": CSRF.sub(b"", page.content),
        "queries": [query["sql"] for query in queries.captured_queries],
        "mail_in_request": sent_in_request,
        "queued": [(callback.func, sorted(callback.keywords)) for callback in queued],
    }, queued


@pytest.mark.parametrize("form", sorted(FORMS))
def test_a_known_and_an_unknown_address_get_the_same_answer_and_no_email_in_the_request(
    form, known, client, django_capture_on_commit_callbacks, mailoutbox
):
    url, data = FORMS[form]

    for_known, _ = submit(client, django_capture_on_commit_callbacks, mailoutbox, url, data(KNOWN))
    for_unknown, _ = submit(client, django_capture_on_commit_callbacks, mailoutbox, url, data(UNKNOWN))

    assert for_known["status"] == 302
    answer = ("status", "location", "page", "mail_in_request")
    assert {key: for_known[key] for key in answer} == {key: for_unknown[key] for key in answer}
    assert for_known["mail_in_request"] == 0  # sent after the response, by the task
    assert len(for_known["queued"]) == 1


def run(queued) -> None:
    for callback in queued:
        callback()


def test_signing_up_with_a_known_address_tells_its_owner_by_email(
    known, client, django_capture_on_commit_callbacks, mailoutbox
):
    _, queued = submit(client, django_capture_on_commit_callbacks, mailoutbox, FORMS["signup"][0], signup(KNOWN))
    run(queued)

    [email] = mailoutbox
    assert email.to == [KNOWN]
    assert "already has an account" in email.body
    assert User.objects.filter(email=KNOWN).count() == 1


def test_signing_up_with_a_new_address_emails_a_confirmation_link(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    _, queued = submit(client, django_capture_on_commit_callbacks, mailoutbox, FORMS["signup"][0], signup(UNKNOWN))
    run(queued)

    [email] = mailoutbox
    assert email.to == [UNKNOWN]
    assert "/accounts/confirm-email/" in email.body
    assert not User.objects.get(email=UNKNOWN).emailaddress_set.get().verified


def test_a_reset_for_a_known_address_emails_the_link_and_for_an_unknown_one_nothing(
    known, client, django_capture_on_commit_callbacks, mailoutbox
):
    url = FORMS["password_reset"][0]
    _, queued = submit(client, django_capture_on_commit_callbacks, mailoutbox, url, {"email": KNOWN})
    run(queued)
    _, queued = submit(client, django_capture_on_commit_callbacks, mailoutbox, url, {"email": UNKNOWN})
    run(queued)

    [email] = mailoutbox
    assert email.to == [KNOWN]
    assert "/accounts/password/reset/" in email.body
