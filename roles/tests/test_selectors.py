import pytest
from django.http import Http404

from roles import selectors
from roles.paths import Edge, find_path
from roles.tests.factories import (
    DisciplineFactory,
    ProgressionFactory,
    RoleFactory,
    RoleRequirementFactory,
    SalaryFigureFactory,
)

pytestmark = pytest.mark.django_db


def test_role_list_orders_roles_by_track_then_rank(catalog):
    slugs = [r.slug for r in selectors.role_list()]

    assert slugs == [
        "engineer",
        "senior",
        "staff",
        "principal",
        "manager",
        "mech-manager",
        "director",
        "project-engineer",
        "project-manager",
    ]


def test_role_list_for_a_discipline_includes_roles_for_every_discipline_once(catalog):
    role = catalog.roles["mech-manager"]
    role.disciplines.add(catalog.disciplines["software"])  # now two disciplines

    slugs = [r.slug for r in selectors.role_list(discipline=catalog.disciplines["mechanical"])]

    assert slugs.count("mech-manager") == 1
    assert "engineer" in slugs  # no disciplines: every discipline
    assert "staff" not in slugs  # software only


def test_role_list_for_a_discipline_no_role_names_still_has_the_general_roles(catalog):
    electrical = DisciplineFactory(slug="electrical")

    slugs = {r.slug for r in selectors.role_list(discipline=electrical)}

    assert slugs == {"engineer", "senior", "manager", "director", "project-manager"}


def test_group_by_track_keeps_track_order_and_leaves_out_empty_tracks(catalog):
    roles = selectors.role_list(track=catalog.tracks["project"])

    groups = selectors.group_by_track(selectors.track_list(), roles)

    assert [g.track.slug for g in groups] == ["project"]
    assert [r.slug for r in groups[0].roles] == ["project-engineer", "project-manager"]


def test_role_get_raises_404_for_an_unknown_slug(catalog):
    with pytest.raises(Http404):
        selectors.role_get(slug="nobody")


def test_role_get_orders_salaries_by_region_then_newest_year_with_unknown_years_last(catalog):
    manager = catalog.roles["manager"]
    SalaryFigureFactory(role=manager, average=100_000, year=2019, source=catalog.sources["payscale"])
    SalaryFigureFactory(role=manager, average=90_000, year=2023, region="Canada", currency="CAD")

    figures = [(f.region, f.year) for f in selectors.role_get(slug="manager").salaries.all()]

    assert figures == [("Canada", 2023), ("United States", 2024), ("United States", 2019), ("United States", None)]


def test_role_get_prefetches_everything_the_page_shows(catalog, django_assert_num_queries):
    role = selectors.role_get(slug="manager")

    with django_assert_num_queries(0):
        [r.skill.area.name for r in role.requirements.all()]
        [m.to_role.track.name for m in role.next_moves.all()]
        [m.from_role.track.name for m in role.previous_moves.all()]
        [q.area.name for q in role.interview_questions.all()]
        [s.source.title for s in role.salaries.all()]
        [c.name for c in role.certifications.all()]
        [d.name for d in role.disciplines.all()]
        assert role.track.name


def test_group_by_area_groups_consecutive_items(catalog):
    role = selectors.role_get(slug="manager")

    groups = selectors.group_by_area(role.requirements.all(), lambda r: r.skill.area)

    assert [(g.area.slug, [r.skill.slug for r in g.items]) for g in groups] == [
        ("technical", ["design"]),
        ("project-management", ["planning"]),
        ("communication", ["communication"]),
        ("leadership", ["people"]),
    ]


def test_compare_requirements_takes_the_union_of_both_roles_skills(catalog):
    roles = selectors.roles_for_comparison(slugs=["engineer", "project-manager"])

    groups = selectors.compare_requirements(roles["engineer"], roles["project-manager"])

    rows = [(row.skill.slug, row.level_a, row.level_b, row.differs, row.difference) for g in groups for row in g.items]
    assert rows == [
        ("design", 2, None, True, -2),
        ("planning", None, 5, True, 5),
        ("communication", 2, 4, True, 2),
    ]


def test_compare_requirements_marks_equal_levels_as_the_same(db):
    a, b = RoleFactory(), RoleFactory()
    requirement = RoleRequirementFactory(role=a, level=3)
    RoleRequirementFactory(role=b, skill=requirement.skill, level=3)
    roles = selectors.roles_for_comparison(slugs=[a.slug, b.slug])

    (group,) = selectors.compare_requirements(roles[a.slug], roles[b.slug])

    (row,) = group.items
    assert not row.differs and row.difference == 0


def test_progression_edges_are_plain_tuples_from_one_query(catalog, django_assert_num_queries):
    with django_assert_num_queries(1):
        edges = selectors.progression_edges()

    assert len(edges) == 8
    assert Edge("senior", "manager", "lateral", 1, 3) in edges
    assert all(isinstance(e, tuple) for e in edges)


def test_progression_edges_feed_path_finding(catalog):
    ProgressionFactory(from_role=catalog.roles["project-manager"], to_role=catalog.roles["director"], kind="lateral")

    path = find_path(selectors.progression_edges(), "project-engineer", "director")

    assert path.slugs == ["project-engineer", "project-manager", "director"]


def test_career_map_lays_out_every_role_and_move(catalog, django_assert_num_queries):
    with django_assert_num_queries(3):
        data = selectors.career_map()

    assert {n.slug for n in data.layout.nodes} == {r.slug for r in catalog.roles.values()}
    assert len(data.layout.arrows) == 6  # the moves inside a track; the two onto other tracks are listed
    assert {(c.from_slug, c.to_slug) for c in data.layout.crossings} == {
        ("senior", "manager"),
        ("senior", "project-manager"),
    }
    assert data.layout.node("senior").url == catalog.roles["senior"].get_absolute_url()


def test_career_map_text_alternative_lists_each_tracks_roles_with_their_moves(catalog):
    track_lists = selectors.career_map().track_lists

    technical = track_lists[0]
    assert technical.track.slug == "technical"
    assert [rung.role.slug for rung in technical.rungs] == ["engineer", "senior", "staff", "principal"]
    senior = technical.rungs[1]
    assert [(m.role.slug, m.kind) for m in senior.moves] == [
        ("staff", "promotion"),
        ("manager", "lateral"),
        ("project-manager", "lateral"),
    ]
