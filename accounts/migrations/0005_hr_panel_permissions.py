"""Extend the "HR" group for the HR panel.

- Questionnaires: view, add, change and delete versions, sections, items and keys
  (published versions stay locked by the admin and assessments.versioning).
- People: view only, on results, responses, answers, plans and milestones, and on the
  panel's people list (hr.Person). Never add, change or delete: HR reads people's
  answers and results, it does not edit them.
- Not the access log (hr.AccessRecord): only superusers read who looked at what.

Like 0002, the permissions may not exist yet on a fresh database, so they are created first.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

HR_GROUP_NAME = "HR"
ALL = ("view", "add", "change", "delete")
GRANTS = {
    "assessments": {
        "questionnaire": ALL,
        "questionnaireversion": ALL,
        "section": ALL,
        "item": ALL,
        "itemkey": ALL,
        "response": ("view",),
        "answer": ("view",),
        "result": ("view",),
    },
    "plans": {"plan": ("view",), "milestone": ("view",)},
    "hr": {"person": ("view",)},
}


def _permissions(apps, db_alias):
    Permission = apps.get_model("auth", "Permission")
    found = []
    for app_label, models in GRANTS.items():
        app_config = apps.get_app_config(app_label)
        # Historical app configs have no models module, and create_permissions skips those.
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, using=db_alias, apps=apps)
        app_config.models_module = None
        codenames = [f"{action}_{model}" for model, actions in models.items() for action in actions]
        permissions = Permission.objects.using(db_alias).filter(
            content_type__app_label=app_label, codename__in=codenames
        )
        found.extend(permissions)
    return found


def grant(apps, schema_editor):
    db_alias = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.using(db_alias).get_or_create(name=HR_GROUP_NAME)
    group.permissions.add(*_permissions(apps, db_alias))


def revoke(apps, schema_editor):
    db_alias = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    group = Group.objects.using(db_alias).filter(name=HR_GROUP_NAME).first()
    if group is not None:
        group.permissions.remove(*_permissions(apps, db_alias))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_profile_reminder_preferences"),
        ("assessments", "0001_initial"),
        ("plans", "0001_initial"),
        ("hr", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(grant, revoke),
    ]
