"""Settings for the Celery worker processes the integration tests and the benchmark start.

The base settings (so the broker, database and email come from the environment) plus:
- REMINDER_TEST_MAIL_DIR: deliver into that directory, one file per message
  (tests/integration/mail_backends.py), so another process can count what was sent;
- REMINDER_TEST_SEND_DELAY: seconds each delivery takes, to catch a worker mid-batch;
- REMINDER_BENCH_COUNTING: count deliveries in memory and keep nothing (the benchmark).
Short timings for tests (REMINDER_LEASE_SECONDS, REMINDER_RETRY_BASE_SECONDS, ...) are read from
the environment by the base settings, like every other reminder setting.
"""

import os

from careerpath.settings.base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

if os.environ.get("REMINDER_TEST_MAIL_DIR"):
    MAILERS = {
        "default": {
            "BACKEND": "tests.integration.mail_backends.DirectoryBackend",
            "OPTIONS": {
                "directory": os.environ["REMINDER_TEST_MAIL_DIR"],
                "delay": float(os.environ.get("REMINDER_TEST_SEND_DELAY", "0")),
            },
        }
    }
elif os.environ.get("REMINDER_BENCH_COUNTING"):
    MAILERS = {"default": {"BACKEND": "tests.integration.mail_backends.CountingBackend"}}
