"""Where careerpath keeps data about a person, for the export and the erasure of an account.

`HOLDINGS` names every model that links to a person, with the lookups from that model
to the user. tests/security/test_personal_data.py walks every installed model and fails
when one links to the user model but is missing here, so a new model with personal data
cannot be left out of the export by accident.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q

EXPORT_FORMAT = "careerpath-personal-data"
EXPORT_VERSION = 1


def subject_reference(user_id: int) -> str:
    """A stable pseudonym for a person: links the records kept about them (HR's access trail) without
    naming them.

    Keyed with SECRET_KEY, so it can't be reversed by hashing guessed ids. When an
    account is erased, those records keep only this reference.
    """
    digest = hmac.new(settings.SECRET_KEY.encode(), f"person:{user_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


@dataclass(frozen=True)
class Holding:
    """One model holding personal data: how to find a person's rows, and what to leave out of the export."""

    label: str  # "app_label.ModelName"
    lookups: tuple[str, ...]  # paths from the model to the user; a row matching any of them is the person's
    description: str
    # Fields never written to the export: credentials and internal bookkeeping, not facts about the person.
    secret_fields: tuple[str, ...] = ()
    many_to_many: tuple[str, ...] = field(default=())

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.label)

    def rows_for(self, user) -> models.QuerySet:
        condition = Q()
        for lookup in self.lookups:
            condition |= Q(**{lookup: user.pk})
        return self.model._default_manager.filter(condition).order_by("pk")


HOLDINGS: tuple[Holding, ...] = (
    Holding(
        "accounts.User",
        ("pk",),
        "Your account: email address, name, when you joined and last logged in.",
        secret_fields=("password",),
        many_to_many=("groups", "user_permissions"),
    ),
    Holding(
        "account.EmailAddress",
        ("user",),
        "Your email address as log-in knows it, and whether you confirmed it.",
    ),
    Holding(
        "account.EmailConfirmation",
        ("email_address__user",),
        "When a link to confirm your email address was sent.",
        secret_fields=("key",),
    ),
    Holding(
        "mfa.Authenticator",
        ("user",),
        "Your second factors for signing in (authenticator app, passkeys, recovery codes) and when each was last used.",
        secret_fields=("data",),
    ),
    Holding(
        "accounts.Profile",
        ("user",),
        "Your profile: discipline, current role, experience, education, time zone, reminder settings.",
        many_to_many=("certifications",),
    ),
    Holding(
        "accounts.CredentialEarned",
        ("profile__user",),
        "When you earned the credentials you hold (renewals are planned from it).",
    ),
    Holding("assessments.Response", ("user",), "Each self-assessment you started or submitted."),
    Holding("assessments.Answer", ("response__user",), "Every answer you gave in a self-assessment."),
    Holding("assessments.Result", ("user",), "Each scored result, with everything it was computed from."),
    Holding("hr.RoleReadiness", ("result__user",), "Readiness figures copied from your results for HR's dashboard."),
    Holding(
        "hr.CountedResponse",
        ("response__user",),
        "Which of your submitted self-assessments are counted in the questionnaire-quality sums HR sees "
        "(the sums themselves are over everyone and name nobody).",
    ),
    Holding(
        "plans.Plan",
        ("user",),
        "Your advancement plans, whether each is private from your manager, and who agreed it when.",
        # The calendar address is a key to the plan; a downloaded file should not carry it around.
        secret_fields=("calendar_token",),
    ),
    Holding(
        "plans.Milestone",
        ("plan__user",),
        "The milestones of your plans, with your notes and evidence, and when your manager confirmed one.",
    ),
    Holding(
        "plans.PlanComment",
        ("plan__user", "author"),
        "The comments on your plans (yours and your manager's), and the comments you wrote on your reports' plans.",
    ),
    Holding(
        "reminders.Reminder",
        ("user", "milestone__plan__user"),
        "Reminder emails sent to you or waiting to be sent.",
        secret_fields=("claim_token",),
    ),
    Holding(
        "hr.AccessRecord",
        ("subject", "actor"),
        "When HR opened your result or plan; if you work in HR, whose records you opened (by reference).",
    ),
    Holding(
        "teams.ManagerRating",
        ("subject", "rater"),
        "Your manager's ratings of your skills; if you manage people, the ratings you gave.",
    ),
    Holding("teams.SkillRating", ("rating__subject", "rating__rater"), "The level and comment of each skill rated."),
    # Peer input (docs/teams.md): an engineer's export has their rounds and the skills they asked about, never
    # the requests to their colleagues or the answers (who answered what stays with the one who answered).
    Holding("teams.PeerRound", ("subject",), "When you asked colleagues to rate your skills, and until when."),
    Holding("teams.PeerRoundSkill", ("round__subject",), "The skills you asked your colleagues about."),
    Holding(
        "teams.PeerRequest",
        ("rater",),
        "Colleagues' requests that you rate their skills: whose, when, and whether you answered.",
    ),
    Holding("teams.PeerAnswer", ("request__rater",), "The levels you gave when you rated a colleague's skills."),
    Holding("admin.LogEntry", ("user",), "Changes you made in the HR panel, if you work in HR."),
    Holding(
        "api.ApiToken",
        ("user", "created_by", "revoked_by"),
        "API tokens that act as you, and the ones you made if you work in HR: name, scope, when made, last used "
        "and revoked (a token's secret is never kept).",
        secret_fields=("digest",),
    ),
    Holding(
        "scim.ScimIdentity", ("user",), "Your company directory's id for you, as its identity provider sent it (SCIM)."
    ),
    Holding(
        "scim.ScimToken",
        ("created_by", "revoked_by"),
        "The provisioning (SCIM) tokens you created or revoked, if you work in HR.",
        secret_fields=("digest",),
    ),
)


def row_data(instance: models.Model, holding: Holding) -> dict:
    """A row as plain JSON-ready data: every concrete field but the secret ones, and the listed many-to-many."""
    data = {}
    for model_field in instance._meta.concrete_fields:
        if model_field.name in holding.secret_fields:
            continue
        data[model_field.attname] = model_field.value_from_object(instance)
    for name in holding.many_to_many:
        data[name] = sorted(str(related) for related in getattr(instance, name).all())
    return data


def export_json(data: dict) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


def export_filename(user, now: datetime) -> str:
    return f"careerpath-data-{user.pk}-{now:%Y%m%d}.json"


# --- The same data, for a person to read -------------------------------------------------------------


@dataclass(frozen=True)
class ReadableHolding:
    """One holding as a table: its columns (field labels) and rows of values as words (names, question text, dates)."""

    label: str
    title: str
    description: str
    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]


class _Words:
    """Turns a row's field values into words; each related object is described once (one query at most)."""

    def __init__(self, user):
        self.user = user
        self._described: dict[tuple[str, object], str] = {}

    def related(self, model_field, instance) -> str:
        pk = getattr(instance, model_field.attname)
        if pk is None:
            return "—"
        related_model = model_field.related_model
        if related_model is type(self.user) and pk == self.user.pk:
            return "you"
        key = (related_model._meta.label, pk)
        if key not in self._described:
            obj = getattr(instance, model_field.name)
            # A question's whole text, a role's or credential's name: what the id stands for.
            self._described[key] = str(getattr(obj, "text", "") or getattr(obj, "name", "") or obj)
        return self._described[key]

    def value(self, model_field, instance) -> object:
        if model_field.is_relation:
            return self.related(model_field, instance)
        if model_field.choices:
            return getattr(instance, f"get_{model_field.name}_display")()
        value = model_field.value_from_object(instance)
        if isinstance(model_field, models.JSONField):
            return _json_words(value)
        if value in (None, ""):
            return "—"
        return value


def _json_words(value) -> str:
    """Lists of names or short texts read as a list; anything bigger (a result's scores) is in the JSON file."""
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return "; ".join(value) or "—"
    if isinstance(value, list) and all(isinstance(item, dict) and "name" in item for item in value):
        return " → ".join(str(item["name"]) for item in value) or "—"
    if not value:
        return "—"
    return "Scores and details: in the JSON file"


def readable_export(*, user) -> list[ReadableHolding]:
    """Every holding of the export (the same rows, the same secrets left out), with names and texts for ids."""
    words = _Words(user)
    readable = []
    for holding in HOLDINGS:
        model = holding.model
        shown = [f for f in model._meta.concrete_fields if f.name not in holding.secret_fields and not f.primary_key]
        relations = [f.name for f in shown if f.is_relation]
        rows = holding.rows_for(user)
        if relations:
            rows = rows.select_related(*relations)
        if holding.many_to_many:
            rows = rows.prefetch_related(*holding.many_to_many)
        columns = [str(f.verbose_name).capitalize() for f in shown]
        columns += [str(model._meta.get_field(name).verbose_name).capitalize() for name in holding.many_to_many]
        table = []
        for row in rows:
            values = [words.value(f, row) for f in shown]
            values += [_names(getattr(row, name).all()) for name in holding.many_to_many]
            table.append(tuple(values))
        readable.append(
            ReadableHolding(
                label=holding.label,
                title=str(model._meta.verbose_name_plural).capitalize(),
                description=holding.description,
                columns=tuple(columns),
                rows=tuple(table),
            )
        )
    return readable


def _names(objects) -> str:
    return ", ".join(sorted(str(getattr(obj, "name", "") or obj) for obj in objects)) or "—"
