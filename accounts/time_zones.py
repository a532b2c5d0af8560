"""Dates and times in the logged-in person's own time zone (the one in their profile).

The zone is kept in the session: it is put there when the person logs in and when they
save their profile, so showing a page costs no query for it. `PersonTimeZoneMiddleware`
activates it for the request, at the moment the request first looks at who is logged in
(`request.user`), so requests that never do (the health check, cached catalog pages for
visitors) still touch neither the session nor the database. Every page that shows
someone's data looks at `request.user` (to require a log-in, or in the navigation) before
it renders a date; what it then shows (`|date`, `timezone.localdate()`, "is this date in
the past?") is in the person's zone.
"""

import functools
import importlib.resources
import zoneinfo
from pathlib import Path

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

SESSION_KEY = "accounts.time_zone"
DEFAULT_ZONE = "UTC"  # a profile's zone until the person chooses one


def _zone_table() -> str:
    """The time zone database's zone.tab: the zones people live in, one or more per country."""
    for directory in zoneinfo.TZPATH:
        table = Path(directory) / "zone.tab"
        if table.is_file():
            return table.read_text(encoding="utf-8")
    try:  # no system database: the tzdata package that zoneinfo then reads
        return importlib.resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return ""


@functools.cache
def selectable_zones() -> tuple[str, ...]:
    """The zones a person picks from, sorted: zone.tab's places (Europe/Berlin, America/Sao_Paulo) and UTC.

    Not the rest of `zoneinfo.available_timezones()`: no "Factory" or "localtime", no old aliases
    (US/Eastern, GB, Japan), no fixed offsets with inverted signs (Etc/GMT+5 is UTC-5). A zone stored
    before stays valid (accounts.models.validate_time_zone still accepts every known zone).
    """
    known = zoneinfo.available_timezones()
    places = {
        line.split("\t")[2]
        for line in _zone_table().splitlines()
        if line and not line.startswith("#") and line.count("\t") >= 2
    }
    return tuple(sorted((places & known) | {DEFAULT_ZONE}))


def zone_or_none(name: str | None) -> zoneinfo.ZoneInfo | None:
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def profile_time_zone(user) -> str:
    from accounts.models import Profile

    return Profile.objects.filter(user=user).values_list("time_zone", flat=True).first() or "UTC"


def remember(request, name: str) -> None:
    """Use this zone for the person's next requests in this session."""
    request.session[SESSION_KEY] = name


@receiver(user_logged_in, dispatch_uid="accounts.time_zones.on_log_in")
def on_log_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        remember(request, profile_time_zone(user))


class PersonTimeZoneMiddleware:
    """Activate the logged-in person's time zone as soon as the request looks at who they are."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        lazy_user = getattr(request, "user", None)
        if lazy_user is not None:
            request.user = SimpleLazyObject(lambda: self._person(request, lazy_user))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    @staticmethod
    def _person(request, lazy_user):
        if isinstance(lazy_user, SimpleLazyObject):
            lazy_user.is_authenticated  # noqa: B018 - runs AuthenticationMiddleware's lazy lookup
            person = lazy_user._wrapped
        else:
            person = lazy_user
        if person.is_authenticated:
            name = request.session.get(SESSION_KEY)
            if name is None:  # a session from before the zone was kept in it
                name = profile_time_zone(person)
                request.session[SESSION_KEY] = name
            if (zone := zone_or_none(name)) is not None:
                timezone.activate(zone)
        return person
