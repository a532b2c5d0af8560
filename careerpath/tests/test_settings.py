"""Settings: the local defaults, the environment switches, and production's refusals."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str, **env_overrides: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECRET_KEY", "ALLOWED_HOSTS"))}
    for key in ("DATABASE_URL", "CELERY_BROKER_URL", "EMAIL_URL", "DEBUG"):
        env.pop(key, None)
    for key, value in env_overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


PRINT_SETTINGS = (
    "import django; from django.conf import settings; django.setup(); "
    "print(settings.DATABASES['default']['ENGINE']); print(settings.CELERY_TASK_ALWAYS_EAGER); "
    "print(settings.MAILERS['default']['BACKEND']); print(settings.DEBUG); print(settings.CELERY_BROKER_URL)"
)


def test_local_settings_default_to_sqlite_eager_celery_and_console_email():
    result = run_python(PRINT_SETTINGS, DJANGO_SETTINGS_MODULE="careerpath.settings.local")

    assert result.returncode == 0, result.stderr
    engine, eager, email, debug, broker = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert eager == "True"
    assert email == "django.core.mail.backends.console.EmailBackend"
    assert debug == "True"
    assert broker == "memory://"


PRINT_MFA = "import django; from django.conf import settings; django.setup(); print(settings.HR_REQUIRE_MFA)"


def test_hr_needs_a_second_factor_except_in_the_local_demo_unless_asked():
    assert run_python(PRINT_MFA, DJANGO_SETTINGS_MODULE="careerpath.settings.local").stdout.split() == ["False"]
    asked = run_python(PRINT_MFA, DJANGO_SETTINGS_MODULE="careerpath.settings.local", HR_REQUIRE_MFA="true")
    assert asked.stdout.split() == ["True"]
    production = run_python(
        PRINT_MFA,
        DJANGO_SETTINGS_MODULE="careerpath.settings.production",
        SECRET_KEY="settings-test-" + "x" * 50,
        ALLOWED_HOSTS="careerpath.example.com",
    )
    assert production.stdout.split() == ["True"], production.stderr


def test_database_and_broker_urls_switch_to_postgres_and_redis():
    result = run_python(
        PRINT_SETTINGS,
        DJANGO_SETTINGS_MODULE="careerpath.settings.local",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/careerpath",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
    )

    assert result.returncode == 0, result.stderr
    engine, eager, _email, _debug, broker = result.stdout.split()
    assert engine == "django.db.backends.postgresql"
    assert eager == "False"
    assert broker == "redis://127.0.0.1:6379/0"


@pytest.mark.parametrize(
    ("missing", "present"),
    [("SECRET_KEY", {"ALLOWED_HOSTS": "careerpath.example.com"}), ("ALLOWED_HOSTS", {"SECRET_KEY": "x" * 60})],
)
def test_production_refuses_to_start_without_a_required_secret(missing, present):
    result = run_python(PRINT_SETTINGS, DJANGO_SETTINGS_MODULE="careerpath.settings.production", **present)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_email_url_configures_an_smtp_mailer():
    code = "import django; from django.conf import settings; django.setup(); print(settings.MAILERS['default'])"
    result = run_python(
        code, DJANGO_SETTINGS_MODULE="careerpath.settings.local", EMAIL_URL="smtp+tls://me:pw@mail.example.com:587"
    )

    assert result.returncode == 0, result.stderr
    assert "'BACKEND': 'django.core.mail.backends.smtp.EmailBackend'" in result.stdout
    for part in ("'host': 'mail.example.com'", "'port': 587", "'username': 'me'", "'use_tls': True"):
        assert part in result.stdout


def test_check_deploy_is_clean_under_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "DJANGO_SETTINGS_MODULE": "careerpath.settings.production",
            "SECRET_KEY": "a-production-like-secret-key-" + "k" * 40,
            "ALLOWED_HOSTS": "careerpath.example.com",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


PRINT_SITE_URL = "import django; from django.conf import settings; django.setup(); print(settings.SITE_URL)"


@pytest.mark.parametrize(
    ("host", "port", "expected"),
    [
        (None, None, "http://127.0.0.1:8000"),
        (None, "8123", "http://127.0.0.1:8123"),
        ("localhost", "9000", "http://localhost:9000"),
        ("0.0.0.0", "8080", "http://localhost:8080"),
        ("::1", "8001", "http://[::1]:8001"),
    ],
)
def test_site_url_follows_the_served_host_and_port_when_not_set(host, port, expected):
    result = run_python(
        PRINT_SITE_URL, DJANGO_SETTINGS_MODULE="careerpath.settings.local", SITE_URL=None, HOST=host, PORT=port
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_a_set_site_url_wins_over_the_served_port():
    result = run_python(
        PRINT_SITE_URL,
        DJANGO_SETTINGS_MODULE="careerpath.settings.local",
        SITE_URL="https://careerpath.example.com",
        PORT="8123",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://careerpath.example.com"
