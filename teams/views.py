"""A manager's team page and their read-only view of a report's result and plan (each opening recorded)."""

from django.utils import timezone
from django.views.generic import TemplateView

from assessments.views import result_page_context
from careerpath.security import PrivateView
from hr.models import AccessRecord
from hr.services import access_record_create
from plans.views import plan_read_only_context

from . import selectors


class TeamView(PrivateView, TemplateView):
    template_name = "teams/team.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = selectors.team(manager=self.request.user, today=timezone.localdate())
        context.update(
            rows=rows,
            direct=sum(row.depth == 1 for row in rows),
            indirect=sum(row.depth > 1 for row in rows),
            overdue_people=sum(row.overdue > 0 for row in rows),
            no_result=sum(row.result_id is None for row in rows),
            no_plan=sum(row.plan_id is None for row in rows),
        )
        return context


class ReportResultView(PrivateView, TemplateView):
    template_name = "teams/report_result.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        result = selectors.report_result(
            manager=self.request.user, person_id=self.kwargs["person_id"], pk=self.kwargs["pk"]
        )
        access_record_create(
            actor=self.request.user, subject=result.user, kind=AccessRecord.Kind.RESULT, object_id=result.pk
        )
        context.update(result_page_context(result, target=self.request.GET.get("target")))
        context.update(person=result.user, person_name=str(result.user), hr_view=True)  # third person
        return context


class ReportPlanView(PrivateView, TemplateView):
    template_name = "teams/report_plan.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = selectors.report_plan(
            manager=self.request.user, person_id=self.kwargs["person_id"], pk=self.kwargs["pk"]
        )
        access_record_create(actor=self.request.user, subject=plan.user, kind=AccessRecord.Kind.PLAN, object_id=plan.pk)
        context.update(plan_read_only_context(plan, today=timezone.localdate()))
        return context
