"""GET /healthz reports the database (and the broker when one is configured)."""

from unittest import mock

import pytest
from django.db.utils import OperationalError

from careerpath import health


@pytest.mark.django_db
def test_healthz_answers_200_with_the_database_state(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert "broker" not in body["checks"]  # eager tasks: no broker to report


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_unreachable(client):
    with mock.patch("careerpath.health.connection.cursor", side_effect=OperationalError("gone")):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {"ok": False, "detail": "OperationalError"}


@pytest.mark.django_db
def test_healthz_reports_an_unreachable_broker(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    down = health.Check("broker", False, "OperationalError")
    with mock.patch("careerpath.health.check_broker", return_value=down):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False


@pytest.mark.django_db
def test_healthz_refuses_post(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.redis
def test_broker_check_reaches_a_real_redis(settings):
    from conftest import REDIS_URL

    check = health.check_broker(REDIS_URL)

    assert check == health.Check("broker", True, "redis")


def test_broker_check_reports_a_dead_broker():
    check = health.check_broker("redis://127.0.0.1:1/0")

    assert check.ok is False
