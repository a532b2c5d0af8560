"""`Authorization: Bearer <token>`: an HR-made API token, acting as its account (docs/api.md)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from . import selectors, services


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None  # no token: another way (the session) or anonymous
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send one token: Authorization: Bearer <token>.")
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("That token is not valid.") from None
        token = selectors.api_token_for(raw)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("That token is not valid, or it was revoked.")
        services.api_token_touch(token=token)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword  # so a refused request answers 401 with WWW-Authenticate: Bearer


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "An API token HR made (docs/api.md)."}
