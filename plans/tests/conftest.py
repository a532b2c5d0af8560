import pytest

from assessments import services as assessment_services
from assessments.tests.factories import build_questionnaire
from roles.tests.factories import build_catalog


@pytest.fixture
def catalog(db):
    return build_catalog()


@pytest.fixture
def version(catalog):
    return build_questionnaire(skills=list(catalog.skills.values()))


@pytest.fixture
def make_result(version):
    """Submit a whole self-assessment for `user`, every answer `value`."""

    def make(user, value=2):
        response = assessment_services.response_start(user=user)
        for section in response.version.sections.all():
            assessment_services.response_save_section(
                response=response, section=section, answers={item.pk: value for item in section.items.all()}
            )
        return assessment_services.response_submit(response=response)

    return make


@pytest.fixture
def engineer(catalog):
    """An engineer (current role: Engineer) with three years of experience."""
    from accounts.tests.factories import UserFactory

    return UserFactory(profile__current_role=catalog.roles["engineer"], profile__years_experience=3)
