"""Extend the "HR" group for the panel's Reminders pages.

- The reminder log (plans.Reminder): view, and retry a failed reminder (the custom
  `retry_reminder` permission of plans 0004). Never add, change or delete: the rows are
  the record of what was sent, written only by the reminder services.
- The reminder policy (plans.ReminderPolicy, one row): view and change. It is never added
  or deleted in the panel (the row is made when first needed).

Like 0002 and 0005, the permissions may not exist yet on a fresh database, so they are created first.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

HR_GROUP_NAME = "HR"
GRANTS = {
    "plans": {
        "reminder": ("view_reminder", "retry_reminder"),
        "reminderpolicy": ("view_reminderpolicy", "change_reminderpolicy"),
    },
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
        codenames = [codename for codenames in models.values() for codename in codenames]
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
        ("accounts", "0006_security_constraints"),
        ("plans", "0004_reminder_admin"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(grant, revoke),
    ]
