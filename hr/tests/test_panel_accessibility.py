"""Names for assistive technology on the panel's edit pages (the browser journey runs axe on them too)."""

import re

import pytest
from django.urls import reverse

from roles.tests.factories import build_catalog

pytestmark = pytest.mark.django_db


def test_every_input_of_a_tabular_inline_row_is_named_by_column_and_row(hr_client):
    catalog = build_catalog()
    manager = catalog.roles["manager"]

    html = hr_client.get(reverse("admin:roles_role_change", args=[manager.pk])).content.decode()

    assert re.search(
        r'<input type="number" name="requirements-0-level"[^>]* aria-label="Level, role requirement 1"', html
    )
    assert 'aria-label="Skill, role requirement 2"' in html
    assert 'aria-label="Delete, role requirement 1"' in html
    assert 'aria-label="Area, interview question 3"' in html
    assert 'aria-label="Level, new role requirement"' in html  # the row "Add another" copies


def test_the_panel_pages_load_the_script_that_names_autocompletes(hr_client):
    html = hr_client.get(reverse("admin:index")).content.decode()

    assert re.search(r'<script src="/static/js/hr-admin\.js" defer>', html)
