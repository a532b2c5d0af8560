"""HR deletes a role that people's results, plans and profiles name: told what happens, nothing lost."""

import pytest
from django.urls import reverse

from accounts.models import Profile
from accounts.services import hr_member_add
from accounts.tests.factories import UserFactory
from roles.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr_client(client):
    hr = UserFactory()
    hr_member_add(user=hr)
    client.force_login(hr)
    return client


def test_the_confirmation_says_what_happens_to_peoples_data(hr_client, catalog):
    role = catalog.roles["manager"]

    page = hr_client.get(reverse("admin:roles_role_delete", args=[role.pk])).content.decode()

    assert "Nobody's data is lost" in page
    assert "Are you sure you want to delete the role" in page


def test_deleting_a_role_someone_holds_keeps_their_profile_and_their_result(hr_client, catalog, make_result):
    role = catalog.roles["senior"]
    person = UserFactory(profile__current_role=role)
    result = make_result(person, 3)

    response = hr_client.post(reverse("admin:roles_role_delete", args=[role.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Role.objects.filter(pk=role.pk).exists()
    assert Profile.objects.get(user=person).current_role is None
    hr_client.force_login(person)
    assert hr_client.get(result.get_absolute_url(), {"target": role.slug}).status_code == 200
