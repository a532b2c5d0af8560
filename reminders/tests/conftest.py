import pytest


@pytest.fixture
def engineer(catalog):
    """An engineer (current role: Engineer) with three years of experience."""
    from accounts.tests.factories import UserFactory

    return UserFactory(profile__current_role=catalog.roles["engineer"], profile__years_experience=3)
