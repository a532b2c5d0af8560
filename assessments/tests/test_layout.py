"""The questionnaire's layout kept in the cache (assessments.selectors.questionnaire_layout):
cheaper section pages, never anyone else's answers, never a stale question or answer label."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from assessments import selectors, services, versioning
from assessments.forms import SectionForm
from assessments.models import Item, QuestionnaireVersion
from assessments.views import ANSWERED_QUESTIONS_TIMEOUT

pytestmark = pytest.mark.django_db


def section_url(response, order):
    return reverse("assessments:section", kwargs={"pk": response.pk, "order": order})


def started(user):
    client = Client()
    client.force_login(user)
    return client, services.response_start(user=user)


def test_a_section_page_seen_before_reads_only_the_person_and_their_answers(version, django_assert_num_queries):
    client, response = started(UserFactory())
    client.get(section_url(response, 1))  # anyone's first look keeps the version's layout

    # session, user, response, answers: the sections and questions come from the cache
    with django_assert_num_queries(4):
        page = client.get(section_url(response, 3))
    assert page.status_code == 200


def test_people_answering_the_same_section_each_see_only_their_own_answers(version):
    alice_client, alice_response = started(UserFactory())
    bob_client, bob_response = started(UserFactory())
    items = list(Item.objects.filter(section__version=version, section__order=1).order_by("order"))
    alice_answers = {f"item-{item.pk}": "1" for item in items}

    alice_client.post(section_url(alice_response, 1), {**alice_answers, "action": "leave"})
    alice_page = alice_client.get(section_url(alice_response, 1)).content.decode()
    bob_page = bob_client.get(section_url(bob_response, 1)).content.decode()

    first = f'id="item-{items[0].pk}-1" value="1" checked'
    assert first in alice_page
    assert first not in bob_page
    assert " checked" not in bob_page
    assert f"{len(items)} of" in alice_page and "0 of" in bob_page


def test_a_section_seen_before_shows_the_answers_changed_since_not_the_kept_ones(version):
    client, response = started(UserFactory())
    items = list(Item.objects.filter(section__version=version, section__order=1).order_by("order"))
    client.post(section_url(response, 1), {**{f"item-{item.pk}": "1" for item in items}, "action": "leave"})
    assert f'id="item-{items[0].pk}-1" value="1" checked' in client.get(section_url(response, 1)).content.decode()

    client.post(section_url(response, 1), {**{f"item-{item.pk}": "5" for item in items}, "action": "leave"})
    page = client.get(section_url(response, 1)).content.decode()

    assert page.count(" checked") == len(items)
    assert all(f'id="item-{item.pk}-5" value="5" checked' in page for item in items)


def test_a_fresh_section_is_kept_as_long_as_the_layout_an_answered_one_for_ten_minutes(version):
    client, response = started(UserFactory())
    items = list(Item.objects.filter(section__version=version, section__order=1).order_by("order"))
    client.post(section_url(response, 1), {f"item-{items[0].pk}": "3", "action": "leave"})
    client.get(section_url(response, 1))
    client.get(section_url(response, 2))
    layout = selectors.questionnaire_layout(version=version)
    second = layout.section(2)

    def kept(order, answers_key):
        return cache.get(make_template_fragment_key("section-questions", [layout.fragment_version, order, answers_key]))

    answered_key = ",".join(["3"] + [""] * (len(items) - 1))
    assert kept(1, answered_key) is not None and kept(2, "," * (len(second.questions) - 1)) is not None

    with time_machine.travel(timezone.now() + timedelta(seconds=ANSWERED_QUESTIONS_TIMEOUT + 1)):
        assert kept(1, answered_key) is None
        assert kept(2, "," * (len(second.questions) - 1)) is not None


def test_a_skill_renamed_by_hr_shows_on_the_next_section_page(version, catalog, admin_user):
    client, response = started(UserFactory())
    skill_section = version.sections.order_by("order").last().order
    skill = catalog.skills[next(iter(catalog.skills))]
    assert skill.name in client.get(section_url(response, skill_section)).content.decode()  # now kept

    hr = Client()
    hr.force_login(admin_user)
    form = hr.get(reverse("admin:roles_skill_change", args=[skill.pk])).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data.update(name="Renamed Skill", level_3="A freshly worded level three")
    assert hr.post(reverse("admin:roles_skill_change", args=[skill.pk]), data).status_code == 302

    page = client.get(section_url(response, skill_section)).content.decode()
    assert "Renamed Skill" in page
    assert "A freshly worded level three" in page


def test_a_new_version_published_by_hr_is_what_a_new_self_assessment_shows(version):
    client, first = started(UserFactory())
    client.get(section_url(first, 1))
    draft = versioning.questionnaire_version_clone(version=version)
    item = Item.objects.get(version=draft, section__order=1, order=1)
    item.text = "A reworded first statement."
    item.save()

    versioning.questionnaire_version_publish(version=draft)
    newcomer_client, newcomer = started(UserFactory())

    assert "A reworded first statement." in newcomer_client.get(section_url(newcomer, 1)).content.decode()
    assert "A reworded first statement." not in client.get(section_url(first, 1)).content.decode()


def test_a_drafts_layout_is_never_kept_so_hr_previews_every_edit(version):
    draft = versioning.questionnaire_version_clone(version=version)
    assert selectors.questionnaire_layout(version=draft).sections[0].questions[0].text != "Edited in the draft."

    Item.objects.filter(version=draft, section__order=1, order=1).update(text="Edited in the draft.")

    assert selectors.questionnaire_layout(version=draft).sections[0].questions[0].text == "Edited in the draft."
    assert not QuestionnaireVersion.objects.get(pk=draft.pk).is_published


def test_every_question_renders_from_its_form_field_with_the_answer_given_checked(version):
    for section in selectors.questionnaire_layout(version=version).sections:
        for value in (None, 1, 2, 3, 4, 5):
            initial = {} if value is None else {q.name: value for q in section.questions}
            form = SectionForm(items=section.questions, initial=initial)
            for question, field in zip(section.questions, form, strict=True):
                html = field.as_field_group()
                assert f'id="q-{question.pk}"' in html and question.text in html
                assert html.count('type="radio"') == 5
                assert html.count(" checked") == (value is not None)
                if value is not None:
                    assert f'id="{question.name}-{value}" value="{value}" checked>' in html


def test_a_question_still_missing_is_marked_and_the_others_are_not(version):
    section = selectors.questionnaire_layout(version=version).sections[0]
    form = SectionForm({}, items=section.questions)
    form.missing = frozenset({section.questions[0].pk})

    first, second = list(form)[:2]

    assert "Please choose an answer." in first.as_field_group()
    assert "border-danger" not in second.as_field_group()


def test_a_catalog_change_made_by_another_process_is_read_by_this_one(version, catalog, django_assert_num_queries):
    from roles import cache as catalog_cache

    selectors.questionnaire_layout(version=version)
    with django_assert_num_queries(0):  # kept in the cache
        selectors.questionnaire_layout(version=version)
    skill = catalog.skills[next(iter(catalog.skills))]
    type(skill).objects.filter(pk=skill.pk).update(name="Renamed Elsewhere")

    cache.set(catalog_cache.VERSION_KEY, "a-version-another-process-started", timeout=None)

    names = {q.skill_name for s in selectors.questionnaire_layout(version=version).sections for q in s.questions}
    assert "Renamed Elsewhere" in names
