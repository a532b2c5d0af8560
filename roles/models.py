"""The career catalog: tracks, roles, skills, credentials and the moves between roles.

Everything here is data HR can edit in the admin and move between installations
as a file (`load_catalog` / `export_catalog`). No logic elsewhere names a role.
"""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from careerpath.models import TimeStampedModel

LEVEL_MIN, LEVEL_MAX = 1, 5


class Source(TimeStampedModel):
    """Where a fact in the catalog comes from (an article, a salary survey)."""

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, blank=True)
    url = models.URLField(blank=True)
    published = models.CharField(max_length=40, blank=True, help_text="Year or date, as the source gives it.")

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return f"{self.publisher}: {self.title}" if self.publisher else self.title


class Discipline(TimeStampedModel):
    """An engineering discipline (software, mechanical, ...)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Track(TimeStampedModel):
    """A career track: technical (individual contributor), management, or project leadership."""

    class Orientation(models.TextChoices):
        TECHNICAL = "technical", "Technical"
        MANAGERIAL = "managerial", "Managerial"
        PROJECT = "project", "Project"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    orientation = models.CharField(
        max_length=20,
        choices=Orientation.choices,
        unique=True,
        help_text="The orientation dimension of the self-assessment that fits this track.",
    )
    description = models.TextField(blank=True)
    suits = models.TextField(blank=True, help_text="Who this track tends to suit.")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class SkillArea(TimeStampedModel):
    """A group of skills: technical, project management, communication, leadership, business."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Skill(TimeStampedModel):
    """A skill with a behavioural descriptor for each level from 1 to 5."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    area = models.ForeignKey(SkillArea, on_delete=models.PROTECT, related_name="skills")
    description = models.TextField(blank=True)
    level_1 = models.TextField("level 1", help_text="What level 1 looks like in practice.")
    level_2 = models.TextField("level 2")
    level_3 = models.TextField("level 3")
    level_4 = models.TextField("level 4")
    level_5 = models.TextField("level 5")
    actions = models.TextField(blank=True, help_text="Concrete ways to build this skill, one per line (used in plans).")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["area__order", "order", "name"]

    def __str__(self):
        return self.name

    @property
    def levels(self) -> list[tuple[int, str]]:
        return [(n, getattr(self, f"level_{n}")) for n in range(LEVEL_MIN, LEVEL_MAX + 1)]

    @property
    def action_list(self) -> list[str]:
        return [line.strip() for line in self.actions.splitlines() if line.strip()]


class Role(TimeStampedModel):
    """A role on a track's ladder."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=150)
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="roles")
    rank = models.PositiveSmallIntegerField(help_text="Position on the track's ladder; 1 is the first rung.")
    level = models.PositiveSmallIntegerField(
        "career level",
        default=1,
        help_text=(
            "Seniority comparable across tracks (1 is entry level): a lateral move keeps the level, a promotion "
            "raises it. Advice never recommends a role below the person's level."
        ),
    )
    disciplines = models.ManyToManyField(
        Discipline, blank=True, related_name="roles", help_text="Leave empty for every discipline."
    )
    summary = models.TextField()
    responsibilities = models.TextField(blank=True, help_text="One per line.")
    experiences = models.TextField(
        blank=True,
        help_text="One per line: what the role expects people to have done that is not a skill or a credential "
        "(e.g. lead a project end to end). Plans propose each as a milestone.",
    )
    suits = models.TextField(blank=True, help_text="Who this role tends to suit.")
    typical_years_min = models.PositiveSmallIntegerField(default=0)
    typical_years_max = models.PositiveSmallIntegerField(null=True, blank=True)
    typical_education = models.TextField(blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["track__order", "rank", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(typical_years_max__isnull=True) | Q(typical_years_max__gte=F("typical_years_min")),
                name="role_typical_years_ordered",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("roles:detail", kwargs={"slug": self.slug})

    @property
    def responsibility_list(self) -> list[str]:
        return [line.strip() for line in self.responsibilities.splitlines() if line.strip()]

    @property
    def experience_list(self) -> list[str]:
        return [line.strip() for line in self.experiences.splitlines() if line.strip()]

    @property
    def typical_years_display(self) -> str:
        if self.typical_years_max is None:
            return f"{self.typical_years_min}+ years"
        if self.typical_years_max == self.typical_years_min:
            return f"{self.typical_years_min} years"
        return f"{self.typical_years_min}–{self.typical_years_max} years"


class SalaryFigure(TimeStampedModel):
    """A published pay figure for a role, with its currency, year and source."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="salaries")
    region = models.CharField(max_length=100, default="United States")
    currency = models.CharField(max_length=3, help_text="ISO 4217 code, e.g. USD.")
    average = models.PositiveIntegerField(null=True, blank=True)
    median = models.PositiveIntegerField(
        null=True, blank=True, help_text="The middle figure, as a survey such as the BLS's publishes it."
    )
    low = models.PositiveIntegerField(null=True, blank=True)
    high = models.PositiveIntegerField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Leave empty when the source gives none.")
    note = models.CharField(max_length=300, blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="salary_figures")

    class Meta:
        ordering = ["role", "region", "-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(average__isnull=False)
                | Q(median__isnull=False)
                | Q(low__isnull=False)
                | Q(high__isnull=False),
                name="salary_has_a_figure",
            ),
            models.CheckConstraint(
                condition=Q(low__isnull=True) | Q(high__isnull=True) | Q(high__gte=F("low")),
                name="salary_range_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.role} ({self.region}, {self.year})"


class RoleRequirement(TimeStampedModel):
    """The level of a skill a role expects."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="requirements")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="requirements")
    level = models.PositiveSmallIntegerField()
    weight = models.PositiveSmallIntegerField(default=1, help_text="How much this skill counts for the role (1–3).")

    class Meta:
        ordering = ["role", "skill__area__order", "skill__order", "skill__name"]
        constraints = [
            models.UniqueConstraint(fields=["role", "skill"], name="requirement_unique_role_skill"),
            models.CheckConstraint(
                condition=Q(level__gte=LEVEL_MIN, level__lte=LEVEL_MAX), name="requirement_level_1_5"
            ),
            models.CheckConstraint(condition=Q(weight__gte=1, weight__lte=3), name="requirement_weight_1_3"),
        ]

    def __str__(self):
        return f"{self.role}: {self.skill} ≥ {self.level}"


class Certification(TimeStampedModel):
    """A certification, licence or degree that helps people into roles."""

    class Kind(models.TextChoices):
        CERTIFICATION = "certification", "Certification"
        LICENCE = "licence", "Licence"
        DEGREE = "degree", "Degree"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    abbreviation = models.CharField(max_length=20, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CERTIFICATION)
    issuer = models.CharField(max_length=200, blank=True)
    proves = models.TextField(help_text="What holding it shows.")
    prep_months = models.PositiveSmallIntegerField(help_text="Typical preparation time in months.")
    prerequisites_text = models.TextField("prerequisites", blank=True)
    prerequisites = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="unlocks", help_text="Credentials to hold first."
    )
    min_years_experience = models.PositiveSmallIntegerField(
        default=0, help_text="Professional experience usually needed before applying."
    )
    renewal = models.TextField(blank=True)
    renewal_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="How often it must be renewed, in months, counted from when it was earned; empty when it "
        "does not expire or the cycle varies. Plans schedule each renewal as a milestone.",
    )
    skills = models.ManyToManyField(Skill, blank=True, related_name="certifications")
    roles = models.ManyToManyField(Role, blank=True, related_name="certifications", help_text="Roles it helps.")
    region = models.CharField(
        max_length=100,
        blank=True,
        help_text="Where it is awarded and recognised, e.g. United States; empty for a credential recognised "
        "anywhere. Advice suggests it to people working elsewhere only when they say nothing of where they work.",
    )
    disciplines = models.ManyToManyField(
        Discipline,
        blank=True,
        related_name="certifications",
        help_text="Disciplines it is meant for; leave empty for every discipline. Advice suggests it to people of "
        "other disciplines only when their target role asks for it.",
    )
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name


class Progression(TimeStampedModel):
    """A move from one role to another: a promotion or a lateral move."""

    class Kind(models.TextChoices):
        PROMOTION = "promotion", "Promotion"
        LATERAL = "lateral", "Lateral move"

    from_role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="next_moves")
    to_role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="previous_moves")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PROMOTION)
    typical_years_min = models.PositiveSmallIntegerField(default=1)
    typical_years_max = models.PositiveSmallIntegerField(default=3)
    note = models.TextField(blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["from_role", "kind", "to_role"]
        constraints = [
            models.UniqueConstraint(fields=["from_role", "to_role"], name="progression_unique_pair"),
            models.CheckConstraint(condition=~Q(from_role=F("to_role")), name="progression_not_to_itself"),
            models.CheckConstraint(
                condition=Q(typical_years_max__gte=F("typical_years_min")), name="progression_years_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.from_role} → {self.to_role}"


class InterviewQuestion(TimeStampedModel):
    """A question people preparing for a role can expect, by skill area."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="interview_questions")
    area = models.ForeignKey(SkillArea, on_delete=models.PROTECT, related_name="interview_questions")
    text = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["role", "area__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["role", "area", "text"], name="interview_question_unique"),
        ]

    def __str__(self):
        return self.text[:80]
