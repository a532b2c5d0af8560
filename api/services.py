"""Writes for API tokens: make one (its secret shown once), revoke one, note its use."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import ApiToken

TOKEN_PREFIX = "cp_"


def token_hash(raw: str) -> str:
    """What is stored of a token. The token is 256 random bits, so a plain SHA-256 is enough to keep it."""
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def api_token_create(*, name: str, scope: str, user, created_by) -> tuple[ApiToken, str]:
    """Make a token acting as `user`; returns it and its secret, which is not kept anywhere."""
    if scope not in ApiToken.Scope.values:
        raise ValidationError({"scope": "Choose read or write."})
    if not user.is_active or user.is_superuser:
        raise ValidationError({"user": "A token acts as an active account that is not a superuser."})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        name=name, prefix=raw[:10], token_hash=token_hash(raw), scope=scope, user=user, created_by=created_by
    )
    return token, raw


def api_token_revoke(*, token: ApiToken) -> bool:
    """Revoke the token from now on; False when it already was."""
    return bool(ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now()))


def api_token_touch(*, token: ApiToken) -> None:
    """Note that the token was used: at most once per API_TOKEN_TOUCH_SECONDS, so most requests write nothing."""
    now = timezone.now()
    recently = timedelta(seconds=settings.API_TOKEN_TOUCH_SECONDS)
    if token.last_used_at is not None and now - token.last_used_at < recently:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
