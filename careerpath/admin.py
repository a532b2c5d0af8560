"""The HR panel's admin site: branded, with an index grouped by task instead of by app.

`careerpath.apps.PanelAdminConfig` makes this the default site, so every app's
`@admin.register` lands here and `admin.site` is this site. It is served at /hr/
(careerpath/urls.py) beside the panel's own pages (hr/urls.py).
"""

import functools
import logging
from dataclasses import dataclass

from allauth.account.decorators import secure_admin_login
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG, SEARCH_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import NotSupportedError
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse

from careerpath.admin_inlines import check_autocomplete
from careerpath.security import SingleLineTextMixin
from hr.permissions import DASHBOARD_PERMISSIONS, IMPORT_PEOPLE, SCIM_TOKEN_PERMISSIONS, VIEW_PEOPLE

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Group:
    """A heading of the index: which registered models it lists, in this order first."""

    slug: str
    name: str
    members: tuple[tuple[str, str], ...] = ()  # (app_label, model_name) in display order
    apps: tuple[str, ...] = ()  # whole apps whose remaining models belong here

    def matches(self, app_label: str, model: dict) -> bool:
        return (app_label, model["object_name"].lower()) in self.members or app_label in self.apps

    def rank(self, app_label: str, model: dict) -> tuple[int, str]:
        key = (app_label, model["object_name"].lower())
        position = self.members.index(key) if key in self.members else len(self.members)
        return position, str(model["name"])


GROUPS = (
    Group("catalog", "Catalog", apps=("roles",)),
    Group(
        "questionnaires",
        "Questionnaires",
        members=(
            ("assessments", "questionnaire"),
            ("assessments", "questionnaireversion"),
            ("assessments", "item"),
        ),
    ),
    Group(
        "people",
        "People",
        members=(
            ("hr", "person"),
            ("assessments", "result"),
            ("assessments", "response"),
            ("plans", "plan"),
            ("plans", "milestone"),
            ("hr", "accessrecord"),
            ("teams", "teampolicy"),
        ),
    ),
    # Reminders: the reminder log (first) and policy (reminders/admin.py).
    Group("reminders", "Reminders", members=(("reminders", "reminder"), ("reminders", "reminderpolicy"))),
)
# Whatever no group claims: accounts and permission groups, for superusers.
ADMINISTRATION = Group("administration", "Administration")


# --- List pages with a bad address ---------------------------------------------------------------

# Lookups a list's address may not use on a field: the database compiles the pattern, so a malformed one
# is a database error (on PostgreSQL one that aborts the transaction), and no filter or link needs them.
REFUSED_LOOKUPS = frozenset({"regex", "iregex"})
# Longer than any name or email address; SQLite refuses LIKE patterns past 50,000 bytes.
MAX_SEARCH_LENGTH = 1000
FILTERS_DROPPED = "The search or some filters in the address could not be used, so the whole list is shown."


class ListAddressGuard:
    """A list page whose address holds a value the database can't take shows the whole list and says so.

    Django's admin checks a list's filters as it builds them (a bad one raises
    IncorrectLookupParameters, which sends the browser to the whole list, `?e=1`), but some
    values only fail once the query is compiled or run, and those answered 500: a date
    hierarchy's year past 9999 or month past 2**63 (ValueError, OverflowError), a `__year`
    lookup out of range on any date field, an id past 64 bits on SQLite, a JSON lookup SQLite
    lacks. They now count as bad filters too, and so does a search longer than MAX_SEARCH_LENGTH.
    A regex lookup is refused outright, with a 400.
    PanelSite.register mixes this into every model admin, other apps' (auth, axes) included.
    """

    def lookup_allowed(self, lookup, value, request):
        if lookup.rsplit(LOOKUP_SEP, 1)[-1] in REFUSED_LOOKUPS:
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_changelist_instance(self, request):
        try:
            if len(request.GET.get(SEARCH_VAR, "")) > MAX_SEARCH_LENGTH:
                raise IncorrectLookupParameters(f"a search longer than {MAX_SEARCH_LENGTH} characters")
            return super().get_changelist_instance(request)
        except IncorrectLookupParameters:
            self._say_filters_dropped(request)
            raise
        except (ValueError, OverflowError, NotSupportedError) as error:
            # Only the request's parameters reach this far unchecked; logged in case it is a bug instead.
            logger.warning("List address refused: %s (%r)", request.get_full_path(), error)
            self._say_filters_dropped(request)
            raise IncorrectLookupParameters(error) from error

    @staticmethod
    def _say_filters_dropped(request):
        if ERROR_FLAG not in request.GET:  # with it, Django shows admin/invalid_setup.html instead of redirecting
            messages.warning(request, FILTERS_DROPPED)


# --- Forms: single-line text and related ids checked before anything is looked up or saved -------


def single_line_form(form_class):
    """The form class with careerpath.security.SingleLineTextMixin mixed in (itself when it has it)."""
    if issubclass(form_class, SingleLineTextMixin):
        return form_class
    return type(form_class.__name__, (SingleLineTextMixin, form_class), {"__module__": form_class.__module__})


ACTION_BAD_IDS = "Some of the selected rows are not rows of this list. Nothing was done; select them again."


class PanelFormsGuard:
    """Every add, change, inline and list-editing form of the panel refuses what the database or a mail
    header can't take: control characters in single-line text (SingleLineTextMixin), and autocompletes
    show a bound form with a non-numeric id again with the field's message instead of a 500
    (CheckedAutocompleteSelect). PanelSite.register mixes this into every model admin, as it
    does ListAddressGuard; inlines get it through the admin that shows them.
    """

    def response_action(self, request, queryset, *args, **kwargs):
        """An action on rows whose ids are not ids of this list ("abc") does nothing and says so (not a 500)."""
        pk = self.opts.pk
        try:
            for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
                pk.to_python(value)
        except ValidationError:
            self.message_user(request, ACTION_BAD_IDS, messages.WARNING)
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset, *args, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        return single_line_form(super().get_form(request, obj, change=change, **kwargs))

    def get_formsets_with_inlines(self, request, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            formset.form = single_line_form(formset.form)  # a class made for this request
            yield formset, inline

    def get_changelist_form(self, request, **kwargs):
        return single_line_form(super().get_changelist_form(request, **kwargs))

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        for inline in inlines:
            inline.__class__ = checked_inline_class(inline.__class__)  # the instances are made for this request
        return inlines

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return check_autocomplete(super().formfield_for_dbfield(db_field, request, **kwargs))


class CheckedAutocompleteInline:
    """For an inline: its autocompletes checked too (see PanelFormsGuard)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return check_autocomplete(super().formfield_for_dbfield(db_field, request, **kwargs))


@functools.cache
def checked_inline_class(inline_class: type) -> type:
    if issubclass(inline_class, CheckedAutocompleteInline):
        return inline_class
    attrs = {"__module__": inline_class.__module__, "__qualname__": inline_class.__qualname__}
    return type(inline_class.__name__, (CheckedAutocompleteInline, inline_class), attrs)


class PanelSite(admin.AdminSite):
    site_header = "careerpath HR"
    site_title = "careerpath HR"
    index_title = "HR panel"
    index_template = "admin/panel_index.html"
    # The reminder log and policy were the plans app's until they became the reminders app; their
    # old addresses (bookmarks, links in old messages) lead to the new ones. For one release.
    moved = {"plans/reminder/": "reminders/reminder/", "plans/reminderpolicy/": "reminders/reminderpolicy/"}

    def login(self, request, extra_context=None):
        """The panel's log-in is the site's (allauth's): the password, then the second factor if one is
        set up (HR members must have one: hr/mfa.py). Anyone logged in who is not staff gets 403."""
        return secure_admin_login(super().login)(request, extra_context)

    def catch_all_view(self, request, url):
        for old, new in self.moved.items():
            if url.startswith(old):
                query = f"?{request.META['QUERY_STRING']}" if request.META.get("QUERY_STRING") else ""
                return HttpResponsePermanentRedirect(reverse("admin:index") + new + url[len(old) :] + query)
        return super().catch_all_view(request, url)

    def register(self, model_or_iterable, admin_class=None, **options):
        """Register as Django does, with ListAddressGuard and PanelFormsGuard mixed into the admin class
        (as Django mixes in **options)."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, ListAddressGuard):
            admin_class = type(
                admin_class.__name__,
                (ListAddressGuard, PanelFormsGuard, admin_class),
                {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__},
            )
        super().register(model_or_iterable, admin_class, **options)

    def get_app_list(self, request, app_label=None):
        """One app's page keeps Django's layout; the index and the side bar are grouped by task."""
        if app_label is not None:
            return super().get_app_list(request, app_label)
        return self.grouped_app_list(super().get_app_list(request))

    @staticmethod
    def grouped_app_list(app_list: list[dict]) -> list[dict]:
        grouped: dict[str, list[tuple[str, dict]]] = {group.slug: [] for group in (*GROUPS, ADMINISTRATION)}
        for app in app_list:
            for model in app["models"]:
                group = next((g for g in GROUPS if g.matches(app["app_label"], model)), ADMINISTRATION)
                grouped[group.slug].append((app["app_label"], model))
        result = []
        for group in (*GROUPS, ADMINISTRATION):
            entries = sorted(grouped[group.slug], key=lambda entry: group.rank(*entry))
            if not entries:
                continue
            models = [model for _, model in entries]
            result.append(
                {
                    "name": group.name,
                    "app_label": group.slug,
                    "app_url": models[0]["admin_url"] or "",
                    "has_module_perms": True,
                    "models": models,
                }
            )
        return result

    def each_context(self, request):
        context = super().each_context(request)
        context["panel_links"] = panel_links(request)
        return context


def panel_links(request) -> list[tuple[str, str]]:
    """The HR pages outside the admin, for the index and the header (only those the user may open)."""
    links = []
    if request.user.is_active and request.user.is_staff and request.user.has_perms(DASHBOARD_PERMISSIONS):
        links.append(("Readiness dashboard", reverse("hr:dashboard")))
        links.append(("Exports", reverse("hr:exports")))
    if request.user.is_active and request.user.is_staff and request.user.has_perms((VIEW_PEOPLE, IMPORT_PEOPLE)):
        links.append(("Import people", reverse("hr:people_import")))
    if request.user.is_active and request.user.is_staff and request.user.has_perms(SCIM_TOKEN_PERMISSIONS):
        links.append(("Provisioning (SCIM tokens)", reverse("hr:scim_tokens")))
    return links


# --- Helpers for the People pages' model admins ------------------------------------------------


class ReadOnlyAdmin(admin.ModelAdmin):
    """People's data: readable with the view permission, never added or changed here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # subclasses may let superusers delete (erasure)


class SingletonAdmin(admin.ModelAdmin):
    """A model of one row (its SINGLETON_PK), such as a policy HR sets: its list is its change form,
    and it is never added or deleted in the panel. Showing it writes nothing: until first saved,
    the form shows the model's defaults."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_url(self) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[self.model.SINGLETON_PK])

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return HttpResponseRedirect(self.change_url())

    def get_object(self, request, object_id, from_field=None):
        if str(object_id) != str(self.model.SINGLETON_PK):
            return None
        pk = self.model.SINGLETON_PK
        return self.model.objects.filter(pk=pk).first() or self.model(pk=pk)

    def response_post_save_change(self, request, obj):
        return HttpResponseRedirect(self.change_url())


class RedirectToPanelPageMixin:
    """The admin's change page of a result or plan opens HR's read-only page (which records the access)."""

    def panel_url(self, obj) -> str:
        raise NotImplementedError

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_view_permission(request, obj):
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return redirect(self.panel_url(obj))
