"""Reminder emails: one row per email (recorded before it is sent) and HR's reminder policy.

The tables keep the names they had when these models lived in the plans app (plans_reminder,
plans_reminderpolicy): moving the models to this app moved no data.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from careerpath.models import TimeStampedModel
from plans.models import Milestone


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
        db_table = "plans_reminderpolicy"
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
        # Peer input (docs/teams.md): to the colleague asked, the request and one reminder; to the engineer,
        # a notice when their request closed with someone not answering.
        PEER_REQUEST = "peer_request", "Peer input requested"
        PEER_REMINDER = "peer_reminder", "Peer input reminder"
        PEER_EXPIRED = "peer_expired", "Peer input closed"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    MILESTONE_KINDS = (Kind.UPCOMING, Kind.OVERDUE)
    PEER_KINDS = (Kind.PEER_REQUEST, Kind.PEER_REMINDER, Kind.PEER_EXPIRED)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    # No index of its own: reminder_once_per_milestone leads with it (every reminder row is written
    # into each index up to four times, so an index that repeats another's first column costs).
    milestone = models.ForeignKey(
        Milestone, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders", db_index=False
    )
    # The round of peer input a peer_* reminder is about (none for the other kinds).
    peer_round = models.ForeignKey(
        "teams.PeerRound", null=True, blank=True, on_delete=models.CASCADE, related_name="reminders", db_index=False
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    due_date = models.DateField(help_text="The date the reminder is about; for a digest, the week's Monday.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    send_after = models.DateTimeField(help_text="Never sent before this moment (the local send hour, in UTC).")
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    # Handed to the broker at (cleared when a send batch takes the row): a batch queued long ago
    # whose task never started is queued again (REMINDER_REQUEUE_AFTER_SECONDS).
    queued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # A running send batch holds the row (pending in its later chunks, or claimed) until then and
    # renews it while it works; once it has run out, the batch is taken to have died.
    lease_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "plans_reminder"
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
                condition=Q(milestone__isnull=True, peer_round__isnull=True),
                name="reminder_once_per_person",
            ),
            # Round first: it serves the sweep's look-ups and the cascade when a round is deleted.
            models.UniqueConstraint(
                fields=["peer_round", "kind", "user"],
                condition=Q(peer_round__isnull=False),
                name="reminder_once_per_peer_round",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["upcoming", "overdue"], milestone__isnull=False, peer_round__isnull=True)
                | Q(kind__in=["reassess", "digest"], milestone__isnull=True, peer_round__isnull=True)
                | Q(
                    kind__in=["peer_request", "peer_reminder", "peer_expired"],
                    milestone__isnull=True,
                    peer_round__isnull=False,
                ),
                name="reminder_subject_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False) | (~Q(status="sent") & Q(sent_at__isnull=True)),
                name="reminder_sent_iff_sent_at",
            ),
            models.CheckConstraint(
                condition=~Q(status="sending") | Q(claimed_at__isnull=False, lease_until__isnull=False),
                name="reminder_sending_is_leased",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="reminder_status_next"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.user_id} ({self.due_date}, {self.status})"
