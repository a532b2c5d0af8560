"""Reads for the assessment pages, each fetching exactly what its page shows."""

from django.db.models import Count, FilteredRelation, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from roles.models import Certification, Role, RoleRequirement, Skill

from . import scoring
from .models import Answer, Item, QuestionnaireVersion, Response, Result, Section


def active_version() -> QuestionnaireVersion | None:
    return QuestionnaireVersion.objects.filter(is_active=True).select_related("questionnaire").first()


def response_for_user(*, user, pk: int) -> Response:
    """The person's own response; anyone else's answers 404, exactly like a missing one."""
    return get_object_or_404(Response.objects.select_related("version__questionnaire"), pk=pk, user=user)


def in_progress_response(*, user) -> Response | None:
    return (
        Response.objects.filter(user=user, status=Response.Status.IN_PROGRESS)
        .select_related("version__questionnaire")
        .first()
    )


def sections_with_counts(*, response: Response) -> list[Section]:
    """The version's sections in order, each annotated with its item and answered counts.

    Each item is joined to this response's answer only (FilteredRelation puts the response
    in the join, where the (response, item) index finds it); a plain Count over
    items__answers would join every answer anyone gave and take 0.7 s with 10,000 people.
    An item has at most one answer per response, so nothing is counted twice.
    """
    return list(
        Section.objects.filter(version_id=response.version_id)
        .annotate(
            own_answers=FilteredRelation("items__answers", condition=Q(items__answers__response=response)),
            item_count=Count("items"),
            required_count=Count("items", filter=Q(items__required=True)),
            answered_count=Count("own_answers"),
            required_answered_count=Count("own_answers", filter=Q(items__required=True)),
        )
        .order_by("order")
    )


def section_items(*, section: Section) -> list[Item]:
    return list(section.items.select_related("skill").order_by("order"))


def answers_for(*, response: Response, items: list[Item] | None = None) -> dict[int, int]:
    """item id -> value for the response (optionally only for the given items)."""
    answers = Answer.objects.filter(response=response)
    if items is not None:
        answers = answers.filter(item__in=[item.pk for item in items])
    return dict(answers.values_list("item_id", "value"))


def item_specs(*, version: QuestionnaireVersion) -> list[scoring.ItemSpec]:
    items = (
        Item.objects.filter(version=version)
        .select_related("skill")
        .prefetch_related("keys")
        .order_by("section__order", "order")
    )
    specs = []
    for item in items:
        keys = {"": [], "a": [], "b": []}
        for key in item.keys.all():
            keys[key.option].append(scoring.DimensionKey(key.dimension, float(key.weight), key.direction))
        specs.append(
            scoring.ItemSpec(
                key=item.key,
                kind=item.kind,
                text=item.text,
                keys=tuple(keys[""]),
                option_a=item.option_a,
                option_b=item.option_b,
                a_keys=tuple(keys["a"]),
                b_keys=tuple(keys["b"]),
                skill=item.skill.slug if item.skill_id else None,
                consistency_group=item.consistency_group,
            )
        )
    return specs


def role_spec(role: Role) -> scoring.RoleSpec:
    """A role as the engine sees it; `role` comes with its track, requirements (with skills) and certifications."""
    return scoring.RoleSpec(
        slug=role.slug,
        name=role.name,
        orientation=role.track.orientation,
        typical_years_min=role.typical_years_min,
        typical_years_max=role.typical_years_max,
        requirements=tuple(
            scoring.RequirementSpec(req.skill.slug, req.level, req.weight) for req in role.requirements.all()
        ),
        certifications=tuple(cert.slug for cert in role.certifications.all()),
        rank=role.track.order * 100 + role.rank,
    )


def catalog_specs() -> tuple[list[scoring.RoleSpec], dict[str, str], dict[str, str]]:
    """Every catalog role as the engine sees it, plus skill and certification names by slug."""
    roles = Role.objects.select_related("track").prefetch_related(
        Prefetch("requirements", queryset=RoleRequirement.objects.select_related("skill").order_by("pk")),
        Prefetch("certifications", queryset=Certification.objects.only("slug").order_by("slug")),
    )
    specs = [role_spec(role) for role in roles]
    skills = dict(Skill.objects.values_list("slug", "name"))
    certifications = dict(Certification.objects.values_list("slug", "name"))
    return specs, skills, certifications


def results_for_user(*, user) -> QuerySet[Result]:
    return Result.objects.filter(user=user).defer("data").order_by("-created_at")


def result_for_user(*, user, pk: int) -> Result:
    return get_object_or_404(Result.objects.select_related("response__version"), pk=pk, user=user)
