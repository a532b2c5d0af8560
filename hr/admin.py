"""The panel's People pages: one row per engineer, their results, answers and plans (read-only), and the
access log (superusers). Every People page registers here; the apps below hr never import it."""

from dataclasses import asdict
from datetime import timedelta

import allauth.mfa.admin  # noqa: F401 (registers allauth's Authenticator admin, replaced at the end)
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from accounts.selectors import viewable_q
from assessments.models import Answer, Response, Result
from careerpath.admin import ReadOnlyAdmin, RedirectToPanelPageMixin, SingletonAdmin
from careerpath.security import MAX_ID
from plans.models import Milestone, Plan
from teams import services as team_services
from teams.models import TeamPolicy

from . import selectors, services
from .models import AccessRecord, Person

# --- Filters of the people list (their parameter names are what the dashboard links use) ------------


class DisciplineFilter(admin.SimpleListFilter):
    title = "discipline"
    parameter_name = "discipline"

    def lookups(self, request, model_admin):
        return [(str(d.pk), d.name) for d in selectors.disciplines()] + [("none", "No discipline")]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "none":
            return queryset.filter(profile__discipline__isnull=True)
        if value and value.isascii() and value.isdigit() and int(value) <= MAX_ID:
            return queryset.filter(profile__discipline_id=int(value))
        return queryset


class FitFilter(admin.SimpleListFilter):
    title = "best-fit track (latest result)"
    parameter_name = "fit"

    def lookups(self, request, model_admin):
        return [*Result.BestFit.choices, ("none", "Not assessed")]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "none":
            return queryset.filter(~selectors.has_result())
        if value in Result.BestFit.values:
            return queryset.filter(pk__in=selectors.latest_result_users(best_fit=value))
        return queryset


class TargetRoleFilter(admin.SimpleListFilter):
    title = "target role (active plan)"
    parameter_name = "target"

    def lookups(self, request, model_admin):
        return selectors.target_role_choices()

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(
                pk__in=selectors.plan_users(target_slug=self.value(), bucket=None, today=timezone.localdate())
            )
        return queryset


class ReadinessFilter(admin.SimpleListFilter):
    """The dashboard's pipeline buckets (with the target filter: for that target role)."""

    title = "readiness for the plan's target"
    parameter_name = "readiness"

    def lookups(self, request, model_admin):
        return list(selectors.BUCKETS.items())

    def queryset(self, request, queryset):
        if self.value() in selectors.BUCKETS:
            return queryset.filter(
                pk__in=selectors.plan_users(
                    target_slug=request.GET.get(TargetRoleFilter.parameter_name) or None,
                    bucket=self.value(),
                    today=timezone.localdate(),
                )
            )
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = "overdue milestones"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Has overdue milestones"), ("no", "None overdue")]

    def queryset(self, request, queryset):
        overdue = selectors.overdue_users(timezone.localdate())
        if self.value() == "yes":
            return queryset.filter(pk__in=overdue)
        if self.value() == "no":
            return queryset.exclude(pk__in=overdue)
        return queryset


class NotAssessedFilter(admin.SimpleListFilter):
    title = "no self-assessment for"
    parameter_name = "not_assessed"
    MONTHS = (3, 6, 12)

    def lookups(self, request, model_admin):
        return [(str(n), f"{n} months or more") for n in self.MONTHS]

    def queryset(self, request, queryset):
        if self.value() in {str(n) for n in self.MONTHS}:
            since = timezone.now() - timedelta(days=selectors.DAYS_PER_MONTH * int(self.value()))
            return queryset.filter(~selectors.assessed_since(since))
        return queryset


class PeopleChangeList(ChangeList):
    """Filters, counts, sorts and pages the plain rows, then fetches the figures for the page shown only."""

    def get_results(self, request):
        super().get_results(request)
        self.result_list = list(self.result_list)
        figures = selectors.people_figures([person.pk for person in self.result_list])
        for person in self.result_list:
            row = figures[person.pk]
            for name, value in asdict(row).items():
                setattr(person, name, value)
            person.result_link = (
                reverse("hr:person_result", kwargs={"person_id": person.pk, "pk": row.result_id})
                if row.result_id
                else ""
            )
            person.plan_link = (
                reverse("hr:person_plan", kwargs={"person_id": person.pk, "pk": row.plan_id}) if row.plan_id else ""
            )


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = [
        "person",
        "discipline",
        "current_role",
        "best_fit_display",
        "top_match",
        "plan_target",
        "progress",
        "overdue",
        "last_assessed",
    ]
    list_filter = [DisciplineFilter, FitFilter, TargetRoleFilter, ReadinessFilter, OverdueFilter, NotAssessedFilter]
    search_fields = ["name", "email"]
    ordering = ["email"]
    list_per_page = 50
    show_full_result_count = False
    fields = ["email", "name", "discipline", "current_role", "years_experience", "results", "plans"]
    readonly_fields = fields

    def get_queryset(self, request):
        return selectors.people_list()

    def get_changelist(self, request, **kwargs):
        return PeopleChangeList

    def get_object(self, request, object_id, from_field=None):
        try:
            return selectors.person_for_hr(viewer=request.user, pk=int(object_id))
        except (ValueError, Http404):
            return None

    @admin.display(description="engineer", ordering="email")
    def person(self, obj):
        return format_html("{}<br><small>{}</small>", obj.name or obj.email, obj.email) if obj.name else obj.email

    @admin.display(description="discipline", ordering="profile__discipline__name")
    def discipline(self, obj):
        profile = getattr(obj, "profile", None)
        return profile.discipline.name if profile and profile.discipline_id else "—"

    @admin.display(description="current role", ordering="profile__current_role__name")
    def current_role(self, obj):
        profile = getattr(obj, "profile", None)
        return profile.current_role.name if profile and profile.current_role_id else "—"

    @admin.display(description="years of experience")
    def years_experience(self, obj):
        profile = getattr(obj, "profile", None)
        return profile.years_experience if profile else "—"

    @admin.display(description="best fit")
    def best_fit_display(self, obj):
        return Result.BestFit(obj.best_fit).label if obj.best_fit else "—"

    @admin.display(description="top role match")
    def top_match(self, obj):
        if not obj.result_id:
            return "—"
        if not obj.top_role_name:
            return format_html('<a href="{}">result</a>', obj.result_link)
        return format_html('<a href="{}">{} ({}%)</a>', obj.result_link, obj.top_role_name, obj.top_role_readiness)

    @admin.display(description="plan target")
    def plan_target(self, obj):
        if not obj.plan_id:
            return "—"
        return format_html('<a href="{}">{}</a>', obj.plan_link, obj.plan_target_name)

    @admin.display(description="progress")
    def progress(self, obj):
        if not obj.plan_id:
            return "—"
        percent = 100 * obj.milestones_done // obj.milestones_total if obj.milestones_total else 0
        return f"{obj.milestones_done}/{obj.milestones_total} ({percent}%)"

    @admin.display(description="overdue")
    def overdue(self, obj):
        return obj.milestones_overdue if obj.plan_id else "—"

    @admin.display(description="last assessed")
    def last_assessed(self, obj):
        return obj.result_at.date().isoformat() if obj.result_at else "never"

    @admin.display(description="self-assessment results")
    def results(self, obj):
        rows = [
            (
                reverse("hr:person_result", kwargs={"person_id": obj.pk, "pk": r.pk}),
                f"{r.created_at:%Y-%m-%d}",
                r.get_best_fit_display(),
                r.top_role_name or "—",
                "—" if r.top_role_readiness is None else r.top_role_readiness,
            )
            for r in obj.results.all()
        ]
        if not rows:
            return "None yet."
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", '<li><a href="{}">{}</a>: best fit {}, top match {} ({}%)</li>', rows),
        )

    @admin.display(description="plans")
    def plans(self, obj):
        rows = [
            (
                reverse("hr:person_plan", kwargs={"person_id": obj.pk, "pk": p.pk}),
                p.target_name,
                p.get_status_display().lower(),
                p.done_count,
                p.milestone_count,
            )
            for p in obj.plans.all()
        ]
        if not rows:
            return "None yet."
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", '<li><a href="{}">Toward {}</a> ({}, {} of {} milestones done)</li>', rows),
        )


class PlanAdmin(RedirectToPanelPageMixin, ReadOnlyAdmin):
    list_display = ["user", "target_name", "goal_name", "status", "starts_on", "milestone_progress", "overdue"]
    list_filter = ["status"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__name", "target_name", "goal_name"]
    date_hierarchy = "created_at"
    show_full_result_count = False

    def get_queryset(self, request):
        today = timezone.localdate()
        return (
            super()
            .get_queryset(request)
            .filter(viewable_q(request.user, "user__"))
            .annotate(
                milestone_count=Count("milestones", filter=selectors.held_q("milestones__")),
                done_count=Count("milestones", filter=Q(milestones__status=Milestone.Status.DONE)),
                overdue_count=Count("milestones", filter=selectors.overdue_q(today, prefix="milestones__")),
            )
        )

    def panel_url(self, obj) -> str:
        return reverse("hr:person_plan", kwargs={"person_id": obj.user_id, "pk": obj.pk})

    @admin.display(description="milestones done")
    def milestone_progress(self, obj):
        return f"{obj.done_count}/{obj.milestone_count}"

    @admin.display(description="overdue", ordering="overdue_count")
    def overdue(self, obj):
        return obj.overdue_count


admin.site.register(Plan, PlanAdmin)


# --- Responses and results: read-only -------------------------------------------------------------


@admin.register(Result)
class ResultAdmin(RedirectToPanelPageMixin, ReadOnlyAdmin):
    """Results are frozen: listed here, read on HR's result page (which records each opening)."""

    list_display = ["user", "created_at", "best_fit", "technical", "managerial", "project", "top_match",
                    "engine_version"]  # fmt: skip
    list_filter = ["best_fit", "engine_version", "created_at"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__name", "top_role_name"]
    date_hierarchy = "created_at"
    show_full_result_count = False

    def get_queryset(self, request):
        # Whose results the panel shows: the people list's engineers (a superuser: everyone's).
        return super().get_queryset(request).filter(viewable_q(request.user, "user__")).defer("data")

    def panel_url(self, obj) -> str:
        return reverse("hr:person_result", kwargs={"person_id": obj.user_id, "pk": obj.pk})

    @admin.display(description="top role match", ordering="-top_role_readiness")
    def top_match(self, obj):
        return f"{obj.top_role_name} ({obj.top_role_readiness}%)" if obj.top_role_name else "—"


class AnswerInline(admin.TabularInline):
    model = Answer
    fields = ["item_key", "item_text", "value"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("item__section")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="item")
    def item_key(self, obj):
        return obj.item.key

    @admin.display(description="statement or question")
    def item_text(self, obj):
        return obj.item.text


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    """A person's answers, read-only; opening one is recorded like opening a result."""

    list_display = ["user", "version", "status", "created_at", "submitted_at", "result_link"]
    list_filter = ["status", "version"]
    list_select_related = ["user", "version__questionnaire", "result"]
    search_fields = ["user__email", "user__name"]
    fields = ["user", "version", "status", "last_section", "created_at", "submitted_at"]
    readonly_fields = fields
    inlines = [AnswerInline]
    show_full_result_count = False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(viewable_q(request.user, "user__"))
            .select_related("user", "version__questionnaire")
            .defer("result__data")
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            response = self.get_object(request, object_id)
            if response is not None and self.has_view_permission(request, response):
                services.access_record_create(
                    actor=request.user, subject=response.user, kind=AccessRecord.Kind.RESPONSE, object_id=response.pk
                )
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="result")
    def result_link(self, obj):
        result = getattr(obj, "result", None)
        if result is None:
            return "—"
        url = reverse("hr:person_result", kwargs={"person_id": obj.user_id, "pk": result.pk})
        return format_html('<a href="{}">{}</a>', url, result.get_best_fit_display())


@admin.register(AccessRecord)
class AccessRecordAdmin(ReadOnlyAdmin):
    """Who opened whose result or plan, and when: for superusers only, even the HR group can't see it."""

    list_display = ["created_at", "actor_email", "subject_display", "subject_ref", "kind", "object_id"]
    list_filter = ["kind", "created_at"]
    list_select_related = ["subject"]
    search_fields = ["actor_email", "subject__email", "subject_ref"]
    date_hierarchy = "created_at"
    show_full_result_count = False

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    @admin.display(description="whose", ordering="subject__email")
    def subject_display(self, obj):
        return obj.subject.email if obj.subject_id else "(account erased)"


@admin.register(TeamPolicy)
class TeamPolicyAdmin(SingletonAdmin):
    """Whether a manager's team page reaches past their direct reports."""

    fields = ["include_indirect_reports", "updated_at"]
    readonly_fields = ["updated_at"]

    def save_model(self, request, obj, form, change):
        saved = team_services.team_policy_update(include_indirect_reports=form.cleaned_data["include_indirect_reports"])
        obj.updated_at = saved.updated_at


# allauth.mfa registers an editable admin of every second factor, `data` (the secrets) included, whose form
# a deeply nested JSON value turned into a 500. Here it is a list for support instead: who has which
# factor and when they last used it, never the secrets; a superuser may delete one (a lost phone), after
# which the person sets up a new one on their next log-in to the panel (hr/mfa.py) or from their profile.
admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(ReadOnlyAdmin):
    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser
