"""The reminder models now belong to the reminders app (reminders 0001): they leave the plans
app's state only. Their tables stay, under the same names."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0006_milestone_plan_due"),
        ("reminders", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="Reminder"),
                migrations.DeleteModel(name="ReminderPolicy"),
            ],
        ),
    ]
