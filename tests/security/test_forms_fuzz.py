"""The fuzz harness: every form and list a person or HR can reach, sent boundary values field by field.

For each form page (FORM_PAGES below, and every add and change form of the HR panel found by
walking the admin site's registry, with its inlines), the harness opens the page as the one
who can reach it, takes what a browser would post back unchanged, and posts it again with one
field replaced by each value a hostile or careless client might send for that kind of field:
the longest value the field takes and one character more, 100,000 characters, control
characters, CR/LF, a NUL, a lone surrogate, combining marks, right-to-left overrides,
non-numeric and huge ids and numbers, impossible dates. List pages (LIST_PAGES, every panel
list with its search, ordering, paging, filter and date parameters, and its actions) get the
same values in their query parameters. Every path parameter gets non-numeric and huge ids.

Each request must answer below 500 (the test client re-raises what a view lets escape, so an
exception counts as a 500 too). A refused form changes no row of the models it writes; an
accepted one never stores a control character in a single-line column. Failures are collected
per form, so one run lists every field that fails.

`test_the_harness_covers_every_page_and_form` fails when a URL pattern, a panel model or a form
class of the project is not covered here.

On PostgreSQL (marked): SQLite takes what PostgreSQL refuses (over-long text, NUL).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django import forms
from django.apps import apps
from django.contrib import admin
from django.db import models, transaction
from django.forms.formsets import BaseFormSet
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from careerpath.security import CONTROL_CHARACTERS

from .conftest import World
from .urlconf import all_patterns

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def world(module_world, db) -> World:
    return module_world


# --- Boundary values per kind of field ----------------------------------------------------------

SURROGATE = "\ud800"  # cannot be encoded in UTF-8: sent as its (invalid) UTF-8 bytes, as a client could
# Few values per kind, each standing for a class of input, so that the whole harness stays within
# a few minutes: the validator's own tests try every control character one by one.
HUGE = "9" * 30  # beyond 64 bits, as an id, a number or a page
NUMBER_JUNK = [("not-a-number", "abc"), ("huge", HUGE), ("nan", "NaN")]
ID_JUNK = [("not-an-id", "abc"), ("negative", "-1"), ("huge", HUGE)]
DATE_JUNK = [("no-such-day", "2024-02-30"), ("year-99999", "99999-12-31")]
CHOICE_JUNK = [("100k", "a" * 100_000)]
CONTROL_TEXTS = [
    ("crlf", "Line\r\nBcc: someone@example.com"),
    ("controls-and-overrides", "a\x01\x07\x1b\x7f\x85\u202egnp.exe\u202c\u2066x\u2069b"),
]


def text_values(field: forms.CharField) -> list[tuple[str, str]]:
    limit = field.max_length
    # Lone surrogate, combining marks, and a letter that lower-cases to two characters, filling the field.
    odd = f"{SURROGATE}e" + "\u0301" * 20 + "İ" * ((limit or 200) - 22)
    values = [("100k", "a" * 100_000), ("surrogate-combining-expanding", odd)]
    if limit:
        values += [("max", sized(field, limit)), ("max+1", sized(field, limit + 1))]
    return values + CONTROL_TEXTS


def sized(field: forms.CharField, length: int) -> str:
    """A value of `length` characters that is otherwise valid for the field, where that is easy."""
    if isinstance(field, forms.EmailField):
        return "a" * (length - len("@example.com")) + "@example.com"
    if isinstance(field, forms.URLField):
        return "https://example.com/" + "a" * (length - len("https://example.com/"))
    return "a" * length


def values_for(field: forms.Field) -> list[tuple[str, str]]:
    """The hostile values to try in one field, by its kind."""
    if isinstance(field, (forms.ModelChoiceField, forms.ModelMultipleChoiceField)):
        return ID_JUNK
    if isinstance(field, (forms.IntegerField, forms.FloatField, forms.DecimalField)):
        return [*NUMBER_JUNK, ("nan", "NaN")]
    if isinstance(field, (forms.DateField, forms.DateTimeField, forms.TimeField, forms.DurationField)):
        return DATE_JUNK
    if isinstance(field, (forms.ChoiceField, forms.MultipleChoiceField)):
        return CHOICE_JUNK
    if isinstance(field, (forms.BooleanField, forms.NullBooleanField)):
        return []  # any value is true: nothing to break
    if isinstance(field, forms.JSONField):
        return [("not-json", "{"), ("deep", "[" * 10_000), ("100k", '"' + "a" * 100_000 + '"')]
    if isinstance(field, forms.FileField):
        return []
    if isinstance(field, forms.CharField):
        return text_values(field)
    return [("100k", "a" * 100_000), *CONTROL_TEXTS]  # anything else: fail loudly if it 500s


PARAM_JUNK = [
    ("100k", "a" * 100_000),
    ("not-an-id", "abc"),
    ("huge", HUGE),
    ("negative", "-1"),
    ("no-such-day", "2024-02-30"),
    ("surrogate-crlf-override", f"a{SURROGATE}\r\n\u202eb"),
    ("nul", "a\x00b"),
]


# --- What a browser would post back ---------------------------------------------------------------


def _inner(widget):
    return getattr(widget, "widget", widget)


def _text(value) -> str:
    if isinstance(value, models.Model):
        return str(value.pk)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return "" if value is None else str(value)


@dataclass
class Field:
    """One field of a form on the page, under the names it is posted as."""

    names: tuple[str, ...]  # a split date and time posts two names
    field: forms.Field


def browser_data(form: forms.BaseForm) -> tuple[dict[str, list[str]], list[Field]]:
    """The data a browser posts for an untouched form, and its fields."""
    data, fields = {}, []
    for bound in form:
        if bound.field.disabled:
            continue
        widget = _inner(bound.field.widget)
        value = bound.value()
        if isinstance(widget, forms.MultiWidget):
            names = tuple(bound.html_name + suffix for suffix in widget.widgets_names)
            parts = value if isinstance(value, (list, tuple)) else widget.decompress(value)
            for name, part in zip(names, parts, strict=False):
                data[name] = [_text(part)]
        else:
            names = (bound.html_name,)
            if isinstance(widget, forms.CheckboxInput):
                if widget.check_test(value):
                    data[bound.html_name] = ["on"]
            elif isinstance(value, (list, tuple)):
                data[bound.html_name] = [_text(item) for item in value]
            else:
                data[bound.html_name] = [_text(value)]
        fields.append(Field(names, bound.field))
    return data, fields


def formset_data(formset: BaseFormSet) -> tuple[dict[str, list[str]], list[Field]]:
    """A formset as posted untouched; the fields of its first form are the ones varied."""
    data, _ = browser_data(formset.management_form)
    fields: list[Field] = []
    for index, form in enumerate(formset.forms):
        form_data, form_fields = browser_data(form)
        data.update(form_data)
        if index == 0:
            fields = form_fields
    return data, fields


def page_data(items, *, formset_keys_only: bool = False) -> tuple[dict[str, list[str]], list[Field]]:
    """All the forms of a page as posted untouched, and the fields to vary.

    With `formset_keys_only`, only a formset row's hidden keys (its own id, its parent's) are
    varied: a change page's inline rows are the add page's, whose fields the add page varies.
    """
    data, fields = {}, []
    for item in items:
        if isinstance(item, BaseFormSet):
            item_data, item_fields = formset_data(item)
            if formset_keys_only:
                item_fields = [f for f in item_fields if isinstance(_inner(f.field.widget), forms.HiddenInput)]
        else:
            item_data, item_fields = browser_data(item)
        data.update(item_data)
        fields += item_fields
    return data, fields


# --- Sending, and checking what was stored ---------------------------------------------------------

SURROGATE_BYTES = "%ED%A0%80"


def send(client: Client, method: str, url: str, data: dict[str, list[str]]):
    """One request, in a savepoint so a database error leaves the test's transaction usable.

    Returns the response, or the exception a view let escape (a 500 in production).
    """
    body = urlencode(
        {key: [value.replace(SURROGATE, "\0SURROGATE\0") for value in values] for key, values in data.items()},
        doseq=True,
    ).replace("%00SURROGATE%00", SURROGATE_BYTES)
    try:
        with transaction.atomic():
            if method == "GET":
                return client.get(f"{url}?{body}")
            return client.generic("POST", url, body, content_type="application/x-www-form-urlencoded")
    except Exception as exc:
        return exc


CONTROL_CLASS = "[" + "".join(sorted(CONTROL_CHARACTERS - {"\x00"})) + "]"


def single_line_columns(model) -> list[str]:
    return [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField) and not f.choices and not f.is_relation
    ]


@dataclass
class Snapshot:
    """Row counts of the models a form writes, and how many of their single-line values hold a control character."""

    models: tuple

    def take(self) -> dict:
        counts = {}
        for model in self.models:  # one query per model
            query = models.Q()
            for column in single_line_columns(model):
                query |= models.Q(**{f"{column}__regex": CONTROL_CLASS})
            label = model._meta.label
            figures = {"rows": models.Count("pk")} | ({"control": models.Count("pk", filter=query)} if query else {})
            figures = model._default_manager.aggregate(**figures)
            counts[label] = figures["rows"]
            counts[f"{label} with control characters"] = figures.get("control", 0)
        return counts


@dataclass
class Findings:
    where: str
    problems: list[str] = field(default_factory=list)
    requests: int = 0

    def check(self, label: str, response, before: dict, after: dict) -> None:
        self.requests += 1
        if isinstance(response, Exception):
            self.problems.append(f"{label}: 500 ({type(response).__name__}: {str(response)[:160]})")
            return
        if response.status_code >= 500:
            self.problems.append(f"{label}: {response.status_code}")
            return
        accepted = response.status_code in (301, 302)
        for key, count in after.items():
            if key.endswith("with control characters"):
                if count > before.get(key, 0):
                    self.problems.append(f"{label}: stored a control character in {key.split()[0]}")
            elif not accepted and count != before.get(key):
                self.problems.append(f"{label}: refused ({response.status_code}) but {key} went {before[key]}→{count}")

    def assert_none(self):
        assert self.requests, f"{self.where}: nothing was sent"
        assert not self.problems, f"{self.where}:\n  " + "\n  ".join(self.problems)


def fuzz_form(client: Client, url: str, data: dict, fields: list[Field], snapshot: Snapshot, where: str) -> Findings:
    findings = Findings(where)
    tries = [("nul", {next(iter(data), "x"): ["a\x00b"]})] if data else [("nul", {"x": ["a\x00b"]})]
    for item in fields:
        for label, value in values_for(item.field):
            tries.append((f"{item.names[0]}={label}", {key: [value] for key in item.names}))
    tries.append(("untouched", {}))
    before = snapshot.take()
    for label, change in tries:
        response = send(client, "POST", url, {**data, **change})
        after = snapshot.take()
        findings.check(label, response, before, after)
        before = after
    return findings


def fuzz_params(client: Client, url: str, params: dict[str, str], names, where: str) -> Findings:
    findings = Findings(where)
    for name in names:
        for label, value in PARAM_JUNK:
            response = send(client, "GET", url, {**{k: [v] for k, v in params.items()}, name: [value]})
            findings.check(f"?{name}={label}", response, {}, {})
    return findings


# --- The site's own pages ------------------------------------------------------------------------


def future(days: int = 60) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def reset_confirm_url(world: World, client: Client) -> str:
    """The set-password page a reset link leads to (the link's token is swapped for a session one)."""
    engineer = type(world.engineer)._default_manager.get(pk=world.engineer.pk)  # as stored: last_login counts
    uid = user_pk_to_url_str(engineer)
    token = default_token_generator.make_token(engineer)
    response = client.get(reverse("account_reset_password_from_key", kwargs={"uidb36": uid, "key": token}))
    assert response.status_code == 302, "the reset link should lead to the set-password page"
    return response["Location"]


@dataclass(frozen=True)
class FormPage:
    """A page with a form. The forms are read from the GET page's context (`context`), or built
    (`build`) for a form posted from another page; `extra` fills what the page expects beyond them."""

    actor: str
    form_classes: tuple[str, ...]  # dotted paths: what the completeness test counts as covered
    models: tuple[str, ...]  # whose rows a refused post must leave alone
    context: tuple[str, ...] = ("form",)
    url: Callable[[World, Client], str] | None = None  # the page's address when it needs more than reverse()
    query: Callable[[World], dict] = lambda world: {}
    build: Callable[[World], list] | None = None
    extra: Callable[[World], dict] = lambda world: {}


def _milestone_forms(world):
    from plans.forms import MilestoneStatusForm

    return [MilestoneStatusForm(instance=world.milestone)]


def _milestone_add_forms(world):
    from plans.forms import MilestoneAddForm

    return [MilestoneAddForm(initial={"title": "Read the book", "due_date": future()})]


def _people_import_forms(world):
    from hr.forms import PeopleImportApplyForm, PeopleImportForm

    # The file's content is fuzzed by hr/tests/test_people_import.py; here the apply form's digest.
    return [PeopleImportForm(), PeopleImportApplyForm(initial={"digest": "0" * 64})]


def _milestone_set_aside_forms(world):
    from plans.forms import MilestoneSetAsideForm

    return [MilestoneSetAsideForm(initial={"status": "not_needed", "reason": "Covered by my degree"})]


def _credential_dates_forms(world):
    """The engineer holds a credential, so the page has a date to fuzz."""
    from plans.forms import CredentialDatesForm
    from plans.selectors import held_credentials
    from roles.models import Certification

    world.engineer.profile.certifications.add(Certification.objects.get(slug="pmp"))
    return [CredentialDatesForm(held=held_credentials(user=world.engineer))]


def _delete_forms(world):
    return []


def _comment_forms(world):
    from plans.forms import PlanCommentForm

    return [PlanCommentForm(initial={"body": "Let's talk about it."})]


def _privacy_forms(world):
    from plans.forms import PlanPrivacyForm

    return [PlanPrivacyForm(instance=world.plan)]


def _confirm_forms(world):
    from plans.forms import MilestoneConfirmForm

    return [MilestoneConfirmForm(initial={"action": "confirm"})]


FORM_PAGES: dict[str, FormPage] = {
    "account_signup": FormPage(
        "anonymous",
        # allauth's SignupForm is built on ACCOUNT_SIGNUP_FORM_CLASS: posting it posts the name field too
        ("allauth.account.forms.SignupForm", "accounts.forms.SignupExtraForm"),
        ("accounts.User", "accounts.Profile"),
        extra=lambda w: {"email": "new.person@example.com", "password1": "a-long-pass-phrase-1", "password2": "x"},
    ),
    "account_login": FormPage(
        "anonymous", ("allauth.account.forms.LoginForm",), ("accounts.User",), extra=lambda w: {"password": "x"}
    ),
    "accounts:profile": FormPage(
        "engineer", ("accounts.forms.ProfileForm",), ("accounts.User", "accounts.Profile", "roles.Certification")
    ),
    "accounts:delete": FormPage("other", ("accounts.forms.AccountDeleteForm",), ("accounts.User",)),
    "account_change_password": FormPage("engineer", ("allauth.account.forms.ChangePasswordForm",), ("accounts.User",)),
    "account_reset_password": FormPage("anonymous", ("allauth.account.forms.ResetPasswordForm",), ("accounts.User",)),
    "account_reset_password_from_key": FormPage(
        "anonymous", ("allauth.account.forms.ResetPasswordKeyForm",), ("accounts.User",), url=reset_confirm_url
    ),
    "account_reauthenticate": FormPage("engineer", ("allauth.account.forms.ReauthenticateForm",), ("accounts.User",)),
    "account_email": FormPage("engineer", ("allauth.account.forms.ChangeEmailForm",), ("account.EmailAddress",)),
    "assessments:section": FormPage(
        "engineer",
        ("assessments.forms.SectionForm",),
        ("assessments.Answer", "assessments.Response"),
        url=lambda w, c: reverse("assessments:section", kwargs={"pk": w.response.pk, "order": 1}),
    ),
    "plans:create": FormPage(
        "engineer",
        ("plans.forms.PlanOptionsForm", "plans.forms.MilestoneForm"),
        ("plans.Plan", "plans.Milestone", "reminders.Reminder"),
        context=("formset",),
        query=lambda w: {"result": w.result.pk, "target": "senior"},
        extra=lambda w: {"result": str(w.result.pk), "target": "senior", "horizon": "24"},
    ),
    "plans:milestone_add": FormPage(
        "engineer",
        ("plans.forms.MilestoneAddForm",),
        ("plans.Milestone", "reminders.Reminder"),
        url=lambda w, c: reverse("plans:milestone_add", kwargs={"pk": w.plan.pk}),
        build=_milestone_add_forms,
    ),
    "plans:milestone_status": FormPage(
        "engineer",
        ("plans.forms.MilestoneStatusForm",),
        ("plans.Milestone", "reminders.Reminder"),
        url=lambda w, c: reverse("plans:milestone_status", kwargs={"pk": w.milestone.pk}),
        build=_milestone_forms,
    ),
    "plans:milestone_set_aside": FormPage(
        "engineer",
        ("plans.forms.MilestoneSetAsideForm",),
        ("plans.Milestone", "reminders.Reminder"),
        url=lambda w, c: reverse("plans:milestone_set_aside", kwargs={"pk": w.milestone.pk}),
        build=_milestone_set_aside_forms,
    ),
    "plans:credentials": FormPage(
        "engineer",
        ("plans.forms.CredentialDatesForm",),
        ("accounts.CredentialEarned", "plans.Milestone", "reminders.Reminder"),
        build=_credential_dates_forms,
    ),
    "plans:milestone_edit": FormPage(
        "engineer",
        ("plans.forms.MilestoneEditForm",),
        ("plans.Milestone", "reminders.Reminder"),
        url=lambda w, c: reverse("plans:milestone_edit", kwargs={"pk": w.milestone.pk}),
    ),
    "hr:people_import": FormPage(
        "hr",
        ("hr.forms.PeopleImportForm", "hr.forms.PeopleImportApplyForm"),
        ("accounts.User", "accounts.Profile"),
        url=lambda w, c: reverse("hr:people_import"),
        build=_people_import_forms,
    ),
    "teams:rate": FormPage(
        "manager",
        ("teams.forms.ManagerRatingForm",),
        ("teams.ManagerRating", "teams.SkillRating"),
        url=lambda w, c: reverse("teams:rate", kwargs={"person_id": w.engineer.pk}),
    ),
    "plans:milestone_evidence": FormPage(
        "engineer",
        ("plans.forms.MilestoneEvidenceForm",),
        ("plans.Milestone",),
        url=lambda w, c: reverse("plans:milestone_evidence", kwargs={"pk": w.milestone.pk}),
    ),
    "plans:comment_add": FormPage(
        "engineer",
        ("plans.forms.PlanCommentForm",),
        ("plans.PlanComment",),
        url=lambda w, c: reverse("plans:comment_add", kwargs={"pk": w.plan.pk}),
        build=_comment_forms,
    ),
    "plans:privacy": FormPage(
        "engineer",
        ("plans.forms.PlanPrivacyForm",),
        ("plans.Plan",),
        url=lambda w, c: reverse("plans:privacy", kwargs={"pk": w.plan.pk}),
        build=_privacy_forms,
    ),
    # Peer input: the engineer asks (skills and addresses); the colleague asked answers.
    "teams:peers": FormPage(
        "engineer",
        ("teams.forms.PeerRoundForm",),
        ("teams.PeerRound", "teams.PeerRoundSkill", "teams.PeerRequest"),
    ),
    "teams:peer_answer": FormPage(
        "peer",
        ("teams.forms.PeerAnswerForm",),
        ("teams.PeerAnswer", "teams.PeerRequest"),
        url=lambda w, c: reverse("teams:peer_answer", kwargs={"pk": w.peer_request.pk}),
    ),
    "teams:report_plan_comment": FormPage(
        "manager",
        ("plans.forms.PlanCommentForm",),
        ("plans.PlanComment",),
        url=lambda w, c: reverse("teams:report_plan_comment", kwargs={"person_id": w.engineer.pk, "pk": w.plan.pk}),
        build=_comment_forms,
    ),
    "teams:report_milestone_confirm": FormPage(
        "manager",
        ("plans.forms.MilestoneConfirmForm",),
        ("plans.Milestone",),
        url=lambda w, c: reverse(
            "teams:report_milestone_confirm", kwargs={"person_id": w.engineer.pk, "pk": w.milestone.pk}
        ),
        build=_confirm_forms,
    ),
    "admin:password_change": FormPage("hr", (), ("accounts.User",)),
    "admin:auth_user_password_change": FormPage(
        "superuser",
        ("django.contrib.auth.forms.AdminPasswordChangeForm",),
        ("accounts.User",),
        url=lambda w, c: reverse("admin:auth_user_password_change", args=[w.other.pk]),
    ),
    "hr:api_tokens": FormPage("hr", ("hr.forms.ApiTokenForm",), ("api.ApiToken",), extra=lambda w: {"scope": "read"}),
    "hr:scim_tokens": FormPage("hr", ("hr.forms.ScimTokenForm",), ("scim.ScimToken",)),
}


@dataclass(frozen=True)
class ListPage:
    actor: str
    params: tuple[str, ...]
    url: Callable[[World], str] | None = None
    query: Callable[[World], dict] = lambda world: {}


LIST_PAGES: dict[str, ListPage] = {
    "roles:list": ListPage("anonymous", ("discipline", "track")),
    "roles:compare": ListPage("anonymous", ("a", "b")),
    "assessments:home": ListPage("engineer", ("page",)),
    "assessments:result": ListPage(
        "engineer", ("target",), url=lambda w: reverse("assessments:result", kwargs={"pk": w.result.pk})
    ),
    "assessments:compare": ListPage("engineer", ("a", "b")),
    "plans:list": ListPage("engineer", ("page",)),
    "plans:create": ListPage("engineer", ("result", "target", "goal", "horizon"), query=lambda w: {"target": "senior"}),
    "hr:person_result": ListPage(
        "hr",
        ("target",),
        url=lambda w: reverse("hr:person_result", kwargs={"person_id": w.engineer.pk, "pk": w.result.pk}),
    ),
    "hr:dashboard": ListPage("hr", ("discipline", "track", "target")),
    "hr:people": ListPage("hr", ("q", "discipline", "role", "manager", "plan", "result", "active", "sort", "page")),
    "teams:report_result": ListPage(
        "manager",
        ("target",),
        url=lambda w: reverse("teams:report_result", kwargs={"person_id": w.engineer.pk, "pk": w.result.pk}),
    ),
    "admin:autocomplete": ListPage(
        "hr",
        ("term", "app_label", "model_name", "field_name", "page"),
        query=lambda w: {"app_label": "roles", "model_name": "salaryfigure", "field_name": "role"},
    ),
}

# Pages that read nothing from a form or the query string; their path parameters are fuzzed below.
NO_INPUT = {
    "home": "a static page",
    "healthz": "no parameters",
    "favicon": "a redirect",
    "<route:admin/>": "a redirect to the panel",
    "account_logout": "POST without fields",
    "admin:login": "a redirect to the site's log-in (account_login, fuzzed above)",
    "account_email_verification_sent": "a static page",
    # allauth.mfa's pages: each is behind a fresh reauthentication (the harness's force_login gives none),
    # so a posted form never reaches them; allauth validates their one code field.
    "mfa_index": "a list of the person's second factors, no input",
    "mfa_authenticate": "only during a log-in waiting for its second factor (accounts/tests/test_mfa.py)",
    "mfa_reauthenticate": "only during a reauthentication",
    "mfa_activate_totp": "behind reauthentication (accounts/tests/test_mfa.py posts it)",
    "mfa_deactivate_totp": "behind reauthentication",
    "mfa_view_recovery_codes": "behind reauthentication",
    "mfa_generate_recovery_codes": "behind reauthentication",
    "mfa_download_recovery_codes": "behind reauthentication, a text download",
    "mfa_list_webauthn": "behind reauthentication",
    "mfa_add_webauthn": "behind reauthentication; its input is a browser's WebAuthn credential",
    "mfa_reauthenticate_webauthn": "only during a reauthentication; a WebAuthn assertion",
    "mfa_remove_webauthn": "behind reauthentication; an id in the path (fuzzed as a path parameter)",
    "mfa_edit_webauthn": "behind reauthentication; an id in the path (fuzzed as a path parameter)",
    "mfa_login_webauthn": "a WebAuthn assertion from the browser",
    "account_confirm_email": "a key in the path (fuzzed as a path parameter); its POST has no fields",
    "account_inactive": "a static page",
    "account_set_password": "a redirect: everyone has a password (the change-password page takes it)",
    "account_confirm_login_code": "a redirect: log-in by emailed code is off",
    "account_request_reauthentication_code": "refused (403): reauthentication by emailed code is off",
    "account_confirm_reauthentication_code": "refused (403): reauthentication by emailed code is off",
    "accounts:data_view": "no parameters: the person's own data, to read",
    "accounts:data_export": "a download",
    "accounts:sessions_end_others": "POST without fields",
    "account_reset_password_done": "a static page",
    "account_reset_password_from_key_done": "a static page",
    "roles:map": "a static page",
    "roles:detail": "a slug in the path (fuzzed as a path parameter)",
    "assessments:start": "POST without fields",
    "assessments:review": "no form",
    "assessments:submit": "POST without fields",
    "plans:detail": "no parameters; its forms post to milestone_add and milestone_status",
    "plans:print": "no parameters",
    "plans:csv": "a download",
    "plans:archive": "POST without fields",
    "plans:milestone_restore": "POST without fields",
    "plans:milestone_move": "one button value, up or down; anything else changes nothing (plans/tests)",
    "plans:calendar_rotate": "POST without fields",
    "plans:calendar": "a token in the path (fuzzed as a path parameter)",
    "reminders:unsubscribe": "a token in the path (fuzzed as a path parameter); its POST has no fields",
    "hr:dashboard_csv": "a chart name in the path",
    "hr:exports": "links only",
    "hr:agreement": "no parameters",
    "hr:agreement_csv": "a download",
    "hr:reminders_send_due": "POST without fields",
    "hr:export_people": "a download",
    "hr:export_plans": "a download",
    "hr:export_results": "a download",
    "hr:person_plan": "no parameters",
    "teams:team": "no parameters",
    "teams:report_plan": "ids in the path (fuzzed as path parameters)",
    "teams:report_ratings": "an id in the path (fuzzed as a path parameter)",
    "teams:my_ratings": "no parameters",
    "plans:comment_delete": "POST without fields; the id is in the path",
    "teams:report_plan_agree": "POST without fields; the ids are in the path",
    "teams:peer_round_close": "POST without fields; the id is in the path",
    "admin:index": "no parameters",
    "admin:logout": "POST without fields",
    "admin:password_change_done": "a static page",
    "admin:jsi18n": "no parameters",
    "admin:view_on_site": "ids in the path (fuzzed as path parameters)",
    "admin:app_list": "an app label in the path",
    "admin:assessments_questionnaireversion_publish": "POST without fields; the id is in the path",
    "admin:assessments_questionnaireversion_clone": "POST without fields; the id is in the path",
    "admin:assessments_questionnaireversion_preview": "a read-only preview",
    "hr:api_token_revoke": "POST without fields; the id is in the path",
    "hr:scim_token_revoke": "POST without fields; the id is in the path",
    "scim:users": "the SCIM API (JSON, bearer token): bodies, filters and paging fuzzed by scim/tests/test_errors.py",
    "scim:user": "the SCIM API: bodies and ids fuzzed by scim/tests/test_errors.py",
    "scim:groups": "the SCIM API: bodies and filters fuzzed by scim/tests/test_errors.py",
    "scim:group": "the SCIM API: bodies and ids fuzzed by scim/tests/test_errors.py",
    "scim:service_provider_config": "the SCIM API: no parameters",
    "scim:resource_types": "the SCIM API: no parameters",
    "scim:schemas": "the SCIM API: no parameters",
}


def context_forms(response, names: tuple[str, ...]) -> list:
    found = []
    for name in names:
        item = response.context.get(name) if response.context is not None else None
        assert item is not None, f"the page has no {name!r} in its context"
        found.append(item)
    return found


def model_classes(labels) -> tuple:
    return tuple(apps.get_model(label) for label in labels)


@pytest.mark.parametrize("key", sorted(FORM_PAGES))
def test_every_form_of_the_site_refuses_hostile_values_without_a_500(key, world):
    page = FORM_PAGES[key]
    client = world.client(page.actor)
    url = page.url(world, client) if page.url else reverse(key)
    if page.build:
        items = page.build(world)
    else:
        shown = client.get(url, page.query(world))
        assert shown.status_code == 200, f"{key}: the form page answered {shown.status_code}"
        items = context_forms(shown, page.context)
        if key == "plans:create":
            items.append(shown.context["options"])
    data, fields = page_data(items)
    data.update({name: [value] for name, value in page.extra(world).items()})
    assert fields, f"{key}: no fields found on the page"

    fuzz_form(client, url, data, fields, Snapshot(model_classes(page.models)), key).assert_none()


@pytest.mark.parametrize("key", sorted(LIST_PAGES))
def test_every_list_page_takes_hostile_query_parameters_without_a_500(key, world):
    page = LIST_PAGES[key]
    client = world.client(page.actor)
    url = page.url(world) if page.url else reverse(key)
    assert client.get(url, page.query(world)).status_code == 200, f"{key}: the page itself does not open"

    fuzz_params(client, url, page.query(world), page.params, key).assert_none()


# --- The HR panel: every model admin's add, change and list pages -----------------------------------

REGISTRY = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
PANEL_ACTORS = ("hr", "superuser")  # the least privileged who can reach a page is the one who fuzzes it


def panel_client(world: World, url: str) -> tuple[Client, object]:
    """The least privileged panel user's client and the page; a page that sends both on elsewhere
    (a result's change page opens HR's result page) is returned as that redirect."""
    redirected = None
    for actor in PANEL_ACTORS:
        client = world.client(actor)
        response = client.get(url)
        if response.status_code == 200:
            return client, response
        if response.status_code == 302 and "login" not in response["Location"]:
            redirected = redirected or (client, response)
    if redirected:
        return redirected
    pytest.fail(f"{url}: neither HR nor a superuser can open it")


def some_object(world: World, model) -> models.Model:
    """A row to open the change page of: the world has one of each, or makes one here."""
    obj = model._default_manager.order_by("pk").first()
    if obj is None and model._meta.label == "hr.AccessRecord":
        world.client("hr").get(
            reverse("hr:person_result", kwargs={"person_id": world.engineer.pk, "pk": world.result.pk})
        )
        obj = model._default_manager.order_by("pk").first()
    if obj is None and hasattr(model, "SINGLETON_PK"):  # a one-row model (a policy HR sets)
        obj = model._default_manager.get_or_create(pk=model.SINGLETON_PK)[0]
    if obj is None and model._meta.app_label == "axes":  # log-in records; the access logs are switched off
        fields = {
            "username": "hmac:x",
            "ip_address": "127.0.0.1",
            "user_agent": "x",
            "path_info": "/",
            "http_accept": "x",
        }
        if model._meta.model_name == "accessattempt":
            fields |= {"get_data": "", "post_data": "", "failures_since_start": 1}
        obj = model._default_manager.create(**fields)
    return obj


def admin_page_forms(response) -> tuple[list, tuple]:
    """The forms of an admin add or change page (the main form and each inline's formset) and their models."""
    context = response.context
    if "adminform" not in context:
        return [], ()
    items = [context["adminform"].form]
    written = [context["adminform"].form._meta.model] if hasattr(context["adminform"].form, "_meta") else []
    for inline in context.get("inline_admin_formsets", []):
        items.append(inline.formset)
        written.append(inline.formset.model)
    return items, tuple(written)


@pytest.mark.parametrize(("model", "model_admin"), REGISTRY, ids=[m._meta.label for m, _ in REGISTRY])
@pytest.mark.parametrize("view", ["add", "change"])
def test_every_panel_form_and_inline_refuses_hostile_values_without_a_500(model, model_admin, view, world):
    info = (model._meta.app_label, model._meta.model_name)
    superuser_request = type("Request", (), {"user": world.superuser})()
    if view == "add":
        if not model_admin.has_add_permission(superuser_request):
            pytest.skip("nobody may add these in the panel (has_add_permission is False)")
        url = reverse("admin:{}_{}_add".format(*info))
    else:
        obj = some_object(world, model)
        assert obj is not None, f"the world has no {model._meta.label} to open the change page of"
        url = reverse("admin:{}_{}_change".format(*info), args=[obj.pk])
    client, shown = panel_client(world, url)
    items, written = admin_page_forms(shown) if shown.context is not None else ([], ())
    # An admin that has an add page had its inlines' fields varied there; its change page varies
    # their hidden keys (the rows are stored ones here) and the main form's fields.
    data, fields = page_data(
        items, formset_keys_only=view == "change" and model_admin.has_add_permission(superuser_request)
    )
    snapshot = Snapshot(tuple(dict.fromkeys((model._meta.concrete_model, *written))))

    fuzz_form(client, url, data, fields, snapshot, f"{model._meta.label} {view}").assert_none()


@pytest.mark.parametrize(("model", "model_admin"), REGISTRY, ids=[m._meta.label for m, _ in REGISTRY])
def test_every_panel_list_takes_hostile_parameters_and_actions_without_a_500(model, model_admin, world):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    some_object(world, model)
    client, shown = panel_client(world, url)
    names = ["q", "o", "p", "e", "_to_field", "_popup", "all"]
    changelist = shown.context["cl"] if shown.status_code == 200 else None  # the reminder policy's is its form
    for spec in changelist.filter_specs if changelist else ():
        names += spec.expected_parameters()
    if changelist and changelist.date_hierarchy:
        names += [f"{changelist.date_hierarchy}__{part}" for part in ("year", "month", "day")]
    findings = fuzz_params(client, url, {}, dict.fromkeys(names), f"{model._meta.label} list")

    # Actions (and the list's editable rows, where it has them) are posted to the list.
    snapshot = Snapshot((model._meta.concrete_model,))
    actions = [name for name in model_admin.get_actions(shown.wsgi_request) if name != "delete_selected"]
    for action in actions:
        for label, value in [*ID_JUNK, ("fraction", "1.5"), ("rtl-override", "1\u202e")]:
            before = snapshot.take()
            data = {"action": [action], "_selected_action": [value], "index": ["0"]}
            findings.check(f"action {action} on {label}", send(client, "POST", url, data), before, snapshot.take())
    if changelist is not None and changelist.formset is not None:
        data, fields = page_data([changelist.formset])
        data["_save"] = ["Save"]
        for problem in fuzz_form(client, url, data, fields, snapshot, "list editing").problems:
            findings.problems.append(f"list editing: {problem}")
        findings.requests += 1
    findings.assert_none()


# --- Path parameters --------------------------------------------------------------------------------

PATH_PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")
PATH_JUNK = {"int": [HUGE, str(2**63)], "path": ["abc", HUGE, "1.5", "%E2%80%AE1"], "str": ["a" * 300, "%E2%80%AE"]}
PATH_JUNK["slug"] = ["a" * 300]


def path_tries(pattern) -> list[str]:
    """The pattern's path with each parameter in turn set to junk, the others to 1."""
    parameters = PATH_PARAMETER.findall(pattern.route)
    tries = []
    for index, (converter, _) in enumerate(parameters):
        for junk in PATH_JUNK.get(converter or "str", []):
            values = iter(junk if i == index else "1" for i in range(len(parameters)))
            tries.append("/" + PATH_PARAMETER.sub(lambda m, values=values: next(values), pattern.route))
    return tries


def test_every_path_parameter_takes_non_numeric_and_huge_ids_without_a_500(world):
    patterns = [p for p in all_patterns() if not p.is_regex and PATH_PARAMETER.search(p.route)]
    clients = {actor: world.client(actor) for actor in ("engineer", "hr", "superuser", "manager")}
    findings = Findings("path parameters")
    for pattern in patterns:
        # The panel's pages as a superuser (who reaches them all), HR's as HR, the team pages as the
        # engineer's manager, the rest as their owner.
        actor = (
            "superuser"
            if pattern.is_admin
            else "hr"
            if pattern.key.startswith("hr:")
            else "manager"
            if pattern.key.startswith("teams:")
            else "engineer"
        )
        for path in path_tries(pattern):
            for method in ("GET", "POST"):
                findings.check(f"{method} {path[:80]} as {actor}", send(clients[actor], method, path, {}), {}, {})
    findings.assert_none()


# --- Completeness -----------------------------------------------------------------------------------

PROJECT_APPS = ("accounts", "roles", "assessments", "plans", "reminders", "teams", "hr", "careerpath", "scim")


def project_form_classes() -> set[str]:
    """Every Form and ModelForm class defined in the project's own modules."""
    import importlib
    import pkgutil

    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        for module in pkgutil.iter_modules(package.__path__):
            if module.name in ("forms", "admin", "views"):
                importlib.import_module(f"{app}.{module.name}")
    found, pending = set(), [forms.BaseForm]
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        if cls.__module__.split(".")[0] in PROJECT_APPS and "tests" not in cls.__module__:
            found.add(f"{cls.__module__}.{cls.__qualname__}")
    return found


def panel_form_classes() -> set[str]:
    """The forms the panel walk reaches: each model admin's form and add form, each inline's, and each
    list's editing form (posted by the list test) with the classes it is made from."""
    covered = set()
    for model_admin in admin.site._registry.values():
        for form in (model_admin.form, getattr(model_admin, "add_form", None)):
            if form is not None:
                covered.add(f"{form.__module__}.{form.__qualname__}")
        if model_admin.list_editable:
            for form in model_admin.get_changelist_form(None).__mro__:
                covered.add(f"{form.__module__}.{form.__qualname__}")
                covered.add(f"{form.__module__}.{form.__name__}")
        for inline in model_admin.inlines:
            covered.add(f"{inline.form.__module__}.{inline.form.__qualname__}")
    return covered


def test_the_harness_covers_every_page_and_form():
    keys = {pattern.key for pattern in all_patterns()}
    panel_model_pages = {
        f"admin:{m._meta.app_label}_{m._meta.model_name}_{suffix}"
        for m in admin.site._registry
        for suffix in ("add", "change", "changelist", "delete", "history")
    }
    covered = set(FORM_PAGES) | set(LIST_PAGES) | set(NO_INPUT) | panel_model_pages
    # The REST API's query parameters and bodies are fuzzed from its own schema (tests/security/test_api_fuzz.py).
    covered |= {key for key in keys if key.startswith("api:")}
    unnamed_admin = {key for key in keys if key.startswith("<route:hr/")}  # Django's redirects to the change page
    missing = sorted(keys - covered - unnamed_admin)
    assert not missing, (
        f"URL patterns the harness does not cover (add them to FORM_PAGES, LIST_PAGES or NO_INPUT): {missing}"
    )
    stale = sorted((set(FORM_PAGES) | set(LIST_PAGES) | set(NO_INPUT)) - keys)
    assert not stale, f"entries for URL patterns that no longer exist: {stale}"

    forms_covered = {name for page in FORM_PAGES.values() for name in page.form_classes} | panel_form_classes()
    uncovered = sorted(project_form_classes() - forms_covered - NOT_POSTED_FORMS.keys())
    assert not uncovered, f"form classes no harness entry posts (add the page that shows them): {uncovered}"


# Form classes of the project that are not posted by a person; each says where its input is fuzzed.
NOT_POSTED_FORMS = {
    "roles.forms.RoleFilterForm": "bound to the role list's query string: LIST_PAGES['roles:list']",
    "roles.forms.RoleCompareForm": "bound to the compare page's query string: LIST_PAGES['roles:compare']",
    "accounts.forms.SignupExtraForm": "a base of allauth's SignupForm (ACCOUNT_SIGNUP_FORM_CLASS), posted as it",
    "hr.forms.PeopleFilterForm": "a GET form; every field is fuzzed as a query parameter (LIST_PAGES['hr:people'])",
}
