"""Advancement plans: a target role, the path there, and dated milestones tracked to done."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from careerpath.models import TimeStampedModel


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class Plan(TimeStampedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ARCHIVED = "archived", "Archived"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plans")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    archived_at = models.DateTimeField(null=True, blank=True)
    # Where it came from. The role rows may change or go; the names and path are kept as they were.
    result = models.ForeignKey(
        "assessments.Result", null=True, blank=True, on_delete=models.SET_NULL, related_name="plans"
    )
    target_role = models.ForeignKey("roles.Role", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    target_slug = models.SlugField()
    target_name = models.CharField(max_length=150)
    goal_slug = models.SlugField(help_text="The first goal on the path: the target or an intermediate role.")
    goal_name = models.CharField(max_length=150)
    path = models.JSONField(default=list, help_text="The roles from the current one to the target: [{slug, name}].")
    generator_version = models.CharField(max_length=20)
    starts_on = models.DateField()
    horizon_months = models.PositiveSmallIntegerField()
    calendar_token = models.CharField(max_length=64, unique=True, default=new_calendar_token)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(status="active"), name="plan_one_active_per_user"),
            models.CheckConstraint(
                condition=Q(status="active") | Q(archived_at__isnull=False), name="plan_archived_has_date"
            ),
            models.CheckConstraint(
                condition=Q(horizon_months__gte=1, horizon_months__lte=240), name="plan_horizon_sane"
            ),
            models.CheckConstraint(condition=Q(status__in=["active", "archived"]), name="plan_status_valid"),
            models.CheckConstraint(
                condition=Q(status="archived") | Q(archived_at__isnull=True), name="plan_active_not_archived"
            ),
        ]

    def __str__(self):
        return f"{self.user}: plan for {self.target_name}"

    def get_absolute_url(self):
        return reverse("plans:detail", kwargs={"pk": self.pk})

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class Milestone(TimeStampedModel):
    class Kind(models.TextChoices):
        SKILL = "skill", "Skill"
        CERTIFICATION = "certification", "Certification or degree"
        EXPERIENCE = "experience", "Experience"
        ROLE = "role", "Role step"
        CUSTOM = "custom", "Your own"

    class Status(models.TextChoices):
        TODO = "todo", "To do"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    # Indexed by milestone_plan_due, which leads with it (a plan's milestones, its last due date).
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="milestones", db_index=False)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CUSTOM)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    actions = models.JSONField(default=list, blank=True, help_text="Suggested actions, from the catalog.")
    order = models.PositiveSmallIntegerField(default=0)
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.TODO)
    completed_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    evidence_url = models.URLField(blank=True, max_length=500)
    # What the milestone is about, as slugs (the catalog rows may change); levels for skills.
    subject_slug = models.SlugField(blank=True)
    from_level = models.PositiveSmallIntegerField(null=True, blank=True)
    to_level = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "order", "due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done", completed_at__isnull=False)
                | (~Q(status="done") & Q(completed_at__isnull=True)),
                name="milestone_done_iff_completed_at",
            ),
            models.CheckConstraint(
                condition=Q(to_level__isnull=True) | Q(to_level__gte=1, to_level__lte=5), name="milestone_to_level_1_5"
            ),
            models.CheckConstraint(
                condition=Q(from_level__isnull=True) | Q(to_level__isnull=True) | Q(to_level__gt=F("from_level")),
                name="milestone_levels_rise",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["todo", "in_progress", "done"]), name="milestone_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["skill", "certification", "experience", "role", "custom"]),
                name="milestone_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(from_level__isnull=True) | Q(from_level__lte=5), name="milestone_from_level_0_5"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"], name="milestone_status_due"),
            # On PostgreSQL it also carries what the HR dashboard counts, so its aggregates read this
            # index alone instead of the milestones' wide rows (descriptions, actions).
            models.Index(
                fields=["plan", "-due_date"],
                include=["kind", "status", "subject_slug", "completed_at"],
                name="milestone_plan_due",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE


class ReminderPolicy(TimeStampedModel):
    """The one row of reminder settings HR edits: when to nudge re-assessment, at what local hour to send."""

    SINGLETON_PK = 1

    reassess_after_months = models.PositiveSmallIntegerField(
        "re-assessment interval (months)",
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
        help_text="People who have not assessed themselves for this many months get a nudge, once per interval (1-36).",
    )
    send_hour = models.PositiveSmallIntegerField(
        "local send hour",
        default=9,
        validators=[MaxValueValidator(23)],
        help_text="Reminders go out from this hour (0-23) in each person's own time zone.",
    )

    class Meta:
        verbose_name = "reminder policy"
        verbose_name_plural = "reminder policy"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="reminderpolicy_singleton"),
            models.CheckConstraint(
                condition=Q(reassess_after_months__gte=1, reassess_after_months__lte=36),
                name="reminderpolicy_interval_1_36",
            ),
            models.CheckConstraint(condition=Q(send_hour__lte=23), name="reminderpolicy_hour_0_23"),
        ]

    def __str__(self):
        return f"Reminders at {self.send_hour}:00, re-assess after {self.reassess_after_months} months"

    @classmethod
    def load(cls) -> "ReminderPolicy":
        policy, _ = cls.objects.get_or_create(pk=cls.SINGLETON_PK)
        return policy


class Reminder(models.Model):
    """One reminder email to one person, recorded before it is sent: the row, not the queue, is the truth."""

    class Kind(models.TextChoices):
        UPCOMING = "upcoming", "Milestone coming up"
        OVERDUE = "overdue", "Milestone overdue"
        REASSESS = "reassess", "Time to re-assess"
        DIGEST = "digest", "Weekly digest"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    MILESTONE_KINDS = (Kind.UPCOMING, Kind.OVERDUE)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    # No index of its own: reminder_once_per_milestone leads with it (every reminder row is written
    # into each index up to four times, so an index that repeats another's first column costs).
    milestone = models.ForeignKey(
        Milestone, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders", db_index=False
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    due_date = models.DateField(help_text="The date the reminder is about; for a digest, the week's Monday.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    send_after = models.DateTimeField(help_text="Never sent before this moment (the local send hour, in UTC).")
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    queued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        # HR views the log and may retry failed rows; nobody changes a row by hand.
        permissions = [("retry_reminder", "Can retry failed reminders")]
        constraints = [
            models.UniqueConstraint(
                # Milestone first: it also serves the sweep's "recorded already?" look-ups and the
                # cascade when a milestone is deleted.
                fields=["milestone", "kind", "due_date", "user"],
                condition=Q(milestone__isnull=False),
                name="reminder_once_per_milestone",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "due_date"],
                condition=Q(milestone__isnull=True),
                name="reminder_once_per_person",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["upcoming", "overdue"], milestone__isnull=False)
                | Q(kind__in=["reassess", "digest"], milestone__isnull=True),
                name="reminder_milestone_iff_milestone_kind",
            ),
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False) | (~Q(status="sent") & Q(sent_at__isnull=True)),
                name="reminder_sent_iff_sent_at",
            ),
            models.CheckConstraint(
                condition=~Q(status="sending") | Q(claimed_at__isnull=False),
                name="reminder_sending_is_claimed",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="reminder_status_next"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.user_id} ({self.due_date}, {self.status})"
