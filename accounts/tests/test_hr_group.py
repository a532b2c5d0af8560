"""The data migration that creates the HR group."""

import importlib

import pytest
from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from accounts.services import HR_GROUP_NAME

pytestmark = pytest.mark.django_db

hr_migration = importlib.import_module("accounts.migrations.0002_hr_group")
ACTIONS = {"view", "add", "change", "delete"}


def expected_codenames(apps=global_apps) -> set[str]:
    models = apps.get_app_config("roles").get_models()
    return {f"{action}_{model._meta.model_name}" for model in models for action in ACTIONS}


def hr_codenames() -> set[str]:
    group = Group.objects.get(name=HR_GROUP_NAME)
    return set(group.permissions.filter(content_type__app_label="roles").values_list("codename", flat=True))


def migration_state_apps():
    return MigrationLoader(connection).project_state(("accounts", "0002_hr_group")).apps


class _SchemaEditor:
    connection = connection


def test_hr_group_may_view_add_change_and_delete_every_catalog_model():
    # Compared with today's models: a new catalog model needs a migration that extends the group.
    codenames = hr_codenames()

    assert codenames == expected_codenames()
    assert {"view_role", "change_role", "add_skill", "delete_salaryfigure"} <= codenames


def test_hr_group_migration_reverses_and_reapplies_cleanly():
    state_apps = migration_state_apps()

    hr_migration.delete_hr_group(state_apps, _SchemaEditor())
    assert not Group.objects.filter(name=HR_GROUP_NAME).exists()

    hr_migration.create_hr_group(state_apps, _SchemaEditor())
    assert hr_codenames() == expected_codenames(state_apps)


def test_hr_group_migration_creates_missing_permissions_first():
    # On a fresh database the permissions don't exist yet while migrations run.
    Group.objects.filter(name=HR_GROUP_NAME).delete()
    Permission.objects.filter(content_type__app_label="roles").delete()

    state_apps = migration_state_apps()
    hr_migration.create_hr_group(state_apps, _SchemaEditor())

    assert hr_codenames() == expected_codenames(state_apps)
