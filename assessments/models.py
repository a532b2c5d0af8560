"""Questionnaires (versioned), people's responses and their frozen results.

A published questionnaire version never changes: editing one means cloning it into
a new draft. Exactly one published version is active for new responses, and every
response remembers the version it was answered on. A submitted response is frozen,
and its result stores everything needed to show it again exactly, even after the
catalog or the questionnaire change.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from careerpath.models import TimeStampedModel
from roles.models import Track

Dimension = Track.Orientation

ANSWER_MIN, ANSWER_MAX = 1, 5


class Questionnaire(TimeStampedModel):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class QuestionnaireVersion(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    is_active = models.BooleanField(default=False, help_text="Used for new self-assessments.")
    published_at = models.DateTimeField(null=True, blank=True)
    intro = models.TextField(blank=True, help_text="Shown before the first section.")
    estimated_minutes = models.PositiveSmallIntegerField(default=10)
    change_note = models.TextField(blank=True)

    class Meta:
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="questionnaire_version_unique_number"),
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="questionnaire_version_one_active"
            ),
            models.CheckConstraint(
                condition=Q(is_active=False) | Q(status="published"), name="questionnaire_version_active_is_published"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="questionnaire_version_published_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.questionnaire} v{self.number} ({self.get_status_display()})"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Section(TimeStampedModel):
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    intro = models.TextField(blank=True)

    class Meta:
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="section_unique_order"),
        ]

    def __str__(self):
        return self.title


class Item(TimeStampedModel):
    class Kind(models.TextChoices):
        LIKERT = "likert", "Agreement with a statement (1–5)"
        CHOICE = "choice", "Preference between two options (1–5)"
        SKILL = "skill", "Skill self-rating (1–5)"

    # Denormalised from the section so answers can be checked against the response's version in one query.
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.CASCADE, related_name="items")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items")
    key = models.SlugField(help_text="Stable identifier within the version, e.g. 'enjoy-leading-meetings'.")
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField(help_text="The statement, the question, or the skill prompt.")
    option_a = models.CharField(max_length=300, blank=True)
    option_b = models.CharField(max_length=300, blank=True)
    skill = models.ForeignKey("roles.Skill", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    required = models.BooleanField(default=True)
    consistency_group = models.SlugField(
        blank=True, help_text="Items that measure the same thing share a group; contradictions are flagged."
    )

    class Meta:
        ordering = ["section__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="item_unique_key_per_version"),
            models.UniqueConstraint(fields=["section", "order"], name="item_unique_order_per_section"),
            models.CheckConstraint(condition=~Q(kind="skill") | Q(skill__isnull=False), name="item_skill_has_skill"),
            models.CheckConstraint(
                condition=~Q(kind="choice") | (~Q(option_a="") & ~Q(option_b="")), name="item_choice_has_options"
            ),
        ]

    def __str__(self):
        return f"{self.key}: {self.text[:60]}"


class ItemKey(models.Model):
    """How an item's answer moves one orientation dimension."""

    class Option(models.TextChoices):
        NONE = "", "Statement"
        A = "a", "Option A"
        B = "b", "Option B"

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="keys")
    dimension = models.CharField(max_length=20, choices=Dimension.choices)
    option = models.CharField(max_length=1, choices=Option.choices, blank=True, default="")
    weight = models.DecimalField(max_digits=4, decimal_places=2, default=1)
    direction = models.SmallIntegerField(default=1, help_text="1, or -1 for a reverse-keyed statement.")

    class Meta:
        ordering = ["item", "option", "dimension"]
        constraints = [
            models.UniqueConstraint(fields=["item", "dimension", "option"], name="item_key_unique"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="item_key_weight_positive"),
            models.CheckConstraint(condition=Q(direction__in=[1, -1]), name="item_key_direction_sign"),
        ]

    def __str__(self):
        sign = "+" if self.direction > 0 else "−"
        return f"{self.item.key} → {sign}{self.dimension} ×{self.weight}"


class Response(TimeStampedModel):
    """One person's run through a questionnaire version."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="responses")
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT, related_name="responses")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    last_section = models.PositiveSmallIntegerField(default=1, help_text="Where to resume (section order).")
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(status="in_progress"), name="response_one_in_progress_per_user"
            ),
            models.CheckConstraint(
                condition=Q(status="in_progress") | Q(submitted_at__isnull=False), name="response_submitted_has_date"
            ),
            models.CheckConstraint(
                condition=Q(status="submitted") | Q(submitted_at__isnull=True), name="response_in_progress_no_date"
            ),
            models.CheckConstraint(condition=Q(status__in=["in_progress", "submitted"]), name="response_status_valid"),
        ]

    def __str__(self):
        return f"{self.user} on {self.version} ({self.get_status_display()})"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class Answer(TimeStampedModel):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers")
    value = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["response", "item__section__order", "item__order"]
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="answer_unique_per_item"),
            models.CheckConstraint(condition=Q(value__gte=ANSWER_MIN, value__lte=ANSWER_MAX), name="answer_value_1_5"),
        ]

    def __str__(self):
        return f"{self.item.key} = {self.value}"


class Result(TimeStampedModel):
    """The frozen, scored outcome of a submitted response.

    `data` holds the engine's full output plus a snapshot of what it was computed
    from (role names, requirements, item texts), so the page can be shown again
    exactly after the catalog or questionnaire change. The columns beside it are
    copies for listing and filtering.
    """

    class BestFit(models.TextChoices):
        TECHNICAL = "technical", "Technical"
        MANAGERIAL = "managerial", "Management"
        PROJECT = "project", "Project leadership"
        BALANCED = "balanced", "Balanced"

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="result")
    # Indexed by result_user_latest, which leads with it (a person's latest result is its first entry).
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="results", db_index=False)
    engine_version = models.CharField(max_length=20)
    best_fit = models.CharField(max_length=20, choices=BestFit.choices)
    technical = models.DecimalField(max_digits=4, decimal_places=1)
    managerial = models.DecimalField(max_digits=4, decimal_places=1)
    project = models.DecimalField(max_digits=4, decimal_places=1)
    top_role_slug = models.SlugField(blank=True)
    top_role_name = models.CharField(max_length=150, blank=True)
    top_role_readiness = models.PositiveSmallIntegerField(null=True, blank=True)
    data = models.JSONField()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at", "-id"], name="result_user_latest")]
        constraints = [
            models.CheckConstraint(
                condition=Q(technical__gte=0, technical__lte=100)
                & Q(managerial__gte=0, managerial__lte=100)
                & Q(project__gte=0, project__lte=100),
                name="result_orientation_in_range",
            ),
            models.CheckConstraint(
                condition=Q(best_fit__in=["technical", "managerial", "project", "balanced"]),
                name="result_best_fit_valid",
            ),
            models.CheckConstraint(
                condition=Q(top_role_readiness__isnull=True) | Q(top_role_readiness__lte=100),
                name="result_top_readiness_0_100",
            ),
        ]

    def __str__(self):
        return f"Result of {self.user} ({self.created_at:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("assessments:result", kwargs={"pk": self.pk})
