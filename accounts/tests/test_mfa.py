"""Two-factor sign-in (allauth.mfa): an authenticator app's code after the password, and the HR panel
asking its HR members to set one up first (hr/mfa.py, HR_REQUIRE_MFA)."""

import base64
import hashlib
import hmac
import struct
import time
from urllib.parse import urlencode

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user
from django.urls import reverse

from accounts.services import hr_member_add
from accounts.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def hr_require_mfa(settings):
    settings.HR_REQUIRE_MFA = True  # as in every settings module but the test suite's (careerpath/settings/test.py)


SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # base32, as authenticator apps are given it
LOGIN_URL = reverse("account_login")


def totp_code(secret: str, *, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """The code an authenticator app shows now (RFC 6238: HMAC-SHA1 of the 30-second step), written
    here from the RFC rather than taken from allauth, so the test checks allauth against the standard."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


@pytest.fixture
def with_totp():
    person = UserFactory(email="two.factor@example.com")
    TOTP.activate(person, SECRET)
    return person


# --- Log-in with an authenticator app -------------------------------------------------------


def test_with_totp_set_up_the_password_alone_does_not_log_in(client, with_totp):
    response = client.post(LOGIN_URL, {"login": with_totp.email, "password": TEST_PASSWORD})

    assert response.status_code == 302 and response.url == reverse("mfa_authenticate")
    assert not get_user(client).is_authenticated


def test_with_totp_the_password_then_the_apps_code_logs_in(client, with_totp):
    client.post(LOGIN_URL, {"login": with_totp.email, "password": TEST_PASSWORD, "next": reverse("accounts:profile")})

    page = client.get(reverse("mfa_authenticate"))
    assert page.status_code == 200 and 'name="code"' in page.content.decode()
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(SECRET)})

    assert response.status_code == 302 and response.url == reverse("accounts:profile")
    assert get_user(client).pk == with_totp.pk


def test_a_wrong_code_does_not_log_in(client, with_totp):
    client.post(LOGIN_URL, {"login": with_totp.email, "password": TEST_PASSWORD})
    wrong = str((int(totp_code(SECRET)) + 1) % 10**6).zfill(6)

    response = client.post(reverse("mfa_authenticate"), {"code": wrong})

    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    assert not get_user(client).is_authenticated


def test_a_code_works_once(client, with_totp):
    code = totp_code(SECRET)
    client.post(LOGIN_URL, {"login": with_totp.email, "password": TEST_PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": code})
    client.post(reverse("account_logout"))

    client.post(LOGIN_URL, {"login": with_totp.email, "password": TEST_PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": code})

    assert not get_user(client).is_authenticated


def test_setting_up_an_authenticator_app_asks_for_one_of_its_codes(client, user):
    client.post(LOGIN_URL, {"login": user.email, "password": TEST_PASSWORD})
    asked = client.get(reverse("mfa_activate_totp"))
    assert asked.url.startswith(reverse("account_reauthenticate"))  # a sensitive change: the password again
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})

    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    assert client.post(reverse("mfa_activate_totp"), {"code": "000000"}).status_code == 200  # a wrong code: refused
    assert not Authenticator.objects.filter(user=user).exists()
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def test_the_profile_page_links_to_two_factor_settings(client_logged_in):
    assert reverse("mfa_index") in client_logged_in.get(reverse("accounts:profile")).content.decode()


# --- The HR panel: HR members set up a second factor first -------------------------------------


@pytest.fixture
def hr_member():
    person = UserFactory(email="hr.person@example.com")
    hr_member_add(user=person)
    return person


def test_an_hr_member_without_a_second_factor_is_sent_to_set_one_up(client, hr_member):
    client.force_login(hr_member)

    response = client.get(reverse("hr:dashboard"), follow=True)

    assert response.redirect_chain[0] == (f"{reverse('mfa_index')}?{urlencode({'next': '/hr/dashboard/'})}", 302)
    assert "asks for a second factor" in response.content.decode()
    assert client.get(reverse("admin:index")).url.startswith(reverse("mfa_index"))  # the admin's pages too


def test_an_hr_member_with_a_second_factor_uses_the_panel(client, hr_member):
    TOTP.activate(hr_member, SECRET)
    client.force_login(hr_member)

    assert client.get(reverse("hr:dashboard")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


def test_recovery_codes_alone_are_not_a_second_factor_for_the_panel(client, hr_member):
    Authenticator.objects.create(user=hr_member, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "00"})
    client.force_login(hr_member)

    assert client.get(reverse("hr:dashboard")).status_code == 302


def test_the_requirement_can_be_turned_off(client, hr_member, settings):
    settings.HR_REQUIRE_MFA = False
    client.force_login(hr_member)

    assert client.get(reverse("hr:dashboard")).status_code == 200


def test_the_panel_log_in_is_the_sites_so_the_second_factor_is_asked_there_too(client, hr_member):
    TOTP.activate(hr_member, SECRET)

    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response.url.startswith(f"{LOGIN_URL}?next=")
    client.post(LOGIN_URL, {"login": hr_member.email, "password": TEST_PASSWORD, "next": reverse("admin:index")})
    assert not get_user(client).is_authenticated  # the password alone is not enough
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(SECRET)})

    assert response.url == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_outside_the_test_suite_the_requirement_is_on_by_default():
    from careerpath.settings import base

    assert base.env.bool("HR_REQUIRE_MFA", default=True) is base.HR_REQUIRE_MFA is True
