"""A send batch's hold on its rows becomes a lease (`lease_until`), renewed while the batch works.

Rows claimed before this migration get the lease the old fixed claim timeout gave them
(claimed_at + 15 minutes), so a claim in flight during the upgrade is neither cut short nor kept.
"""

from datetime import timedelta

from django.db import migrations, models
from django.db.models import F, Q


def lease_claimed_rows(apps, schema_editor):
    Reminder = apps.get_model("reminders", "Reminder")
    Reminder.objects.using(schema_editor.connection.alias).filter(status="sending").update(
        lease_until=F("claimed_at") + timedelta(minutes=15)
    )


class Migration(migrations.Migration):
    dependencies = [("reminders", "0002_content_types")]

    operations = [
        migrations.AddField(
            model_name="reminder",
            name="lease_until",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(lease_claimed_rows, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="reminder", name="reminder_sending_is_claimed"),
        migrations.AddConstraint(
            model_name="reminder",
            constraint=models.CheckConstraint(
                condition=~Q(status="sending") | Q(claimed_at__isnull=False, lease_until__isnull=False),
                name="reminder_sending_is_leased",
            ),
        ),
    ]
