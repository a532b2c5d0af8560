import pytest

from accounts.models import User
from accounts.services import hr_member_add
from accounts.tests.factories import TEST_PASSWORD, UserFactory


@pytest.fixture
def hr_user(db):
    user = UserFactory(email="hr.person@example.com", name="Harriet Ross")
    hr_member_add(user=user)
    return user


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(email="root@example.com", password=TEST_PASSWORD)


@pytest.fixture
def hr_client(client, hr_user):
    client.force_login(hr_user)
    return client
