"""The self-assessment pages: flow, save and resume, bad input, privacy, query counts."""

import re
from functools import partial

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from assessments import services
from assessments.forms import field_name
from assessments.models import Answer, Response, Result
from assessments.tests.factories import build_questionnaire, submit_self_assessment
from roles.tests.factories import build_catalog

pytestmark = pytest.mark.django_db


def section_url(response, order):
    return reverse("assessments:section", kwargs={"pk": response.pk, "order": order})


def full_answers(section, value=4):
    return {field_name(item): str(value) for item in section.items.all()}


submitted_result = partial(submit_self_assessment, value=4)


# --- Start, answer, resume ------------------------------------------------------


def test_pages_require_log_in(client, version):
    response = client.get(reverse("assessments:home"))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_home_offers_to_start_and_says_there_are_no_results_yet(client_logged_in, version):
    response = client_logged_in.get(reverse("assessments:home"))

    assert response.status_code == 200
    assert b"Start your self-assessment" in response.content
    assert b"No results yet" in response.content
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]


def test_starting_opens_the_first_section_with_a_progress_indicator(client_logged_in, version):
    response = client_logged_in.post(reverse("assessments:start"), follow=True)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Section 1 of 3: Part 1" in content
    assert '<progress class="w-100 questionnaire-progress" max="100" value="0"' in content
    assert 'type="radio"' in content and "<legend" in content


def test_start_is_post_only(client_logged_in, version):
    assert client_logged_in.get(reverse("assessments:start")).status_code == 405


def test_next_with_a_missing_answer_marks_it_and_keeps_the_others(client_logged_in, user, version):
    response = services.response_start(user=user)
    section = version.sections.get(order=1)
    answers = full_answers(section)
    missing_item = section.items.order_by("order").last()
    del answers[field_name(missing_item)]

    page = client_logged_in.post(section_url(response, 1), {**answers, "action": "next"})

    assert page.status_code == 200
    content = page.content.decode()
    assert "1 question still needs an answer" in content
    assert f'id="err-{missing_item.pk}"' in content
    assert Answer.objects.filter(response=response).count() == len(answers)
    for name, value in answers.items():
        assert f'name="{name}" id="{name}-{value}" value="{value}" checked' in content


def test_a_complete_section_moves_on_to_the_next(client_logged_in, user, version):
    response = services.response_start(user=user)

    page = client_logged_in.post(
        section_url(response, 1), {**full_answers(version.sections.get(order=1)), "action": "next"}
    )

    assert page.status_code == 302
    assert page["Location"] == section_url(response, 2)


def test_back_saves_without_requiring_answers(client_logged_in, user, version):
    response = services.response_start(user=user)
    section = version.sections.get(order=2)
    item = section.items.first()

    page = client_logged_in.post(section_url(response, 2), {field_name(item): "2", "action": "back"})

    assert page["Location"] == section_url(response, 1)
    assert Answer.objects.get(response=response, item=item).value == 2


def test_leaving_half_way_and_coming_back_resumes_with_answers_in_place(client, user, version):
    client.force_login(user)
    client.post(reverse("assessments:start"))
    response = Response.objects.get(user=user)
    client.post(section_url(response, 1), {**full_answers(version.sections.get(order=1), 5), "action": "next"})
    section = version.sections.get(order=2)
    item = section.items.order_by("order").first()
    left = client.post(section_url(response, 2), {field_name(item): "1", "action": "leave"})
    assert left["Location"] == reverse("assessments:home")
    client.logout()

    client.force_login(user)
    home = client.get(reverse("assessments:home"))
    resumed = client.post(reverse("assessments:start"), follow=True)

    assert b"You have a self-assessment in progress" in home.content
    assert resumed.redirect_chain[-1][0] == section_url(response, 2)
    assert f'name="{field_name(item)}" id="{field_name(item)}-1" value="1" checked' in resumed.content.decode()


def test_autosave_stores_an_answer_and_answers_json(client_logged_in, user, version):
    response = services.response_start(user=user)
    item = version.sections.get(order=1).items.first()

    page = client_logged_in.post(section_url(response, 1), {field_name(item): "3", "action": "autosave"})

    assert page.status_code == 200
    assert page.json()["saved"] == 1
    assert Answer.objects.get(response=response, item=item).value == 3


def test_the_last_section_leads_to_review_and_submit_shows_the_result(client_logged_in, user, version):
    response = services.response_start(user=user)
    for section in version.sections.all():
        last = client_logged_in.post(section_url(response, section.order), {**full_answers(section), "action": "next"})
    assert last["Location"] == reverse("assessments:review", kwargs={"pk": response.pk})

    review = client_logged_in.get(last["Location"])
    submitted = client_logged_in.post(reverse("assessments:submit", kwargs={"pk": response.pk}), follow=True)

    assert b"Submit and see my result" in review.content
    assert submitted.status_code == 200
    content = submitted.content.decode()
    assert "Your direction" in content
    assert "Next steps: one move away" in content
    assert "Readiness for every role in the catalog" in content


def test_the_result_page_draws_a_radar_chart_with_a_text_alternative(client_logged_in, user, version, catalog):
    result = submitted_result(user)
    manager = catalog.roles["manager"]

    page = client_logged_in.get(result.get_absolute_url() + f"?target={manager.slug}")

    content = page.content.decode()
    radar_svg = (
        r'<svg class="w-100 radar-chart" viewBox="(-?\d+) (-?\d+) (\d+) (\d+)" role="img" '
        r'aria-labelledby="radar-title radar-desc">'
    )
    svg = re.search(radar_svg, content)
    assert svg is not None
    left, _, width, _ = (int(g) for g in svg.groups())
    assert left < 0 and left + width > 420  # room for the labels on both sides of the chart
    assert content.count("<polygon") == 5 + 2  # five level rings, the person, the role
    assert "Skills Engineering Manager expects, levels 1–5" in content  # the table alternative
    for requirement in manager.requirements.select_related("skill"):
        assert f"<td>{requirement.skill.name}</td><td>4.0</td><td>{requirement.level}</td>" in content


def test_a_role_with_fewer_than_three_skills_gets_the_table_without_a_radar(client_logged_in, user, version, catalog):
    result = submitted_result(user)
    director = catalog.roles["director"]

    page = client_logged_in.get(result.get_absolute_url() + f"?target={director.slug}")

    assert page.status_code == 200
    assert b"radar-title" not in page.content
    assert b"Skills Director of Engineering expects" in page.content


def test_submitting_an_incomplete_response_sends_back_to_the_missing_section(client_logged_in, user, version):
    response = services.response_start(user=user)
    client_logged_in.post(section_url(response, 1), {**full_answers(version.sections.get(order=1)), "action": "next"})

    page = client_logged_in.post(reverse("assessments:submit", kwargs={"pk": response.pk}))

    assert page["Location"] == section_url(response, 2)
    assert not Result.objects.exists()


# --- Bad input ------------------------------------------------------------------


@pytest.mark.parametrize("value", ["0", "6", "abc", "", "3.5", "-1"])
def test_out_of_range_or_garbage_values_get_a_message_and_never_a_500(client_logged_in, user, version, value):
    response = services.response_start(user=user)
    section = version.sections.get(order=1)
    answers = full_answers(section)
    bad_item = section.items.order_by("order").first()
    answers[field_name(bad_item)] = value

    page = client_logged_in.post(section_url(response, 1), {**answers, "action": "next"})

    assert page.status_code == 200
    assert not Answer.objects.filter(response=response, item=bad_item).exists()
    assert Answer.objects.filter(response=response).count() == len(answers) - 1
    if value:
        assert b"Choose one of the five options." in page.content
    else:
        assert b"still needs an answer" in page.content


def test_an_item_id_from_another_section_gets_an_error_and_nothing_is_saved(client_logged_in, user, version):
    response = services.response_start(user=user)
    foreign = version.sections.get(order=2).items.first()
    answers = full_answers(version.sections.get(order=1))

    page = client_logged_in.post(section_url(response, 1), {**answers, field_name(foreign): "3", "action": "next"})

    assert page.status_code == 400
    assert b"not in this section" in page.content
    assert not Answer.objects.filter(response=response).exists()


def test_an_unknown_section_is_a_404(client_logged_in, user, version):
    response = services.response_start(user=user)

    assert client_logged_in.get(section_url(response, 99)).status_code == 404


def test_answers_to_a_submitted_response_are_refused(client_logged_in, user, version):
    result = submitted_result(user)
    section = version.sections.get(order=1)

    page = client_logged_in.post(section_url(result.response, 1), {**full_answers(section, 1), "action": "next"})

    assert page.status_code == 302
    assert page["Location"] == result.get_absolute_url()
    assert set(Answer.objects.filter(response=result.response).values_list("value", flat=True)) == {4}


def test_an_unknown_target_role_on_the_result_page_falls_back_with_a_message(client_logged_in, user, version):
    result = submitted_result(user)

    page = client_logged_in.get(result.get_absolute_url() + "?target=no-such-role")

    assert page.status_code == 200
    assert b"was not part of the catalog when this result was scored" in page.content


# --- Privacy --------------------------------------------------------------------


def test_someone_elses_response_and_result_answer_404(client_logged_in, version):
    stranger = UserFactory()
    result = submitted_result(stranger)
    in_progress = services.response_start(user=stranger)
    section = version.sections.get(order=1)

    urls = [
        result.get_absolute_url(),
        section_url(in_progress, 1),
        reverse("assessments:review", kwargs={"pk": in_progress.pk}),
    ]
    for url in urls:
        assert client_logged_in.get(url).status_code == 404, url
    post = client_logged_in.post(section_url(in_progress, 1), {**full_answers(section), "action": "next"})
    assert post.status_code == 404
    assert client_logged_in.post(reverse("assessments:submit", kwargs={"pk": in_progress.pk})).status_code == 404
    assert client_logged_in.get(reverse("assessments:compare") + f"?a={result.pk}&b={result.pk + 1}").status_code == 404
    assert not Answer.objects.filter(response=in_progress).exists()


def test_the_results_list_shows_only_ones_own(client_logged_in, user, version):
    submitted_result(UserFactory())
    own = submitted_result(user)

    page = client_logged_in.get(reverse("assessments:home"))

    assert list(page.context["results"]) == [own]


# --- Comparison -----------------------------------------------------------------


def test_compare_shows_what_moved_between_two_results(client_logged_in, user, version):
    first = submitted_result(user, value=2)
    second = submitted_result(user, value=5)

    page = client_logged_in.get(reverse("assessments:compare") + f"?a={first.pk}&b={second.pk}")

    assert page.status_code == 200
    changes = page.context["changes"]
    skills = {c.label: c for c in changes["skills"]}
    assert skills["Engineering design"].before == 2.0 and skills["Engineering design"].after == 5.0
    assert "▲ +3" in page.content.decode()


def test_compare_with_fewer_than_two_results_explains_what_to_do(client_logged_in, user, version):
    submitted_result(user)

    page = client_logged_in.get(reverse("assessments:compare"))

    assert b"You need two submitted self-assessments" in page.content


@pytest.mark.parametrize("query", ["?a=x&b=1", "?a=1&b=1"])
def test_compare_with_bad_ids_gets_a_message(client_logged_in, user, version, query):
    submitted_result(user)
    submitted_result(user)

    page = client_logged_in.get(reverse("assessments:compare") + query)

    assert page.status_code == 200
    assert b"Choose two different results" in page.content


# --- Query counts ---------------------------------------------------------------


@pytest.fixture
def big_setup(db):
    catalog = build_catalog(copies=6)  # 54 roles
    skills = list(catalog.skills.values())
    # 10 sections x (8 statements + 1 choice) + skills = over 100 items
    version = build_questionnaire(skills=skills, sections=10, likert_per_section=8)
    return catalog, version


@pytest.mark.parametrize("size", ["small", "big"])
def test_section_page_query_count_is_constant(client, django_assert_num_queries, size, request):
    if size == "small":
        catalog = build_catalog()
        build_questionnaire(skills=list(catalog.skills.values()))
    else:
        request.getfixturevalue("big_setup")
    user = UserFactory()
    client.force_login(user)
    response = services.response_start(user=user)
    last = response.version.sections.order_by("order").last()

    # session, user, response, sections with counts, items, answers
    with django_assert_num_queries(6):
        page = client.get(section_url(response, last.order))
    assert page.status_code == 200


@pytest.mark.parametrize("size", ["small", "big"])
def test_result_page_query_count_is_constant(client, django_assert_num_queries, size, request):
    if size == "small":
        catalog = build_catalog()
        build_questionnaire(skills=list(catalog.skills.values()))
    else:
        request.getfixturevalue("big_setup")
    user = UserFactory()
    client.force_login(user)
    result = submitted_result(user)

    # session, user, result, which of the roles it shows the catalog still has
    with django_assert_num_queries(4):
        page = client.get(result.get_absolute_url())
    assert page.status_code == 200


def test_home_page_query_count(client, django_assert_num_queries, version):
    user = UserFactory()
    client.force_login(user)
    for _ in range(3):
        submitted_result(user)

    # session, user, results count, in-progress response, active version, results page
    with django_assert_num_queries(6):
        page = client.get(reverse("assessments:home"))
    assert page.status_code == 200
