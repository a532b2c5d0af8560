"""Abstract bases shared by the apps' models."""

from django.conf import settings
from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class BearerToken(models.Model):
    """A secret an integration sends as `Authorization: Bearer …`, made and revoked by HR: the REST API's
    (api.ApiToken) and the directory's for SCIM (scim.ScimToken) are this one concept, each in its own
    table with what only it needs (careerpath.tokens has the functions that make, find and revoke them).

    Only a SHA-256 digest of the secret is kept: the secret is shown once, when the token is made, and
    can't be read back. A token is revoked, never deleted, so HR's page keeps saying who made and who
    revoked it and when it was last used.
    """

    name = models.CharField(max_length=100, help_text="What uses it, e.g. “Okta” or “HR system sync”.")
    prefix = models.CharField(max_length=12, help_text="The secret's first characters, to recognise it by.")
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="%(app_label)s_tokens_created",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="%(app_label)s_tokens_revoked",
    )

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="%(app_label)s_token_name_present"),
            models.CheckConstraint(
                condition=models.Q(digest__regex=r"^[0-9a-f]{64}$"), name="%(app_label)s_token_digest_sha256"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
