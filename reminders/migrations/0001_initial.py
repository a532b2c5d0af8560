"""The reminder models, moved from the plans app: state only, the tables stay as they are.

plans 0007 takes them out of the plans app's state; the content types and permissions follow
in 0002. The tables keep their names (plans_reminder, plans_reminderpolicy), so no row moves.
"""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("plans", "0006_milestone_plan_due"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="ReminderPolicy",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "reassess_after_months",
                            models.PositiveSmallIntegerField(
                                default=6,
                                help_text="People who have not assessed themselves for this many months get a nudge, once per interval (1-36).",
                                validators=[
                                    django.core.validators.MinValueValidator(1),
                                    django.core.validators.MaxValueValidator(36),
                                ],
                                verbose_name="re-assessment interval (months)",
                            ),
                        ),
                        (
                            "send_hour",
                            models.PositiveSmallIntegerField(
                                default=9,
                                help_text="Reminders go out from this hour (0-23) in each person's own time zone.",
                                validators=[django.core.validators.MaxValueValidator(23)],
                                verbose_name="local send hour",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "reminder policy",
                        "verbose_name_plural": "reminder policy",
                        "db_table": "plans_reminderpolicy",
                        "constraints": [
                            models.CheckConstraint(condition=models.Q(("pk", 1)), name="reminderpolicy_singleton"),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("reassess_after_months__gte", 1), ("reassess_after_months__lte", 36)
                                ),
                                name="reminderpolicy_interval_1_36",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("send_hour__lte", 23)), name="reminderpolicy_hour_0_23"
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Reminder",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("upcoming", "Milestone coming up"),
                                    ("overdue", "Milestone overdue"),
                                    ("reassess", "Time to re-assess"),
                                    ("digest", "Weekly digest"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "due_date",
                            models.DateField(
                                help_text="The date the reminder is about; for a digest, the week's Monday."
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Pending"),
                                    ("sending", "Sending"),
                                    ("sent", "Sent"),
                                    ("failed", "Failed"),
                                    ("cancelled", "Cancelled"),
                                ],
                                default="pending",
                                max_length=20,
                            ),
                        ),
                        (
                            "send_after",
                            models.DateTimeField(
                                help_text="Never sent before this moment (the local send hour, in UTC)."
                            ),
                        ),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("next_attempt_at", models.DateTimeField()),
                        ("queued_at", models.DateTimeField(blank=True, null=True)),
                        ("claimed_at", models.DateTimeField(blank=True, null=True)),
                        ("claim_token", models.CharField(blank=True, max_length=32)),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        ("last_error", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "milestone",
                            models.ForeignKey(
                                blank=True,
                                db_index=False,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="reminders",
                                to="plans.milestone",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="reminders",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "plans_reminder",
                        "ordering": ["-created_at", "-pk"],
                        "permissions": [("retry_reminder", "Can retry failed reminders")],
                        "indexes": [models.Index(fields=["status", "next_attempt_at"], name="reminder_status_next")],
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("milestone__isnull", False)),
                                fields=("milestone", "kind", "due_date", "user"),
                                name="reminder_once_per_milestone",
                            ),
                            models.UniqueConstraint(
                                condition=models.Q(("milestone__isnull", True)),
                                fields=("user", "kind", "due_date"),
                                name="reminder_once_per_person",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("kind__in", ["upcoming", "overdue"]), ("milestone__isnull", False)),
                                    models.Q(("kind__in", ["reassess", "digest"]), ("milestone__isnull", True)),
                                    _connector="OR",
                                ),
                                name="reminder_milestone_iff_milestone_kind",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("sent_at__isnull", False), ("status", "sent")),
                                    models.Q(models.Q(("status", "sent"), _negated=True), ("sent_at__isnull", True)),
                                    _connector="OR",
                                ),
                                name="reminder_sent_iff_sent_at",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("status", "sending"), _negated=True),
                                    ("claimed_at__isnull", False),
                                    _connector="OR",
                                ),
                                name="reminder_sending_is_claimed",
                            ),
                        ],
                    },
                ),
            ],
        ),
    ]
