"""Cross-cutting security pieces: no caching of personal pages, and who is logging in from where.

docs/security.md lists every guarantee and the test that proves it.
"""

from django import forms
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ValidationError
from django.utils.cache import add_never_cache_headers


class PrivateNoStoreMiddleware:
    """`Cache-Control: no-store` on every response to a logged-in person.

    A page that looked at who is logged in may show their data, so no browser or proxy
    cache may keep it. Looking at the session is what tells: `request.user` reads it, and
    a response whose view never read it cannot depend on who is logged in. Only a session
    that was already read is inspected, so this adds no query.

    Pages with personal data and no session (the calendar feed, the unsubscribe page)
    use `never_cache` themselves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.accessed and SESSION_KEY in session:
            add_never_cache_headers(response)
        return response


def login_username(request, credentials: dict | None) -> str:
    """The email address a log-in attempt is for, as django-axes counts it.

    Addresses match in any case (accounts.models.UserManager.get_by_natural_key), so a
    lock-out must too: otherwise changing the case of one letter would reset the count.
    """
    field = "username"
    if credentials and credentials.get(field) is not None:
        value = credentials[field]
    else:
        value = request.POST.get(field, "") if request is not None else ""
    return str(value).strip().lower()


def client_ip(request) -> str | None:
    """The address a request came from, for counting log-in failures per address.

    Without a proxy, REMOTE_ADDR. Behind `AXES_IPWARE_PROXY_COUNT` proxies (an environment
    variable), the address the outermost of our proxies saw: each proxy appends the
    address it received the request from to X-Forwarded-For, so counting that many
    entries from the right skips whatever a client wrote into the header itself. With
    fewer entries than proxies the header is not ours and REMOTE_ADDR is used.
    """
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.AXES_IPWARE_PROXY_COUNT or 0
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]


# --- Form fields that refuse ids the database cannot hold -------------------------------

# The largest primary key a BigAutoField holds. Django's model choice fields pass a posted id
# straight to the database, and one beyond this range raises OverflowError (SQLite) or
# DataError (PostgreSQL) instead of a validation error: a 500 from a hand-made POST.
MAX_ID = 2**63 - 1


def _id_out_of_range(value) -> bool:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return False  # not a number at all: Django's own validation refuses it
    return not 0 <= number <= MAX_ID


class BoundedModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and _id_out_of_range(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        try:
            values = frozenset(value)
        except TypeError:
            values = frozenset()
        for item in values:
            if _id_out_of_range(item):
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                )
        return super()._check_values(value)
