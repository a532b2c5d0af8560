"""A newcomer's self-assessment page says what to do next."""

import pytest
from django.urls import reverse

from assessments import services

pytestmark = pytest.mark.django_db


def test_without_results_the_page_points_at_the_start_button_and_the_career_map(client_logged_in, version):
    page = client_logged_in.get(reverse("assessments:home")).content.decode()

    assert "No results yet. Start your self-assessment with the button above" in page
    assert f'<a href="{reverse("roles:map")}">the career map</a>' in page


def test_with_one_in_progress_the_page_points_at_resuming_it(client_logged_in, user, version):
    services.response_start(user=user)

    page = client_logged_in.get(reverse("assessments:home")).content.decode()

    assert "No results yet. Resume your self-assessment above" in page
