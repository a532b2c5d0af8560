"""The HR panel's own data: who looked at whose result or plan, the people list, a readiness index,
the running sums behind the questionnaire-quality figures.

Nothing here is a source of truth about people's careers: results and plans stay in
their apps. `Person` is a read-only view of accounts for the panel's people list,
`RoleReadiness` is an index of readiness figures copied from stored results so the
dashboard can aggregate them in the database, and `AccessRecord` is the audit trail.
"""

from django.conf import settings
from django.db import models

from accounts.models import User


class AccessRecord(models.Model):
    """Someone in HR, or a person's manager, opened that person's result or plan.

    Written on every view; never edited.
    """

    class Kind(models.TextChoices):
        RESULT = "result", "Self-assessment result"
        RESPONSE = "response", "Self-assessment answers"
        PLAN = "plan", "Advancement plan"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="hr_accesses_made",
        help_text="Who looked (empty once their account is deleted).",
    )
    actor_email = models.EmailField(help_text="The viewer's email at the time, kept after their account goes.")
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="hr_accesses_received",
        help_text="Whose data it was (empty once their account is erased).",
    )
    subject_ref = models.CharField(
        "person reference", max_length=32, db_index=True, help_text="A pseudonym that outlives the account."
    )
    kind = models.CharField("what", max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField("when", auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["subject", "-created_at"], name="access_subject_when")]
        constraints = [
            # Every record keeps the pseudonym, so it still says whose data it was once the account is erased.
            models.CheckConstraint(condition=~models.Q(subject_ref=""), name="access_record_has_subject_ref"),
            models.CheckConstraint(
                condition=models.Q(kind__in=["result", "response", "plan"]), name="access_record_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.actor_email} viewed {self.get_kind_display().lower()} #{self.object_id}"


class Person(User):
    """An engineer as the HR panel lists them (a read-only proxy of the account)."""

    class Meta:
        proxy = True
        verbose_name = "engineer"
        verbose_name_plural = "engineers"
        permissions = [("import_people", "Can import people and managers from a CSV file")]


class RoleReadiness(models.Model):
    """How ready a stored result said its person was for one role, copied out of the result's data.

    Results never change once stored, so an entry never goes stale; new results are
    indexed by `hr.services.readiness_index_update`.
    """

    result = models.ForeignKey("assessments.Result", on_delete=models.CASCADE, related_name="+")
    role_slug = models.SlugField()
    readiness = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["result", "role_slug"]
        constraints = [
            models.UniqueConstraint(fields=["result", "role_slug"], name="role_readiness_unique"),
            models.CheckConstraint(condition=models.Q(readiness__lte=100), name="role_readiness_0_100"),
        ]
        verbose_name_plural = "role readiness entries"

    def __str__(self):
        return f"result {self.result_id}: {self.role_slug} {self.readiness}%"


class ScaleStatistics(models.Model):
    """How far the questionnaire-quality sums of one version have got (hr.services.scale_statistics_update).

    The sums in ScaleItemSums cover exactly the responses listed in CountedResponse for this
    version; `responses` is how many that was when they were last brought up to date, and
    `keys` a fingerprint of the version's scale statements then. A deleted response (its
    CountedResponse goes with it) or a changed statement shows as a mismatch, and the sums
    are worked out again from scratch.
    """

    version = models.OneToOneField(
        "assessments.QuestionnaireVersion", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    keys = models.CharField(max_length=64, help_text="Fingerprint of the scale statements counted.")
    responses = models.PositiveIntegerField(default=0)
    batches = models.PositiveBigIntegerField(default=0, help_text="Updates that counted new responses.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "scale statistics"
        verbose_name_plural = "scale statistics"

    def __str__(self):
        return f"version {self.version_id}: {self.responses} responses counted"


class CountedResponse(models.Model):
    """A submitted response whose answers are in its version's ScaleItemSums (and in which update)."""

    response = models.OneToOneField(
        "assessments.Response", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    version = models.ForeignKey("assessments.QuestionnaireVersion", on_delete=models.CASCADE, related_name="+")
    batch = models.PositiveBigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["version", "batch"], name="counted_response_batch")]

    def __str__(self):
        return f"response {self.response_id} (update {self.batch})"


class ScaleItemSums(models.Model):
    """Integer sums over the counted responses that answered every statement of one scale.

    Per statement of the scale: Σx, Σx², Σx·T, where x is the answer (reverse-scored for a
    reverse-keyed statement) and T the respondent's scale total; and, the same on every row of
    the scale, n, ΣT, ΣT². They are exact (integers), so adding a new batch of responses
    gives the same figures as summing all of them again (hr.psychometrics).
    """

    version = models.ForeignKey("assessments.QuestionnaireVersion", on_delete=models.CASCADE, related_name="+")
    dimension = models.CharField(max_length=20)
    item = models.ForeignKey("assessments.Item", on_delete=models.CASCADE, related_name="+")
    respondents = models.PositiveIntegerField()
    sum_x = models.BigIntegerField()
    sum_x2 = models.BigIntegerField()
    sum_xt = models.BigIntegerField()
    sum_t = models.BigIntegerField()
    sum_t2 = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "dimension", "item"], name="scale_item_sums_unique"),
        ]
        verbose_name_plural = "scale item sums"

    def __str__(self):
        return f"version {self.version_id} {self.dimension} item {self.item_id}: n={self.respondents}"
