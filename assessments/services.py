"""Writes for self-assessments: start, save a section, submit (score and freeze)."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.selectors import profile_for

from . import advice, scoring, selectors, signals
from .models import ANSWER_MAX, ANSWER_MIN, Answer, Item, Response, Result, Section


class AssessmentError(Exception):
    """A request the assessment can't honour; the message is shown to the person."""


class NoActiveQuestionnaire(AssessmentError):
    pass


class ResponseFrozen(AssessmentError):
    pass


class IncompleteResponse(AssessmentError):
    def __init__(self, message: str, *, first_section: int):
        super().__init__(message)
        self.first_section = first_section


@dataclass(frozen=True)
class SectionSaveOutcome:
    saved: int
    missing_required: tuple[int, ...]  # item ids still unanswered


def response_start(*, user) -> Response:
    """The person's in-progress response, or a new one on the active questionnaire version."""
    existing = selectors.in_progress_response(user=user)
    if existing is not None:
        return existing
    version = selectors.active_version()
    if version is None:
        raise NoActiveQuestionnaire("No questionnaire is published yet. Please ask your HR team to publish one.")
    return Response.objects.create(user=user, version=version)


@transaction.atomic
def response_save_section(
    *, response: Response, section: Section | selectors.SectionView, answers: dict[int, int]
) -> SectionSaveOutcome:
    """Save the given answers (item id -> 1..5) of one section; return what is still missing.

    `section` is a Section or, from the pages, the SectionView of the version's layout (whose
    questions are already known). Answers to items outside this section, or values out of
    range, are refused whole: nothing is saved from such a request.
    """
    response = Response.objects.select_for_update().get(pk=response.pk)
    if response.is_submitted:
        raise ResponseFrozen("This self-assessment has been submitted and can no longer be changed.")
    if section.version_id != response.version_id:
        raise AssessmentError("That section belongs to another questionnaire.")
    if isinstance(section, selectors.SectionView):
        required = {question.pk: question.required for question in section.questions}
    else:
        required = dict(Item.objects.filter(section=section).values_list("pk", "required"))
    unknown = set(answers) - set(required)
    if unknown:
        raise AssessmentError("Some answers are for questions that are not in this section; nothing was saved.")
    if any(not (ANSWER_MIN <= value <= ANSWER_MAX) for value in answers.values()):
        raise AssessmentError("Every answer must be one of the five options; nothing was saved.")

    existing = {a.item_id: a for a in Answer.objects.filter(response=response, item_id__in=list(required))}
    to_create, to_update = [], []
    for item_id, value in answers.items():
        answer = existing.get(item_id)
        if answer is None:
            to_create.append(Answer(response=response, item_id=item_id, value=value))
        elif answer.value != value:
            answer.value = value
            to_update.append(answer)
    Answer.objects.bulk_create(to_create)
    now = timezone.now()
    for answer in to_update:
        answer.updated_at = now
    Answer.objects.bulk_update(to_update, ["value", "updated_at"])
    if response.last_section != section.order:
        response.last_section = section.order
        response.save(update_fields=["last_section", "updated_at"])

    answered = set(existing) | set(answers)
    missing = tuple(pk for pk, is_required in required.items() if is_required and pk not in answered)
    return SectionSaveOutcome(saved=len(to_create) + len(to_update), missing_required=missing)


def person_spec_for(user) -> scoring.PersonSpec:
    profile = profile_for(user)
    held = profile.certifications.values_list("slug", flat=True)
    return scoring.PersonSpec(
        years_experience=profile.years_experience,
        current_role=profile.current_role.slug if profile.current_role_id else None,
        held_certifications=frozenset(held),
        discipline=profile.discipline.slug if profile.discipline_id else None,
        goal_role=profile.goal_role.slug if profile.goal_role_id else None,
        goal_direction=profile.goal_direction,
        direct_reports=profile.direct_reports,
        region=profile.region,
    )


@transaction.atomic
def response_submit(*, response: Response) -> Result:
    """Freeze the response, score it against the catalog as it is now, and store the result."""
    response = Response.objects.select_for_update().select_related("version").get(pk=response.pk)
    if response.is_submitted:
        raise ResponseFrozen("This self-assessment has already been submitted.")
    sections = selectors.sections_with_counts(response=response)
    incomplete = [s for s in sections if s.required_answered_count < s.required_count]
    if incomplete:
        names = ", ".join(f"“{s.title}”" for s in incomplete)
        raise IncompleteResponse(f"Some questions are still unanswered in {names}.", first_section=incomplete[0].order)

    items = selectors.item_specs(version=response.version)
    answers = dict(Answer.objects.filter(response=response).select_related("item").values_list("item__key", "value"))
    roles, skills, certifications = selectors.catalog_specs()
    person = person_spec_for(response.user)
    result = scoring.score(items=items, answers=answers, roles=roles, person=person, skills=skills)
    moves, credentials = selectors.advice_inputs()
    advised = advice.advise(result=result, roles=roles, moves=moves, credentials=credentials)

    response.status = Response.Status.SUBMITTED
    response.submitted_at = timezone.now()
    response.save(update_fields=["status", "submitted_at", "updated_at"])

    stored = result_build(
        response=response,
        scored=result,
        advised=advised,
        roles=[role.to_dict() for role in roles],
        skills=skills,
        certifications=certifications,
        answers=answers,
        questionnaire={"name": response.version.questionnaire.name, "version": response.version.number},
    )
    stored.save(force_insert=True)
    signals.response_submitted.send(sender=Response, response=response, result=stored)
    return stored


def result_build(
    *,
    response: Response,
    scored: scoring.AssessmentResult,
    advised: advice.Advice | None,
    roles: list[dict],
    skills: dict[str, str],
    certifications: dict[str, str],
    answers: dict[str, int],
    questionnaire: dict,
) -> Result:
    """The (unsaved) frozen result of a scored response: listing columns plus everything to show it again.

    `response_submit` saves it; `seed_demo` bulk-creates thousands, so both store the same shape.
    `roles` are the catalog's `RoleSpec.to_dict()`s, as scored. The listing's top role is the
    advice's first next step (the closest match when there is no advice to give).
    """
    ranked = [role for role in scored.readiness if not role.is_current]
    top = ranked[0] if ranked else None
    if advised is not None and advised.first_step is not None:
        top = scored.role(advised.first_step.slug)
    result = Result(
        response=response,
        user_id=response.user_id,
        engine_version=scored.engine_version,
        best_fit=scored.best_fit,
        technical=scored.orientation["technical"],
        managerial=scored.orientation["managerial"],
        project=scored.orientation["project"],
        top_role_slug=top.slug if top else "",
        top_role_name=top.name if top else "",
        top_role_readiness=top.readiness if top else None,
        data={
            "result": scored.to_dict(),
            "advice": advised.to_dict() if advised is not None else None,
            "roles": roles,
            "skills": skills,
            "certifications": certifications,
            "answers": answers,
            "questionnaire": questionnaire,
        },
    )
    if Response.user.is_cached(response):
        result.user = response.user
    return result
