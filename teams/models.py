"""Teams: who reports to whom lives on the profile (accounts.Profile.manager); this is the one row
of rules HR sets for what a manager may see."""

from django.db import models

from careerpath.models import TimeStampedModel


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
