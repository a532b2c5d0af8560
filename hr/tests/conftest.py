import pytest

from accounts.models import User
from accounts.services import hr_member_add
from accounts.tests.factories import TEST_PASSWORD, UserFactory
from assessments import services as assessment_services
from assessments.tests.factories import build_questionnaire
from roles.tests.factories import build_catalog


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


@pytest.fixture
def catalog(db):
    return build_catalog()


@pytest.fixture
def version(catalog):
    return build_questionnaire(skills=list(catalog.skills.values()))


@pytest.fixture
def make_result(version):
    """Submit a whole self-assessment for `user`, every answer `value` (a real, fully stored result)."""

    def make(user, value=2):
        response = assessment_services.response_start(user=user)
        for section in response.version.sections.all():
            assessment_services.response_save_section(
                response=response, section=section, answers={item.pk: value for item in section.items.all()}
            )
        return assessment_services.response_submit(response=response)

    return make
