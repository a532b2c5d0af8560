"""Writes for API tokens: make one (its secret shown once), revoke one, note its use (careerpath.tokens)."""

from django.core.exceptions import ValidationError

from careerpath import tokens

from .models import ApiToken

TOKEN_PREFIX = "cp_"


def api_token_create(*, name: str, scope: str, user, created_by) -> tuple[ApiToken, str]:
    """Make a token acting as `user`; returns it and its secret, which is not kept anywhere."""
    if scope not in ApiToken.Scope.values:
        raise ValidationError({"scope": "Choose read or write."})
    if not user.is_active or user.is_superuser:
        raise ValidationError({"user": "A token acts as an active account that is not a superuser."})
    return tokens.token_issue(ApiToken, prefix=TOKEN_PREFIX, name=name, created_by=created_by, scope=scope, user=user)


def api_token_revoke(*, token: ApiToken, revoked_by) -> bool:
    """Revoke the token from now on; False when it already was."""
    return tokens.token_revoke(token=token, revoked_by=revoked_by)


def api_token_touch(*, token: ApiToken) -> None:
    tokens.token_used(token=token)
