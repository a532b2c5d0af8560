"""The manager's side of working on a report's plan: comment, agree, confirm a done milestone.

Each view loads the plan through `selectors.report_plan` (404 for anyone outside the team, and for a
plan kept private), and the plans services check again that the viewer is the person's manager now
(an indirect manager gets 404 here: they read, they do not act). Every post returns to the report's
plan page with a message.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from careerpath.security import PrivateView
from plans import services as plan_services
from plans.forms import MilestoneConfirmForm, PlanCommentForm

from . import selectors


def _back(plan, anchor: str):
    return redirect(reverse("teams:report_plan", kwargs={"person_id": plan.user_id, "pk": plan.pk}) + anchor)


class _ReportPlanWrite(PrivateView):
    http_method_names = ["post"]

    def plan(self):
        return selectors.report_plan(
            manager=self.request.user, person_id=self.kwargs["person_id"], pk=self.kwargs["pk"]
        )

    def act(self, write, *, done: str, failed: str, plan, anchor: str):
        try:
            write()
        except PermissionDenied as exc:  # in the team, but not its direct manager (or no longer)
            raise Http404("No such plan.") from exc
        except ValidationError as exc:
            messages.error(self.request, f"{failed}: {' '.join(exc.messages)}")
        else:
            messages.success(self.request, done)
        return _back(plan, anchor)


class ReportPlanCommentView(_ReportPlanWrite):
    def post(self, request, person_id: int, pk: int):
        plan = self.plan()
        form = PlanCommentForm(request.POST)
        if not form.is_valid():
            errors = " ".join(e for errors in form.errors.values() for e in errors)
            if not plan_services.is_current_manager(plan=plan, user=request.user):
                raise Http404("No such plan.")
            messages.error(request, f"The comment was not added: {errors}")
            return _back(plan, "#comments")
        return self.act(
            lambda: plan_services.plan_comment_add(plan=plan, author=request.user, body=form.cleaned_data["body"]),
            done="Comment added.",
            failed="The comment was not added",
            plan=plan,
            anchor="#comments",
        )


class ReportPlanAgreeView(_ReportPlanWrite):
    def post(self, request, person_id: int, pk: int):
        plan = self.plan()
        return self.act(
            lambda: plan_services.plan_agree(plan=plan, manager=request.user),
            done=f"You agreed {plan.user}’s plan; they see it on their plan page.",
            failed="The plan was not agreed",
            plan=plan,
            anchor="#with-manager",
        )


class ReportMilestoneConfirmView(_ReportPlanWrite):
    def post(self, request, person_id: int, pk: int):
        person = selectors.report_for(manager=request.user, person_id=person_id)
        milestone = selectors.report_milestone(person=person, pk=pk)
        plan = milestone.plan
        form = MilestoneConfirmForm(request.POST)
        if not form.is_valid():
            if not plan_services.is_current_manager(plan=plan, user=request.user):
                raise Http404("No such milestone.")
            messages.error(request, "Nothing changed: use the Confirm button on a done milestone.")
            return _back(plan, f"#m-{milestone.pk}")
        if form.cleaned_data["action"] == "confirm":
            write, done = plan_services.milestone_confirm, f"“{milestone.title}” is confirmed."
        else:
            write, done = plan_services.milestone_unconfirm, f"“{milestone.title}” is no longer confirmed."
        return self.act(
            lambda: write(milestone=milestone, manager=request.user),
            done=done,
            failed=f"“{milestone.title}” was not confirmed",
            plan=plan,
            anchor=f"#m-{milestone.pk}",
        )
