"""Rendered catalog fragments, cached until the catalog changes.

The catalog pages (role list, role page, career map, comparison) show everyone the
same thing, so their rendered main content is kept in Django's cache (the "default"
cache: local memory per process, or Redis when CACHE_URL says so) under a key that
holds the catalog's current version. Whatever writes the catalog (`catalog_load`,
the admin) calls `catalog_changed()`, which starts a new version: from the next
request on, fragments of the old version are never read again, and they expire.

Every key also holds a digest of the project's code (`code_version()`: its templates and Python
modules), so a deployment that changes how a fragment is made (a template, or a class kept in the
cache) never reads a fragment made by the code before it, and nobody has to remember to change a
number when they edit a template. Under runserver, which reloads a changed template without
restarting, `code_changed` (connected to Django's autoreloader in RolesConfig.ready) starts a new one.

Two rules keep this safe:
- only content that is identical for every visitor is cached here: nothing of a
  logged-in person (their name, answers, plans) and no CSRF token; the page around
  the fragment (navigation, log-in state, messages) is rendered per request;
- with more than one server process, the cache must be shared (CACHE_URL=redis://...)
  so that a change made through one process is seen by all of them at once.
"""

import functools
import os
from collections.abc import Callable
from hashlib import blake2b
from pathlib import Path
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

VERSION_KEY = "roles:catalog-version"
# Old versions' fragments are never read again; this only bounds how long they take up room.
FRAGMENT_TIMEOUT = 60 * 60 * 24


def catalog_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid4().hex
        if not cache.add(VERSION_KEY, version, timeout=None):  # another process got there first
            version = cache.get(VERSION_KEY) or version
    return version


def catalog_changed() -> None:
    """Forget every cached catalog fragment: call after any write to the catalog.

    The version changes now, so this process's next request sees the change even inside
    a transaction, and again when the transaction commits, so that a request that read
    the old rows before the commit can't have cached them under the new version.
    """
    _new_version()
    transaction.on_commit(_new_version)


def _new_version() -> None:
    cache.set(VERSION_KEY, uuid4().hex, timeout=None)


CODE_SUFFIXES = {".py", ".html", ".txt", ".xml", ".svg"}
CODE_SKIPPED = {".venv", "node_modules", "staticfiles", ".git", "__pycache__", "tests", "migrations"}


def code_files(root: Path) -> list[Path]:
    """The project's templates and Python modules under `root` (not its tests, migrations or virtualenv)."""
    found = []
    for folder, folders, files in os.walk(root):
        folders[:] = [name for name in folders if name not in CODE_SKIPPED and not name.startswith(".")]
        found.extend(Path(folder, name) for name in files if Path(name).suffix in CODE_SUFFIXES)
    return sorted(found)


def digest_of(paths: list[Path], root: Path) -> str:
    digest = blake2b(digest_size=8)
    for path in paths:
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@functools.cache
def code_version() -> str:
    """A digest of the project's code, worked out once per process (some 300 files, about 20 ms)."""
    root = Path(settings.BASE_DIR)
    return digest_of(code_files(root), root)


def code_changed(sender=None, file_path=None, **kwargs) -> None:
    """Django's autoreloader saw a file change (runserver): fragments are made anew from then on."""
    code_version.cache_clear()


def fragment_key(name: str, *parts: str) -> str:
    digest = blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()
    return f"roles:fragment:{code_version()}:{catalog_version()}:{name}:{digest}"


def fragment_version() -> str:
    """What a `{% cache %}` tag's fragment must vary on to be made anew with the catalog and the code."""
    return f"{code_version()}-{catalog_version()}"


def cached_fragment[T](name: str, *parts: str, build: Callable[[], tuple[T, bool]]) -> T:
    """The fragment `name` for `parts` (e.g. a slug) of the current catalog, built when missing.

    `build()` returns the fragment and whether to keep it: not, say, for a form with
    errors, whose input can be any text. What it returns must be the same for every
    visitor (see the module docstring).
    """
    key = fragment_key(name, *parts)
    value = cache.get(key)
    if value is None:
        value, keep = build()
        if keep:
            cache.set(key, value, FRAGMENT_TIMEOUT)
    return value


class AnonymousPageCacheMixin:
    """For a visitor who is not logged in, the whole page (not only its main content) is cached.

    Such a page is the same for every anonymous visitor: base.html shows no name, no
    log-out form and no CSRF token to them. It is served from the cache only when the
    visitor is not logged in and has no message waiting (a message is shown once, to
    one person), and stored only when rendering it used no CSRF token, no CSP nonce
    and set no cookie, and the view kept its fragment (rejected form input is not
    kept). The key holds the catalog version, so a catalog change empties it too.

    Views set `page_cache_name` and `page_cache_parts()`; a fragment build that should
    not be kept sets `self.page_cache_keep = False`.
    """

    page_cache_name = ""

    def page_cache_parts(self) -> tuple[str, ...]:
        return ()

    def dispatch(self, request, *args, **kwargs):
        self.page_cache_keep = True
        if not _anonymous_without_messages(request):
            return super().dispatch(request, *args, **kwargs)
        key = fragment_key(f"page:{self.page_cache_name}", *self.page_cache_parts())
        html = cache.get(key)
        if html is not None:
            return HttpResponse(html)
        response = super().dispatch(request, *args, **kwargs)
        if response.status_code != 200 or not self.page_cache_keep:
            return response
        if hasattr(response, "render"):
            response.render()
        used_per_request_secrets = request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or bool(
            getattr(request, "_csp_nonce", None)
        )
        if not used_per_request_secrets and not response.cookies and not response.streaming:
            cache.set(key, response.content, FRAGMENT_TIMEOUT)
        return response


def _anonymous_without_messages(request) -> bool:
    if request.method not in ("GET", "HEAD") or "messages" in request.COOKIES:
        return False
    if request.user.is_authenticated:  # reads the session only when the visitor sent a session cookie
        return False
    session = getattr(request, "session", None)
    return session is None or "_messages" not in session
