"""A manager's team page, their read-only view of a report's result and plan (each opening recorded),
the manager's rating of a report, the self-against-manager comparison, and peer input (asking, answering)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView, View

from accounts.models import User
from assessments.views import result_page_context
from careerpath.security import PrivateView
from hr.models import AccessRecord
from hr.services import access_record_create
from plans import selectors as plan_selectors
from plans import services as plan_services
from plans.forms import PlanCommentForm
from plans.views import plan_read_only_context

from . import selectors, services
from .forms import ManagerRatingForm, PeerAnswerForm, PeerRoundForm
from .models import PeerRequest


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
            no_plan=sum(row.plan_id is None and not row.plan_private for row in rows),
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
        # Working on it together (plans/services.py): the direct manager comments, agrees and confirms;
        # an indirect manager HR lets see the team reads the thread and the agreement only.
        can_act = plan.is_active and plan_services.is_current_manager(plan=plan, user=self.request.user)
        context.update(
            agreement=plan_selectors.plan_agreement(plan, plan.milestones.all()),
            comments=plan_selectors.plan_comments(plan=plan),
            comment_form=PlanCommentForm() if can_act else None,
            can_act=can_act,
        )
        return context


class RateView(PrivateView, FormView):
    """The manager rates a direct report's skills; each post adds a new rating (earlier ones are kept)."""

    template_name = "teams/rate.html"
    form_class = ManagerRatingForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.person = selectors.direct_report_for(manager=request.user, person_id=kwargs["person_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "skills": selectors.rateable_skills()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"person": self.person, "person_name": str(self.person)}

    def form_valid(self, form):
        try:
            services.manager_rating_submit(
                rater=self.request.user, subject=self.person, levels=form.levels(), comments=form.comments()
            )
        except PermissionDenied as exc:  # no longer their manager since the page opened
            raise Http404("No such person in your team.") from exc
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Your rating of {self.person} is saved; they can see it beside their own.")
        return redirect("teams:report_ratings", person_id=self.person.pk)

    def form_invalid(self, form):
        messages.error(self.request, "Nothing was saved yet: see the messages on the form.")
        return super().form_invalid(form)


def _ratings_context(page: selectors.RatingsPage) -> dict:
    compared = page.comparison
    return {
        "page": page,
        "comparison": compared,
        "radar": compared.radar() if compared else None,
        "calibrated": selectors.calibrated_readiness(page=page),  # with the peers' aggregate, when shown
    }


class MyRatingsView(PrivateView, TemplateView):
    """The engineer's own self-assessment beside their manager's latest rating."""

    template_name = "teams/ratings.html"

    def get_context_data(self, **kwargs):
        person = User.objects.select_related("profile__manager").get(pk=self.request.user.pk)
        return super().get_context_data(**kwargs) | _ratings_context(selectors.ratings_page(person=person))


class ReportRatingsView(PrivateView, TemplateView):
    """The same comparison for a report, seen by their manager; opening it is recorded as a view of the result."""

    template_name = "teams/report_ratings.html"

    def get_context_data(self, **kwargs):
        person = selectors.report_for(manager=self.request.user, person_id=self.kwargs["person_id"])
        page = selectors.ratings_page(person=person)
        if page.result is not None:
            access_record_create(
                actor=self.request.user, subject=person, kind=AccessRecord.Kind.RESULT, object_id=page.result.pk
            )
        is_manager = page.manager is not None and page.manager.pk == self.request.user.pk
        return (
            super().get_context_data(**kwargs)
            | _ratings_context(page)
            | {"person": person, "person_name": str(person), "hr_view": True, "can_rate": is_manager}
        )


class PeerRoundView(PrivateView, FormView):
    """The engineer asks colleagues for their view of chosen skills, and sees how their rounds stand."""

    template_name = "teams/peers.html"
    form_class = PeerRoundForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "skills": selectors.rateable_skills()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "rounds": selectors.peer_rounds(subject=self.request.user),
            "peers_min": selectors.PEERS_MIN,
        }

    def form_valid(self, form):
        try:
            peer_round = services.peer_round_create(
                subject=self.request.user,
                skill_ids=form.cleaned_data["skills"],
                rater_emails=form.cleaned_data["emails"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        asked = peer_round.requests.count()
        messages.success(
            self.request,
            f"Your request went to {asked} colleague{'s' if asked != 1 else ''}. You will see their ratings, as an "
            f"average, once at least {selectors.PEERS_MIN} have answered and the request has closed.",
        )
        return redirect("teams:peers")

    def form_invalid(self, form):
        messages.error(self.request, "Nothing was sent yet: see the messages on the form.")
        return super().form_invalid(form)


class PeerRoundCloseView(PrivateView, View):
    """The engineer closes one of their open requests before its date (a POST from /team/peers/)."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        try:
            peer_round = services.peer_round_close(subject=request.user, round_id=pk)
        except PermissionDenied as exc:
            raise Http404("No such request.") from exc
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("teams:peers")
        answered = peer_round.requests.filter(status=PeerRequest.Status.ANSWERED).count()
        if answered >= selectors.PEERS_MIN:
            outcome = "Their average is on your ratings page."
        else:
            outcome = f"Fewer than {selectors.PEERS_MIN} answered, so nothing of their ratings is shown."
        plural = "s" if answered != 1 else ""
        messages.success(request, f"Your request is closed with {answered} answer{plural}. {outcome}")
        return redirect(reverse("teams:peers") + f"#round-{peer_round.pk}")


class PeerAnswerView(PrivateView, FormView):
    """A colleague answers a request for their view; only the colleague asked reaches it (404 for anyone else)."""

    template_name = "teams/peer_answer.html"
    form_class = PeerAnswerForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.peer_request = selectors.peer_request_for_rater(rater=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    @property
    def is_open(self) -> bool:
        request = self.peer_request
        return request.status == PeerRequest.Status.PENDING and request.round.expires_at > timezone.now()

    def get_form_kwargs(self):
        skills = [(s.skill_slug, s.skill_name, s.skill) for s in self.peer_request.round.skills.all()]
        return {**super().get_form_kwargs(), "skills": skills}

    def get_context_data(self, **kwargs):
        subject = self.peer_request.round.subject
        return super().get_context_data(**kwargs) | {
            "peer_request": self.peer_request,
            "subject_name": str(subject),
            "is_open": self.is_open,
        }

    def post(self, request, *args, **kwargs):
        if not self.is_open:  # answered or closed: the page says so
            return self.get(request, *args, **kwargs)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.peer_answer_submit(rater=self.request.user, request_id=self.peer_request.pk, levels=form.levels())
        except PermissionDenied as exc:
            raise Http404("No such request.") from exc
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Thank you: your answer is saved. {self.peer_request.round.subject} sees it only as part of an "
            "average, never as yours.",
        )
        return redirect("home")

    def form_invalid(self, form):
        messages.error(self.request, "Nothing was saved yet: see the messages on the form.")
        return super().form_invalid(form)
