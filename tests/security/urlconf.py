"""Every URL pattern of the project, walked from the root URL conf, and how to fill in its parameters."""

import re
from dataclasses import dataclass

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Pattern:
    key: str  # "namespace:name", or "<route:...>" for an unnamed pattern
    route: str  # the whole route, from the root
    is_regex: bool

    @property
    def is_admin(self) -> bool:
        return self.key.startswith("admin:") or self.key.startswith("<route:hr/")

    @property
    def is_api(self) -> bool:
        """The REST API's endpoints: their own matrix is tests/security/test_api_access_matrix.py."""
        return self.key.startswith("api:")


def all_patterns() -> list[Pattern]:
    found: list[Pattern] = []

    def walk(patterns, prefix: str, namespace: str | None, regex: bool):
        for entry in patterns:
            is_regex = regex or entry.pattern.__class__.__name__ == "RegexPattern"
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = entry.namespace
                full = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
                walk(entry.url_patterns, route, full, is_regex)
            elif isinstance(entry, URLPattern):
                found.append(Pattern(pattern_key(entry.name, namespace, route), route, is_regex))

    walk(get_resolver().url_patterns, "", None, False)
    return found


def pattern_key(name: str | None, namespace: str | None, route: str) -> str:
    if not name:
        return f"<route:{route}>"
    return f"{namespace}:{name}" if namespace else name


CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")
ADMIN_MODEL = re.compile(r"^hr/(\w+)/(\w+)/")


def admin_model(pattern: Pattern):
    """The model an admin pattern belongs to, or None."""
    match = ADMIN_MODEL.match(pattern.route)
    if not match:
        return None
    try:
        return apps.get_model(match[1], match[2])
    except (LookupError, ValueError):
        return None


def fill(pattern: Pattern, values: dict[str, str]) -> str:
    """The path of a pattern with its parameters replaced by `values` (regex patterns by hand)."""
    if pattern.is_regex:
        if "(?P<app_label>" in pattern.route:
            return "/hr/roles/"
        if "(?P<url>" in pattern.route:
            return "/hr/no-such-page/"
        if "(?P<key>" in pattern.route and "confirm-email" in pattern.route:  # allauth's confirmation link
            return f"/accounts/confirm-email/{values['key']}/"
        if "(?P<uidb36>" in pattern.route:  # allauth's password-reset link
            return f"/accounts/password/reset/key/{values['uidb36']}-{values['key']}/"
        raise AssertionError(f"No rule to fill the regex pattern {pattern.route!r}")
    return "/" + CONVERTER.sub(lambda m: str(values[m[1]]), pattern.route)
