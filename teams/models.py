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


# --- Peer input (docs/teams.md) ------------------------------------------------------------------

PEER_RATERS_MAX = 8  # colleagues asked in one round


class PeerRound(models.Model):
    """One engineer's ask for peer input: the skills they chose, sent to up to PEER_RATERS_MAX colleagues
    at once (one PeerRequest each), open until `expires_at` (settings.PEER_REQUEST_DAYS after it was sent)."""

    subject = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="peer_rounds")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["subject", "-created_at"], name="peer_round_subject_latest")]
        constraints = [
            models.CheckConstraint(condition=models.Q(expires_at__gt=models.F("created_at")), name="peer_round_expires")
        ]

    def __str__(self):
        return f"Peer input for {self.subject_id} from {self.created_at:%Y-%m-%d}"


class PeerRoundSkill(models.Model):
    """A skill the engineer asked about; slug and name copied, so a round reads the same after HR edits the catalog."""

    round = models.ForeignKey(PeerRound, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey("roles.Skill", null=True, on_delete=models.SET_NULL, related_name="+")
    skill_slug = models.SlugField()
    skill_name = models.CharField(max_length=100)

    class Meta:
        ordering = ["round", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "skill_slug"], name="peer_round_skill_once")]

    def __str__(self):
        return self.skill_name


class PeerRequest(models.Model):
    """One colleague asked to rate the round's skills. `subject` is the round's, copied so that the
    database itself refuses a request to oneself and a second open request to the same colleague."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an answer"
        ANSWERED = "answered", "Answered"
        EXPIRED = "expired", "Closed unanswered"

    round = models.ForeignKey(PeerRound, on_delete=models.CASCADE, related_name="requests")
    subject = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="peer_requests_made")
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="peer_requests_received")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["rater", "status"], name="peer_request_rater_status")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(rater=models.F("subject")), name="peer_request_not_self"),
            models.UniqueConstraint(fields=["round", "rater"], name="peer_request_once_per_round"),
            models.UniqueConstraint(
                fields=["subject", "rater"], condition=models.Q(status="pending"), name="peer_request_one_open"
            ),
            models.CheckConstraint(
                condition=models.Q(status="answered", answered_at__isnull=False)
                | (~models.Q(status="answered") & models.Q(answered_at__isnull=True)),
                name="peer_request_answered_iff_answered_at",
            ),
        ]

    def __str__(self):
        return f"Peer request {self.pk} ({self.status})"


class PeerAnswer(models.Model):
    """A peer's level for one skill of the request (1–5), or none: "not observed"."""

    request = models.ForeignKey(PeerRequest, on_delete=models.CASCADE, related_name="answers")
    skill_slug = models.SlugField()
    skill_name = models.CharField(max_length=100)
    level = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty: not observed.")

    class Meta:
        ordering = ["request", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "skill_slug"], name="peer_answer_one_per_skill"),
            models.CheckConstraint(
                condition=models.Q(level__isnull=True) | models.Q(level__gte=LEVEL_MIN, level__lte=LEVEL_MAX),
                name="peer_answer_level_range",
            ),
        ]

    def __str__(self):
        return f"{self.skill_name}: {self.level or 'not observed'}"
