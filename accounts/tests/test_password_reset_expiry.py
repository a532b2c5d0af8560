"""A password-reset link that has run out says so, says how long links last, and offers a new one."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def reset_link(client, user) -> str:
    with TestCase.captureOnCommitCallbacks(execute=True):  # the email is queued after the commit
        client.post(reverse("account_reset_password"), {"email": user.email})
    return re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[-1].body).group(1)


def test_the_email_says_how_long_the_link_works(client, user):
    reset_link(client, user)

    assert "The link works once, for 3 days." in mail.outbox[0].body


def test_an_expired_link_says_why_and_offers_a_new_one_and_the_password_is_unchanged(client, user):
    link = reset_link(client, user)

    later = timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT, hours=1)
    with time_machine.travel(later, tick=False):
        page = client.get(link, follow=True)

    html = page.content.decode()
    assert page.context["token_fail"] is True
    assert "This reset link no longer works" in html
    assert "A reset link works once, for 3 days." in html
    assert f'href="{reverse("account_reset_password")}">Send me a new link' in html
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


def test_a_new_link_asked_for_after_an_expired_one_works(client, user):
    old = reset_link(client, user)
    later = timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT, hours=1)
    with time_machine.travel(later, tick=False):
        assert client.get(old, follow=True).context["token_fail"] is True
        fresh = reset_link(client, user)
        form_page = client.get(fresh, follow=True)

    assert not form_page.context.get("token_fail")
