"""Provisioning from the company's directory over SCIM 2.0: the bearer tokens HR hands to an identity
provider, and the directory's own id for each person it provisioned (docs/scim.md)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from careerpath.models import TimeStampedModel

EXTERNAL_ID_MAX = 255


class ScimToken(models.Model):
    """A bearer token an identity provider sends on every SCIM request.

    Only a SHA-256 digest of the secret is kept: the secret is shown once, when HR creates the
    token, and can't be read back. A token is revoked, never deleted, so the page keeps saying
    who created and who revoked it and when it was last used.
    """

    name = models.CharField(max_length=100, help_text="Which identity provider or integration uses it, e.g. “Okta”.")
    prefix = models.CharField(max_length=12, help_text="The secret's first characters, to recognise it by.")
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="scim_tokens_created"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="scim_tokens_revoked"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "SCIM token"
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="scim_token_name_present"),
            models.CheckConstraint(condition=Q(digest__regex=r"^[0-9a-f]{64}$"), name="scim_token_digest_sha256"),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ScimIdentity(TimeStampedModel):
    """The directory's id for a person (SCIM `externalId`), set by the identity provider."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scim_identity")
    external_id = models.CharField("directory id", max_length=EXTERNAL_ID_MAX, blank=True, db_index=True)

    class Meta:
        ordering = ["user"]
        verbose_name = "SCIM identity"
        verbose_name_plural = "SCIM identities"

    def __str__(self):
        return f"{self.user} in the directory: {self.external_id or '—'}"
