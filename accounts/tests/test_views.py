import re
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile, User
from accounts.tests.conftest import build_catalog
from accounts.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP_URL = reverse("account_signup")
LOGIN_URL = reverse("account_login")
LOGOUT_URL = reverse("account_logout")
PROFILE_URL = reverse("accounts:profile")
NEW_PASSWORD = "a-brand-new-passphrase-9"


def signup_data(**overrides):
    return {
        "email": "new.person@example.com",
        "name": "New Person",
        "password1": "correct-horse-battery-42",
        "password2": "correct-horse-battery-42",
        **overrides,
    }


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- Sign-up (allauth's views, careerpath's templates and adapter) --------------------------


def test_signup_page_shows_the_form_with_labelled_fields(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(SIGNUP_URL)

    assert response.status_code == 200
    html = response.content.decode()
    for field in ("email", "name", "password1", "password2"):
        assert f'for="id_{field}"' in html
    assert "at least 10 characters" in html


def test_signup_emails_a_confirmation_link_that_logs_in_and_asks_for_the_profile(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP_URL, signup_data(email="New.Person@Example.com"))

    assert response.status_code == 302 and response.url == reverse("account_email_verification_sent")
    user = User.objects.get()
    assert user.email == "new.person@example.com" and user.name == "New Person"
    assert user.signup_pending and user.check_password("correct-horse-battery-42")
    assert not EmailAddress.objects.get(user=user).verified
    assert Profile.objects.filter(user=user).exists()
    assert not get_user(client).is_authenticated
    [email] = mailoutbox
    link = re.search(r"https?://testserver(/accounts/confirm-email/\S+/)", email.body)[1]

    shown = client.get(link)
    assert shown.status_code == 200 and "Confirm my address" in shown.content.decode()
    assert not EmailAddress.objects.get(user=user).verified  # a GET changes nothing
    response = client.post(link, follow=True)

    assert response.redirect_chain == [(PROFILE_URL, 302)]
    assert get_user(client).pk == user.pk
    assert any("Fill in your profile" in text for text in messages_of(response))
    assert EmailAddress.objects.get(user=user).verified
    user.refresh_from_db()
    assert not user.signup_pending


def test_an_unconfirmed_account_cannot_log_in_and_is_sent_a_new_link(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SIGNUP_URL, signup_data())
    client.logout()

    credentials = {"login": "new.person@example.com", "password": "correct-horse-battery-42"}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LOGIN_URL, credentials)

    assert response.status_code == 302 and response.url == reverse("account_email_verification_sent")
    assert not get_user(client).is_authenticated
    assert len(mailoutbox) == 1  # a new link goes at most every 3 minutes (allauth's confirm_email rate limit)
    with time_machine.travel(timezone.now() + timedelta(minutes=4)), django_capture_on_commit_callbacks(execute=True):
        client.post(LOGIN_URL, credentials)
    assert not get_user(client).is_authenticated
    assert len(mailoutbox) == 2 and "/accounts/confirm-email/" in mailoutbox[1].body


def test_signup_with_an_address_already_used_emails_its_owner_and_changes_nothing(
    client, user, django_capture_on_commit_callbacks, mailoutbox
):
    password = user.password

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP_URL, signup_data(email=user.email.upper()))

    assert response.status_code == 302 and response.url == reverse("account_email_verification_sent")
    assert User.objects.count() == 1
    user.refresh_from_db()
    assert user.password == password
    assert not get_user(client).is_authenticated
    [email] = mailoutbox
    assert email.to == [user.email]
    assert "already has an account" in email.body and "/accounts/password/reset/" in email.body


def test_signup_shows_the_password_validators_messages_for_a_weak_password(client):
    response = client.post(SIGNUP_URL, signup_data(password1="12345", password2="12345"))

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["password1"])
    assert "too short" in errors
    assert "at least 10 characters" in errors
    assert "entirely numeric" in errors
    assert not User.objects.exists()


def test_signup_refuses_mismatched_passwords(client):
    response = client.post(SIGNUP_URL, signup_data(password2="correct-horse-battery-43"))

    assert response.status_code == 200
    assert "same password" in " ".join(response.context["form"].errors["password2"])
    assert not User.objects.exists()


def test_logged_in_people_visiting_signup_go_home(client_logged_in):
    response = client_logged_in.get(SIGNUP_URL)

    assert response.status_code == 302
    assert response.url == reverse("home")


def test_logged_in_people_visiting_login_go_where_next_points_or_home(client_logged_in):
    assert client_logged_in.get(f"{LOGIN_URL}?next={PROFILE_URL}").url == PROFILE_URL
    assert client_logged_in.get(LOGIN_URL).url == reverse("home")


# --- Log-in and log-out -------------------------------------------------------------


def test_login_page_labels_the_field_email_and_links_to_reset_and_signup(client):
    html = client.get(LOGIN_URL).content.decode()

    assert re.search(r'<label[^>]*for="id_login"[^>]*>\s*Email', html)
    assert reverse("account_reset_password") in html
    assert SIGNUP_URL in html


def test_login_accepts_the_email_in_any_case(client, user):
    response = client.post(LOGIN_URL, {"login": user.email.upper(), "password": TEST_PASSWORD})

    assert response.status_code == 302
    assert get_user(client).pk == user.pk


def test_login_follows_next_to_a_page_of_the_site(client, user):
    response = client.post(LOGIN_URL, {"login": user.email, "password": TEST_PASSWORD, "next": PROFILE_URL})

    assert response.status_code == 302 and response.url == PROFILE_URL


def test_login_with_a_wrong_password_says_so_and_stays_logged_out(client, user):
    response = client.post(LOGIN_URL, {"login": user.email, "password": "not-the-password"})

    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()
    assert not get_user(client).is_authenticated


def test_logout_by_get_only_asks_and_logs_nobody_out(client_logged_in, user):
    response = client_logged_in.get(LOGOUT_URL)

    assert response.status_code == 200
    assert "Log out?" in response.content.decode()
    assert get_user(client_logged_in).pk == user.pk


def test_logout_by_post_logs_out_and_says_so(client_logged_in):
    response = client_logged_in.post(LOGOUT_URL, follow=True)

    assert response.redirect_chain == [(reverse("home"), 302)]
    assert "You are logged out." in messages_of(response)
    assert not get_user(client_logged_in).is_authenticated


# --- Passwords ------------------------------------------------------------------


def test_password_change_sets_the_new_password_and_keeps_the_person_logged_in(client_logged_in, user):
    response = client_logged_in.post(
        reverse("account_change_password"),
        {"oldpassword": TEST_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == PROFILE_URL
    assert any("Password successfully changed" in text for text in messages_of(response))
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert get_user(client_logged_in).pk == user.pk


def test_password_change_refuses_a_wrong_current_password(client_logged_in, user):
    response = client_logged_in.post(
        reverse("account_change_password"),
        {"oldpassword": "wrong-password-123", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


def test_password_reset_emails_a_link_that_sets_a_new_password(client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the email is queued after the commit
        response = client.post(reverse("account_reset_password"), {"email": user.email.upper()})

    assert response.status_code == 302
    assert response.url == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert message.subject == "Choose a new careerpath password"
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)

    # The emailed link swaps the key into the session and redirects to the form.
    form_page = client.get(link, follow=True)
    assert not form_page.context.get("token_fail")
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert done.status_code == 302
    assert done.url == reverse("account_reset_password_from_key_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # Used once, the link no longer works.
    assert client.get(link, follow=True).context["token_fail"] is True


def test_password_reset_for_an_unknown_address_sends_nothing_but_looks_the_same(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert response.url == reverse("account_reset_password_done")
    assert mail.outbox == []


# --- Profile --------------------------------------------------------------------


def profile_data(**overrides):
    return {
        "name": "Grace Hopper",
        "discipline": "",
        "current_role": "",
        "years_experience": "6",
        "education": "master",
        "time_zone": "Europe/Berlin",
        **overrides,
    }


def test_profile_page_requires_login(client):
    response = client.get(PROFILE_URL)

    assert response.status_code == 302
    assert response.url == f"{LOGIN_URL}?next={PROFILE_URL}"


@pytest.mark.parametrize("extra", [0, 30])
def test_profile_page_query_count_does_not_grow_with_the_catalog(client_logged_in, django_assert_num_queries, extra):
    build_catalog(extra=extra)

    # Session, user, profile (with discipline and roles), its certifications,
    # then the choices: disciplines, roles with their tracks (current role, then the role wanted next),
    # certifications, the regions credentials are awarded in.
    with django_assert_num_queries(9):
        response = client_logged_in.get(PROFILE_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<optgroup label="Technical track">' in html
    assert '<optgroup label="Management track">' in html
    assert html.count("<option") > 3 + 2 * extra
    assert html.count('name="certifications"') == 2 + extra


def test_profile_page_works_for_a_superuser_without_a_profile(client):
    admin = User.objects.create_superuser(email="root@example.com", password=TEST_PASSWORD)
    client.force_login(admin)

    response = client.get(PROFILE_URL)

    assert response.status_code == 200
    # Showing the page writes nothing (GET never changes state); saving it creates the profile.
    assert not Profile.objects.filter(user=admin).exists()
    response = client.post(PROFILE_URL, profile_data())
    assert response.status_code == 302
    assert Profile.objects.filter(user=admin).exists()


def test_profile_save_updates_the_own_profile_and_says_so(client_logged_in, user, catalog):
    response = client_logged_in.post(
        PROFILE_URL,
        {
            **profile_data(discipline=catalog["software"].pk, current_role=catalog["senior"].pk),
            "certifications": [catalog["pe"].pk, catalog["pmp"].pk],
        },
        follow=True,
    )

    assert response.redirect_chain == [(PROFILE_URL, 302)]
    assert "Your profile is saved." in messages_of(response)
    profile = Profile.objects.select_related("user").get(user=user)
    assert profile.user.name == "Grace Hopper"
    assert profile.discipline == catalog["software"]
    assert profile.current_role == catalog["senior"]
    assert (profile.years_experience, profile.education, profile.time_zone) == (6, "master", "Europe/Berlin")
    assert set(profile.certifications.all()) == {catalog["pe"], catalog["pmp"]}


def test_profile_save_with_no_certification_ticked_clears_them(client_logged_in, user, catalog):
    user.profile.certifications.set([catalog["pe"]])

    response = client_logged_in.post(PROFILE_URL, profile_data())

    assert response.status_code == 302
    assert not user.profile.certifications.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"years_experience": "71"}, "years_experience", "between 0 and 70"),
        ({"years_experience": "-1"}, "years_experience", "between 0 and 70"),
        ({"years_experience": "six"}, "years_experience", "between 0 and 70"),
        ({"time_zone": "Europe/Atlantis"}, "time_zone", "Choose a time zone from the list"),
        ({"current_role": "999999"}, "current_role", "Choose a role from the list"),
        ({"current_role": "'; DROP TABLE roles_role; --"}, "current_role", "Choose a role from the list"),
        ({"discipline": "999999"}, "discipline", "Choose a discipline from the list"),
        ({"certifications": ["999999"]}, "certifications", "Choose certifications from the list"),
    ],
)
def test_profile_save_with_invalid_input_shows_the_error_and_saves_nothing(
    client_logged_in, user, catalog, overrides, field, message
):
    response = client_logged_in.post(PROFILE_URL, profile_data(**overrides))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode()
    profile = Profile.objects.get(user=user)
    assert (profile.years_experience, profile.time_zone) == (4, "UTC")


def test_profile_save_only_ever_changes_the_logged_in_persons_profile(client_logged_in, user, other_user):
    response = client_logged_in.post(PROFILE_URL, {**profile_data(), "user": other_user.pk, "id": other_user.pk})

    assert response.status_code == 302
    assert Profile.objects.get(user=user).time_zone == "Europe/Berlin"
    assert Profile.objects.get(user=other_user).time_zone == "UTC"
    other_user.refresh_from_db()
    assert other_user.name != "Grace Hopper"


def test_profile_page_shows_the_saved_values(client, catalog):
    person = UserFactory(name="Linus", profile__years_experience=9, profile__current_role=catalog["manager"])
    client.force_login(person)

    html = client.get(PROFILE_URL).content.decode()

    assert 'value="Linus"' in html
    assert 'value="9"' in html
    assert f'<option value="{catalog["manager"].pk}" selected>' in html
