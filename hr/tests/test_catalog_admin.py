"""The catalog in the panel: a role's page with its requirements, credentials and moves inline; useful list columns."""

import pytest
from django.urls import reverse

from roles.models import Certification
from roles.tests.factories import build_catalog

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


# Constant in the catalog's size; it grows only with the role's own inline rows (each autocomplete shows its pick).
ROLE_PAGE_QUERIES = 41


@pytest.mark.parametrize("copies", [1, 10])
def test_the_role_page_costs_the_same_queries_with_a_ten_times_bigger_catalog(
    hr_client, copies, django_assert_num_queries
):
    catalog = build_catalog(copies=copies)

    with django_assert_num_queries(ROLE_PAGE_QUERIES):
        hr_client.get(reverse("admin:roles_role_change", args=[catalog.roles["manager"].pk]))
