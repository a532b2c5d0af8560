"""The manager's rating of a report: who may rate, what is stored, and self against manager side by side."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from accounts.tests.factories import UserFactory
from hr.models import AccessRecord
from roles.models import Skill
from teams import comparison, selectors
from teams.models import ManagerRating, SkillRating
from teams.services import manager_rating_submit, team_policy_update

pytestmark = pytest.mark.django_db


def report_to(person, manager):
    Profile.objects.filter(user=person).update(manager=manager)


@pytest.fixture
def pair(catalog):
    """Maya manages Ali; Bea is in nobody's team."""
    maya, ali, bea = (UserFactory(name=name) for name in ("Maya", "Ali", "Bea"))
    report_to(ali, maya)
    return maya, ali, bea


def skill_ids():
    return {skill.slug: skill.pk for skill in selectors.rateable_skills()}


def rate(manager, person, levels_by_slug, comments_by_slug=None, **kwargs):
    ids = skill_ids()
    return manager_rating_submit(
        rater=manager,
        subject=person,
        levels={ids[slug]: level for slug, level in levels_by_slug.items()},
        comments={ids[slug]: text for slug, text in (comments_by_slug or {}).items()},
        **kwargs,
    )


# --- The comparison (pure) ----------------------------------------------------------------------------


def test_two_levels_apart_is_worth_talking_about_and_one_level_is_agreement():
    compared = comparison.compare(
        self_levels={"a": 3.0, "b": 3.4, "c": 2.0, "d": 4.0, "e": 1.5},
        names={"e": "Only self"},
        manager=[
            comparison.ManagerLevel("a", "A", 5),  # +2.0: worth talking about
            comparison.ManagerLevel("b", "B", 4),  # +0.6: agree
            comparison.ManagerLevel("c", "C", 1),  # -1.0: agree, at the edge
            comparison.ManagerLevel("d", "D", None),  # not observed: not compared
        ],
    )

    rows = {row.slug: row for row in compared.rows}
    assert [row.slug for row in compared.rows] == ["a", "b", "c", "d", "e"]
    assert (rows["a"].gap, rows["a"].worth_talking, rows["a"].agree) == (2.0, True, False)
    assert (rows["b"].gap, rows["b"].agree) == (0.6, True)
    assert (rows["c"].gap, rows["c"].agree, rows["c"].worth_talking) == (-1.0, True, False)
    assert rows["d"].gap is None and not rows["d"].agree and not rows["d"].worth_talking
    assert rows["e"].name == "Only self" and rows["e"].manager_level is None
    assert (compared.compared, compared.agreed, compared.worth_talking) == (3, 2, 1)


def test_the_radar_has_two_series_on_the_skills_both_rated_and_needs_three():
    manager = [comparison.ManagerLevel(s, s.upper(), 5) for s in "abc"]
    three = comparison.compare(self_levels={"a": 1.0, "b": 1.0, "c": 1.0}, names={}, manager=manager)
    two = comparison.compare(self_levels={"a": 1.0, "b": 1.0}, names={}, manager=manager)

    radar = three.radar()
    assert [label.text for label in radar.labels] == ["A", "B", "C"]
    assert radar.person != radar.target  # self at 1, manager at 5
    assert two.radar() is None


# --- Services -----------------------------------------------------------------------------------------


def test_the_manager_rates_every_skill_given_with_not_observed_and_comments(pair):
    maya, ali, _ = pair

    rating = rate(maya, ali, {"design": 4, "planning": None}, {"design": "  Led the API review well. "})

    rows = {row.skill_slug: row for row in rating.skills.all()}
    assert rating.rater == maya and rating.subject == ali and rating.submitted_at is not None
    assert (rows["design"].level, rows["design"].comment) == (4, "Led the API review well.")
    assert rows["design"].skill_name == Skill.objects.get(slug="design").name
    assert rows["planning"].level is None
    assert set(rows) == {"design", "planning"}


def test_only_the_current_manager_may_rate(pair):
    maya, ali, bea = pair

    with pytest.raises(PermissionDenied):
        rate(bea, ali, {"design": 3})
    with pytest.raises(PermissionDenied):
        rate(ali, ali, {"design": 3})  # not even themselves
    report_to(ali, bea)  # HR moved Ali to Bea's team: Maya is a former manager now
    with pytest.raises(PermissionDenied):
        rate(maya, ali, {"design": 3})
    rate(bea, ali, {"design": 3})

    assert list(ManagerRating.objects.values_list("rater__name", flat=True)) == ["Bea"]


def test_a_skip_level_manager_may_see_but_not_rate(pair):
    maya, ali, _ = pair
    cy = UserFactory(name="Cy")
    report_to(cy, ali)
    team_policy_update(include_indirect_reports=True)

    assert selectors.report_for(manager=maya, person_id=cy.pk) == cy
    with pytest.raises(PermissionDenied):
        rate(maya, cy, {"design": 3})


def test_earlier_ratings_are_kept_and_the_latest_submitted_counts(pair):
    maya, ali, _ = pair
    now = timezone.now()
    first = rate(maya, ali, {"design": 2}, now=now - timedelta(days=90))
    second = rate(maya, ali, {"design": 4}, now=now)

    latest = selectors.latest_manager_rating(subject=ali)

    assert latest == second
    assert [row.level for row in latest.skills.all()] == [4]
    assert ManagerRating.objects.filter(subject=ali).count() == 2
    assert [row.level for row in first.skills.all()] == [2]


@pytest.mark.parametrize(
    ("levels", "comments", "message"),
    [
        ({"design": 0}, {}, "whole number from 1 to 5"),
        ({"design": 6}, {}, "whole number from 1 to 5"),
        ({"design": "3"}, {}, "whole number from 1 to 5"),
        ({"design": True}, {}, "whole number from 1 to 5"),
        ({"design": None}, {}, "Rate at least one skill"),
        ({"design": 3}, {"design": "x" * 1001}, "at most 1000 characters"),
        ({"design": 3}, {"design": "one\nBcc: two"}, "control character"),
        ({"design": 3}, {"design": "a\u202eb"}, "control character"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(pair, levels, comments, message):
    maya, ali, _ = pair

    with pytest.raises(ValidationError, match=message):
        rate(maya, ali, levels, comments)

    assert not ManagerRating.objects.exists() and not SkillRating.objects.exists()


def test_skills_outside_the_catalogs_roles_are_refused(pair):
    maya, ali, _ = pair

    with pytest.raises(ValidationError, match="not in the catalog"):
        manager_rating_submit(rater=maya, subject=ali, levels={skill_ids()["design"]: 3, 999_999: 3})

    assert not ManagerRating.objects.exists()


# --- The rating form ----------------------------------------------------------------------------------


def rate_url(person):
    return reverse("teams:rate", kwargs={"person_id": person.pk})


def form_data(**levels):
    ids = skill_ids()
    data = {f"level_{pk}": "" for pk in ids.values()} | {f"comment_{pk}": "" for pk in ids.values()}
    data.update({f"level_{ids[slug]}": str(level) for slug, level in levels.items()})
    return data


def test_the_form_lists_every_skill_with_its_level_descriptors_in_fieldsets(pair, client, django_assert_num_queries):
    maya, ali, _ = pair
    client.force_login(maya)
    design = Skill.objects.get(slug="design")

    with django_assert_num_queries(4):  # session, user, the report, the skills
        response = client.get(rate_url(ali))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<fieldset") == len(skill_ids()) == 4
    assert f'<legend class="h5 mb-1">{design.name}' in html
    assert f"Level 3: {design.level_3}" in html
    assert html.count(">Not observed</label>") == 4


def test_posting_the_form_stores_a_rating_and_shows_the_comparison(pair, client, make_result):
    maya, ali, _ = pair
    make_result(ali, 3)
    client.force_login(maya)
    ids = skill_ids()

    response = client.post(
        rate_url(ali), form_data(design=5, planning=3) | {f"comment_{ids['design']}": "Sets the bar."}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("teams:report_ratings", kwargs={"person_id": ali.pk})
    rating = selectors.latest_manager_rating(subject=ali)
    assert {row.skill_slug: row.level for row in rating.skills.all()} == {
        "design": 5,
        "planning": 3,
        "communication": None,
        "people": None,
    }
    html = response.content.decode()
    assert "agree (within one level) on 1 of 2 skills" in html
    assert "Sets the bar." in html


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda ids: {f"level_{ids['design']}": "9"}, "Select a valid choice"),
        (lambda ids: {f"level_{ids['design']}": "0"}, "Select a valid choice"),
        (lambda ids: {f"level_{ids['design']}": "abc"}, "Select a valid choice"),
        (lambda ids: {"level_999999": "3"}, "not on it (999999)"),
        (lambda ids: {"comment_abc": "hi"}, "not on it (abc)"),
        (lambda ids: {f"comment_{ids['design']}": "x" * 1001}, "at most 1000 characters"),
        (lambda ids: {f"comment_{ids['design']}": "a\r\nBcc: b"}, "control character"),
        (lambda ids: {f"level_{ids['design']}": ""}, "Rate at least one skill"),
    ],
    ids=["too-high", "zero", "not-a-number", "unknown-skill", "unknown-field", "long-comment", "crlf", "nothing"],
)
def test_bad_input_is_answered_with_a_message_and_stores_nothing(pair, client, change, message):
    maya, ali, _ = pair
    client.force_login(maya)

    response = client.post(rate_url(ali), form_data(design=3) | change(skill_ids()))

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Nothing was saved yet" in html
    assert not ManagerRating.objects.exists()


def test_a_post_counts_its_queries(pair, client, django_assert_num_queries):
    maya, ali, _ = pair
    client.force_login(maya)
    data = form_data(design=3)

    # session, user, the report, the skills; the manager check, the skills again, the rating, its rows
    # (and the savepoint of the service's transaction); then the message in the session.
    with django_assert_num_queries(10):
        response = client.post(rate_url(ali), data)

    assert response.status_code == 302


# --- Who sees what ------------------------------------------------------------------------------------


def ratings_url(person):
    return reverse("teams:report_ratings", kwargs={"person_id": person.pk})


def test_the_team_page_links_the_form_for_direct_reports_only_and_everyone_to_their_own_page(pair, client):
    maya, ali, _ = pair
    cy = UserFactory(name="Cy")
    report_to(cy, ali)
    team_policy_update(include_indirect_reports=True)
    client.force_login(maya)

    html = client.get(reverse("teams:team")).content.decode()

    assert rate_url(ali) in html and ratings_url(ali) in html
    assert rate_url(cy) not in html and ratings_url(cy) in html
    assert reverse("teams:my_ratings") in html


def test_only_the_current_manager_opens_the_form(pair, client):
    maya, ali, bea = pair
    cy = UserFactory(name="Cy")
    report_to(cy, ali)
    team_policy_update(include_indirect_reports=True)

    for visitor, person in ((bea, ali), (ali, ali), (maya, cy), (maya, bea)):
        client.force_login(visitor)
        assert client.get(rate_url(person)).status_code == 404, (visitor, person)
        assert client.post(rate_url(person), form_data(design=3)).status_code == 404, (visitor, person)
    assert not ManagerRating.objects.exists()


def test_the_manager_sees_the_comparison_and_the_opening_is_recorded(
    pair, client, make_result, django_assert_num_queries
):
    maya, ali, bea = pair
    result = make_result(ali, 3)
    rate(maya, ali, {"design": 5, "planning": 4, "communication": 3, "people": 1}, {"people": "Quiet in 1:1s."})
    client.force_login(maya)

    # session, user, the team (policy, members), the person, the peer rounds that may be shown (none), their
    # manager, the result, the rating and its skills, the record; and, the first time, the catalog's moves
    # and credentials for the calibrated advice (teams/tests/test_calibrated.py pins the page seen again)
    with django_assert_num_queries(11 + 5):
        response = client.get(ratings_url(ali))

    html = response.content.decode()
    assert response.status_code == 200
    assert "agree (within one level) on 2 of 4 skills; 2 are worth talking about" in html
    assert html.count('badge text-bg-warning text-wrap">worth talking about') == 2
    assert "Quiet in 1:1s." in html
    assert 'class="w-100 radar-chart"' in html and "<tspan" in html
    record = AccessRecord.objects.get()
    assert (record.actor, record.subject, record.kind, record.object_id) == (maya, ali, "result", result.pk)
    client.force_login(bea)
    assert client.get(ratings_url(ali)).status_code == 404
    assert AccessRecord.objects.count() == 1


def test_the_engineer_sees_self_beside_manager(pair, client, make_result, django_assert_num_queries):
    maya, ali, _ = pair
    make_result(ali, 3)
    rate(maya, ali, {"design": 4, "planning": 1, "communication": None})
    client.force_login(ali)

    # session, user, the person with their manager, the peer rounds, the result, the rating and its skills;
    # the first time also the catalog's moves and credentials for the calibrated advice (five queries, kept afterwards)
    with django_assert_num_queries(7 + 5):
        response = client.get(reverse("teams:my_ratings"))

    html = response.content.decode()
    assert "You and your manager agree (within one level) on 1 of 2 skills; 1 is worth talking about." in html
    assert "not observed" in html
    assert "<svg" not in html  # two skills both rated: too few for a radar; the table has them
    assert not AccessRecord.objects.exists()  # their own data


@pytest.mark.parametrize(
    ("manager", "result", "rated", "expected"),
    [
        (False, True, False, "You have no manager in careerpath"),
        (True, True, False, "Maya, your manager, has not rated your skills yet."),
        (True, False, True, "You have not submitted a self-assessment yet"),
    ],
    ids=["no-manager", "not-rated", "no-self-assessment"],
)
def test_the_engineers_page_says_what_is_missing(pair, client, make_result, manager, result, rated, expected):
    maya, ali, _ = pair
    if not manager:
        report_to(ali, None)
    if result:
        make_result(ali, 3)
    if rated:
        rate(maya, ali, {"design": 4})
    client.force_login(ali)

    html = client.get(reverse("teams:my_ratings")).content.decode()

    assert expected in html
    assert "agree (within one level)" not in html
    if rated:
        assert "not rated" in html  # the manager's levels, with no self levels beside them
