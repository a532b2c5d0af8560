"""Teams: who reports to whom lives on the profile (accounts.Profile.manager); here are the one row
of rules HR sets for what a manager may see, and managers' ratings of their reports' skills."""

from django.conf import settings
from django.db import models

from careerpath.models import TimeStampedModel
from roles.models import LEVEL_MAX, LEVEL_MIN

COMMENT_MAX_LENGTH = 1000


class TeamPolicy(TimeStampedModel):
    """The one row of team rules HR edits in the panel."""

    SINGLETON_PK = 1

    include_indirect_reports = models.BooleanField(
        "managers also see their reports' reports",
        default=False,
        help_text="Off: a manager's team page lists only the people who report to them directly.",
    )

    class Meta:
        verbose_name = "team policy"
        verbose_name_plural = "team policy"
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="team_policy_singleton")]

    def __str__(self):
        return "Team policy"


class ManagerRating(models.Model):
    """A manager's rating of one person's skills, against the catalog's level descriptors.

    Never edited: a new rating is a new row, so earlier ones stay as history; the latest
    submitted one is the one pages show.
    """

    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="manager_ratings_given",
        help_text="The manager who rated (empty once their account is deleted).",
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="manager_ratings_received"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["subject", "-submitted_at", "-id"], name="manager_rating_subject_latest")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(rater=models.F("subject")), name="manager_rating_not_self")
        ]

    def __str__(self):
        return f"Manager rating of {self.subject_id} on {self.submitted_at:%Y-%m-%d}"


class SkillRating(models.Model):
    """One skill of a manager's rating: a level from 1 to 5, or none ("not observed"), and a comment.

    The skill's slug and name are copied, so a rating reads the same after HR renames or deletes the skill.
    """

    rating = models.ForeignKey(ManagerRating, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey("roles.Skill", null=True, on_delete=models.SET_NULL, related_name="+")
    skill_slug = models.SlugField()
    skill_name = models.CharField(max_length=100)
    level = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty: not observed.")
    comment = models.CharField(max_length=COMMENT_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["rating", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["rating", "skill_slug"], name="skill_rating_one_per_skill"),
            models.CheckConstraint(
                condition=models.Q(level__isnull=True) | models.Q(level__gte=LEVEL_MIN, level__lte=LEVEL_MAX),
                name="skill_rating_level_range",
            ),
        ]

    def __str__(self):
        return f"{self.skill_name}: {self.level or 'not observed'}"
