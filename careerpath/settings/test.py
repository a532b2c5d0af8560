"""Settings for the test suite: fast hashing, in-memory email, eager Celery."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
# Each test process has its own cache, emptied before every test (conftest.py), whatever CACHE_URL says.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "careerpath-tests"}}
# Query counts pinned by the tests include the session's (the database engine, what a first
# request pays); careerpath/tests/test_session_cache.py covers the cached engine.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# The panel's tests log HR in with force_login and test the panel, not the log-in: the second-factor
# requirement (hr/mfa.py) is on where it is tested, accounts/tests/test_mfa.py and the whole of
# tests/security (its HR member has an authenticator app), and in every other settings module.
HR_REQUIRE_MFA = False
