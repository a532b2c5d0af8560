"""Advancement plans: a target role, the path there, and dated milestones tracked to done."""

import secrets

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from careerpath.models import TimeStampedModel


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


COMMENT_MAX_LENGTH = 2000
EVIDENCE_NOTE_MAX_LENGTH = 2000
# An evidence link is opened by the manager: a web address only (no javascript:, data:, ftp: ...).
EVIDENCE_SCHEMES = ("http", "https")


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
    # Working on it with the manager (docs/plans.md): private hides everything but the plan's existence
    # from the team pages; an agreement holds the milestones' fingerprint (plans/agreement.py) it was given on.
    private_from_manager = models.BooleanField(
        "private from my manager",
        default=False,
        help_text="Your manager sees only that you have a plan; HR's access is unchanged.",
    )
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    agreed_fingerprint = models.CharField(max_length=64, blank=True)

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
            models.CheckConstraint(
                condition=Q(agreed_at__isnull=True, agreed_fingerprint="")
                | (Q(agreed_at__isnull=False) & ~Q(agreed_fingerprint="")),
                name="plan_agreement_complete",
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
        RENEWAL = "renewal", "Renewal"

    class Status(models.TextChoices):
        TODO = "todo", "To do"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        # Set aside: kept in the plan's history, counted neither as done nor as still to do.
        DROPPED = "dropped", "Dropped"
        NOT_NEEDED = "not_needed", "Not needed"

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
    set_aside_reason = models.CharField(
        "why it is set aside", max_length=500, blank=True, help_text="Required when a milestone is not needed."
    )
    evidence_url = models.URLField(blank=True, max_length=500, validators=[URLValidator(schemes=EVIDENCE_SCHEMES)])
    # The manager's confirmation of a done milestone; cleared when it is reopened or its evidence changes.
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
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
                condition=Q(status__in=["todo", "in_progress", "done", "dropped", "not_needed"]),
                name="milestone_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="not_needed") | ~Q(set_aside_reason=""), name="milestone_not_needed_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["skill", "certification", "experience", "role", "custom", "renewal"]),
                name="milestone_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(from_level__isnull=True) | Q(from_level__lte=5), name="milestone_from_level_0_5"
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(status="done"), name="milestone_confirmed_is_done"
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

    @property
    def is_set_aside(self) -> bool:
        """Dropped or not needed: out of the plan's progress and reminders, kept in its history."""
        return self.status in SET_ASIDE

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class PlanComment(TimeStampedModel):
    """A comment on a plan, by the person or their manager. The author's own words: in their
    personal-data export, and gone with their account (the foreign key cascades)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="comments", db_index=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_comments")
    body = models.TextField("comment")

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["plan", "created_at"], name="plan_comment_plan_created")]
        constraints = [models.CheckConstraint(condition=~Q(body=""), name="plan_comment_not_empty")]

    def __str__(self):
        return f"Comment {self.pk} on plan {self.plan_id}"


OPEN = (Milestone.Status.TODO, Milestone.Status.IN_PROGRESS)
SET_ASIDE = (Milestone.Status.DROPPED, Milestone.Status.NOT_NEEDED)
