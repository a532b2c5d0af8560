"""A data-migration operation that gives the "HR" group some permissions (and takes them back on reverse).

For migrations written from now on; the older ones (accounts 0002, 0005, 0007) keep their own copy,
since a migration must not change once applied. The permissions may not exist yet on a fresh
database (Django creates them after all migrations ran), so they are created first.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

HR_GROUP_NAME = "HR"


def hr_grant(app_label: str, codenames: tuple[str, ...]) -> migrations.RunPython:
    def permissions(apps, db_alias):
        Permission = apps.get_model("auth", "Permission")
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True  # historical app configs have none, and create_permissions skips those
        create_permissions(app_config, verbosity=0, using=db_alias, apps=apps)
        app_config.models_module = None
        return list(
            Permission.objects.using(db_alias).filter(content_type__app_label=app_label, codename__in=codenames)
        )

    def grant(apps, schema_editor):
        db_alias = schema_editor.connection.alias
        group, _ = apps.get_model("auth", "Group").objects.using(db_alias).get_or_create(name=HR_GROUP_NAME)
        group.permissions.add(*permissions(apps, db_alias))

    def revoke(apps, schema_editor):
        db_alias = schema_editor.connection.alias
        group = apps.get_model("auth", "Group").objects.using(db_alias).filter(name=HR_GROUP_NAME).first()
        if group is not None:
            group.permissions.remove(*permissions(apps, db_alias))

    return migrations.RunPython(grant, revoke)
