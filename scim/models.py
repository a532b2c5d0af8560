"""Provisioning from the company's directory over SCIM 2.0: the bearer tokens HR hands to an identity
provider, and the directory's own id for each person it provisioned (docs/scim.md)."""

from django.conf import settings
from django.db import models

from careerpath.models import BearerToken, TimeStampedModel

EXTERNAL_ID_MAX = 255


class ScimToken(BearerToken):
    """A bearer token an identity provider sends on every SCIM request (careerpath.models.BearerToken)."""

    class Meta(BearerToken.Meta):
        verbose_name = "SCIM token"


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
