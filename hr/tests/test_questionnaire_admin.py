"""Questionnaires in the panel: clone, edit the draft inline, preview, publish; published versions are locked."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from assessments import services as assessment_services
from assessments.models import Item, ItemKey, QuestionnaireVersion, Section

pytestmark = pytest.mark.django_db


def change_url(version):
    return reverse("admin:assessments_questionnaireversion_change", args=[version.pk])


def clone(client, version) -> QuestionnaireVersion:
    response = client.post(reverse("admin:assessments_questionnaireversion_clone", args=[version.pk]))
    draft = QuestionnaireVersion.objects.order_by("-number").first()
    assert response.status_code == 302 and response["Location"] == change_url(draft)
    return draft


def test_cloning_copies_every_section_item_and_key_into_a_new_draft(hr_client, version):
    draft = clone(hr_client, version)

    assert (draft.number, draft.status, draft.is_active) == (version.number + 1, "draft", False)
    assert draft.sections.count() == version.sections.count()
    assert list(draft.items.values_list("key", flat=True).order_by("key")) == list(
        version.items.values_list("key", flat=True).order_by("key")
    )
    assert ItemKey.objects.filter(item__version=draft).count() == ItemKey.objects.filter(item__version=version).count()


def test_publishing_a_draft_makes_it_active_and_older_responses_keep_their_version(hr_client, version, make_result):
    engineer = UserFactory()
    earlier = make_result(engineer)
    draft = clone(hr_client, version)

    response = hr_client.post(reverse("admin:assessments_questionnaireversion_publish", args=[draft.pk]), follow=True)

    draft.refresh_from_db()
    version.refresh_from_db()
    assert (draft.status, draft.is_active, version.is_active) == ("published", True, False)
    assert "is published and active" in response.content.decode()
    assert earlier.response.version_id == version.pk
    assert assessment_services.response_start(user=UserFactory()).version_id == draft.pk


def test_a_published_version_is_read_only(hr_client, version):
    page = hr_client.get(change_url(version)).content.decode()
    item = version.items.first()

    post = hr_client.post(change_url(version), {"intro": "Changed"})
    item_post = hr_client.post(reverse("admin:assessments_item_change", args=[item.pk]), {"text": "Changed"})

    assert 'name="intro"' not in page and "Clone into a new draft" in page and "Publish and make active" not in page
    assert (post.status_code, item_post.status_code) == (403, 403)
    version.refresh_from_db()
    item.refresh_from_db()
    assert version.intro != "Changed" and item.text != "Changed"


def test_publishing_again_is_refused_with_a_message(hr_client, version):
    response = hr_client.post(reverse("admin:assessments_questionnaireversion_publish", args=[version.pk]), follow=True)

    assert "already published" in response.content.decode()


def inline_data(draft) -> dict:
    """The draft's change form as the browser would send it back, unchanged."""
    sections = list(draft.sections.order_by("order"))
    items = list(draft.items.order_by("section__order", "order"))
    data = {
        "intro": draft.intro,
        "estimated_minutes": draft.estimated_minutes,
        "change_note": "",
        "sections-TOTAL_FORMS": len(sections),
        "sections-INITIAL_FORMS": len(sections),
        "items-TOTAL_FORMS": len(items),
        "items-INITIAL_FORMS": len(items),
    }
    for n, s in enumerate(sections):
        data |= {f"sections-{n}-id": s.pk, f"sections-{n}-version": draft.pk, f"sections-{n}-order": s.order,
                 f"sections-{n}-title": s.title, f"sections-{n}-intro": s.intro}  # fmt: skip
    for n, i in enumerate(items):
        data |= {
            f"items-{n}-id": i.pk, f"items-{n}-version": draft.pk, f"items-{n}-section": i.section_id,
            f"items-{n}-order": i.order, f"items-{n}-key": i.key, f"items-{n}-kind": i.kind, f"items-{n}-text": i.text,
            f"items-{n}-option_a": i.option_a, f"items-{n}-option_b": i.option_b,
            f"items-{n}-skill": i.skill_id or "", f"items-{n}-required": "on" if i.required else "",
        }  # fmt: skip
    return data


def test_a_draft_is_edited_with_its_sections_and_items_inline(hr_client, version):
    draft = clone(hr_client, version)
    data = inline_data(draft)
    data["sections-0-title"] = "Your working style"
    data["items-0-text"] = "I enjoy untangling a hard technical problem."

    response = hr_client.post(change_url(draft), data)

    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert draft.sections.get(order=1).title == "Your working style"
    first = draft.items.order_by("section__order", "order").first()
    assert first.text == "I enjoy untangling a hard technical problem."
    assert version.items.order_by("section__order", "order").first().text != first.text  # the original is untouched


def test_an_items_keys_weights_and_directions_are_edited_on_its_page(hr_client, version):
    draft = clone(hr_client, version)
    item = draft.items.filter(kind="likert").order_by("pk").first()
    key = item.keys.get()
    url = reverse("admin:assessments_item_change", args=[item.pk])
    data = {
        "order": item.order, "key": item.key, "kind": item.kind, "text": item.text, "option_a": "", "option_b": "",
        "skill": "", "required": "on", "consistency_group": item.consistency_group,
        "keys-TOTAL_FORMS": 1, "keys-INITIAL_FORMS": 1, "keys-0-id": key.pk, "keys-0-item": item.pk,
        "keys-0-dimension": key.dimension, "keys-0-option": "", "keys-0-weight": "1.5", "keys-0-direction": "-1",
    }  # fmt: skip

    response = hr_client.post(url, data)

    assert response.status_code == 302
    key.refresh_from_db()
    assert (float(key.weight), key.direction) == (1.5, -1)


def test_an_incomplete_draft_is_not_published(hr_client, version):
    draft = clone(hr_client, version)
    ItemKey.objects.filter(item__version=draft).delete()

    response = hr_client.post(reverse("admin:assessments_questionnaireversion_publish", args=[draft.pk]), follow=True)

    draft.refresh_from_db()
    assert draft.status == "draft"
    assert "can&#x27;t be published yet" in response.content.decode()


def test_the_preview_shows_every_section_as_an_engineer_sees_it_without_answering(hr_client, version):
    response = hr_client.get(reverse("admin:assessments_questionnaireversion_preview", args=[version.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    for section in Section.objects.filter(version=version):
        assert section.title in html
    for item in Item.objects.filter(version=version):
        assert item.text in html or item.kind == "skill"
    assert html.count('type="radio"') == html.count(" disabled>")
    assert "Strongly disagree" in html


def test_the_list_actions_clone_and_publish(hr_client, version):
    url = reverse("admin:assessments_questionnaireversion_changelist")

    hr_client.post(url, {"action": "clone_selected", "_selected_action": [version.pk]})
    draft = QuestionnaireVersion.objects.get(status="draft")
    hr_client.post(url, {"action": "publish_selected", "_selected_action": [draft.pk]})

    draft.refresh_from_db()
    assert draft.is_active


VERSION_PAGE_QUERIES = 13


def test_the_version_page_costs_the_same_queries_however_many_items(hr_client, catalog, django_assert_num_queries):
    from assessments.tests.factories import build_questionnaire

    small = build_questionnaire(skills=list(catalog.skills.values())[:1], sections=1, likert_per_section=1)
    QuestionnaireVersion.objects.update(is_active=False)
    big = build_questionnaire(skills=list(catalog.skills.values()), sections=5, likert_per_section=8)
    for version in (small, big):
        draft = clone(hr_client, version)
        with django_assert_num_queries(VERSION_PAGE_QUERIES):
            assert hr_client.get(change_url(draft)).status_code == 200
