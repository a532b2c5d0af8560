"""Create the "HR" group, allowed to view, add, change and delete the career catalog.

Permissions are normally created after `migrate` finishes, so on a fresh database
they don't exist yet here: create them first for the apps involved.
Later migrations extend the group's permissions.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

HR_GROUP_NAME = "HR"
CATALOG_APP = "roles"
ACTIONS = ("view", "add", "change", "delete")


def create_hr_group(apps, schema_editor):
    db_alias = schema_editor.connection.alias
    app_config = apps.get_app_config(CATALOG_APP)
    # Historical app configs have no models module, and create_permissions skips those.
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, using=db_alias, apps=apps)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    catalog_models = [model._meta.model_name for model in apps.get_app_config(CATALOG_APP).get_models()]
    codenames = [f"{action}_{model}" for model in catalog_models for action in ACTIONS]
    permissions = Permission.objects.using(db_alias).filter(content_type__app_label=CATALOG_APP, codename__in=codenames)
    group, _ = Group.objects.using(db_alias).get_or_create(name=HR_GROUP_NAME)
    group.permissions.add(*permissions)


def delete_hr_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=HR_GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("roles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_hr_group, delete_hr_group),
    ]
