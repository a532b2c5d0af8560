import pytest
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_logged_in(client):
    admin = User.objects.create_superuser(email="root@example.com", password=TEST_PASSWORD)
    client.force_login(admin)
    return client


def test_admin_lists_and_searches_people_by_email(admin_client_logged_in, user, other_user):
    response = admin_client_logged_in.get(reverse("admin:accounts_user_changelist"), {"q": user.email.upper()})

    assert response.status_code == 200
    assert user.email in response.content.decode()
    assert other_user.email not in response.content.decode()


def test_admin_change_page_shows_the_profile_inline(admin_client_logged_in, user):
    response = admin_client_logged_in.get(reverse("admin:accounts_user_change", args=[user.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="profile-0-years_experience"' in html
    assert 'name="username"' not in html


def test_admin_add_creates_a_person_with_a_lower_cased_email(admin_client_logged_in):
    response = admin_client_logged_in.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "New.Hire@Example.com",
            "name": "New Hire",
            "usable_password": "true",
            "password1": "correct-horse-battery-42",
            "password2": "correct-horse-battery-42",
            "profile-TOTAL_FORMS": "0",
            "profile-INITIAL_FORMS": "0",
            "profile-MIN_NUM_FORMS": "0",
            "profile-MAX_NUM_FORMS": "1",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    created = User.objects.get(email="new.hire@example.com")
    assert created.check_password("correct-horse-battery-42")


def test_admin_add_refuses_an_email_already_used_in_another_case(admin_client_logged_in, user):
    response = admin_client_logged_in.post(
        reverse("admin:accounts_user_add"),
        {
            "email": user.email.upper(),
            "usable_password": "false",
            "profile-TOTAL_FORMS": "0",
            "profile-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert "already exists" in " ".join(response.context["adminform"].form.errors["email"])
