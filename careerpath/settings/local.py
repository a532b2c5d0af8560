"""Local development: the embedded defaults, DEBUG on."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# Passkeys (WebAuthn) over http://localhost, which browsers allow for development.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
# The demo's HR account can look around without an authenticator app (README); production asks for one.
HR_REQUIRE_MFA = env.bool("HR_REQUIRE_MFA", default=False)
