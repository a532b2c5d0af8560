"""Plan pages: make a plan from a result, live with it, share it with a calendar."""

import json
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from assessments import reports
from assessments.selectors import result_for_user
from careerpath.security import PrivateView

from . import exports, feasibility, progress, proposals, selectors, services
from .forms import (
    CredentialDatesForm,
    MilestoneAddForm,
    MilestoneEditForm,
    MilestoneEvidenceForm,
    MilestoneFormSet,
    MilestoneSetAsideForm,
    MilestoneStatusForm,
    PlanCommentForm,
    PlanOptionsForm,
    PlanPrivacyForm,
)
from .models import Milestone, Plan

ARCHIVED_PLANS_PER_PAGE = 10


def _views(milestones) -> list[progress.MilestoneView]:
    return [
        progress.MilestoneView(m.pk, m.title, m.kind, m.status, m.due_date, m.subject_slug, m.to_level)
        for m in milestones
    ]


class PlanListView(PrivateView):
    def get(self, request):
        plans = list(selectors.plans_for_user(user=request.user))
        active = next((p for p in plans if p.is_active), None)
        archived = Paginator([p for p in plans if not p.is_active], ARCHIVED_PLANS_PER_PAGE)
        page = archived.get_page(request.GET.get("page"))
        latest = selectors.latest_result(user=request.user)
        return render(
            request,
            "plans/plan_list.html",
            {"active": active, "archived": page.object_list, "page": page, "latest_result": latest},
        )


class PlanCreateView(PrivateView):
    template_name = "plans/plan_create.html"

    def load(self, request, params):
        result_id, target_slug = params.get("result", ""), params.get("target", "")
        if not result_id.isdigit():
            latest = selectors.latest_result(user=request.user)
            if latest is None:
                messages.info(request, "Take the self-assessment first: a plan starts from your result.")
                return None
            result_id = str(latest.pk)
        result = result_for_user(user=request.user, pk=int(result_id))
        target = selectors.role_for_plan(slug=target_slug) if target_slug else None
        if target is None:
            stored = reports.StoredResult.from_data(result.data)
            if target_slug:
                messages.error(request, "That role is not in the catalog any more; choose another target.")
            return {"result": result, "stored": stored, "choose_target": True}
        options = PlanOptionsForm(params)
        goal = target
        horizon = None
        if options.is_valid():
            horizon = options.cleaned_data["horizon"]
            goal_slug = options.cleaned_data["goal"]
            if goal_slug and goal_slug != target.slug:
                goal = selectors.role_for_plan(slug=goal_slug)
                if goal is None:
                    options.add_error("goal", "Choose a first goal from the path shown.")
                    goal = target
        context = proposals.build_proposal(result=result, target=target, goal=goal, horizon_months=horizon)
        if goal.slug not in {s.slug for s in context.path.intermediate}:
            goal = target
            context = proposals.build_proposal(result=result, target=target, goal=goal, horizon_months=horizon)
        return {"result": result, "target": target, "ctx": context, "options": options}

    def get(self, request):
        loaded = self.load(request, request.GET)
        if loaded is None:
            return redirect("assessments:home")
        if loaded.get("choose_target"):
            return render(request, "plans/plan_choose_target.html", loaded)
        proposal = loaded["ctx"].proposal
        initial = [
            {
                "title": m.title,
                "due_date": m.due_date,
                "description": m.description,
                "kind": m.kind,
                "subject_slug": m.subject_slug,
                "from_level": m.from_level,
                "to_level": m.to_level,
                "actions": json.dumps(list(m.actions)),
                "ORDER": m.order,
            }
            for m in proposal.milestones
        ]
        check = selectors.credential_check(
            user=request.user, today=timezone.localdate(), catalog=loaded["ctx"].catalog_credentials
        )
        notes = _start_credentials_when_feasible(initial, check=check, ends_on=proposal.ends_on)
        formset = MilestoneFormSet(initial=initial, prefix="m")
        return render(request, self.template_name, {**loaded, "formset": formset, "feasibility_notes": notes})

    def post(self, request):
        loaded = self.load(request, request.POST)
        if loaded is None or loaded.get("choose_target"):
            return redirect("plans:list")
        check = selectors.credential_check(
            user=request.user, today=timezone.localdate(), catalog=loaded["ctx"].catalog_credentials
        )
        formset = MilestoneFormSet(request.POST, prefix="m", check=check)
        if not formset.is_valid():
            messages.error(request, "Some milestones need attention; nothing was saved yet.")
            return render(request, self.template_name, {**loaded, "formset": formset}, status=200)
        ctx = loaded["ctx"]
        try:
            plan = services.plan_create(
                user=request.user,
                result=loaded["result"],
                target_role=loaded["target"],
                goal_slug=ctx.goal.slug,
                goal_name=ctx.goal.name,
                path=[{"slug": s.slug, "name": s.name, "kind": s.kind} for s in ctx.path.steps],
                generator_version=ctx.proposal.generator_version,
                horizon_months=ctx.proposal.horizon_months,
                milestones=formset.drafts_in_order(),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return render(request, self.template_name, {**loaded, "formset": formset}, status=200)
        messages.success(request, f"Your plan for {plan.target_name} is saved.")
        return redirect(plan)


def _start_credentials_when_feasible(initial: list[dict], *, check, ends_on) -> list[str]:
    """Move each proposed credential no earlier than it can be ready (plans/feasibility.py): the
    generator squeezes a long schedule into the horizon, and the form would refuse those dates.
    Prerequisites come first in the proposal, so a later prerequisite moves what needs it too."""
    notes = []
    planned = {row["subject_slug"]: row["due_date"] for row in initial if row["kind"] == "certification"}
    for row in initial:
        if row["kind"] != "certification" or not row["subject_slug"]:
            continue
        earliest = check.earliest(row["subject_slug"], planned=planned)
        if earliest is not None and row["due_date"] < earliest.due:
            row["due_date"] = planned[row["subject_slug"]] = earliest.due
            note = (
                f"{row['title']} is due {feasibility.pretty(earliest.due)}, the earliest it can be ready: "
                f"{'; '.join(earliest.reasons)}."
            )
            if earliest.due > ends_on:
                note += " That is after the plan's horizon; consider a longer one."
            notes.append(note)
    return notes


class PlanDetailView(PrivateView):
    template_name = "plans/plan_detail.html"

    def get(self, request, pk: int, print_view: bool = False):
        plan = selectors.plan_for_user(user=request.user, pk=pk)
        today = timezone.localdate()
        milestones = list(plan.milestones.all())
        views = _views(milestones)
        overdue = {m.pk for m in views if progress.is_overdue(m, today=today)}
        context = {
            "plan": plan,
            "milestones": [m for m in milestones if not m.is_set_aside],
            "set_aside": [m for m in milestones if m.is_set_aside],
            "overdue_ids": overdue,
            "progress": progress.progress(views, today=today),
            "timeline": progress.timeline(views, start=plan.starts_on, today=today) if views else None,
            "changes": None,
            "add_form": MilestoneAddForm(),
            # the status select's options, the same for every milestone: lazy labels resolved once
            "status_choices": [(s.value, str(s.label)) for s in services.WORKING_STATUSES],
            "plan_default_due": (today + timedelta(days=90)).isoformat(),
            "calendar_url": request.build_absolute_uri(
                reverse("plans:calendar", kwargs={"token": plan.calendar_token})
            ),
            "agreement": selectors.plan_agreement(plan, milestones),
            "comments": selectors.plan_comments(plan=plan),
            "comment_form": PlanCommentForm(),
            "privacy_form": PlanPrivacyForm(instance=plan),
        }
        latest = selectors.latest_result(user=request.user)
        if plan.is_active and latest is not None and latest.pk != plan.result_id:
            stored = reports.StoredResult.from_data(latest.data)
            goal_gaps = []
            if plan.goal_slug in stored.roles:
                goal_gaps = [
                    progress.NewGap(g.skill, g.name, g.current, g.required)
                    for g in stored.gaps(plan.goal_slug).skill_gaps
                ]
            context["changes"] = progress.reassessment_changes(
                views, skill_levels=stored.result.skill_levels, goal_gaps=goal_gaps
            )
            context["latest_result"] = latest
        template = "plans/plan_print.html" if print_view else self.template_name
        return render(request, template, context)


class PlanPrintView(PlanDetailView):
    def get(self, request, pk: int):
        return super().get(request, pk, print_view=True)


class MilestoneStatusView(PrivateView):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        milestone = selectors.milestone_for_user(user=request.user, pk=pk)
        form = MilestoneStatusForm(request.POST, instance=milestone)
        if not form.is_valid():
            errors = "; ".join(
                f"{form.fields[f].label if f in form.fields else ''} {' '.join(e)}".strip()
                for f, e in form.errors.items()
            )
            messages.error(request, f"“{milestone.title}” was not updated: {errors}")
            return redirect(milestone.plan)
        try:
            services.milestone_set_status(
                milestone=milestone,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                evidence_url=form.cleaned_data["evidence_url"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"“{milestone.title}” is now {milestone.get_status_display().lower()}.")
        return redirect(milestone.plan.get_absolute_url() + f"#m-{milestone.pk}")


class MilestoneEditView(PrivateView):
    template_name = "plans/milestone_edit.html"

    def get(self, request, pk: int):
        milestone = selectors.milestone_for_user(user=request.user, pk=pk)
        return render(
            request,
            self.template_name,
            {
                "milestone": milestone,
                "form": MilestoneEditForm(instance=milestone),
                "set_aside_form": MilestoneSetAsideForm(),
            },
        )

    def post(self, request, pk: int):
        milestone = selectors.milestone_for_user(user=request.user, pk=pk)
        original_due = milestone.due_date
        check = planned = None
        if milestone.kind == Milestone.Kind.CERTIFICATION and milestone.subject_slug:
            others = list(milestone.plan.milestones.all())
            check = selectors.credential_check(user=request.user, today=timezone.localdate(), milestones=others)
            planned = selectors.planned_credentials(others, leave_out=milestone.pk)
        form = MilestoneEditForm(request.POST, instance=milestone, check=check, planned=planned)
        if form.is_valid():
            try:
                services.milestone_update(
                    milestone=milestone,
                    title=form.cleaned_data["title"],
                    due_date=form.cleaned_data["due_date"],
                    description=form.cleaned_data["description"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Milestone saved.")
                return redirect(milestone.plan.get_absolute_url() + f"#m-{milestone.pk}")
        milestone.due_date = original_due
        return render(
            request,
            self.template_name,
            {"milestone": milestone, "form": form, "set_aside_form": MilestoneSetAsideForm()},
        )


class MilestoneSetAsideView(PrivateView):
    """Drop a milestone or mark it not needed; the edit page holds the form."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        milestone = selectors.milestone_for_user(user=request.user, pk=pk)
        form = MilestoneSetAsideForm(request.POST)
        if form.is_valid():
            try:
                services.milestone_set_aside(
                    milestone=milestone, status=form.cleaned_data["status"], reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"“{milestone.title}” is now {milestone.get_status_display().lower()}.")
                return redirect(milestone.plan.get_absolute_url() + "#set-aside")
        return render(
            request,
            MilestoneEditView.template_name,
            {"milestone": milestone, "form": MilestoneEditForm(instance=milestone), "set_aside_form": form},
        )


class MilestoneRestoreView(PrivateView):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        milestone = selectors.milestone_for_user(user=request.user, pk=pk)
        try:
            services.milestone_restore(milestone=milestone)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"“{milestone.title}” is back in the plan.")
        return redirect(milestone.plan.get_absolute_url() + f"#m-{milestone.pk}")


class MilestoneMoveView(PrivateView):
    """Up or down one place: two submit buttons in a form, so it works without JavaScript."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        milestone = selectors.milestone_for_user(user=request.user, pk=pk)
        try:
            services.milestone_move(milestone=milestone, direction=request.POST.get("direction", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(milestone.plan.get_absolute_url() + f"#m-{milestone.pk}")


class MilestoneAddView(PrivateView):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        plan = selectors.plan_for_user(user=request.user, pk=pk)
        form = MilestoneAddForm(request.POST)
        if not form.is_valid():
            return render(request, "plans/milestone_add.html", {"plan": plan, "form": form})
        try:
            services.milestone_add(
                plan=plan,
                draft=services.MilestoneDraft(
                    kind=request.POST.get("kind") if request.POST.get("kind") in ("skill", "custom") else "custom",
                    title=form.cleaned_data["title"],
                    due_date=form.cleaned_data["due_date"],
                    description=form.cleaned_data["description"],
                    subject_slug=request.POST.get("subject_slug", "")[:50]
                    if request.POST.get("kind") == "skill"
                    else "",
                ),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Added “{form.cleaned_data['title']}”.")
        return redirect(plan)


class CredentialDatesView(PrivateView):
    """When the person earned the credentials they hold, so each renewal becomes a milestone."""

    template_name = "plans/credential_dates.html"

    def get(self, request):
        form = CredentialDatesForm(held=selectors.held_credentials(user=request.user))
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = CredentialDatesForm(request.POST, held=selectors.held_credentials(user=request.user))
        if not form.is_valid():
            return render(request, self.template_name, {"form": form})
        scheduled = [
            services.credential_earned_record(user=request.user, certification=cert, earned_on=earned_on)
            for cert, earned_on in form.changed_dates()
        ]
        renewals = [m for m in scheduled if m is not None]
        if renewals:
            listed = "; ".join(f"{m.title} on {feasibility.pretty(m.due_date)}" for m in renewals)
            messages.success(request, f"Saved. In your plan now: {listed}.")
        else:
            messages.success(request, "Saved.")
        return redirect("plans:credentials")


class PlanArchiveView(PrivateView):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        plan = selectors.plan_for_user(user=request.user, pk=pk)
        services.plan_archive(plan=plan)
        messages.info(request, "The plan is archived. You can still read it here.")
        return redirect(plan)


class CalendarRotateView(PrivateView):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        plan = selectors.plan_for_user(user=request.user, pk=pk)
        services.plan_calendar_token_rotate(plan=plan)
        messages.success(request, "The old calendar address no longer works. Subscribe with the new one below.")
        return redirect(plan.get_absolute_url() + "#calendar")


class PlanCSVView(PrivateView):
    def get(self, request, pk: int):
        plan = selectors.plan_for_user(user=request.user, pk=pk)
        response = HttpResponse(exports.plan_csv(plan), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="careerpath-plan-{plan.pk}.csv"'
        return response


@method_decorator(never_cache, name="dispatch")
class CalendarFeedView(View):
    """The plan's milestones for a calendar app; the unguessable token is the only key."""

    def get(self, request, token: str):
        if len(token) > 64:
            raise Http404
        plan = selectors.plan_by_calendar_token(token=token)
        response = HttpResponse(exports.plan_ics(plan, base_url=settings.SITE_URL), content_type="text/calendar")
        response["Content-Disposition"] = 'attachment; filename="careerpath-plan.ics"'
        response["X-Robots-Tag"] = "noindex"
        return response


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _form_errors(form) -> str:
    return " ".join(error for errors in form.errors.values() for error in errors)


class PlanCommentAddView(PrivateView):
    """The owner comments on their plan (their manager comments from the team's report-plan page)."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        plan = selectors.plan_for_user(user=request.user, pk=pk)
        form = PlanCommentForm(request.POST)
        if not form.is_valid():
            messages.error(request, f"The comment was not added: {_form_errors(form)}")
        else:
            try:
                services.plan_comment_add(plan=plan, author=request.user, body=form.cleaned_data["body"])
            except ValidationError as exc:
                messages.error(request, f"The comment was not added: {_errors(exc)}")
            else:
                messages.success(request, "Comment added.")
        return redirect(plan.get_absolute_url() + "#comments")


class PlanCommentDeleteView(PrivateView):
    """A comment's author deletes it, from the owner's plan page or the manager's report-plan page."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        comment = selectors.comment_for_author(user=request.user, pk=pk)
        plan = comment.plan
        services.plan_comment_delete(comment=comment, user=request.user)
        messages.success(request, "Your comment is deleted.")
        if plan.user_id == request.user.pk:
            return redirect(plan.get_absolute_url() + "#comments")
        # The manager's copy of the page (teams.urls); a former manager lands on a 404 there, not on the plan.
        return redirect(reverse("teams:report_plan", kwargs={"person_id": plan.user_id, "pk": plan.pk}) + "#comments")


class PlanPrivacyView(PrivateView):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        plan = selectors.plan_for_user(user=request.user, pk=pk)
        form = PlanPrivacyForm(request.POST, instance=Plan(private_from_manager=plan.private_from_manager))
        if form.is_valid():
            private = form.cleaned_data["private_from_manager"]
            services.plan_privacy_set(plan=plan, user=request.user, private=private)
            if private:
                messages.success(request, "This plan is private: your manager sees only that you have a plan.")
            else:
                messages.success(request, "Your manager can now read this plan, comment on it and agree it.")
        return redirect(plan.get_absolute_url() + "#with-manager")


class MilestoneEvidenceView(PrivateView):
    """Evidence for a milestone: a link and a note, which the manager may confirm once it is done."""

    template_name = "plans/milestone_evidence.html"

    def get(self, request, pk: int):
        milestone = selectors.milestone_for_user(user=request.user, pk=pk)
        return render(
            request, self.template_name, {"milestone": milestone, "form": MilestoneEvidenceForm(instance=milestone)}
        )

    def post(self, request, pk: int):
        milestone = selectors.milestone_for_user(user=request.user, pk=pk)
        stored = Milestone(evidence_url=milestone.evidence_url, note=milestone.note)
        form = MilestoneEvidenceForm(request.POST, instance=stored)
        if form.is_valid():
            try:
                services.milestone_evidence_set(
                    milestone=milestone,
                    user=request.user,
                    url=form.cleaned_data["evidence_url"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"Evidence for “{milestone.title}” saved.")
                return redirect(milestone.plan.get_absolute_url() + f"#m-{milestone.pk}")
        return render(request, self.template_name, {"milestone": milestone, "form": form})


def plan_read_only_context(plan, *, today) -> dict:
    """What a read-only plan page shows (HR's and a manager's view of someone's plan)."""
    milestones = list(plan.milestones.all())
    views = _views(milestones)
    return {
        "plan": plan,
        "person": plan.user,
        "milestones": [m for m in milestones if not m.is_set_aside],
        "set_aside": [m for m in milestones if m.is_set_aside],
        "overdue_ids": {m.pk for m in views if progress.is_overdue(m, today=today)},
        "progress": progress.progress(views, today=today),
        "timeline": progress.timeline(views, start=plan.starts_on, today=today) if views else None,
        "read_only": True,
    }
