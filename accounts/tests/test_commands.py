from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from accounts.management.commands.create_demo_users import DEMO_ENGINEER, DEMO_HR, DEMO_MANAGER
from accounts.models import User
from accounts.services import HR_GROUP_NAME

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# --- create_demo_users --------------------------------------------------------------


def test_create_demo_users_creates_an_engineer_a_manager_and_an_hr_user(settings, catalog):
    settings.DEBUG = True

    output = run("create_demo_users")

    engineer = User.objects.select_related("profile").get(email=DEMO_ENGINEER["email"])
    assert engineer.check_password(DEMO_ENGINEER["password"])
    assert not engineer.is_staff
    assert engineer.profile.discipline == catalog["software"]
    assert engineer.profile.current_role == catalog["senior"]
    assert engineer.profile.years_experience == 6
    hr = User.objects.get(email=DEMO_HR["email"])
    assert hr.check_password(DEMO_HR["password"])
    assert hr.is_staff
    assert not hr.is_superuser
    assert hr.groups.filter(name=HR_GROUP_NAME).exists()
    manager = User.objects.select_related("profile").get(email=DEMO_MANAGER["email"])
    assert manager.check_password(DEMO_MANAGER["password"])
    assert not manager.is_staff  # a person in careerpath like any other; seed_demo gives them a team
    assert manager.profile.years_experience == 12
    for account in (DEMO_ENGINEER, DEMO_MANAGER, DEMO_HR):
        assert account["email"] in output
        assert account["password"] in output


def test_create_demo_users_leaves_the_role_empty_when_the_catalog_lacks_it(settings):
    settings.DEBUG = True

    run("create_demo_users")

    profile = User.objects.get(email=DEMO_ENGINEER["email"]).profile
    assert (profile.discipline, profile.current_role, profile.years_experience) == (None, None, 6)


def test_create_demo_users_run_twice_changes_nothing_and_says_so(settings, catalog):
    settings.DEBUG = True
    run("create_demo_users")
    engineer = User.objects.get(email=DEMO_ENGINEER["email"])
    engineer.set_password("the-engineer-changed-it-99")
    engineer.save()
    before = sorted(User.objects.values_list("email", "password", "is_staff"))

    output = run("create_demo_users")

    assert "nothing changed" in output
    assert sorted(User.objects.values_list("email", "password", "is_staff")) == before
    assert User.objects.count() == 3


def test_create_demo_users_refuses_to_run_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG=True"):
        run("create_demo_users")

    assert not User.objects.exists()


# --- hr_group ----------------------------------------------------------------------------


def test_hr_group_add_puts_the_person_in_hr_whatever_the_case_of_the_email(user):
    output = run("hr_group", "add", user.email.upper())

    user.refresh_from_db()
    assert user.groups.filter(name=HR_GROUP_NAME).exists()
    assert user.is_staff
    assert "is now in HR" in output


def test_hr_group_add_twice_says_nothing_changed(user):
    run("hr_group", "add", user.email)

    assert "already in HR; nothing changed" in run("hr_group", "add", user.email)
    assert user.groups.count() == 1


def test_hr_group_remove_takes_the_person_out(user):
    run("hr_group", "add", user.email)

    output = run("hr_group", "remove", user.email)

    user.refresh_from_db()
    assert not user.groups.filter(name=HR_GROUP_NAME).exists()
    assert not user.is_staff
    assert "no longer in HR" in output


def test_hr_group_remove_of_someone_not_in_hr_says_nothing_changed(user):
    assert "was not in HR; nothing changed" in run("hr_group", "remove", user.email)


def test_hr_group_with_an_unknown_email_fails_clearly(db):
    with pytest.raises(CommandError, match="No account uses the email address"):
        run("hr_group", "add", "nobody@example.com")


def test_hr_group_when_the_group_is_missing_says_to_migrate(user):
    Group.objects.filter(name=HR_GROUP_NAME).delete()

    with pytest.raises(CommandError, match="migrate"):
        run("hr_group", "add", user.email)
