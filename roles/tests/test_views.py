import re
from html import unescape

import pytest
from django.urls import reverse

from roles.tests.factories import (
    DisciplineFactory,
    RoleFactory,
    SalaryFigureFactory,
    SourceFactory,
    build_catalog,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def large_catalog():
    return build_catalog(copies=10)


def _text(response) -> str:
    """The page's visible-ish text, tags stripped and whitespace squeezed, for readable asserts."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _section(response, heading_id: str) -> str:
    """The HTML of the <section> labelled by `heading_id`."""
    html = response.content.decode()
    match = re.search(rf'<section[^>]*aria-labelledby="{heading_id}".*?</section>', html, re.S)
    assert match, f"no section labelled {heading_id}"
    return match.group(0)


# --- /roles/ ------------------------------------------------------------------


def test_role_list_groups_roles_under_their_tracks_in_rank_order(client, catalog):
    response = client.get(reverse("roles:list"))

    assert response.status_code == 200
    text = _text(response)
    for heading in ("Technical track", "Management track", "Project track"):
        assert heading in text
    assert "Grow by going deeper into engineering work." in text
    technical = _section(response, "track-technical")
    names = re.findall(r'class="stretched-link[^"]*" href="[^"]+">([^<]+)</a>', technical)
    assert names == ["Engineer", "Senior Engineer", "Staff Engineer", "Principal Engineer"]
    assert text.index("Technical track") < text.index("Management track") < text.index("Project track")


def test_role_list_cards_show_summary_typical_years_and_link(client, catalog):
    response = client.get(reverse("roles:list"))

    senior = catalog.roles["senior"]
    text = _text(response)
    assert "The senior engineer role in short." in text
    assert "Typical experience: 3–6 years" in text
    assert "Typical experience: 10+ years" in text  # principal, no upper bound
    assert f'href="{senior.get_absolute_url()}"' in response.content.decode()


def test_role_list_filtered_by_track_shows_only_that_track(client, catalog):
    response = client.get(reverse("roles:list"), {"track": "management"})

    text = _text(response)
    assert "Engineering Manager" in text
    assert "Director of Engineering" in text
    assert "Senior Engineer" not in text
    assert "Project Manager" not in text
    assert "3 roles match your filters." in text


def test_role_list_filtered_by_discipline_keeps_roles_for_every_discipline(client, catalog):
    response = client.get(reverse("roles:list"), {"discipline": "software"})

    groups = {g.track.slug: [r.slug for r in g.roles] for g in response.context["groups"]}
    # Staff and principal are software-only; engineer, senior, manager... apply everywhere.
    assert groups == {
        "technical": ["engineer", "senior", "staff", "principal"],
        "management": ["manager", "director"],
        "project": ["project-manager"],
    }


def test_role_list_discipline_filter_leaves_out_other_disciplines_roles(client, catalog):
    response = client.get(reverse("roles:list"), {"discipline": "mechanical"})

    slugs = [r.slug for g in response.context["groups"] for r in g.roles]
    assert "staff" not in slugs and "principal" not in slugs
    assert "mech-manager" in slugs and "project-engineer" in slugs
    assert len(slugs) == len(set(slugs)), "a role with several disciplines must appear once"


def test_role_list_combines_discipline_and_track_filters(client, catalog):
    response = client.get(reverse("roles:list"), {"discipline": "mechanical", "track": "project"})

    slugs = [r.slug for g in response.context["groups"] for r in g.roles]
    assert slugs == ["project-engineer", "project-manager"]


def test_role_list_with_an_unknown_filter_value_says_so_and_shows_no_roles(client, catalog):
    response = client.get(reverse("roles:list"), {"discipline": "underwater-basket-weaving", "track": "technical"})

    assert response.status_code == 200
    text = _text(response)
    assert "We couldn't use that filter" in text
    assert "We have no discipline called “underwater-basket-weaving”" in text
    assert response.context["groups"] == []
    assert "Senior Engineer" not in text


def test_role_list_with_an_unknown_track_says_so(client, catalog):
    response = client.get(reverse("roles:list"), {"track": "astronaut"})

    assert "We have no track called “astronaut”" in _text(response)


def test_role_list_with_empty_filter_values_shows_everything(client, catalog):
    response = client.get(reverse("roles:list"), {"discipline": "", "track": ""})

    assert sum(len(g.roles) for g in response.context["groups"]) == 9
    assert "match your filters" not in _text(response)


def test_role_list_with_no_matches_says_what_to_do(client, catalog):
    DisciplineFactory(slug="electrical", name="Electrical")
    catalog.roles["project-manager"].disciplines.set([catalog.disciplines["mechanical"]])

    response = client.get(reverse("roles:list"), {"discipline": "electrical", "track": "project"})

    text = _text(response)
    assert "No roles match these filters" in text
    assert "Try another discipline or track" in text
    assert f'href="{reverse("roles:list")}"' in response.content.decode()


def test_role_list_of_an_empty_catalog_explains_how_to_fill_it(client, db):
    response = client.get(reverse("roles:list"))

    assert response.status_code == 200
    assert "The catalog is empty" in _text(response)


def test_role_list_needs_no_log_in(client, catalog):
    assert client.get(reverse("roles:list")).status_code == 200


# --- /roles/<slug>/ -------------------------------------------------------------


def test_role_detail_shows_summary_responsibilities_suits_years_and_education(client, catalog):
    response = client.get(catalog.roles["manager"].get_absolute_url())

    assert response.status_code == 200
    text = _text(response)
    assert "The engineering manager role in short." in text
    assert "Own the engineering manager work" in text
    assert "Work with other teams" in text
    assert "People who want the engineering manager kind of work." in text
    assert "Typical experience 5–8 years" in text
    assert "some employers prefer a master's" in text
    assert "Management track" in text


def test_role_detail_lists_skills_by_area_with_levels_as_text(client, catalog):
    response = client.get(catalog.roles["manager"].get_absolute_url())

    skills = _section(response, "skills")
    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", skills)))
    areas = ["Technical", "Project management", "Communication", "Leadership"]
    assert [a for a in areas if a in text] == areas
    assert [text.index(a) for a in areas] == sorted(text.index(a) for a in areas)
    assert "Coaching people Coaching people: Level 4 of 5" in text
    assert "Engineering design Engineering design: Level 3 of 5" in text
    # The level's own descriptor is shown, and the dots are hidden from screen readers.
    assert "Guides others and handles the hard cases." in text
    assert skills.count("level-meter__dot--filled") == 3 + 3 + 4 + 4
    assert 'class="level-meter__dots" aria-hidden="true"' in skills


def test_role_detail_lists_promotions_laterals_and_previous_roles_with_years(client, catalog):
    senior = client.get(catalog.roles["senior"].get_absolute_url())
    moves = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", _section(senior, "next-roles"))))

    assert "Promotions Staff Engineer after 3–5 years" in moves
    assert "Lateral moves Engineering Manager Managerial after 1–3 years" in moves
    assert "Project Manager Project after 1–2 years" in moves
    assert "Usually reached from Engineer (promotion, 2–4 years)" in moves


def test_role_detail_at_the_top_of_a_ladder_says_so(client, catalog):
    response = client.get(catalog.roles["principal"].get_absolute_url())

    assert "This is the top of its ladder" in _text(response)


def test_role_detail_lists_helpful_certifications(client, catalog):
    response = client.get(catalog.roles["manager"].get_absolute_url())

    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", _section(response, "certifications"))))
    assert "Project Management Professional (PMP)" in text
    assert "Project Management Institute" in text
    assert "Professional Engineer" not in text


def test_role_detail_groups_interview_questions_by_area(client, catalog):
    response = client.get(catalog.roles["manager"].get_absolute_url())

    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", _section(response, "questions"))))
    assert text.index("Project management") < text.index("How do you keep a slipping project")
    assert text.index("Leadership") < text.index("How do you handle a conflict")
    assert text.count("Leadership") == 1  # both leadership questions under one heading
    assert text.index("How do you keep a slipping project") < text.index("Leadership")


def test_role_detail_formats_salaries_with_currency_region_year_and_source(client, catalog):
    response = client.get(catalog.roles["manager"].get_absolute_url())

    pay = _section(response, "salary")
    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", pay)))
    assert "$150,000 average" in text
    assert "$120,000–$190,000 range" in text
    assert "USD · United States · 2024" in text
    assert "$144,000 average" in text
    assert "year not stated" in text
    assert "Source: Career guide: Engineering manager career guide (2024)" in text
    assert '<a href="https://example.com/em" rel="noopener">' in pay
    assert "Source: MEM guide: How to advance in engineering" in text  # named, no link: no url


def test_role_detail_formats_other_currencies_by_code(client, catalog):
    SalaryFigureFactory(role=catalog.roles["staff"], currency="GBP", average=95_000, region="United Kingdom")
    SalaryFigureFactory(role=catalog.roles["staff"], currency="CHF", average=160_000, region="Switzerland")

    text = _text(client.get(catalog.roles["staff"].get_absolute_url()))

    assert "£95,000 average" in text
    assert "CHF 160,000 average" in text


def test_role_detail_and_compare_call_a_median_a_median(client, catalog):
    source = SourceFactory(title="OEWS May 2023: 15-1252 Software Developers", url="https://www.bls.gov/oes/x.htm")
    SalaryFigureFactory(role=catalog.roles["staff"], average=None, median=132_270, year=2023, source=source)

    detail = _text(client.get(catalog.roles["staff"].get_absolute_url()))
    compare = _text(client.get(reverse("roles:compare") + "?a=staff&b=senior"))

    assert "$132,270 median" in detail
    assert "$132,270 average" not in detail
    assert "$132,270 median" in compare


def test_role_detail_for_an_unknown_slug_is_404(client, catalog):
    assert client.get(reverse("roles:detail", kwargs={"slug": "chief-wizard"})).status_code == 404


def test_role_detail_of_a_bare_role_still_renders(client, db):
    role = RoleFactory(responsibilities="", suits="", typical_education="", typical_years_max=None)

    response = client.get(role.get_absolute_url())

    assert response.status_code == 200
    text = _text(response)
    assert "No skill levels have been set" in text
    assert "No published pay figures" in text
    assert "No interview questions" in text


# --- /roles/map/ ----------------------------------------------------------------


def test_career_map_draws_one_ladder_per_track_with_a_link_to_every_role(client, catalog):
    response = client.get(reverse("roles:map"))

    assert response.status_code == 200
    html = response.content.decode()
    svgs = re.findall(r"<svg class=\"ladder-svg\".*?</svg>", html, re.S)
    assert len(svgs) == 3
    for role in catalog.roles.values():
        [ladder] = [svg for svg in svgs if f'<a href="{role.get_absolute_url()}"' in svg]
        assert f"({role.track.name}, rung {role.rank}" in ladder
    assert sum(svg.count("<a href=") for svg in svgs) == 9
    assert 'aria-labelledby="map-technical map-technical-desc"' in svgs[0]
    assert "<title>Senior Engineer (Technical track, rung 2, 3–6 years typical experience)</title>" in svgs[0]


def test_career_map_draws_promotions_and_lateral_moves_differently_and_lists_moves_onto_other_tracks(client, catalog):
    response = client.get(reverse("roles:map"))
    html = response.content.decode()

    assert html.count('class="map-arrow map-arrow--promotion"') == 6 + 1  # six moves inside tracks plus the legend
    assert html.count('class="map-arrow map-arrow--lateral"') == 0 + 1  # both lateral moves change track
    away = re.search(r'<ul class="small list-unstyled mb-0 map-away">(.*?)</ul>', html, re.S).group(1)
    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", away)))
    assert "Senior Engineer ⇢ lateral move to Engineering Manager (Management track, lateral)" in text
    assert "Senior Engineer ⇢ lateral move to Project Manager (Project track, lateral)" in text


def test_career_map_has_an_ordered_list_per_track_as_a_text_alternative(client, catalog):
    response = client.get(reverse("roles:map"))

    alternative = _section(response, "map-as-list")
    lists = re.findall(r'<ol class="map-list">(.*?)</ol>', alternative, re.S)
    assert len(lists) == 3
    technical = re.findall(r'<li>\s*<a href="[^"]+">([^<]+)</a>', lists[0])
    assert technical == ["Engineer", "Senior Engineer", "Staff Engineer", "Principal Engineer"]
    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", alternative)))
    assert "Lateral move to Engineering Manager (1–3 years)" in text
    assert "Promotion to Staff Engineer (3–5 years)" in text


def test_career_map_without_roles_says_so(client, db):
    response = client.get(reverse("roles:map"))

    assert response.status_code == 200
    assert "No roles to show yet" in _text(response)
    assert '<svg class="ladder-svg"' not in response.content.decode()


# --- /roles/compare/ --------------------------------------------------------------


def _compare(client, **params):
    return client.get(reverse("roles:compare"), params)


def test_compare_without_choices_shows_the_form_and_no_errors(client, catalog):
    response = _compare(client)

    assert response.status_code == 200
    assert not response.context["form"].errors
    html = response.content.decode()
    assert '<select name="a"' in html and '<select name="b"' in html
    assert '<optgroup label="Management track">' in html
    assert "Pick two roles" in _text(response)


def test_compare_with_one_role_missing_asks_for_it(client, catalog):
    response = _compare(client, a="senior")

    assert response.status_code == 200
    assert response.context["form"].errors == {"b": ["Pick a second role to compare."]}
    assert "Pick a second role to compare." in _text(response)
    assert "role_a" not in response.context


def test_compare_with_an_unknown_role_says_which(client, catalog):
    response = _compare(client, a="senior", b="chief-wizard")

    assert response.status_code == 200
    assert "We have no role called “chief-wizard”" in _text(response)
    assert "role_a" not in response.context


def test_compare_with_the_same_role_twice_asks_for_two_different_roles(client, catalog):
    response = _compare(client, a="senior", b="senior")

    assert response.status_code == 200
    assert "Pick two different roles: you chose Senior Engineer twice." in _text(response)
    assert "role_a" not in response.context


def test_compare_shows_the_union_of_skills_with_both_levels_and_marks_differences(client, catalog):
    response = _compare(client, a="senior", b="manager")

    assert response.status_code == 200
    rows = {
        row.skill.slug: (row.level_a, row.level_b) for group in response.context["skill_groups"] for row in group.items
    }
    assert rows == {"design": (4, 3), "planning": (2, 3), "communication": (3, 4), "people": (None, 4)}
    html = response.content.decode()
    assert html.count('class="compare-row--differs"') == 4
    text = _text(response)
    assert "B expects +4" in text  # coaching: manager 4, senior none
    assert "A expects +1" in text  # design: senior 4, manager 3
    assert "Senior Engineer: Not needed" in text


def test_compare_shows_qualifications_fit_next_roles_and_pay_side_by_side(client, catalog):
    response = _compare(client, a="senior", b="manager")

    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", _section(response, "compare-facts"))))
    assert "Typical experience 3–6 years 5–8 years" in text
    assert "Professional Engineer licence (PE) Project Management Professional (PMP)" in text
    assert "People who want the senior engineer kind of work." in text
    assert "Staff Engineer (3–5 years)" in text
    assert "Mechanical Engineering Manager (2–4 years)" in text
    assert "$118,500 average" in text
    assert "$150,000 average, $120,000–$190,000" in text
    assert "year not stated" in text


def test_compare_shows_the_quickest_route_from_a_to_b(client, catalog):
    response = _compare(client, a="engineer", b="director")

    route = _section(response, "route")
    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", route)))
    assert "How to get from Engineer to Director of Engineering" in text
    assert [s.to_role.slug for s in response.context["path"].steps] == ["senior", "manager", "mech-manager", "director"]
    assert "takes 8–16 years in 4 moves, including a change of track" in text
    assert "Senior Engineer → to Engineering Manager — lateral move, typically after 1–3 years" in text


def test_compare_offers_the_route_the_other_way_when_only_that_exists(client, catalog):
    response = _compare(client, a="director", b="engineer")

    text = _text(response)
    assert response.context["path"] is None
    assert "There is no usual route from Director of Engineering to Engineer" in text
    assert "?a=engineer&amp;b=director" in response.content.decode()


def test_compare_says_when_there_is_no_route_either_way(client, catalog):
    response = _compare(client, a="principal", b="project-engineer")

    assert "The catalog has no usual route between these two roles." in _text(response)


# --- Query counts -------------------------------------------------------------------
# Each page costs the same number of queries for the small catalog and for one ten
# times bigger. Anonymous visitors: no session or user queries.

LIST_QUERIES = 4  # tracks, disciplines, roles, their disciplines
DETAIL_QUERIES = 8  # role+track+source, disciplines, requirements, certifications, next, previous, questions, pay
MAP_QUERIES = 3  # tracks, roles, moves
COMPARE_FORM_QUERIES = 1  # roles for the pickers
COMPARE_QUERIES = 7  # pickers, both roles, requirements, certifications, next moves, pay, all moves (for the route)


@pytest.mark.parametrize("size", ["catalog", "large_catalog"])
def test_role_list_query_count(client, request, size, django_assert_num_queries):
    request.getfixturevalue(size)

    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(reverse("roles:list"))
    with django_assert_num_queries(LIST_QUERIES):
        client.get(reverse("roles:list"), {"discipline": "software", "track": "technical"})

    assert response.status_code == 200


@pytest.mark.parametrize("size", ["catalog", "large_catalog"])
def test_role_detail_query_count(client, request, size, django_assert_num_queries):
    catalog = request.getfixturevalue(size)

    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(catalog.roles["manager"].get_absolute_url())

    assert response.status_code == 200


@pytest.mark.parametrize("size", ["catalog", "large_catalog"])
def test_career_map_query_count(client, request, size, django_assert_num_queries):
    catalog = request.getfixturevalue(size)

    with django_assert_num_queries(MAP_QUERIES):
        response = client.get(reverse("roles:map"))

    assert response.status_code == 200
    assert response.content.decode().count(catalog.roles["senior"].get_absolute_url()) >= 2


@pytest.mark.parametrize("size", ["catalog", "large_catalog"])
def test_compare_query_count(client, request, size, django_assert_num_queries):
    request.getfixturevalue(size)

    with django_assert_num_queries(COMPARE_FORM_QUERIES):
        client.get(reverse("roles:compare"))
    with django_assert_num_queries(COMPARE_FORM_QUERIES):
        client.get(reverse("roles:compare"), {"a": "senior", "b": "nobody"})
    with django_assert_num_queries(COMPARE_QUERIES):
        response = client.get(reverse("roles:compare"), {"a": "engineer", "b": "director"})

    assert response.context["path"] is not None


def test_large_catalog_is_ten_times_the_small_one(db):
    from roles.models import Progression, Role

    build_catalog(copies=10)

    assert Role.objects.count() == 90
    assert Progression.objects.count() == 80


# --- Admin (HR edits the catalog there) ------------------------------------------


@pytest.mark.parametrize(
    "model",
    [
        "source",
        "discipline",
        "track",
        "skillarea",
        "skill",
        "role",
        "rolerequirement",
        "salaryfigure",
        "certification",
        "progression",
        "interviewquestion",
    ],
)
def test_admin_lists_and_searches_every_catalog_model(admin_client, catalog, model):
    url = reverse(f"admin:roles_{model}_changelist")

    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"q": "engineer"}).status_code == 200


def test_admin_role_page_edits_requirements_moves_pay_and_questions_inline(admin_client, catalog):
    response = admin_client.get(reverse("admin:roles_role_change", args=[catalog.roles["manager"].pk]))

    assert response.status_code == 200
    html = response.content.decode()
    for prefix in ("requirements", "next_moves", "salaries", "interview_questions"):
        assert f'name="{prefix}-TOTAL_FORMS"' in html
