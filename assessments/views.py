"""Self-assessment pages: start or resume, one section per page, review, submit, results."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.views.generic import TemplateView

from accounts.selectors import profile_for
from careerpath.security import PrivateView
from roles.cache import FRAGMENT_TIMEOUT, fragment_version
from roles.selectors import existing_role_slugs

from . import reports, scoring, selectors, services
from .forms import SectionForm

RESULTS_PER_PAGE = 10
# A section's questions as shown on a GET are kept (response_section.html): unanswered, the same
# for everyone, as long as the layout; with answers, nearly always one person's own combination,
# only while they are likely to come back to it, so that the cache holds a few per person at most.
ANSWERED_QUESTIONS_TIMEOUT = 10 * 60


class AssessmentHomeView(PrivateView, TemplateView):
    template_name = "assessments/assessment_home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        page = Paginator(selectors.results_for_user(user=user), RESULTS_PER_PAGE).get_page(self.request.GET.get("page"))
        in_progress = selectors.in_progress_response(user=user)
        context.update(
            in_progress=in_progress,
            page=page,
            results=page.object_list,
            has_questionnaire=in_progress is not None or selectors.active_version() is not None,
        )
        return context


class ResponseStartView(PrivateView):
    http_method_names = ["post"]

    def post(self, request):
        try:
            response = services.response_start(user=request.user)
        except services.NoActiveQuestionnaire as exc:
            messages.error(request, str(exc))
            return redirect("assessments:home")
        return redirect("assessments:section", pk=response.pk, order=response.last_section)


class SectionView(PrivateView):
    template_name = "assessments/response_section.html"

    def setup_section(self, request, pk: int, order: int):
        self.response = selectors.response_for_user(user=request.user, pk=pk)
        if self.response.is_submitted:
            return redirect(self.response.result)
        self.layout = selectors.questionnaire_layout(version=self.response.version)
        self.section = self.layout.section(order)
        if self.section is None:
            raise Http404("No such section.")
        self.items = self.section.questions
        return None

    def get(self, request, pk: int, order: int):
        if (done := self.setup_section(request, pk, order)) is not None:
            return done
        answers = selectors.response_answers(response=self.response)
        initial = {item.name: answers[item.pk] for item in self.items if item.pk in answers}
        form = SectionForm(items=self.items, initial=initial)
        return self.render(form, missing=(), answers=answers)

    def post(self, request, pk: int, order: int):
        if (done := self.setup_section(request, pk, order)) is not None:
            return done
        action = request.POST.get("action", "next")
        form = SectionForm(request.POST, items=self.items)
        form.is_valid()
        if form.non_field_errors():
            return self.render(form, missing=(), status=400)
        try:
            outcome = services.response_save_section(
                response=self.response, section=self.section, answers=form.valid_answers()
            )
        except services.ResponseFrozen as exc:
            messages.info(request, str(exc))
            return redirect("assessments:home")
        except services.AssessmentError as exc:
            form.add_error(None, str(exc))
            return self.render(form, missing=(), status=400)

        if action == "autosave":
            return JsonResponse({"saved": outcome.saved, "missing": len(outcome.missing_required)})
        if form.errors:
            return self.render(form, missing=outcome.missing_required, status=200)
        orders = [s.order for s in self.layout.sections]
        if action == "back":
            previous = [o for o in orders if o < self.section.order]
            return (
                redirect("assessments:section", pk=pk, order=previous[-1]) if previous else redirect("assessments:home")
            )
        if action == "leave":
            messages.success(request, "Your answers are saved. Come back any time to carry on where you left off.")
            return redirect("assessments:home")
        if outcome.missing_required:
            return self.render(form, missing=outcome.missing_required, status=200)
        following = [o for o in orders if o > self.section.order]
        if following:
            return redirect("assessments:section", pk=pk, order=following[0])
        return redirect("assessments:review", pk=pk)

    def render(self, form: SectionForm, *, missing, answers: dict[int, int] | None = None, status: int = 200):
        if answers is None:  # after a save: what is stored now
            answers = selectors.response_answers(response=self.response)
        sections = self.layout.progress(answers)
        position = [s.order for s in sections].index(self.section.order) + 1
        total_items = sum(s.item_count for s in sections)
        answered = sum(s.answered_count for s in sections)
        form.missing = frozenset(missing)
        shown = {item.pk for item in self.items}
        context = {
            "response": self.response,
            "section": self.section,
            "sections": sections,
            "position": position,
            "section_count": len(sections),
            "percent": round(100 * answered / total_items) if total_items else 0,
            "answered": answered,
            "total_items": total_items,
            "form": form,
            # The questions as shown on a GET (unbound form: no errors, nothing marked missing) are
            # kept in the cache by the layout's build and the answers they show (see below).
            "fragment_version": self.layout.fragment_version,
            "fragment_timeout": FRAGMENT_TIMEOUT if shown.isdisjoint(answers) else ANSWERED_QUESTIONS_TIMEOUT,
            "answers_key": ",".join(str(answers.get(item.pk, "")) for item in self.items),
            "missing_count": len(form.missing),
            "is_first": position == 1,
            "is_last": position == len(sections),
        }
        return render(self.request, self.template_name, context, status=status)


class ReviewView(PrivateView, TemplateView):
    template_name = "assessments/response_review.html"

    def get(self, request, pk: int):
        response = selectors.response_for_user(user=request.user, pk=pk)
        if response.is_submitted:
            return redirect(response.result)
        sections = selectors.sections_with_counts(response=response)
        complete = all(s.required_answered_count >= s.required_count for s in sections)
        profile = profile_for(request.user, create=False)
        held = list(profile.certifications.all()) if profile.pk else []
        context = self.get_context_data(
            response=response, sections=sections, complete=complete, profile=profile, held=held
        )
        return self.render_to_response(context)


class SubmitView(PrivateView):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        response = selectors.response_for_user(user=request.user, pk=pk)
        try:
            result = services.response_submit(response=response)
        except services.IncompleteResponse as exc:
            messages.error(request, f"{exc} Please answer them before submitting.")
            return redirect("assessments:section", pk=pk, order=exc.first_section)
        except services.ResponseFrozen:
            return redirect(response.result)
        messages.success(request, "Your self-assessment is submitted. Here is your result.")
        return HttpResponseRedirect(result.get_absolute_url())


class ResultView(PrivateView, TemplateView):
    """A person's own result. Its main content is kept whole with {% cache %} (result_detail.html).

    A scored result never changes, so what the page shows of it depends only on the result, the
    target asked for, the catalog (the version in the key, and which of the shown roles it still
    has, read every request), and the visitor's time zone and language (the submission time is
    shown in their zone). The fragment's key holds all of them; it is read only after the query
    found result `pk` to be the visitor's (selectors.result_page_data), and a target the result
    doesn't have (any text) is rendered with its message and never kept.
    `assessments/tests/test_result_cache.py` checks these promises.
    """

    template_name = "assessments/result_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        result, outline, stored = selectors.result_page_data(user=self.request.user, pk=self.kwargs["pk"])
        asked = self.request.GET.get("target")
        target = asked or outline.default_target
        if target and target not in outline.roles:
            target = outline.default_target  # result_page_context explains it; such a page is never kept
        # Roles deleted from the catalog since: still shown as scored, but not offered to plan for or read about.
        shown = set(outline.matches) | ({target} if target else set())
        gone = shown - existing_role_slugs(slugs=shown)
        # What the fragment shows, worked out only when it is rendered (not when it is read from the cache).
        page = SimpleLazyObject(
            lambda: result_page_context(
                result, target=asked, stored=stored or reports.StoredResult.from_data(result.data)
            )
        )
        context.update(
            result=result,
            page=page,
            target_slug=target or "",
            target_error=asked is not None and asked != "" and asked not in outline.roles,
            plans_url=reverse("plans:create"),
            gone=gone,
            gone_key=",".join(sorted(gone)),
            questionnaire=result.questionnaire or {},
            fragment_version=fragment_version(),
            fragment_timeout=FRAGMENT_TIMEOUT,
            time_zone=timezone.get_current_timezone_name(),
            language=get_language() or "",
        )
        return context


def result_page_context(result, *, target: str | None, stored: reports.StoredResult | None = None) -> dict:
    """What a result page shows, from the result's stored data: the engineer's page and HR's read-only one."""
    if stored is None:
        stored = reports.StoredResult.from_data(result.data)
    advised = stored.advice
    target = target or stored.default_target()
    target_error = None
    if target and target not in stored.roles:
        target_error = "That role was not part of the catalog when this result was scored; showing the best match."
        target = stored.default_target()
    gaps = stored.gaps(target) if target else None
    return {
        "result": result,
        "stored": stored,
        "orientation": [
            {
                "key": dim.dimension,
                "label": reports.DIMENSION_LABELS[dim.dimension],
                "blurb": reports.lean_words(dim.dimension, dim.score),
                "score": dim.score,
                "summary": dim.summary,
                "movers": dim.movers,
            }
            for dim in stored.result.explanations.dimensions
        ],
        "best_fit_label": reports.DIMENSION_LABELS.get(stored.result.best_fit, stored.result.best_fit),
        "advice": advised,
        "first_credentials": advised.credentials_for(advised.first_step.slug) if advised and advised.first_step else (),
        "target_band": scoring.readiness_band(stored.result.role(target).readiness) if target else None,
        "matches": stored.listed_matches(),
        "target": stored.roles.get(target) if target else None,
        "target_readiness": stored.result.role(target) if target else None,
        "target_error": target_error,
        "gaps": gaps,
        "missing_certifications": [stored.certifications.get(s, s) for s in gaps.missing_certifications]
        if gaps
        else [],
        "radar": stored.radar(target) if target else None,
        "skill_rows": stored.skill_rows(target) if target else [],
        "role_choices": sorted(stored.roles.values(), key=lambda r: r.name),
    }


class ResultCompareView(PrivateView, TemplateView):
    template_name = "assessments/result_compare.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        results = list(selectors.results_for_user(user=self.request.user)[:50])
        context["results"] = results
        a, b = self.request.GET.get("a"), self.request.GET.get("b")
        if not (a and b):
            if len(results) >= 2:
                a, b = str(results[1].pk), str(results[0].pk)
            else:
                return context
        if not (a.isdigit() and b.isdigit()) or a == b:
            context["error"] = "Choose two different results to compare."
            return context
        first = get_object_or_404(selectors.results_for_user(user=self.request.user).defer(None), pk=int(a))
        second = get_object_or_404(selectors.results_for_user(user=self.request.user).defer(None), pk=int(b))
        earlier, later = sorted([first, second], key=lambda r: r.created_at)
        context.update(
            earlier=earlier,
            later=later,
            changes=reports.compare(
                reports.StoredResult.from_data(earlier.data), reports.StoredResult.from_data(later.data)
            ),
            a=earlier.pk,
            b=later.pk,
        )
        return context
