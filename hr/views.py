"""The HR panel's own pages (beside the admin): dashboard, exports, read-only result and plan pages."""

import hashlib
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from api import selectors as api_selectors
from api import services as api_services
from assessments.models import Result
from assessments.views import result_page_context
from careerpath.security import PrivateView
from careerpath.spreadsheet import csv_response
from plans.views import plan_read_only_context
from reminders import services as reminder_services
from scim import selectors as scim_selectors
from scim import services as scim_services

from . import agreement, charts, exports, imports, selectors, services
from .forms import ApiTokenForm, PeopleFilterForm, PeopleImportApplyForm, PeopleImportForm, ScimTokenForm
from .models import AccessRecord
from .permissions import (
    DASHBOARD_PERMISSIONS,
    IMPORT_PEOPLE,
    REVOKE_SCIM_TOKEN,
    SCIM_TOKEN_PERMISSIONS,
    SEND_REMINDERS,
    VIEW_PEOPLE,
    VIEW_PLANS,
    VIEW_RESULTS,
    PanelAccessMixin,
)


class PanelView(PrivateView, PanelAccessMixin):
    """A panel page: staff with the page's permissions only, never cached (it shows people's data).

    PrivateView comes first, so `never_cache` covers the log-in redirect too; PanelAccessMixin's
    `login_url` sends anonymous visitors to the admin's log-in, then its `dispatch` checks staff
    status and the page's permissions."""


def people_url(**params) -> str:
    """The people page with filters applied (the list behind a dashboard number)."""
    query = urlencode({key: value for key, value in params.items() if value not in (None, "")})
    base = reverse("hr:people")
    return f"{base}?{query}" if query else base


# --- Dashboard -----------------------------------------------------------------------------


def _pipeline(rows: list[selectors.PipelineRow]) -> dict:
    series = list(selectors.BUCKETS)
    chart = charts.stacked_bars(
        [(row.target_name, [row.counts[b] for b in series]) for row in rows],
        [selectors.BUCKETS[b] for b in series],
    )
    table = [
        {
            "name": row.target_name,
            "cells": [
                (row.counts[b], people_url(target=row.target_slug, readiness=b), selectors.BUCKETS[b]) for b in series
            ],
            "total": row.total,
            "total_url": people_url(target=row.target_slug),
        }
        for row in rows
    ]
    return {"chart": chart, "table": table, "series": [selectors.BUCKETS[b] for b in series]}


def _orientation(overall: selectors.OrientationRow, by_discipline: list[selectors.OrientationRow]) -> dict:
    series = list(selectors.ORIENTATIONS)
    labels = [selectors.ORIENTATIONS[s] for s in series]
    rows = [overall, *by_discipline]
    # Series in ORIENTATIONS order: technical, managerial, project, balanced, not assessed.
    chart = charts.stacked_bars(
        [(row.discipline, [row.counts[s] for s in series]) for row in rows], labels, palette=charts.TRACK_PALETTE
    )
    table = []
    for row in rows:
        discipline = {} if row is overall else {"discipline": row.discipline_id if row.discipline_id else "none"}
        table.append(
            {
                "name": row.discipline,
                "cells": [
                    (row.counts[s], people_url(fit=s or "none", **discipline), selectors.ORIENTATIONS[s])
                    for s in series
                ],
                "total": row.total,
                "total_url": people_url(**discipline),
            }
        )
    return {"chart": chart, "table": table, "series": labels}


def _counts(rows: list[selectors.CountRow], series: str) -> dict:
    return {"chart": charts.stacked_bars([(row.name, [row.count]) for row in rows], [series]), "rows": rows}


def _months(rows: list[selectors.MonthRow]) -> dict:
    chart = charts.grouped_columns(
        [(f"{row.month:%b %y}", [row.completed, row.overdue]) for row in rows], ["Completed", "Overdue"]
    )
    return {"chart": chart, "rows": rows}


class DashboardView(PanelView, TemplateView):
    template_name = "hr/dashboard.html"
    permissions = DASHBOARD_PERMISSIONS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["figures_html"] = dashboard_html(today=timezone.localdate())
        return context


# The rendered figures, kept exactly as long as the figures they show (hr.selectors.dashboard_figures):
# they are organisation-wide, the same for everyone allowed to see the dashboard, and hold nothing of
# the request (no CSRF token, no user). Only the time zone the time is shown in varies.
DASHBOARD_HTML_KEY = "hr:dashboard-html:{today}:{zone}"


def dashboard_figures_context(figures: selectors.DashboardFigures, *, today) -> dict:
    return {
        "today": today,
        "computed_at": figures.computed_at,
        "pipeline": _pipeline(figures.pipeline),
        "orientation": _orientation(figures.orientation_overall, figures.orientation_by_discipline),
        "gaps": _counts(figures.skill_gaps, "Active plans"),
        "certifications": _counts(figures.certifications, "Active plans"),
        "months": _months(figures.months),
        "quality_version": figures.quality_version,
        "quality": figures.quality,
        "min_responses": selectors.psychometrics.MIN_RESPONSES,
        "people_url": people_url(),
        "thresholds": {"ready": selectors.READY_NOW_MIN, "soon": selectors.SOON_MIN},
    }


def dashboard_html(*, today) -> str:
    """The dashboard's content, rendered once per computation of its figures (and time zone)."""
    seconds = settings.HR_DASHBOARD_CACHE_SECONDS
    key = DASHBOARD_HTML_KEY.format(today=today.isoformat(), zone=timezone.get_current_timezone_name())
    html = cache.get(key) if seconds else None
    if html is None:
        figures = selectors.dashboard_figures(today=today)
        html = render_to_string("hr/_dashboard_figures.html", dashboard_figures_context(figures, today=today))
        # No longer than the figures themselves: the page never shows figures older than they may be.
        remaining = seconds - (timezone.now() - figures.computed_at).total_seconds()
        if remaining >= 1:
            cache.set(key, html, timeout=int(remaining))
    return html


def _pipeline_table(figures: selectors.DashboardFigures):
    header = ["target_role", *selectors.BUCKETS, "total"]
    rows = [[row.target_name, *(row.counts[b] for b in selectors.BUCKETS), row.total] for row in figures.pipeline]
    return header, rows


def _orientation_table(figures: selectors.DashboardFigures):
    header = ["discipline", *(key or "not_assessed" for key in selectors.ORIENTATIONS), "total"]
    rows = [
        [row.discipline, *row.counts.values(), row.total]
        for row in (figures.orientation_overall, *figures.orientation_by_discipline)
    ]
    return header, rows


def _gaps_table(figures: selectors.DashboardFigures):
    return ["skill", "skill_name", "active_plans"], [[r.slug, r.name, r.count] for r in figures.skill_gaps]


def _certifications_table(figures: selectors.DashboardFigures):
    return ["credential", "credential_name", "active_plans"], [
        [r.slug, r.name, r.count] for r in figures.certifications
    ]


def _months_table(figures: selectors.DashboardFigures):
    return ["month", "completed", "overdue"], [[f"{r.month:%Y-%m}", r.completed, r.overdue] for r in figures.months]


def _quality_table(figures: selectors.DashboardFigures):
    rows = []
    for report in figures.quality:
        alpha = report.quality.alpha if report.quality else None
        for item, quality in zip(
            report.items, report.quality.items if report.quality else [None] * len(report.items), strict=True
        ):
            rows.append(
                [
                    report.dimension,
                    report.respondents,
                    None if alpha is None else round(alpha, 3),
                    item.key,
                    None if quality is None or quality.item_total is None else round(quality.item_total, 3),
                ]
            )
    return ["scale", "respondents", "cronbach_alpha", "item", "item_total_correlation"], rows


DASHBOARD_TABLES: dict[str, Callable] = {
    "pipeline": _pipeline_table,
    "orientation": _orientation_table,
    "skill-gaps": _gaps_table,
    "certifications": _certifications_table,
    "milestones": _months_table,
    "quality": _quality_table,
}


class DashboardCSVView(PanelView):
    permissions = DASHBOARD_PERMISSIONS

    def get(self, request, chart: str):
        if chart not in DASHBOARD_TABLES:
            raise Http404("No such chart.")
        today = timezone.localdate()
        header, rows = DASHBOARD_TABLES[chart](selectors.dashboard_figures(today=today))
        return csv_response(filename=f"careerpath-{chart}-{today:%Y-%m-%d}.csv", header=header, rows=rows)


# --- Exports -------------------------------------------------------------------------------


class ExportsView(PanelView, TemplateView):
    template_name = "hr/exports.html"
    permissions = DASHBOARD_PERMISSIONS

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            exports=[
                ("People", "One row per engineer.", "hr:export_people", exports.PEOPLE_COLUMNS),
                (
                    "Plans and milestones",
                    "One row per milestone of every plan.",
                    "hr:export_plans",
                    exports.PLAN_COLUMNS,
                ),
                (
                    "Results and scores",
                    "One row per score of every result.",
                    "hr:export_results",
                    exports.RESULT_COLUMNS,
                ),
            ],
            **kwargs,
        )


class PeopleExportView(PanelView):
    permissions = (VIEW_PEOPLE, VIEW_RESULTS, VIEW_PLANS)

    def get(self, request):
        today = timezone.localdate()
        return csv_response(
            filename=f"careerpath-people-{today:%Y-%m-%d}.csv",
            header=exports.PEOPLE_COLUMNS,
            rows=exports.people_rows(today=today),
        )


class PlansExportView(PanelView):
    permissions = (VIEW_PEOPLE, VIEW_PLANS)

    def get(self, request):
        today = timezone.localdate()
        return csv_response(
            filename=f"careerpath-plans-{today:%Y-%m-%d}.csv",
            header=exports.PLAN_COLUMNS,
            rows=exports.plan_rows(today=today),
        )


class ResultsExportView(PanelView):
    permissions = (VIEW_PEOPLE, VIEW_RESULTS)

    def get(self, request):
        today = timezone.localdate()
        return csv_response(
            filename=f"careerpath-results-{today:%Y-%m-%d}.csv",
            header=exports.RESULT_COLUMNS,
            rows=exports.result_rows(),
        )


# --- The people page ------------------------------------------------------------------------

PEOPLE_PER_PAGE = 50
BEST_FIT_LABELS = dict(Result.BestFit.choices)
# The columns of the people page that sort, with their heading (PEOPLE_SORTS has what they sort by).
PEOPLE_COLUMNS = [
    ("name", "Engineer"),
    ("discipline", "Discipline"),
    ("role", "Current role"),
    ("manager", "Manager"),
    (None, "Latest self-assessment"),
    (None, "Active plan"),
]


class PeopleView(PanelView):
    """Every engineer, searched, filtered, sorted and paged: count and page ids, then one query for
    the page's rows with their figures (hr.selectors.people_page_rows)."""

    template_name = "hr/people.html"
    permissions = DASHBOARD_PERMISSIONS

    def get(self, request):
        form = PeopleFilterForm(
            request.GET or None,
            disciplines=selectors.disciplines(),
            roles=selectors.role_choices(),
            fits=Result.BestFit.choices,
            targets=selectors.target_role_choices(),
        )
        if form.is_bound:
            form.is_valid()  # invalid fields are reported beside them and left out of the filters
        filters = form.filters()
        paginator = Paginator(selectors.people_page_ids(filters), PEOPLE_PER_PAGE)
        page = paginator.get_page(request.GET.get("page"))
        people = selectors.people_page_rows(list(page.object_list))
        for person in people:
            person["fit_label"] = BEST_FIT_LABELS.get(person["best_fit"], "")
            total = person["milestones_total"]
            person["progress"] = round(100 * person["milestones_done"] / total) if total else None
        query = request.GET.copy()
        query.pop("page", None)
        current = filters.sort
        columns = []
        for key, heading in PEOPLE_COLUMNS:
            if key is None:
                columns.append({"heading": heading})
                continue
            query["sort"] = f"-{key}" if current == key else key
            columns.append(
                {
                    "heading": heading,
                    "url": "?" + query.urlencode(),
                    "sorted": "ascending" if current == key else "descending" if current == f"-{key}" else "",
                }
            )
        query["sort"] = current
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "filters": filters,
                "people": people,
                "page": page,
                "count": paginator.count,
                "columns": columns,
                "page_query": query.urlencode(),
                "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            },
        )


# --- Rating agreement ------------------------------------------------------------------------

AGREEMENT_SERIES = ["Agree (within one level)", "Self higher", "Manager higher"]


def _agreement_chart(tallies) -> charts.BarChart:
    shown = [t for t in tallies if not t.withheld]
    return charts.stacked_bars(
        [(t.label, [t.agreed, t.self_higher, t.manager_higher]) for t in shown],
        AGREEMENT_SERIES,
        palette=(charts.PALETTE[0], charts.PALETTE[4], charts.PALETTE[1]),
    )


class AgreementView(PanelView, TemplateView):
    """Self against manager across the organisation: per skill, per team, and calibration prompts."""

    template_name = "hr/agreement.html"
    permissions = DASHBOARD_PERMISSIONS

    def get_context_data(self, **kwargs):
        data = selectors.agreement_data()
        report = agreement.report(data.people, skill_names=data.skill_names)
        return super().get_context_data(
            report=report,
            skills_chart=_agreement_chart(report.skills),
            teams_chart=_agreement_chart(report.teams),
            min_group=agreement.MIN_GROUP,
            far_levels=agreement.FAR_LEVELS,
            min_peers=agreement.MIN_PEERS,
            **kwargs,
        )


AGREEMENT_COLUMNS = ["scope", "key", "name", "people", "pairs", "agreement_percent", "self_leniency", "withheld"]


class AgreementCSVView(PanelView):
    permissions = DASHBOARD_PERMISSIONS

    def get(self, request):
        data = selectors.agreement_data()
        report = agreement.report(data.people, skill_names=data.skill_names)
        rows = [
            [
                scope,
                tally.key,
                tally.label,
                tally.people,
                tally.pairs,
                tally.agreement,
                tally.leniency,
                "yes" if tally.withheld else "no",
            ]
            for scope, tallies in (("organisation", [report.overall]), ("skill", report.skills), ("team", report.teams))
            for tally in tallies
        ]
        today = timezone.localdate()
        return csv_response(filename=f"careerpath-agreement-{today:%Y-%m-%d}.csv", header=AGREEMENT_COLUMNS, rows=rows)


# --- One person's result and plan (read-only, every opening recorded) ------------------------


class PersonResultView(PanelView, TemplateView):
    template_name = "hr/person_result.html"
    permissions = (VIEW_RESULTS,)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        result = selectors.result_for_hr(
            viewer=self.request.user, person_id=self.kwargs["person_id"], pk=self.kwargs["pk"]
        )
        services.access_record_create(
            actor=self.request.user, subject=result.user, kind=AccessRecord.Kind.RESULT, object_id=result.pk
        )
        context.update(result_page_context(result, target=self.request.GET.get("target")))
        context.update(person=result.user, person_name=str(result.user), hr_view=True)
        return context


class PersonPlanView(PanelView, TemplateView):
    template_name = "hr/person_plan.html"
    permissions = (VIEW_PLANS,)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = selectors.plan_for_hr(viewer=self.request.user, person_id=self.kwargs["person_id"], pk=self.kwargs["pk"])
        services.access_record_create(
            actor=self.request.user, subject=plan.user, kind=AccessRecord.Kind.PLAN, object_id=plan.pk
        )
        context.update(plan_read_only_context(plan, today=timezone.localdate()))
        return context


# --- People and managers from the HR system's CSV ------------------------------------------------

IMPORT_SESSION_KEY = "hr_people_import"


class PeopleImportView(PanelView):
    """Upload a CSV, see what it would do row by row, then apply it (all rows or none)."""

    template_name = "hr/people_import.html"
    permissions = (VIEW_PEOPLE, IMPORT_PEOPLE)

    def get(self, request):
        return self.page(upload=PeopleImportForm())

    def post(self, request):
        if "digest" in request.POST:
            return self.apply(request)
        upload = PeopleImportForm(request.POST, request.FILES)
        if not upload.is_valid():
            return self.page(upload=upload)
        text = upload.cleaned_data["file"]
        try:
            preview = imports.preview(text, selectors.people_import_known())
        except imports.ImportFileError as exc:
            upload.add_error("file", str(exc))
            return self.page(upload=upload)
        apply_form = None
        if preview.ok:
            digest = hashlib.sha256(text.encode()).hexdigest()
            request.session[IMPORT_SESSION_KEY] = {"digest": digest, "text": text}
            apply_form = PeopleImportApplyForm(initial={"digest": digest})
        return self.page(upload=PeopleImportForm(), preview=preview, apply_form=apply_form)

    def apply(self, request):
        form = PeopleImportApplyForm(request.POST)
        kept = request.session.get(IMPORT_SESSION_KEY) or {}
        if not form.is_valid() or form.cleaned_data["digest"] != kept.get("digest"):
            messages.error(
                request, "That preview is no longer available (it was applied, or replaced). Upload the file again."
            )
            return redirect("hr:people_import")
        try:
            summary = services.people_import_apply(text=kept["text"])
        except ValidationError as exc:
            messages.error(
                request, "Nothing was applied: the people changed since the preview. " + " ".join(exc.messages)
            )
            return redirect("hr:people_import")
        del request.session[IMPORT_SESSION_KEY]
        messages.success(
            request,
            f"Applied: {summary.created} added, {summary.updated} updated, {summary.unchanged} unchanged.",
        )
        return redirect("hr:people")

    def page(self, **context):
        return render(self.request, self.template_name, context)


class RemindersSendDueView(PanelView):
    """HR's "Send the due reminders now" (a button on the reminder log): one service call, then a message."""

    permissions = (SEND_REMINDERS,)
    http_method_names = ["post"]

    def post(self, request):
        counts = reminder_services.reminders_send_due()
        sent, failed, retrying = (counts[status] for status in ("sent", "failed", "pending"))
        messages.success(
            request,
            ngettext("%(count)d due reminder was sent.", "%(count)d due reminders were sent.", sent) % {"count": sent}
            if sent
            else "No reminder is due to go out now (they go out from the policy's hour, in each person's time zone).",
        )
        if failed or retrying:
            messages.warning(
                request,
                f"{failed + retrying} could not be sent ({retrying} will be tried again); the reminder log says why.",
            )
        if counts["deferred"]:
            messages.info(request, f"{counts['deferred']} more go out with the next sweeps.")
        return redirect("admin:reminders_reminder_changelist")


# --- API tokens (the REST API's, docs/api.md) -----------------------------------------------------

API_TOKEN_PERMISSIONS = ("api.view_apitoken", "api.add_apitoken", "api.change_apitoken")
API_TOKEN_SESSION_KEY = "hr_api_token_made"


class ApiTokensView(PanelView):
    """HR's API tokens: the list, and a form to make one. A made token's secret is kept in the session only
    until the page it redirects to shows it, once (post, redirect, get: a reload neither repeats the post
    nor shows the secret again)."""

    template_name = "hr/api_tokens.html"
    permissions = API_TOKEN_PERMISSIONS

    def get(self, request):
        shown = request.session.pop(API_TOKEN_SESSION_KEY, None) or {}
        created = api_selectors.api_token(shown["id"]) if shown.get("id") else None
        return self.page(form=ApiTokenForm(), created=created, secret=shown.get("secret") if created else None)

    def post(self, request):
        form = ApiTokenForm(request.POST)
        if not form.is_valid():
            return self.page(form=form)
        try:
            token, secret = api_services.api_token_create(
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                user=form.cleaned_data["acts_as"] or request.user,
                created_by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.page(form=form)
        request.session[API_TOKEN_SESSION_KEY] = {"id": token.pk, "secret": secret}
        return redirect("hr:api_tokens")

    def page(self, **context):
        return render(self.request, self.template_name, {"tokens": api_selectors.api_tokens(), **context})


class ApiTokenRevokeView(PanelView):
    permissions = API_TOKEN_PERMISSIONS
    http_method_names = ["post"]

    def post(self, request, pk: int):
        token = api_selectors.api_token(pk)
        if token is None:
            raise Http404("No such token.")
        if api_services.api_token_revoke(token=token, revoked_by=request.user):
            messages.success(request, f"The token “{token.name}” is revoked: it no longer works.")
        else:
            messages.info(request, f"The token “{token.name}” was already revoked.")
        return redirect("hr:api_tokens")


# --- Provisioning from the directory: SCIM tokens ---------------------------------------------


SCIM_SECRET_SESSION_KEY = "hr_scim_token_secret"


class ScimTokensView(PanelView):
    """The tokens identity providers use for SCIM (docs/scim.md): create one and revoke one.

    A new token's secret is shown once: kept in the (server-side) session between the POST and the
    page it redirects to, and dropped as that page shows it, so reloading shows it no more."""

    template_name = "hr/scim_tokens.html"
    permissions = SCIM_TOKEN_PERMISSIONS

    def get(self, request):
        shown = request.session.pop(SCIM_SECRET_SESSION_KEY, None) or {}
        created = scim_selectors.tokens().filter(pk=shown.get("pk")).first() if shown else None
        return self.page(form=ScimTokenForm(), created=created, secret=shown.get("secret") if created else None)

    def post(self, request):
        form = ScimTokenForm(request.POST)
        if not form.is_valid():
            return self.page(form=form)
        token, secret = scim_services.scim_token_create(name=form.cleaned_data["name"], created_by=request.user)
        request.session[SCIM_SECRET_SESSION_KEY] = {"pk": token.pk, "secret": secret}
        return redirect("hr:scim_tokens")

    def page(self, **context):
        context.update(
            tokens=scim_selectors.tokens(),
            base_url=self.request.build_absolute_uri(reverse("scim:users")).removesuffix("Users"),
            can_revoke=self.request.user.has_perm(REVOKE_SCIM_TOKEN),
        )
        return render(self.request, self.template_name, context)


class ScimTokenRevokeView(PanelView):
    permissions = (*SCIM_TOKEN_PERMISSIONS, REVOKE_SCIM_TOKEN)
    http_method_names = ["post"]

    def post(self, request, pk):
        token = scim_selectors.tokens().filter(pk=pk).first()
        if token is None:
            raise Http404("No such token.")
        if scim_services.scim_token_revoke(token=token, revoked_by=request.user):
            messages.success(request, f"The token “{token.name}” is revoked: requests with it are refused from now on.")
        else:
            messages.info(request, f"The token “{token.name}” was revoked already.")
        return redirect("hr:scim_tokens")
