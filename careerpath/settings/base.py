"""Settings shared by every environment.

This module is the one place that reads the environment (django-environ). The
defaults give the embedded local setup: SQLite, Celery running tasks eagerly,
email printed to the console. `DATABASE_URL` and `CELERY_BROKER_URL` switch to
PostgreSQL and Redis. `production.py` removes the defaults for secrets.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

# --- Core -----------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
# Only local.py and test.py rely on this default; production.py requires a real key.
SECRET_KEY = env("SECRET_KEY", default="insecure-local-key-never-used-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Django's admin with the HR panel's site (careerpath/admin.py) as admin.site.
    "careerpath.apps.PanelAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    # Accounts: sign-up, log-in, email verification, password reset (docs/security.md, "Accounts").
    "allauth",
    "allauth.account",
    # Two-factor sign-in: authenticator apps (TOTP), passkeys (WebAuthn) and recovery codes.
    "allauth.mfa",
    # The REST API (api/, docs/api.md): Django REST framework, its OpenAPI schema, Swagger UI served from here.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "roles",
    "assessments",
    "plans",
    "reminders",
    "teams",
    "scim",
    "hr",
    "api",
    # The first run: the demo organisation (seed_demo) and the in-process schedule (run_schedule).
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Before anything that may answer early (the NUL refusal below), so every response carries it.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # NUL characters never reach the database: 400 for one in the address or a form, and a cookie
    # holding one is ignored (before the session middleware looks its value up).
    "careerpath.security.RefuseNulCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # allauth's log-in flow state (a log-in waiting for its email verification, later its second factor).
    "allauth.account.middleware.AccountMiddleware",
    # Dates and times in the logged-in person's time zone (accounts/time_zones.py).
    "accounts.time_zones.PersonTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # HR members set up a second factor before they use the HR panel (HR_REQUIRE_MFA, hr/mfa.py).
    "hr.mfa.PanelMfaRequiredMiddleware",
    "careerpath.security.PrivateNoStoreMiddleware",
    # Last, as django-axes asks: it turns a refused log-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "careerpath.urls"
WSGI_APPLICATION = "careerpath.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles any query its planner costs high, which here means the HR dashboard's
    # aggregates: compiling took about 1 s of the readiness pipeline's 1.1 s with 10,000 engineers, to save
    # a few ms of execution. No query of this site runs long enough to win it back (docs/hr.md, "Speed").
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"]["options"] = "-c jit=off " + DATABASES["default"]["OPTIONS"].get("options", "")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# models.W040: SQLite leaves out an index's INCLUDE columns. Only one index has them (plans'
# milestone_plan_due, for the HR dashboard on PostgreSQL); on SQLite it is a plain index and still right.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- Cache ------------------------------------------------------------------
# Holds the catalog pages' rendered fragments (roles/cache.py). Local memory per process by
# default; with more than one server process set CACHE_URL=redis://host:6379/1, so that a
# catalog edit made through one process reaches them all at once.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://careerpath")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "careerpath.redis_cache.RedisCache"  # one client per pool (see there)

# Sessions: in the database, and with a shared cache (CACHE_URL=redis://...) read through it
# (cached_db), which saves every logged-in page its session query. Never through a cache of
# each process's own memory: a log-out in one process would not reach the others' copies.
SHARED_CACHE = not CACHES["default"]["BACKEND"].endswith(("LocMemCache", "DummyCache"))
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if SHARED_CACHE else "django.contrib.sessions.backends.db"

# --- Accounts -------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# django-axes first: it refuses a locked-out person before their password is checked. ModelBackend stays:
# sessions made before allauth name it (a session naming a backend no longer listed is logged out), and
# the admin's log-in form uses it. allauth's backend after it adds nothing for email log-ins that
# ModelBackend does not (the user model's USERNAME_FIELD is the email), and is there as allauth documents.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# allauth (docs/security.md, "Accounts"). People log in with their email address; there is no username.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupExtraForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_USER_MODEL_EMAIL_FIELD = "email"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True  # one address per person: changing it replaces it
# Nobody uses an account before following the link emailed to its address.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # the link shows a button; only its POST confirms (a GET changes nothing)
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# A new account goes to its profile first: its discipline, role and experience shape what is suggested.
ACCOUNT_SIGNUP_REDIRECT_URL = "accounts:profile"
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
# Sign-up and password reset answer alike whether or not the address has an account: a sign-up with a
# known address emails its owner instead; a reset for an unknown address sends nothing (as before allauth).
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_LOGOUT_ON_GET = False
# Confirming it is you before a sensitive change: your password (or, later, your second factor); not a code
# sent by email, as log-in has no codes either.
ACCOUNT_REAUTHENTICATION_METHODS = ("password", "mfa")
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = True  # as before allauth: a log-in lasts SESSION_COOKIE_AGE, no "remember me" box
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# allauth's rate limits (per client address, per address typed, per account) beside django-axes's lock-out
# below. Its default "login_failed" limit also counts failures per address from anywhere, which would let
# anyone lock an account's owner out by failing on purpose: django-axes counts per (address, client) instead.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip",
}
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Two-factor sign-in (allauth.mfa, docs/security.md "Two-factor sign-in"). Whoever set up a second factor
# is asked for it after their password; a passkey can also sign in on its own, without the password.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "careerpath"
# WebAuthn needs HTTPS (local.py lets `make run` use it over http://localhost).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False  # local.py allows it
# Members of the HR group must have a second factor before they use the HR panel (/hr/); without one
# they are sent to set it up. Off only for a deployment whose identity provider asks for it instead.
HR_REQUIRE_MFA = env.bool("HR_REQUIRE_MFA", default=True)

# --- Security (docs/security.md) ------------------------------------------
# Content Security Policy (Django's own middleware), enforced everywhere, tests included:
# scripts and styles only from our own static files. Templates have no inline script or
# style; one that ever needs a script gives it nonce="{{ csp_nonce }}" (CSP.NONCE below).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    # Bootstrap draws a few icons (the menu toggler, form validation marks) as data: SVGs.
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Log-in throttling (django-axes): after AXES_FAILURE_LIMIT failed log-ins for one email
# address from one client address, that pair is refused for AXES_COOLOFF_MINUTES. Other
# addresses can still log in to the account, so an attacker cannot lock its owner out.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/user_lockout.html"
AXES_USERNAME_CALLABLE = "careerpath.security.login_username"
# Behind a reverse proxy, set AXES_IPWARE_PROXY_COUNT to the number of proxies in front of
# careerpath; only then is X-Forwarded-For read (careerpath.security.client_ip).
AXES_IPWARE_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "careerpath.security.client_ip"
# Successful log-ins are not logged: a log of who logged in when is personal data we do not need.
AXES_DISABLE_ACCESS_LOG = True

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------
STATIC_URL = "/static/"
# Set in production, where collectstatic fills it; locally static files come from the finders.
STATIC_ROOT = None
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"


# --- Email ----------------------------------------------------------------
def mailers_from_env(default_url: str) -> dict:
    """Django 6.1's MAILERS from EMAIL_URL (smtp+tls://user:password@host:587, consolemail://, ...)."""
    email = env.email_url("EMAIL_URL", default=default_url)
    backend = email["EMAIL_BACKEND"]
    options = {}
    if backend.endswith("smtp.EmailBackend"):
        candidates = {
            "host": email.get("EMAIL_HOST"),
            "port": email.get("EMAIL_PORT"),
            "username": email.get("EMAIL_HOST_USER"),
            "password": email.get("EMAIL_HOST_PASSWORD"),
            "use_tls": email.get("EMAIL_USE_TLS"),
            "use_ssl": email.get("EMAIL_USE_SSL"),
            "timeout": env.int("EMAIL_TIMEOUT", default=10),
        }
        options = {k: v for k, v in candidates.items() if v not in (None, "")}
    return {"default": {"BACKEND": backend, "OPTIONS": options}}


MAILERS = mailers_from_env("consolemail://")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="careerpath <no-reply@careerpath.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL


def served_site_url(host: str, port: str) -> str:
    """The address `make run` serves on (runserver HOST:PORT), as a browser on this machine reaches it."""
    if host in ("", "0.0.0.0", "::", "[::]"):  # noqa: S104 (not a binding: a served-on-every-interface address, named)
        host = "localhost"
    elif ":" in host and not host.startswith("["):  # an IPv6 address
        host = f"[{host}]"
    return f"http://{host}:{port}"


# The address links in emails and calendar feeds point at (reminders, password reset from tasks).
# Unset, it follows the served address: HOST and PORT, the variables `make run` serves with.
SITE_URL = env("SITE_URL", default="") or served_site_url(env("HOST", default="127.0.0.1"), env("PORT", default="8000"))

# --- Celery ---------------------------------------------------------------
# With no broker configured, tasks run in-process (eager) so `make run` needs nothing installed.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = "UTC"
# Celery's guidance for Redis: acknowledge after the task ran, and keep the visibility timeout
# longer than any task or countdown we use. Reminder timings (docs/reminders.md, "Sending exactly once"):
#   a send batch holds its rows on a lease of REMINDER_LEASE_SECONDS (30 s), renewed while it works;
#     a crashed batch's rows are queued again once the lease has run out (the queue step, every 10 s)
#   a send batch stops after REMINDER_BATCH_SECONDS (5 min), checked before every email
#   < CELERY_TASK_TIME_LIMIT, 10 min (a task is killed after that)
#   < REMINDER_REQUEUE_AFTER_SECONDS, 15 min (a batch queued this long ago whose task never started
#     is queued again: the broker lost it)
#   < the visibility timeout, 1 h (Redis hands an unacknowledged message to another worker)
# Task retries use countdowns of at most a minute; SMTP retries use the rows' next_attempt_at.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 10 * 60
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A send batch keeps going when the broker connection drops: killing it would leave its claimed
# rows waiting for their lease to run out; if its message is redelivered, the rerun finds nothing to claim.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False

# --- Reminders (docs/reminders.md explains each) ---------------------------
REMINDER_LEASE_SECONDS = env.float("REMINDER_LEASE_SECONDS", default=30)
REMINDER_BATCH_SECONDS = env.float("REMINDER_BATCH_SECONDS", default=5 * 60)
REMINDER_REQUEUE_AFTER_SECONDS = env.float("REMINDER_REQUEUE_AFTER_SECONDS", default=15 * 60)
REMINDER_QUEUE_INTERVAL_SECONDS = env.float("REMINDER_QUEUE_INTERVAL_SECONDS", default=10)
REMINDER_SEND_BATCH_SIZE = env.int("REMINDER_SEND_BATCH_SIZE", default=200)
REMINDER_CLAIM_CHUNK_SIZE = env.int("REMINDER_CLAIM_CHUNK_SIZE", default=50)
REMINDER_MAX_ATTEMPTS = env.int("REMINDER_MAX_ATTEMPTS", default=12)
REMINDER_RETRY_BASE_SECONDS = env.float("REMINDER_RETRY_BASE_SECONDS", default=60)
REMINDER_RETRY_CAP_SECONDS = env.float("REMINDER_RETRY_CAP_SECONDS", default=3600)

# --- Peer input (docs/teams.md) --------------------------------------------
# A request for peer input closes this many days after it was sent; one reminder goes to a peer
# who has not answered PEER_REMINDER_DAYS_BEFORE days before that.
PEER_REQUEST_DAYS = env.int("PEER_REQUEST_DAYS", default=21)
PEER_REMINDER_DAYS_BEFORE = env.int("PEER_REMINDER_DAYS_BEFORE", default=7)

# Run exactly one `celery beat` (docs/operations.md). A task that waited longer than its
# interval is dropped: the next one does the same work.
CELERY_BEAT_SCHEDULE = {
    "reminders-sweep": {
        "task": "reminders.tasks.sweep_reminders",
        "schedule": 15 * 60,
        "options": {"expires": 14 * 60},
    },
    # Hands out what is due and not on its way to a worker: retries whose time has come, and the
    # rows of a batch whose worker died, once its lease has run out.
    "reminders-queue": {
        "task": "reminders.tasks.queue_reminders",
        "schedule": REMINDER_QUEUE_INTERVAL_SECONDS,
        "options": {"expires": REMINDER_QUEUE_INTERVAL_SECONDS},
    },
    # Accounts made by sign-up whose activation link expired unused (accounts.services.signups_expired_delete).
    "accounts-expired-signups": {
        "task": "accounts.tasks.delete_expired_signups",
        "schedule": 24 * 60 * 60,
        "options": {"expires": 60 * 60},
    },
    # The HR dashboard's figures, worked out a minute before the kept ones expire (5 minutes).
    "hr-dashboard-refresh": {
        "task": "hr.tasks.refresh_dashboard",
        "schedule": 4 * 60,
        "options": {"expires": 3 * 60},
    },
}

# --- HR panel -------------------------------------------------------------
# How long (seconds) the dashboard's figures are kept once hr.services.dashboard_refresh has worked
# them out; the beat refreshes them a minute before (above). 0: nothing is kept, every view works
# them out from the stored index and sums (docs/hr.md).
HR_DASHBOARD_CACHE_SECONDS = env.int("HR_DASHBOARD_CACHE_SECONDS", default=300)

# --- Provisioning over SCIM 2.0 (docs/scim.md) -------------------------------
# What DELETE /scim/v2/Users/<id> does: "deactivate" (the default) keeps the person's data and stops
# their log-in and reminders, like PATCH active=false; "delete" erases the account and everything
# about it, as "Delete my account" does (accounts.services.account_delete).
SCIM_DELETE = env.str("SCIM_DELETE", default="deactivate")
if SCIM_DELETE not in ("deactivate", "delete"):
    raise ValueError(f'SCIM_DELETE must be "deactivate" or "delete", not {SCIM_DELETE!r}.')

# --- Benchmarks -------------------------------------------------------------
# /bench/trivial/, the ceiling pages are measured against; only careerpath.settings.bench turns it on.
BENCH_TRIVIAL_VIEW = False

# --- Logging --------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# --- The REST API (docs/api.md) ---------------------------------------------
# Integrations send a token HR made (api.ApiToken, `Authorization: Bearer ...`); a logged-in browser
# may use its session for the documentation's "Try it out", with Django's CSRF check on every write.
API_PAGE_SIZE = env.int("API_PAGE_SIZE", default=50)
API_MAX_PAGE_SIZE = env.int("API_MAX_PAGE_SIZE", default=200)
# A token's last use (an API or a SCIM token's, careerpath.tokens) is written at most this often: a write
# on every request would be one query more each.
TOKEN_LAST_USED_SECONDS = 60
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.TokenScope"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "PAGE_SIZE": API_PAGE_SIZE,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "careerpath API",
    "DESCRIPTION": "The career catalog, people's self-assessment results and plans, and readiness. See docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No call to the public validator (its badge is an image from elsewhere, which the CSP refuses anyway).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "PlanStatusEnum": "plans.models.Plan.Status",
        "MilestoneStatusEnum": "plans.models.Milestone.Status",
    },
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # careerpath.converters' <id:…> is an integer path parameter (api.schema bounds it to MAX_ID).
    "PATH_CONVERTER_OVERRIDES": {"id": int},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.path_parameter_bounds",
    ],
    "APPEND_COMPONENTS": {
        "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "description": "An API token."}}
    },
}
