"""The rating agreement page (/hr/agreement/) and its CSV: figures from the database, small groups withheld."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from accounts.tests.factories import UserFactory
from teams.models import ManagerRating, SkillRating

from .factories import stored_result

pytestmark = pytest.mark.django_db


def rated(person, manager, levels: dict[str, int | None], *, when=None):
    rating = ManagerRating.objects.create(rater=manager, subject=person, submitted_at=when or timezone.now())
    SkillRating.objects.bulk_create(
        SkillRating(rating=rating, skill_slug=slug, skill_name=slug.title(), level=level)
        for slug, level in levels.items()
    )
    return rating


def team(manager_name: str, size: int, *, self_level: float, manager_level: int):
    manager = UserFactory(name=manager_name)
    for _ in range(size):
        person = UserFactory()
        Profile.objects.filter(user=person).update(manager=manager)
        stored_result(person, skills={"python": self_level, "design": self_level})
        rated(person, manager, {"python": manager_level, "design": manager_level})
    return manager


def test_shows_agreement_and_self_leniency_for_the_organisation(hr_client):
    team("Mona Manager", 5, self_level=4.0, manager_level=3)

    response = hr_client.get(reverse("hr:agreement"))

    overall = response.context["report"].overall
    assert response.status_code == 200
    assert (overall.people, overall.pairs, overall.agreement, overall.leniency) == (5, 10, 100.0, 1.0)
    html = response.content.decode()
    assert "Mona Manager" in html and "+1.00" in html and "<svg" in html


def test_only_the_latest_rating_and_the_latest_self_assessment_count(hr_client):
    manager = team("Mona Manager", 5, self_level=4.0, manager_level=4)
    person = Profile.objects.filter(manager=manager).first().user
    rated(person, manager, {"python": 1}, when=timezone.now() - timezone.timedelta(days=30))  # older
    stored_result(person, skills={"python": 4.0}, created_at=timezone.now() - timezone.timedelta(days=30))

    overall = hr_client.get(reverse("hr:agreement")).context["report"].overall

    assert (overall.pairs, overall.agreed) == (10, 10)


def test_a_team_of_four_shows_no_figure_and_neither_does_its_complement(hr_client):
    team("Small Team", 4, self_level=5.0, manager_level=1)
    team("Mid Team", 5, self_level=4.0, manager_level=4)
    team("Big Team", 8, self_level=4.0, manager_level=4)

    response = hr_client.get(reverse("hr:agreement"))

    teams = {t.label: t for t in response.context["report"].teams}
    assert teams["Small Team"].withheld and teams["Mid Team"].withheld and not teams["Big Team"].withheld
    assert response.content.decode().count("Withheld: too few people") == 2


def test_fewer_than_five_people_reveal_nothing_on_the_page_or_in_the_csv(hr_client):
    team("Mona Manager", 2, self_level=5.0, manager_level=1)

    html = hr_client.get(reverse("hr:agreement")).content.decode()
    rows = list(csv.DictReader(io.StringIO(text(hr_client.get(reverse("hr:agreement_csv"))))))

    assert "Fewer than 5 engineers" in html and "+4.00" not in html
    assert rows and all(row["withheld"] == "yes" and row["agreement_percent"] == "" for row in rows)


def test_the_csv_has_a_row_per_skill_and_team_with_the_pages_figures(hr_client):
    team("Mona Manager", 6, self_level=4.0, manager_level=2)

    response = hr_client.get(reverse("hr:agreement_csv"))

    rows = list(csv.DictReader(io.StringIO(text(response))))
    assert response["Content-Type"].startswith("text/csv")
    assert [(r["scope"], r["name"]) for r in rows] == [
        ("organisation", "Everyone"), ("skill", "Design"), ("skill", "Python"), ("team", "Mona Manager"),
    ]  # fmt: skip
    assert rows[0]["agreement_percent"] == "0.0" and rows[0]["self_leniency"] == "2.0"


def test_staff_and_deactivated_people_are_left_out(hr_client, hr_user):
    manager = team("Mona Manager", 5, self_level=4.0, manager_level=4)
    gone = Profile.objects.filter(manager=manager).first().user
    gone.is_active = False
    gone.save()

    assert hr_client.get(reverse("hr:agreement")).context["report"].overall.people == 4


def more_teams(teams: int, size: int):
    for n in range(teams):
        team(f"Manager {n}", size, self_level=3.0 + n % 2, manager_level=3)


# session, user, permissions (2), the latest ratings' levels, the self levels of the people rated
AGREEMENT_QUERIES = 6


def text(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_the_page_and_csv_cost_the_same_queries_with_ten_times_more_people(hr_client, django_assert_num_queries):
    more_teams(1, 5)
    with django_assert_num_queries(AGREEMENT_QUERIES):
        hr_client.get(reverse("hr:agreement"))
    with django_assert_num_queries(AGREEMENT_QUERIES):
        text(hr_client.get(reverse("hr:agreement_csv")))

    more_teams(9, 5)
    with django_assert_num_queries(AGREEMENT_QUERIES):
        response = hr_client.get(reverse("hr:agreement"))
    assert response.context["report"].overall.people == 50
    with django_assert_num_queries(AGREEMENT_QUERIES):
        text(hr_client.get(reverse("hr:agreement_csv")))


def test_only_hr_sees_the_agreement(client):
    client.force_login(UserFactory())

    assert client.get(reverse("hr:agreement")).status_code == 403
    assert client.get(reverse("hr:agreement_csv")).status_code == 403
