"""Benchmark settings: production, served over plain HTTP on 127.0.0.1, plus a trivial view.

`bench/run.py` starts gunicorn with these. Everything that shapes a page's cost
(DEBUG off, cached templates, manifest static files, middleware, sessions, cache)
is exactly production's; only what needs TLS or a real host name is relaxed, and
`/bench/trivial/` exists: a constant response through the whole middleware stack,
the ceiling every page is measured against. It exists only under these settings.
"""

from .production import *  # noqa: F403

# SECRET_KEY and ALLOWED_HOSTS come from the environment, as in production; bench/run.py sets them.
# wrk speaks plain HTTP to 127.0.0.1: no redirect to HTTPS, no HSTS, cookies sent over HTTP.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

BENCH_TRIVIAL_VIEW = True
ROOT_URLCONF = "careerpath.urls_bench"
