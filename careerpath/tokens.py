"""Making, finding and revoking bearer tokens (careerpath.models.BearerToken): the REST API's and SCIM's.

A secret is the token kind's prefix (so a leaked one says what it opens) and 256 random bits; what is
stored is its SHA-256, which is enough for a secret that random (a slow password hash buys nothing).
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from .models import BearerToken

# How many characters of the random part the list shows beside the prefix, to tell tokens apart.
SHOWN_CHARACTERS = 4


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def token_issue[T: BearerToken](model: type[T], *, prefix: str, name: str, created_by, **fields) -> tuple[T, str]:
    """A new token of `model` and its secret; the secret is not kept anywhere and is shown once."""
    secret = prefix + secrets.token_urlsafe(32)
    token = model.objects.create(
        name=name.strip(),
        prefix=secret[: len(prefix) + SHOWN_CHARACTERS],
        digest=digest(secret),
        created_by=created_by,
        **fields,
    )
    return token, secret


def token_for[T: BearerToken](tokens: QuerySet[T], secret: str) -> T | None:
    """The unrevoked token among `tokens` whose secret this is, or None. A read: it writes nothing."""
    return tokens.filter(digest=digest(secret), revoked_at__isnull=True).first()


def token_revoke(*, token: BearerToken, revoked_by) -> bool:
    """Stop the token working at once; False when it was revoked already."""
    updated = (
        type(token)
        .objects.filter(pk=token.pk, revoked_at__isnull=True)
        .update(revoked_at=timezone.now(), revoked_by=revoked_by)
    )
    return bool(updated)


def token_used(*, token: BearerToken, now: datetime | None = None) -> None:
    """Note that the token was used: at most once per TOKEN_LAST_USED_SECONDS, since an integration's sync
    sends many requests a second and a write on each would cost more than the exact second is worth."""
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= timedelta(seconds=settings.TOKEN_LAST_USED_SECONDS):
        type(token).objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
