"""Let the "HR" group view and change the team policy (teams.TeamPolicy, one row), never add or delete it.

Like accounts 0007, the permissions may not exist yet on a fresh database, so they are created first.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

HR_GROUP_NAME = "HR"
CODENAMES = ("view_teampolicy", "change_teampolicy")


def _permissions(apps, db_alias):
    Permission = apps.get_model("auth", "Permission")
    app_config = apps.get_app_config("teams")
    app_config.models_module = True  # historical app configs have no models module; create_permissions skips those
    create_permissions(app_config, verbosity=0, using=db_alias, apps=apps)
    app_config.models_module = None
    return list(Permission.objects.using(db_alias).filter(content_type__app_label="teams", codename__in=CODENAMES))


def grant(apps, schema_editor):
    db_alias = schema_editor.connection.alias
    group, _ = apps.get_model("auth", "Group").objects.using(db_alias).get_or_create(name=HR_GROUP_NAME)
    group.permissions.add(*_permissions(apps, db_alias))


def revoke(apps, schema_editor):
    db_alias = schema_editor.connection.alias
    group = apps.get_model("auth", "Group").objects.using(db_alias).filter(name=HR_GROUP_NAME).first()
    if group is not None:
        group.permissions.remove(*_permissions(apps, db_alias))


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
