"""Reads for the assessment pages, each fetching exactly what its page shows."""

from dataclasses import dataclass, field
from datetime import datetime
from uuid import uuid4

from django.core.cache import cache
from django.db.models import Count, F, FilteredRelation, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from roles.cache import FRAGMENT_TIMEOUT, cached_fragment, fragment_key
from roles.models import Certification, Discipline, Role, RoleRequirement, Skill
from roles.selectors import progression_edges

from . import advice, reports, scoring
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


# --- A version's sections and questions, as the pages show them ------------------------------


@dataclass(frozen=True)
class QuestionView:
    """One question of a version with everything its page shows (no query needed to render it)."""

    pk: int
    kind: str
    text: str
    option_a: str
    option_b: str
    skill_name: str
    required: bool
    name: str  # the form field's name
    options: tuple[tuple[int, str], ...]  # (value, label) of the five answers
    number: int  # its position in the section, from 1


@dataclass(frozen=True)
class SectionView:
    pk: int
    version_id: int
    order: int
    title: str
    intro: str
    questions: tuple[QuestionView, ...]

    @property
    def required_ids(self) -> frozenset[int]:
        return frozenset(q.pk for q in self.questions if q.required)


@dataclass(frozen=True)
class SectionProgress:
    """A section of a response: its questions and how many of them are answered."""

    section: SectionView
    item_count: int
    required_count: int
    answered_count: int
    required_answered_count: int

    @property
    def order(self) -> int:
        return self.section.order

    @property
    def title(self) -> str:
        return self.section.title


@dataclass(frozen=True)
class QuestionnaireLayout:
    version_id: int
    sections: tuple[SectionView, ...]
    # New with every build of the layout: the section page keeps its questions' rendering under
    # it (templates/assessments/response_section.html), so that is as fresh as the layout.
    fragment_version: str = field(default_factory=lambda: uuid4().hex)

    def section(self, order: int) -> SectionView | None:
        return next((s for s in self.sections if s.order == order), None)

    def progress(self, answers: dict[int, int]) -> list[SectionProgress]:
        """Each section with its counts for a response whose answers (item id -> value) are `answers`."""
        rows = []
        for section in self.sections:
            required = section.required_ids
            answered = [q.pk for q in section.questions if q.pk in answers]
            rows.append(
                SectionProgress(
                    section=section,
                    item_count=len(section.questions),
                    required_count=len(required),
                    answered_count=len(answered),
                    required_answered_count=sum(pk in required for pk in answered),
                )
            )
        return rows


def questionnaire_layout(*, version: QuestionnaireVersion) -> QuestionnaireLayout:
    """A version's sections and questions, with their answer labels (skill levels come from the catalog).

    A published version never changes (assessments.versioning), so its layout (data only, no
    markup) is kept in Django's cache under the version's id, the catalog's version and the code's: a
    catalog edit (a skill's name or level descriptors) starts a new one, in every process. A
    draft's is read afresh every time: HR may be editing it (and its `fragment_version` is new
    every time, so no rendering of it is ever read back).
    """
    if not version.is_published:
        return _layout_from_database(version.pk)
    return cached_fragment(
        "questionnaire-layout", str(version.pk), build=lambda: (_layout_from_database(version.pk), True)
    )


def _layout_from_database(version_id: int) -> QuestionnaireLayout:
    from .forms import choice_labels, field_name

    sections = Section.objects.filter(version_id=version_id).order_by("order")
    items = Item.objects.filter(version_id=version_id).select_related("skill").order_by("order")
    by_section: dict[int, list[QuestionView]] = {}
    for item in items:
        questions = by_section.setdefault(item.section_id, [])
        questions.append(
            QuestionView(
                pk=item.pk,
                kind=item.kind,
                text=item.text,
                option_a=item.option_a,
                option_b=item.option_b,
                skill_name=item.skill.name if item.skill_id else "",
                required=item.required,
                name=field_name(item),
                options=tuple(choice_labels(item)),
                number=len(questions) + 1,
            )
        )
    return QuestionnaireLayout(
        version_id=version_id,
        sections=tuple(
            SectionView(s.pk, version_id, s.order, s.title, s.intro, tuple(by_section.get(s.pk, ()))) for s in sections
        ),
    )


def response_answers(*, response: Response) -> dict[int, int]:
    """item id -> value of every answer the response has."""
    return dict(Answer.objects.filter(response=response).order_by().values_list("item_id", "value"))


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
        level=role.level,
        disciplines=tuple(sorted(discipline.slug for discipline in role.disciplines.all())),
    )


def catalog_specs() -> tuple[list[scoring.RoleSpec], dict[str, str], dict[str, str]]:
    """Every catalog role as the engine sees it, plus skill and certification names by slug."""
    roles = Role.objects.select_related("track").prefetch_related(
        Prefetch("requirements", queryset=RoleRequirement.objects.select_related("skill").order_by("pk")),
        Prefetch("certifications", queryset=Certification.objects.only("slug").order_by("slug")),
        Prefetch("disciplines", queryset=Discipline.objects.only("slug")),
    )
    specs = [role_spec(role) for role in roles]
    skills = dict(Skill.objects.values_list("slug", "name"))
    certifications = dict(Certification.objects.values_list("slug", "name"))
    return specs, skills, certifications


def advice_inputs() -> tuple[list[tuple], dict[str, advice.CredentialSpec]]:
    """The catalog's moves (as `roles.paths` edges) and credentials, as the advice engine takes them."""
    credentials = Certification.objects.prefetch_related(
        Prefetch("prerequisites", queryset=Certification.objects.only("slug")),
        Prefetch("skills", queryset=Skill.objects.only("slug")),
        Prefetch("disciplines", queryset=Discipline.objects.only("slug")),
    )
    specs = {
        cert.slug: advice.CredentialSpec(
            slug=cert.slug,
            name=cert.name,
            prep_months=cert.prep_months,
            prerequisites=tuple(sorted(p.slug for p in cert.prerequisites.all())),
            min_years_experience=cert.min_years_experience,
            skills=tuple(sorted(skill.slug for skill in cert.skills.all())),
            disciplines=tuple(sorted(d.slug for d in cert.disciplines.all())),
            region=cert.region,
        )
        for cert in credentials
    }
    return [tuple(edge) for edge in progression_edges()], specs


# Part of the key of the kept advice inputs: change it with the shape of what advice_inputs returns.
ADVICE_INPUTS_FORMAT = "1"


def kept_advice_inputs() -> tuple[list[tuple], dict[str, advice.CredentialSpec]]:
    """advice_inputs(), kept as data in the cache until the catalog changes (pages that advise on a GET)."""
    return cached_fragment("advice-inputs", ADVICE_INPUTS_FORMAT, build=lambda: (advice_inputs(), True))


def results_for_user(*, user) -> QuerySet[Result]:
    return Result.objects.filter(user=user).defer("data").order_by("-created_at")


def result_for_user(*, user, pk: int) -> Result:
    return get_object_or_404(Result.objects.select_related("response__version"), pk=pk, user=user)


# Part of the key of a kept ResultOutline: change it with the class.
RESULT_OUTLINE_FORMAT = "1"


@dataclass(frozen=True)
class ResultOutline:
    """What the result page must know before it can tell whether its kept content will do."""

    roles: frozenset[str]  # the roles the result was scored against (a target must be one)
    matches: tuple[str, ...]  # the roles it lists
    default_target: str | None


def result_page_data(*, user, pk: int) -> tuple[Result, ResultOutline, reports.StoredResult | None]:
    """`user`'s result `pk` (404 if it is not theirs), its outline, and its stored data if they were read.

    A scored result never changes, so its outline is kept in the cache under the result's id
    (as data, a few hundred bytes); while it is kept, the row is read without its stored data
    (40 KB of JSON), which the page then reads only to render content it doesn't have kept.
    The result comes annotated with `questionnaire` (name and version), which the page shows.
    Ownership is checked by the query every time: a kept outline is never used on its key alone.
    """
    key = fragment_key("result-outline", RESULT_OUTLINE_FORMAT, str(pk))
    outline = cache.get(key)
    results = Result.objects.filter(user=user).annotate(questionnaire=F("data__questionnaire"))
    if outline is not None:
        return get_object_or_404(results.defer("data"), pk=pk), outline, None
    result = get_object_or_404(results, pk=pk)
    stored = reports.StoredResult.from_data(result.data)
    outline = ResultOutline(
        roles=frozenset(stored.roles),
        matches=tuple(match.slug for match in stored.listed_matches()),
        default_target=stored.default_target(),
    )
    cache.set(key, outline, FRAGMENT_TIMEOUT)
    return result, outline, stored


@dataclass(frozen=True)
class ReadinessForRole:
    """How ready the latest result says the person is for one role (`readiness` None: the role is newer)."""

    result_id: int
    assessed_at: datetime
    readiness: int | None = None
    band: str = ""
    band_words: str = ""
    explanation: str = ""
    is_current: bool = False


def readiness_for_role(*, user, slug: str) -> ReadinessForRole | None:
    """From the person's latest result, in one query reading only its readiness list; None without a result."""
    row = (
        Result.objects.filter(user=user)
        .order_by("-created_at")
        .values_list("pk", "created_at", "data__result__readiness")
        .first()
    )
    if row is None:
        return None
    pk, created_at, readiness = row
    found = next((entry for entry in readiness or () if entry.get("slug") == slug), None)
    if found is None:
        return ReadinessForRole(result_id=pk, assessed_at=created_at)
    band, words = scoring.readiness_band(found["readiness"])
    return ReadinessForRole(
        result_id=pk,
        assessed_at=created_at,
        readiness=found["readiness"],
        band=band,
        band_words=words,
        explanation=found.get("explanation", ""),
        is_current=found.get("is_current", False),
    )
