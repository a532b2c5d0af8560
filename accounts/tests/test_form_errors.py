"""A refused form says why in an alert that assistive technology announces."""

import re

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_wrong_password_is_reported_in_an_alert(client):
    user = UserFactory()

    response = client.post(reverse("account_login"), {"login": user.email, "password": "not-the-password"})

    alert = re.search(r'<div class="alert[^"]*" role="alert">(.*?)</div>', response.content.decode(), re.S)
    assert alert is not None
    assert "do not match an account" in alert.group(1)  # accounts/adapter.py words allauth's message
