"""The catalog in the panel: a role's page with its requirements, credentials and moves inline; useful list columns."""

import pytest
from django.apps import apps
from django.urls import reverse

from roles.models import Certification, Skill
from roles.tests.factories import (
    InterviewQuestionFactory,
    ProgressionFactory,
    RoleRequirementFactory,
    SalaryFigureFactory,
    SkillFactory,
    build_catalog,
)

pytestmark = pytest.mark.django_db


def test_a_roles_page_lists_its_skills_credentials_and_moves_both_ways(hr_client):
    catalog = build_catalog()
    senior = catalog.roles["senior"]

    html = hr_client.get(reverse("admin:roles_role_change", args=[senior.pk])).content.decode()

    assert "credentials that help into this role" in html.lower()
    assert "moves into this role" in html.lower() and "moves from this role" in html.lower()
    assert 'name="requirements-0-level"' in html
    assert 'name="Certification_roles-0-certification"' in html


def test_the_role_list_counts_skills_credentials_and_moves(hr_client):
    catalog = build_catalog()

    response = hr_client.get(reverse("admin:roles_role_changelist"), {"q": "Senior Engineer"})

    senior = next(r for r in response.context["cl"].result_list if r.pk == catalog.roles["senior"].pk)
    assert (senior._requirements, senior._certifications, senior._moves) == (3, 1, 3)


def test_a_credential_is_linked_to_a_role_from_the_roles_page(hr_client):
    catalog = build_catalog()
    role = catalog.roles["director"]
    url = reverse("admin:roles_role_change", args=[role.pk])
    form = hr_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and not isinstance(value, list)}
    data |= {"track": role.track_id, "disciplines": [], "source": ""}
    for formset in hr_client.get(url).context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    data |= {
        "Certification_roles-TOTAL_FORMS": 1,
        "Certification_roles-0-certification": catalog.certifications["pmp"].pk,
    }

    response = hr_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert role in Certification.objects.get(pk=catalog.certifications["pmp"].pk).roles.all()


def form_data(client, url) -> dict:
    """What the change page would post back unchanged: the main form and every inline row as shown."""
    response = client.get(url)
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if isinstance(value, (list, tuple)):
                value = [getattr(v, "pk", v) for v in value]
            if value is not None and value is not False:
                data[form.add_prefix(name)] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        count = formset.initial_form_count()
        data |= {f"{formset.prefix}-TOTAL_FORMS": count, f"{formset.prefix}-INITIAL_FORMS": count}
        for form in formset.initial_forms:
            add(form)
    return data


def test_a_skill_requirement_is_edited_inline_on_the_roles_page(hr_client):
    catalog = build_catalog()
    manager = catalog.roles["manager"]
    url = reverse("admin:roles_role_change", args=[manager.pk])
    requirement = manager.requirements.get(skill=catalog.skills["people"])
    data = form_data(hr_client, url)
    row = next(key.removesuffix("-id") for key, value in data.items() if value == requirement.pk and
               key.startswith("requirements-") and key.endswith("-id"))  # fmt: skip
    data[f"{row}-level"] = 5

    response = hr_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    requirement.refresh_from_db()
    assert requirement.level == 5
    assert manager.requirements.count() == 4  # nothing else added or lost


def test_each_inline_row_shows_its_current_picks(hr_client):
    catalog = build_catalog()
    manager = catalog.roles["manager"]

    html = hr_client.get(reverse("admin:roles_role_change", args=[manager.pk])).content.decode()

    for requirement in manager.requirements.select_related("skill"):
        assert f'<option value="{requirement.skill_id}" selected>{requirement.skill.name}</option>' in html
    for question in manager.interview_questions.select_related("area"):
        assert f'<option value="{question.area_id}" selected>{question.area.name}</option>' in html
    for move in manager.next_moves.select_related("to_role"):
        assert f'<option value="{move.to_role_id}" selected>{move.to_role.name}</option>' in html
    assert f'<option value="{catalog.certifications["pmp"].pk}" selected>' in html


# Constant in the catalog's size and in the role's own inline rows: the rows come with their related objects,
# each autocomplete shows the pick loaded with its row, a drop-down's choices are listed once
# (careerpath/admin_inlines.py). It was 41 before, and grew by about three with every inline row.
ROLE_PAGE_QUERIES = 15


def warm(client, url):
    """One visit first: Django caches content types per process, as a running server has them."""
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("copies", [1, 10])
def test_the_role_page_costs_the_same_queries_with_a_ten_times_bigger_catalog(
    hr_client, copies, django_assert_num_queries
):
    catalog = build_catalog(copies=copies)
    url = reverse("admin:roles_role_change", args=[catalog.roles["manager"].pk])
    warm(hr_client, url)

    with django_assert_num_queries(ROLE_PAGE_QUERIES):
        hr_client.get(url)


def test_the_role_page_costs_the_same_queries_with_many_more_inline_rows(hr_client, django_assert_num_queries):
    catalog = build_catalog()
    manager = catalog.roles["manager"]
    source = catalog.sources["payscale"]
    for n in range(10):
        RoleRequirementFactory(role=manager, skill=SkillFactory(area=catalog.areas["leadership"]), level=3)
        InterviewQuestionFactory(role=manager, area=catalog.areas["technical"], text=f"Question {n}?", source=source)
        SalaryFigureFactory(role=manager, region=f"Region {n}", average=100_000 + n, source=source)
    for key in ("engineer", "staff", "principal", "project-engineer"):
        ProgressionFactory(from_role=manager, to_role=catalog.roles[key], source=source)
        ProgressionFactory(from_role=catalog.roles[key], to_role=manager, source=source)
    catalog.certifications["pe"].roles.add(manager)
    url = reverse("admin:roles_role_change", args=[manager.pk])
    warm(hr_client, url)

    with django_assert_num_queries(ROLE_PAGE_QUERIES):
        response = hr_client.get(url)

    assert response.content.decode().count('name="requirements-') > 14 * 3


# Every catalog change page, with the catalog's first row of each kind.
CHANGE_PAGE_QUERIES = {
    "source": 5,
    "discipline": 5,
    "track": 6,
    "skillarea": 6,
    "skill": 6,
    "role": 15,
    "rolerequirement": 9,
    "salaryfigure": 8,
    "certification": 13,  # with its disciplines: the choices and the chosen
    "progression": 9,
    "interviewquestion": 7,
}


def test_every_catalog_model_has_a_pinned_change_page():
    assert set(CHANGE_PAGE_QUERIES) == {model._meta.model_name for model in apps.get_app_config("roles").get_models()
                                        if model._meta.auto_created is False}  # fmt: skip


@pytest.mark.parametrize("copies", [1, 10])
@pytest.mark.parametrize("model_name", CHANGE_PAGE_QUERIES)
def test_each_catalog_change_page_costs_the_same_queries_with_a_ten_times_bigger_catalog(
    hr_client, copies, model_name, django_assert_num_queries
):
    build_catalog(copies=copies)
    obj = apps.get_model("roles", model_name).objects.order_by("pk").first()
    url = reverse(f"admin:roles_{model_name}_change", args=[obj.pk])
    warm(hr_client, url)

    with django_assert_num_queries(CHANGE_PAGE_QUERIES[model_name]):
        hr_client.get(url)


def test_the_skill_autocomplete_lists_skills_in_a_fixed_order(hr_client, recwarn):
    catalog = build_catalog(copies=3)

    response = hr_client.get(
        reverse("admin:autocomplete"),
        {"term": "", "app_label": "roles", "model_name": "rolerequirement", "field_name": "skill"},
    )

    names = [result["text"] for result in response.json()["results"]]
    expected = [s.name for s in Skill.objects.order_by("area__order", "order", "name")]
    assert names == expected
    assert len(names) == 3 * len(catalog.skills)
    assert not [w for w in recwarn if "UnorderedObjectListWarning" in type(w.message).__name__]
