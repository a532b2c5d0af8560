"""Cross-cutting security pieces: private views, no caching of personal pages, no NUL characters,
and who is logging in from where.

docs/security.md lists every guarantee and the test that proves it.
"""

from django import forms
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse, UnreadablePostError
from django.shortcuts import render
from django.urls import resolve
from django.utils.cache import add_never_cache_headers
from django.utils.crypto import salted_hmac
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache


@method_decorator(never_cache, name="dispatch")
class PrivateView(LoginRequiredMixin, View):
    """The base of every page with someone's personal data (accounts, assessments, plans, the HR panel).

    - Anonymous visitors are redirected to `settings.LOGIN_URL` with `?next=` (LoginRequiredMixin);
      a view may name another `login_url` (the HR panel uses the admin's) or check more in `dispatch`.
    - Every response, the log-in redirect included, carries `Cache-Control: no-store, private`
      (`never_cache`), whether or not the session was read, so no browser or proxy keeps it.

    Combine it with Django's generic views as a mixin: `class ProfileView(PrivateView, FormView)`.
    """


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


NUL = "\x00"
NUL_REFUSED = (
    "The address or the form you sent contains a NUL character (character code 0), which careerpath cannot "
    "store or search for. It usually comes from text pasted from another program or from a script."
)


def _holds_nul(data) -> bool:
    """Whether any key or value of a QueryDict holds a NUL character."""
    return any(NUL in key or any(NUL in value for value in values) for key, values in data.lists())


def holds_nul(request) -> bool:
    """Whether the path, the query string or the posted form (field names and values) holds a NUL."""
    if NUL in request.path or NUL in request.path_info or _holds_nul(request.GET):
        return True
    if request.method != "POST":
        return False
    try:
        if _holds_nul(request.POST):
            return True
        # Django drops unprintable characters from uploaded file names itself, not from field names.
        return any(NUL in name for name in request.FILES)
    except UnreadablePostError:
        return False  # the client went away mid-upload: nothing to check, CSRF handles the rest


class RefuseNulCharactersMiddleware:
    """400, with the site's page and a clear message, for a request holding a NUL character.

    PostgreSQL text cannot hold U+0000: psycopg2 raises ValueError before sending a query
    with one, so any page that filtered or looked up such a value answered 500 (a list
    filter, a calendar token, an admin lookup). Django's form fields refuse NUL already
    (ProhibitNullCharactersValidator); query parameters and URL parts read directly do not.
    Nothing a person types contains one, so refusing the whole request loses nothing they
    meant to send, and no view needs to think about it again.

    A cookie holding one (a quoted value may spell it `\\000`) is dropped instead, as if
    the browser had not sent it: refusing it would lock that browser out until its cookies
    are cleared, and a session key with a NUL would otherwise reach the session table.
    This runs before the session and authentication middleware for that reason, so the
    400 page shows the header of a visitor who is not logged in.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name in [name for name, value in request.COOKIES.items() if NUL in name or NUL in value]:
            del request.COOKIES[name]
        if holds_nul(request):
            if request.path.startswith("/api/"):  # the REST API answers its errors in JSON (docs/api.md)
                return JsonResponse({"detail": NUL_REFUSED}, status=400)
            # An API answers in its own format (the SCIM views' refuse_nul); pages get the site's 400 page.
            own = getattr(_view_class(request.path_info), "refuse_nul", None)
            if own is not None:
                return own(request)
            return render(request, "400.html", {"reason": NUL_REFUSED}, status=400)
        return self.get_response(request)


def _view_class(path: str):
    try:
        match = resolve(path)
    except Http404:
        return None
    return getattr(match.func, "view_class", None)


def login_username_key(email: str) -> str:
    """What django-axes stores and counts for a log-in address: a keyed hash of it, never the address.

    Addresses match in any case (accounts.models.UserManager.get_by_natural_key), so the
    address is trimmed and lower-cased first: changing the case of one letter must not reset
    the count. A hash because a failed log-in with the address of a person who erased their
    account would otherwise write that address back into the lock-out tables; the hash still
    counts the same address as the same. It is keyed with SECRET_KEY, so a list of likely
    addresses cannot be matched against it.
    """
    return "hmac:" + salted_hmac(_LOGIN_KEY_SALT, str(email).strip().lower(), algorithm="sha256").hexdigest()[:40]


_LOGIN_KEY_SALT = "careerpath.security.login_username_key"


def login_username(request, credentials: dict | None) -> str:
    """AXES_USERNAME_CALLABLE: the key (login_username_key) of the address a log-in attempt is for.

    allauth's log-in form sends the address as `login` and authenticates with `email=`; the HR
    panel's admin form sends `username`.
    """
    value = None
    for field in ("email", "username"):
        if credentials and credentials.get(field) is not None:
            value = credentials[field]
            break
    if value is None and request is not None:
        value = request.POST.get("login") or request.POST.get("username", "")
    return login_username_key(value or "")


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


# --- Single-line text: no control or direction-override characters ----------------------

# C0 controls (CR, LF, tab, NUL ...), DEL and the C1 controls; the line and paragraph
# separators; and the bidirectional embeddings, overrides and isolates, which make text read
# differently from how it is stored. None has a place in a name, a title or an address, and
# such a value goes on into email headers (which refuse CR/LF), calendar lines and CSV cells.
CONTROL_CHARACTERS = frozenset(
    [
        *map(chr, range(0x20)),
        *map(chr, range(0x7F, 0xA0)),
        "\u2028",
        "\u2029",
        *map(chr, range(0x202A, 0x202F)),
        *map(chr, range(0x2066, 0x206A)),
    ]
)
CONTROL_CHARACTER_MESSAGE = (
    "Remove the line break, tab or invisible control character from this field (often pasted along with the text)."
)


def refuse_control_characters(value) -> None:
    """A validator for single-line text: ValidationError when the value holds a control character."""
    if isinstance(value, str) and not CONTROL_CHARACTERS.isdisjoint(value):
        raise ValidationError(CONTROL_CHARACTER_MESSAGE, code="control_character")


def is_single_line(field: forms.Field) -> bool:
    """Whether a form field takes one line of text from a person: a text field not shown as a text area.

    Passwords are left alone: they are only ever hashed, and a password manager's may hold anything.
    """
    if not isinstance(field, forms.CharField):
        return False
    widget = getattr(field.widget, "widget", field.widget)  # the admin wraps related-field widgets
    return not isinstance(widget, (forms.Textarea, forms.PasswordInput))


def refuse_control_characters_in(fields, *, multi_line: tuple[str, ...] = ()) -> None:
    """Add refuse_control_characters to every single-line field of a form's (deep-copied) fields."""
    for name, field in fields.items():
        if name in multi_line or not is_single_line(field) or refuse_control_characters in field.validators:
            continue
        field.validators.append(refuse_control_characters)


class SingleLineTextMixin:
    """For a Form or ModelForm: every single-line text field refuses control characters.

    `multi_line_fields` names text fields that may span lines although their widget is a
    single-line one (a hidden copy of a text area's value).
    """

    multi_line_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        refuse_control_characters_in(self.fields, multi_line=self.multi_line_fields)
