"""The REST API fuzzed from its own OpenAPI schema by schemathesis, through the Django WSGI app in-process.

For every operation the schema describes, hypothesis draws requests from the schema (valid ones, and ones
that break it: wrong types, missing fields, out-of-range numbers, odd strings) and each answer must be no
5xx, a status code the schema lists, JSON, and a body that matches the schema for that status.

schemathesis's pytest plugin does not load under pytest 9, so this drives its Python API: the schema is
the one drf-spectacular serves (a dict, no network), each operation's strategy is given to hypothesis here.
Requests carry HR's write token, which reaches every operation (catalog writes included); their writes
roll back with the test. Bounded: MAX_EXAMPLES per operation, mode and method, derandomized so CI repeats itself.
"""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from api.services import api_token_create
from careerpath.wsgi import application

from .conftest import World

pytestmark = pytest.mark.django_db

# Examples per operation and mode: a write loads the whole catalog (roles.services.catalog_entry_save), so fewer.
MAX_EXAMPLES = {"GET": 10, "POST": 5, "PATCH": 5, "DELETE": 3}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def load_schema():
    document = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(document)
    schema.app = application
    return schema


SCHEMA = load_schema()
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


@pytest.fixture
def world(module_world, db) -> World:
    """The shared world; requests go through the WSGI handler, so, as Django's test client does, the end of
    a request must not close the test's database connection (and its transaction with it)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield module_world
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_the_schema_describes_every_operation_of_the_api():
    labels = {operation.label for operation in OPERATIONS}
    assert len(labels) >= 30
    assert "PATCH /api/v1/roles/{slug}/" in labels
    assert "GET /api/v1/people/{person_id}/plans/{id}/" in labels or any(
        label.startswith("GET /api/v1/people/{person_id}/plans/{") for label in labels
    )


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
def test_no_request_from_the_schema_gets_a_5xx_or_an_answer_the_schema_does_not_describe(operation, mode, world):
    _, secret = api_token_create(name="Fuzzer", scope="write", user=world.hr, created_by=world.hr)
    headers = {"Authorization": f"Bearer {secret}"}

    @settings(
        max_examples=MAX_EXAMPLES[operation.method.upper()],
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def fuzz(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    fuzz()
