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
