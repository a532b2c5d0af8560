"""The reminder models' content types move from the plans app to this one, and with them their
permissions, the HR group's grants of them and the panel's history of their rows.

A content type is renamed, not recreated, so everything pointing at it stays. Should this app's
own content type exist already (post_migrate made it when an earlier run stopped between
migrations), that fresh one is dropped first: it holds nothing the old one does not.
"""

from django.db import migrations

MODELS = ("reminder", "reminderpolicy")


def _move(apps, schema_editor, *, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    db_alias = schema_editor.connection.alias
    types = ContentType.objects.using(db_alias)
    for model in MODELS:
        old = types.filter(app_label=source, model=model).first()
        if old is None:
            continue
        types.filter(app_label=target, model=model).delete()
        old.app_label = target
        old.save(update_fields=["app_label"])
    ContentType.objects.clear_cache()


def forwards(apps, schema_editor):
    _move(apps, schema_editor, source="plans", target="reminders")


def backwards(apps, schema_editor):
    _move(apps, schema_editor, source="reminders", target="plans")


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0001_initial"),
        ("plans", "0007_reminders_move_out"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
