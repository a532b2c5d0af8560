"""Calibrated readiness on the self-against-manager pages: what each number rests on, and its queries."""

import re

import pytest
from django.urls import reverse

from accounts.models import Profile
from assessments import calibration
from hr.models import AccessRecord
from roles.models import Role
from teams import selectors

from .test_ratings import pair as pair  # the fixture: Maya manages Ali; Bea is in nobody's team
from .test_ratings import rate, ratings_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def ali_engineer(pair, catalog):
    """Ali is an Engineer, so the advice's next step is one move up (Senior Engineer)."""
    maya, ali, bea = pair
    Profile.objects.filter(user=ali).update(current_role=catalog.roles["engineer"], years_experience=4)
    for role in catalog.roles.values():  # career levels by rank, so that the moves lead up
        Role.objects.filter(pk=role.pk).update(level=role.rank)
    return maya, ali, bea


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def calibrated_for(person, **kwargs):
    person.refresh_from_db()
    return selectors.calibrated_readiness(page=selectors.ratings_page(person=person), **kwargs)


def test_with_only_a_self_rating_the_page_says_so_and_the_numbers_are_the_results(ali_engineer, client, make_result):
    _maya, ali, _ = ali_engineer
    make_result(ali, 3)
    client.force_login(ali)

    response = client.get(reverse("teams:my_ratings"))

    page = text(response.content.decode())
    calibrated = response.context["calibrated"]
    assert "Based on your self-rating only." in page
    assert calibrated.calibration.self_only
    assert calibrated.roles and all(role.readiness == role.self_readiness for role in calibrated.roles)
    assert "Calibrated skill levels" not in page  # nothing to calibrate: no second table


def test_a_generous_manager_raises_the_levels_and_the_readiness(ali_engineer, client, make_result):
    _maya, ali, _ = ali_engineer
    make_result(ali, 2)
    rate(_maya, ali, {"design": 5, "planning": 5, "communication": 5, "people": 5})
    client.force_login(ali)

    response = client.get(reverse("teams:my_ratings"))

    page = text(response.content.decode())
    calibrated = response.context["calibrated"]
    # Self 2 below the manager's 5: counted as given, (1 x 2 + 2 x 5) / 3 = 4.0; the spread of 3 levels
    # adds (3 - 1) / 2 to the 1 / sqrt(3).
    assert {(s.level, s.uncertainty, s.label) for s in calibrated.calibration.skills} == {
        (4.0, 1.6, "self and manager")
    }
    assert "Based on self and manager ratings: self and manager agree on 0 of 4 skills." in page
    assert "4.0 ± 1.6" in page and "ratings disagree" in page
    senior = next(role for role in calibrated.roles if role.slug == "senior")
    assert senior.readiness > senior.self_readiness
    assert "Senior Engineer" in page and f"{senior.self_readiness} {senior.readiness}" in page
    assert "Recommended next step on these levels: Senior Engineer (the same as on the self-assessment alone)." in page


def test_a_self_rating_above_the_manager_counts_only_at_the_managers_level(ali_engineer, client, make_result):
    maya, ali, _ = ali_engineer
    make_result(ali, 5)
    rate(maya, ali, {"design": 3, "planning": 4, "communication": None})
    client.force_login(ali)

    response = client.get(reverse("teams:my_ratings"))

    page = text(response.content.decode())
    found = {s.skill: s for s in response.context["calibrated"].calibration.skills}
    assert (found["design"].level, found["design"].leniency) == (3.0, 2.0)
    assert (found["planning"].level, found["planning"].leniency) == (4.0, 1.0)
    assert found["communication"].self_only and found["communication"].level == 5.0  # not observed: self only
    assert "self-rating 2.0 above the others, not counted" in page
    assert "self and manager agree on 1 of 2 skills" in page
    for role in response.context["calibrated"].roles:
        assert role.readiness <= role.self_readiness


def test_the_manager_sees_the_calibration_in_the_third_person(ali_engineer, client, make_result):
    maya, ali, _ = ali_engineer
    make_result(ali, 3)
    client.force_login(maya)

    page = text(client.get(ratings_url(ali)).content.decode())

    assert "Based on Ali’s self-rating only." in page and "your self-rating" not in page
    rate(maya, ali, {"design": 3, "planning": 3})
    page = text(client.get(ratings_url(ali)).content.decode())
    assert "Based on self and manager ratings: self and manager agree on 2 of 2 skills." in page
    assert AccessRecord.objects.filter(actor=maya, subject=ali).count() == 2


def test_a_result_scored_by_an_older_engine_is_compared_under_the_current_rule(ali_engineer, make_result):
    """Engine 1.0 added the parts of readiness; set side by side with calibrated levels, both use today's rule."""
    _maya, ali, _ = ali_engineer
    result = make_result(ali, 3)
    result.data["result"]["engine_version"] = "1.0"
    for role in result.data["result"]["readiness"]:
        role["readiness"] = 44  # what an older rule said
    result.save(update_fields=["data"])

    calibrated = calibrated_for(ali)

    assert calibrated.calibration.self_only
    assert calibrated.roles and all(role.readiness == role.self_readiness for role in calibrated.roles)
    assert any(role.self_readiness != 44 for role in calibrated.roles)


def test_without_a_self_assessment_there_is_no_calibrated_readiness(ali_engineer, client):
    maya, ali, _ = ali_engineer
    rate(maya, ali, {"design": 4})
    client.force_login(ali)

    response = client.get(reverse("teams:my_ratings"))

    assert response.context["calibrated"] is None
    assert "Calibrated readiness" not in response.content.decode()


def test_peers_count_from_three_answers_and_are_named_with_their_number(ali_engineer, make_result):
    """Synthetic peer aggregates: the peer selector is being built elsewhere; the engine takes its shape."""
    maya, ali, _ = ali_engineer
    make_result(ali, 2)
    rate(maya, ali, {"design": 3})

    counted = calibrated_for(ali, peers={"design": (3.0, 3), "planning": (4.0, 2)})

    design = counted.calibration.skill("design")
    assert design.label == "self, manager and 3 peers" and design.level == 2.8  # (2 + 6 + 6) / 5
    assert counted.calibration.skill("planning").sources == (calibration.SELF,)  # two peers: not counted
    assert [a.words for a in counted.calibration.agreements] == [
        "self and manager agree on 1 of 1 skill",
        "self and peers agree on 1 of 1 skill",
        "manager and peers agree on 1 of 1 skill",
    ]


# --- Query counts ---------------------------------------------------------------------------------


@pytest.mark.parametrize("history", [1, 10])
def test_the_engineers_page_seen_again_takes_seven_queries(
    ali_engineer, client, make_result, django_assert_num_queries, history
):
    maya, ali, _ = ali_engineer
    for n in range(history):
        make_result(ali, 2 + n % 3)
        rate(maya, ali, {"design": 1 + n % 5, "planning": 4, "communication": 2, "people": None})
    client.force_login(ali)
    client.get(reverse("teams:my_ratings"))  # keeps the catalog's moves and credentials

    # session, user, the person with their manager, the peer rounds that may be shown (none), the result,
    # the rating and its skills
    with django_assert_num_queries(7):
        response = client.get(reverse("teams:my_ratings"))
    assert response.context["calibrated"].roles


@pytest.mark.parametrize("history", [1, 10])
def test_the_managers_page_seen_again_takes_eleven_queries(
    ali_engineer, client, make_result, django_assert_num_queries, history
):
    maya, ali, _ = ali_engineer
    for n in range(history):
        make_result(ali, 2 + n % 3)
        rate(maya, ali, {"design": 1 + n % 5, "planning": 4, "communication": 2, "people": None})
    client.force_login(maya)
    client.get(ratings_url(ali))

    # session, user, the team (policy, members), the person, the peer rounds that may be shown (none), their
    # manager, the result, the rating and its skills, the record
    with django_assert_num_queries(11):
        response = client.get(ratings_url(ali))
    assert response.context["calibrated"].roles
