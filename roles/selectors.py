"""Reads for the catalog pages. Each returns what its page needs in a fixed number of queries."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404

from roles.career_map import CareerMap, MapMove, MapRole, MapTrack, layout_career_map
from roles.models import (
    Certification,
    Discipline,
    InterviewQuestion,
    Progression,
    Role,
    RoleRequirement,
    SalaryFigure,
    Skill,
    SkillArea,
    Track,
)
from roles.paths import Edge

# --- Choices for the filter and compare forms -----------------------------------


def discipline_list() -> list[Discipline]:
    return list(Discipline.objects.order_by("order", "name"))


def track_list() -> list[Track]:
    return list(Track.objects.order_by("order", "name"))


def role_choice_list() -> list[Role]:
    """Every role with its track, in ladder order: for role pickers."""
    return list(Role.objects.select_related("track").order_by(*_LADDER_ORDER))


_LADDER_ORDER = ("track__order", "track__name", "rank", "name")


# --- The role list ----------------------------------------------------------------


@dataclass(frozen=True)
class TrackGroup:
    track: Track
    roles: list[Role]


def role_list(*, discipline: Discipline | None = None, track: Track | None = None) -> QuerySet[Role]:
    """Roles in ladder order. A role with no disciplines applies to every discipline."""
    roles = Role.objects.select_related("track").prefetch_related(
        Prefetch("disciplines", queryset=Discipline.objects.order_by("order", "name"))
    )
    if discipline is not None:
        roles = roles.filter(Q(disciplines=discipline) | Q(disciplines__isnull=True)).distinct()
    if track is not None:
        roles = roles.filter(track=track)
    return roles.order_by(*_LADDER_ORDER)


def group_by_track(tracks: Iterable[Track], roles: Iterable[Role]) -> list[TrackGroup]:
    """The roles under their tracks, in track order; tracks with no roles left out. No queries."""
    by_track: dict[int, list[Role]] = {}
    for role in roles:
        by_track.setdefault(role.track_id, []).append(role)
    return [TrackGroup(track=t, roles=by_track[t.pk]) for t in tracks if t.pk in by_track]


# --- One role -----------------------------------------------------------------------


def _moves(related: str, role_field: str) -> Prefetch:
    return Prefetch(
        related,
        queryset=Progression.objects.select_related(f"{role_field}__track").order_by(
            "-kind", f"{role_field}__track__order", f"{role_field}__rank", f"{role_field}__name"
        ),
    )


def _requirements() -> Prefetch:
    return Prefetch(
        "requirements",
        queryset=RoleRequirement.objects.select_related("skill__area").order_by(
            "skill__area__order", "skill__area__name", "skill__order", "skill__name"
        ),
    )


def _certifications() -> Prefetch:
    return Prefetch("certifications", queryset=Certification.objects.order_by("name"))


def _salaries() -> Prefetch:
    return Prefetch(
        "salaries",
        queryset=SalaryFigure.objects.select_related("source").order_by(
            "region", F("year").desc(nulls_last=True), "currency", "pk"
        ),
    )


def role_get(*, slug: str) -> Role:
    """One role with everything its page shows, or Http404."""
    roles = Role.objects.select_related("track", "source").prefetch_related(
        Prefetch("disciplines", queryset=Discipline.objects.order_by("order", "name")),
        _requirements(),
        _certifications(),
        _moves("next_moves", "to_role"),
        _moves("previous_moves", "from_role"),
        Prefetch(
            "interview_questions",
            queryset=InterviewQuestion.objects.select_related("area").order_by(
                "area__order", "area__name", "order", "pk"
            ),
        ),
        _salaries(),
    )
    try:
        return roles.get(slug=slug)
    except Role.DoesNotExist:
        raise Http404(f"No role called {slug!r}.") from None


def existing_role_slugs(*, slugs: Iterable[str]) -> set[str]:
    """Which of these role slugs the catalog still has (a stored result may name roles deleted since)."""
    return set(Role.objects.filter(slug__in=list(slugs)).values_list("slug", flat=True))


def roles_for_comparison(*, slugs: Iterable[str]) -> dict[str, Role]:
    """The roles compared side by side, by slug, with skills, credentials, next moves and pay."""
    roles = Role.objects.select_related("track").prefetch_related(
        _requirements(), _certifications(), _moves("next_moves", "to_role"), _salaries()
    )
    return {role.slug: role for role in roles.filter(slug__in=list(slugs))}


@dataclass(frozen=True)
class AreaGroup:
    area: SkillArea
    items: list


def group_by_area(items: Iterable, area_of) -> list[AreaGroup]:
    """Consecutive items sharing an area, as groups (items come ordered by area). No queries."""
    groups: list[AreaGroup] = []
    for item in items:
        area = area_of(item)
        if groups and groups[-1].area.pk == area.pk:
            groups[-1].items.append(item)
        else:
            groups.append(AreaGroup(area=area, items=[item]))
    return groups


# --- Comparing two roles -----------------------------------------------------------


@dataclass(frozen=True)
class SkillComparisonRow:
    skill: object
    level_a: int | None
    level_b: int | None

    @property
    def differs(self) -> bool:
        return self.level_a != self.level_b

    @property
    def difference(self) -> int:
        """How many levels more role B asks for than role A (a missing skill counts as 0)."""
        return (self.level_b or 0) - (self.level_a or 0)


def compare_requirements(role_a: Role, role_b: Role) -> list[AreaGroup]:
    """Every skill either role asks for, with both levels, grouped by area. Uses prefetched data."""
    levels: dict[int, dict[str, int]] = {}
    skills = {}
    for side, role in (("a", role_a), ("b", role_b)):
        for requirement in role.requirements.all():
            skills[requirement.skill_id] = requirement.skill
            levels.setdefault(requirement.skill_id, {})[side] = requirement.level
    ordered = sorted(skills.values(), key=lambda s: (s.area.order, s.area.name, s.area.pk, s.order, s.name))
    rows = [SkillComparisonRow(skill=s, level_a=levels[s.pk].get("a"), level_b=levels[s.pk].get("b")) for s in ordered]
    return group_by_area(rows, lambda row: row.skill.area)


# --- The career map and paths -----------------------------------------------------


def progression_edges() -> list[Edge]:
    """Every move between roles as plain tuples for `roles.paths`, in one query."""
    rows = Progression.objects.order_by("pk").values_list(
        "from_role__slug", "to_role__slug", "kind", "typical_years_min", "typical_years_max"
    )
    return [Edge(*row) for row in rows]


@dataclass(frozen=True)
class MapMoveDisplay:
    role: Role
    kind: str
    years_min: int
    years_max: int

    @property
    def is_lateral(self) -> bool:
        return self.kind == Progression.Kind.LATERAL


@dataclass(frozen=True)
class MapRung:
    role: Role
    moves: list[MapMoveDisplay]


@dataclass(frozen=True)
class MapTrackList:
    track: Track
    rungs: list[MapRung]


@dataclass(frozen=True)
class CareerMapData:
    tracks: list[Track]
    roles: list[Role]
    edges: list[Edge]
    layout: CareerMap

    @property
    def track_lists(self) -> list[MapTrackList]:
        """The text alternative: per track, its roles in ladder order with the moves out of each."""
        by_slug = {r.slug: r for r in self.roles}
        moves: dict[str, list[MapMoveDisplay]] = {}
        for e in self.edges:
            moves.setdefault(e.from_slug, []).append(
                MapMoveDisplay(by_slug[e.to_slug], e.kind, e.years_min, e.years_max)
            )
        for out in moves.values():
            out.sort(key=lambda m: (m.is_lateral, m.role.track.order, m.role.rank, m.role.name))
        return [
            MapTrackList(
                track=t,
                rungs=[MapRung(role=r, moves=moves.get(r.slug, [])) for r in self.roles if r.track_id == t.pk],
            )
            for t in self.tracks
        ]


def career_map() -> CareerMapData:
    """Tracks, roles and moves, laid out as the ladder diagram (three queries)."""
    tracks = track_list()
    roles = list(Role.objects.select_related("track").order_by(*_LADDER_ORDER))
    edges = progression_edges()
    layout = layout_career_map(
        [MapTrack(t.slug, t.name, t.orientation) for t in tracks],
        [MapRole(r.slug, r.name, r.track.slug, r.rank, r.get_absolute_url(), r.typical_years_display) for r in roles],
        [MapMove(e.from_slug, e.to_slug, e.kind) for e in edges],
    )
    return CareerMapData(tracks=tracks, roles=roles, edges=edges, layout=layout)


# --- The catalog's entries, section by section (the REST API) ------------------------------------


def catalog_entry_rows(
    section: str,
    *,
    track: Track | None = None,
    discipline: Discipline | None = None,
    area: SkillArea | None = None,
    kind: str | None = None,
) -> QuerySet:
    """The rows of one section of the catalog with everything their entries name loaded
    (roles.catalog_io.catalog_entry turns each into its entry without a query), in catalog order.
    A fixed number of queries however many rows: one, plus one per related list."""
    if section == "tracks":
        return Track.objects.order_by("order", "name", "pk")
    if section == "skills":
        skills = Skill.objects.select_related("area").order_by("area__order", "order", "name", "pk")
        return skills.filter(area=area) if area is not None else skills
    if section == "roles":
        return (
            role_list(discipline=discipline, track=track)
            .select_related("source")
            .prefetch_related(
                Prefetch("requirements", queryset=RoleRequirement.objects.select_related("skill__area")),
                Prefetch("salaries", queryset=SalaryFigure.objects.select_related("source")),
                Prefetch("interview_questions", queryset=InterviewQuestion.objects.select_related("area", "source")),
            )
            .order_by(*_LADDER_ORDER, "pk")
        )
    if section == "certifications":
        certifications = (
            Certification.objects.select_related("source")
            .prefetch_related("prerequisites", "skills", "roles", "disciplines")
            .order_by("name", "pk")
        )
        return certifications.filter(kind=kind) if kind else certifications
    raise ValueError(f"Unknown catalog section {section!r}.")


def track_by_slug(slug: str) -> Track | None:
    return Track.objects.filter(slug=slug).first()


def discipline_by_slug(slug: str) -> Discipline | None:
    return Discipline.objects.filter(slug=slug).first()


def skill_area_by_slug(slug: str) -> SkillArea | None:
    return SkillArea.objects.filter(slug=slug).first()
