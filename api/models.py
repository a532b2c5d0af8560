"""API tokens: one per integration, made and revoked by HR (hr's API tokens page, docs/api.md).

Only a token's SHA-256 is stored: the token itself is shown once, when it is made. A token
acts as one account, with that account's access and no more, and its scope says whether it
may write as well as read.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", "Read"
        WRITE = "write", "Read and write"

    name = models.CharField(max_length=100, help_text="What the integration is, e.g. HR system sync.")
    # The first characters of the token, shown in the list so HR can tell tokens apart; not a secret.
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.READ)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        help_text="The account the token acts as: it reaches what that account reaches.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="api_tokens_created"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "API token"
        constraints = [
            models.CheckConstraint(condition=Q(scope__in=["read", "write"]), name="api_token_scope_valid"),
            models.CheckConstraint(condition=~Q(token_hash=""), name="api_token_has_hash"),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.WRITE
