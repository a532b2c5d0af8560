from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts import selectors, services
from accounts.models import Profile, User

pytestmark = pytest.mark.django_db


def test_user_create_makes_the_user_and_an_empty_profile_with_a_lower_cased_email():
    user = services.user_create(email="  Ada.Lovelace@Example.COM ", password="a-long-test-password-42", name="Ada")

    user.refresh_from_db()
    assert user.email == "ada.lovelace@example.com"
    assert user.name == "Ada"
    assert user.check_password("a-long-test-password-42")
    assert Profile.objects.filter(user=user).exists()


def test_user_create_refuses_an_email_already_used_in_another_case():
    services.user_create(email="ada@example.com", password="a-long-test-password-42")

    with pytest.raises(ValidationError) as excinfo:
        services.user_create(email="ADA@example.com", password="another-long-password-7")

    assert "already exists" in excinfo.value.message_dict["email"][0]
    assert User.objects.count() == 1
    assert Profile.objects.count() == 1


def test_profile_update_sets_profile_fields_and_the_name_on_the_user(user, catalog):
    profile = user.profile

    services.profile_update(
        profile=profile,
        name="Grace Hopper",
        discipline=catalog["software"],
        current_role=catalog["senior"],
        years_experience=12,
        education=Profile.Education.MASTER,
        time_zone="Europe/Berlin",
        certifications=[catalog["pe"]],
    )

    profile.refresh_from_db()
    assert list(profile.certifications.all()) == [catalog["pe"]]
    assert profile.user.name == "Grace Hopper"
    assert profile.discipline == catalog["software"]
    assert profile.current_role == catalog["senior"]
    assert (profile.years_experience, profile.education, profile.time_zone) == (12, "master", "Europe/Berlin")


@pytest.mark.parametrize(
    ("fields", "bad_field"),
    [
        ({"years_experience": 71}, "years_experience"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"education": "kindergarten"}, "education"),
    ],
)
def test_profile_update_rejects_invalid_values_and_saves_nothing(user, fields, bad_field):
    with pytest.raises(ValidationError) as excinfo:
        services.profile_update(profile=user.profile, **fields)

    assert bad_field in excinfo.value.message_dict
    fresh = Profile.objects.get(pk=user.profile.pk)
    assert (fresh.years_experience, fresh.time_zone, fresh.education) == (4, "UTC", "bachelor")


def test_profile_update_rejects_fields_a_person_may_not_edit(user):
    with pytest.raises(TypeError, match="user"):
        services.profile_update(profile=user.profile, user=None)


def test_profile_for_creates_a_profile_for_a_superuser_who_has_none():
    admin = User.objects.create_superuser(email="root@example.com", password="a-long-test-password-42")
    assert not Profile.objects.filter(user=admin).exists()

    profile = selectors.profile_for(admin)

    assert profile.pk is not None
    assert profile.user == admin
    assert selectors.profile_for(admin).pk == profile.pk


def test_profile_for_returns_the_existing_profile(user):
    assert selectors.profile_for(user).pk == user.profile.pk
    assert Profile.objects.count() == 1


def test_hr_member_add_puts_a_person_in_hr_and_makes_them_staff(user):
    assert services.hr_member_add(user=user) is True

    user.refresh_from_db()
    assert user.is_staff
    assert user.groups.filter(name=services.HR_GROUP_NAME).exists()
    assert services.hr_member_add(user=user) is False


def test_hr_member_remove_takes_a_person_out_and_ends_their_admin_access(user):
    services.hr_member_add(user=user)

    assert services.hr_member_remove(user=user) is True

    user.refresh_from_db()
    assert not user.is_staff
    assert not user.groups.exists()
    assert services.hr_member_remove(user=user) is False


def test_hr_member_remove_keeps_staff_status_when_another_group_still_applies(user):
    services.hr_member_add(user=user)
    user.groups.add(Group.objects.create(name="Editors"))

    services.hr_member_remove(user=user)

    user.refresh_from_db()
    assert user.is_staff


def test_hr_member_add_explains_when_the_hr_group_is_missing(user):
    Group.objects.filter(name=services.HR_GROUP_NAME).delete()

    with pytest.raises(ValidationError, match="migrate"):
        services.hr_member_add(user=user)


def test_any_log_in_form_matches_the_email_whatever_its_case(db):
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    from accounts.tests.factories import TEST_PASSWORD, UserFactory

    user = UserFactory(email="mixed@example.com")

    # django-axes counts failures per client address, so authenticate() needs the request.
    assert authenticate(RequestFactory().post("/"), username="MIXED@Example.com", password=TEST_PASSWORD) == user


def _signed_up(email: str):
    """An account as allauth's sign-up leaves it (accounts/adapter.py): its address not yet confirmed."""
    user = services.user_signed_up(user=User(email=email, password="!unusable"), name="")
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    return user


def test_a_sign_up_never_confirmed_is_deleted_once_its_link_expired(settings):
    settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
    user = _signed_up("pending@example.com")
    assert user.signup_pending
    later = user.date_joined + timedelta(days=3, minutes=1)

    assert services.signups_expired_delete(now=later - timedelta(minutes=2)) == 0  # link still valid
    assert services.signups_expired_delete(now=later) == 1
    assert not User.objects.filter(email="pending@example.com").exists()
    assert not Profile.objects.filter(user_id=user.pk).exists()
    assert services.signups_expired_delete(now=later) == 0  # idempotent


def test_expired_sign_up_clean_up_keeps_confirmed_and_deactivated_accounts(settings):
    confirmed = _signed_up("confirmed@example.com")
    EmailAddress.objects.filter(user=confirmed).update(verified=True)
    services.signup_confirmed(user=confirmed)
    deactivated = services.user_create(email="left@example.com", password=None, is_active=False)
    later = timezone.now() + timedelta(days=30)

    assert services.signups_expired_delete(now=later) == 0
    confirmed.refresh_from_db()
    assert not confirmed.signup_pending
    assert User.objects.filter(pk=deactivated.pk).exists()  # HR's deactivation is not a pending sign-up


def test_an_account_made_by_hr_or_the_directory_has_its_address_confirmed():
    user = services.user_create(email="Made.By.HR@example.com", password=None)

    [address] = EmailAddress.objects.filter(user=user)
    assert (address.email, address.primary, address.verified) == ("made.by.hr@example.com", True, True)


def test_the_expired_sign_up_clean_up_runs_daily_from_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["accounts-expired-signups"]
    from accounts import tasks

    assert entry["task"] == tasks.delete_expired_signups.name
    assert entry["schedule"] == 24 * 60 * 60
