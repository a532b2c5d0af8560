"""Services: start or resume, save a section, submit and freeze."""

import pytest

from accounts.tests.factories import UserFactory
from assessments import scoring, services
from assessments.models import Answer, Item, Response, Result
from assessments.tests.factories import build_questionnaire

pytestmark = pytest.mark.django_db


def answer_everything(response, value=4):
    for section in response.version.sections.all():
        answers = {item.pk: value for item in section.items.all()}
        services.response_save_section(response=response, section=section, answers=answers)


def test_start_creates_a_response_on_the_active_version(user, version):
    response = services.response_start(user=user)

    assert response.version == version
    assert response.status == Response.Status.IN_PROGRESS


def test_start_resumes_the_response_in_progress(user, version):
    first = services.response_start(user=user)

    assert services.response_start(user=user) == first
    assert Response.objects.filter(user=user).count() == 1


def test_start_without_a_published_questionnaire_says_so(user, db):
    with pytest.raises(services.NoActiveQuestionnaire, match="No questionnaire is published"):
        services.response_start(user=user)


def test_saving_a_section_keeps_given_answers_and_reports_missing_required(user, version):
    response = services.response_start(user=user)
    section = version.sections.get(order=1)
    items = list(section.items.order_by("order"))

    outcome = services.response_save_section(response=response, section=section, answers={items[0].pk: 5})

    assert outcome.saved == 1
    assert set(outcome.missing_required) == {item.pk for item in items[1:]}
    assert Answer.objects.get(response=response, item=items[0]).value == 5


def test_saving_again_updates_changed_answers_only(user, version):
    response = services.response_start(user=user)
    section = version.sections.get(order=1)
    items = list(section.items.order_by("order"))
    services.response_save_section(response=response, section=section, answers={items[0].pk: 2, items[1].pk: 3})

    outcome = services.response_save_section(
        response=response, section=section, answers={items[0].pk: 2, items[1].pk: 4}
    )

    assert outcome.saved == 1
    assert dict(Answer.objects.filter(response=response).values_list("item_id", "value")) == {
        items[0].pk: 2,
        items[1].pk: 4,
    }


def test_saving_remembers_where_to_resume(user, version):
    response = services.response_start(user=user)

    services.response_save_section(response=response, section=version.sections.get(order=2), answers={})

    response.refresh_from_db()
    assert response.last_section == 2


def test_an_answer_to_an_item_of_another_section_saves_nothing(user, version):
    response = services.response_start(user=user)
    first, second = version.sections.get(order=1), version.sections.get(order=2)
    own, foreign = first.items.first(), second.items.first()

    with pytest.raises(services.AssessmentError, match="not in this section"):
        services.response_save_section(response=response, section=first, answers={own.pk: 3, foreign.pk: 3})

    assert not Answer.objects.filter(response=response).exists()


def test_an_item_of_another_questionnaire_version_is_refused(user, version, catalog):
    response = services.response_start(user=user)
    version.is_active = False
    version.save()
    other = build_questionnaire(skills=[])  # the response keeps its own version
    other_section = other.sections.get(order=1)

    with pytest.raises(services.AssessmentError, match="another questionnaire"):
        services.response_save_section(response=response, section=other_section, answers={})


@pytest.mark.parametrize("value", [0, 6, -1, 99])
def test_out_of_range_values_save_nothing(user, version, value):
    response = services.response_start(user=user)
    section = version.sections.get(order=1)
    items = list(section.items.all())

    with pytest.raises(services.AssessmentError, match="one of the five options"):
        services.response_save_section(response=response, section=section, answers={items[0].pk: 3, items[1].pk: value})

    assert not Answer.objects.filter(response=response).exists()


def test_submit_refuses_an_incomplete_response_and_names_the_section(user, version):
    response = services.response_start(user=user)
    section = version.sections.get(order=1)
    services.response_save_section(
        response=response, section=section, answers={item.pk: 3 for item in section.items.all()}
    )

    with pytest.raises(services.IncompleteResponse) as excinfo:
        services.response_submit(response=response)

    assert excinfo.value.first_section == 2
    assert "Part 2" in str(excinfo.value)
    response.refresh_from_db()
    assert response.status == Response.Status.IN_PROGRESS


def test_submit_scores_freezes_and_stores_a_result(user, version, catalog):
    response = services.response_start(user=user)
    answer_everything(response, value=4)

    result = services.response_submit(response=response)

    response.refresh_from_db()
    assert response.is_submitted and response.submitted_at is not None
    assert result.user == user
    assert result.engine_version == scoring.ENGINE_VERSION
    assert 0 <= float(result.technical) <= 100
    assert {role["slug"] for role in result.data["roles"]} == {role.slug for role in catalog.roles.values()}
    assert result.top_role_slug in {role.slug for role in catalog.roles.values()}
    assert len(result.data["answers"]) == Item.objects.filter(version=version).count()


def test_a_submitted_response_cannot_change_or_be_submitted_twice(user, version):
    response = services.response_start(user=user)
    answer_everything(response)
    services.response_submit(response=response)
    section = version.sections.get(order=1)

    with pytest.raises(services.ResponseFrozen):
        services.response_save_section(response=response, section=section, answers={section.items.first().pk: 1})
    with pytest.raises(services.ResponseFrozen):
        services.response_submit(response=response)
    assert Result.objects.filter(response=response).count() == 1


def test_after_submitting_the_next_start_is_a_new_response(user, version):
    response = services.response_start(user=user)
    answer_everything(response)
    services.response_submit(response=response)

    again = services.response_start(user=user)

    assert again.pk != response.pk


def test_a_result_is_shown_as_scored_after_the_catalog_changes(user, version, catalog):
    response = services.response_start(user=user)
    answer_everything(response, value=3)
    result = services.response_submit(response=response)
    before = result.data
    role = catalog.roles["manager"]

    role.requirements.update(level=1)
    role.name = "Renamed manager"
    role.save()
    result.refresh_from_db()

    assert result.data == before
    stored_names = {r["slug"]: r["name"] for r in result.data["roles"]}
    assert stored_names[role.slug] == "Engineering Manager"


def test_held_certifications_and_profile_reach_the_engine(version, catalog):
    person = UserFactory(profile__years_experience=12, profile__current_role=catalog.roles["senior"])
    cert = next(iter(catalog.certifications.values()))
    person.profile.certifications.add(cert)

    spec = services.person_spec_for(person)

    assert spec.years_experience == 12
    assert spec.current_role == catalog.roles["senior"].slug
    assert spec.held_certifications == frozenset({cert.slug})
