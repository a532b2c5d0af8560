"""API tokens: one per integration, made and revoked by HR (hr's API tokens page, docs/api.md).

A token is a careerpath.models.BearerToken (only its secret's digest is kept; shown once) that acts as
one account, with that account's access and no more, and its scope says whether it may write as well
as read.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from careerpath.models import BearerToken


class ApiToken(BearerToken):
    class Scope(models.TextChoices):
        READ = "read", "Read"
        WRITE = "write", "Read and write"

    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.READ)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        help_text="The account the token acts as: it reaches what that account reaches.",
    )

    class Meta(BearerToken.Meta):
        verbose_name = "API token"
        constraints = [
            *BearerToken.Meta.constraints,
            models.CheckConstraint(condition=Q(scope__in=["read", "write"]), name="api_token_scope_valid"),
        ]

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.WRITE
