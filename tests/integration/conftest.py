"""Fixtures for tests against a real Redis and real Celery worker processes (see processes.py)."""

import os
from collections import Counter

import pytest

from .processes import Beat, RedisServer, Worker, broker_app, database_url

REQUIRE_SERVICES = os.environ.get("CAREERPATH_REQUIRE_SERVICES") == "1"


@pytest.fixture
def redis_server(tmp_path):
    """A redis-server of the test's own (a test may stop it), always stopped at the end."""
    if not RedisServer.available():
        message = "redis-server is not installed (apt-get install redis-server)"
        if REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)
    server = RedisServer(tmp_path).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def mail_dir(tmp_path):
    path = tmp_path / "mail"
    path.mkdir()
    return path


@pytest.fixture
def worker_env(redis_server, mail_dir, settings):
    from django.db import connection

    return {
        "DJANGO_SETTINGS_MODULE": "tests.integration.worker_settings",
        "DATABASE_URL": database_url(connection.settings_dict),
        "CELERY_BROKER_URL": redis_server.url,
        "REMINDER_TEST_MAIL_DIR": str(mail_dir),
        "SITE_URL": "https://careerpath.example.com",
        "LOG_LEVEL": "INFO",
    }


@pytest.fixture
def start_worker(worker_env, tmp_path):
    """Start worker processes with extra environment; every one is killed when the test ends."""
    workers: list[Worker] = []

    def start(concurrency: int = 2, **extra_env) -> Worker:
        worker = Worker(env={**worker_env, **extra_env}, logdir=tmp_path, concurrency=concurrency)
        workers.append(worker)
        return worker.start()

    try:
        yield start
    finally:
        for worker in workers:
            worker.kill()


@pytest.fixture
def start_beat(worker_env, tmp_path):
    """Start `celery beat` with extra environment (the schedule in careerpath/settings/base.py)."""
    beats: list[Beat] = []

    def start(**extra_env) -> Beat:
        beat = Beat(env={**worker_env, **extra_env}, workdir=tmp_path)
        beats.append(beat)
        return beat.start()

    try:
        yield start
    finally:
        for beat in beats:
            beat.stop()


@pytest.fixture
def broker(redis_server):
    app = broker_app(redis_server.url)
    try:
        yield app
    finally:
        app.close()


def delivered(mail_dir) -> Counter:
    """How many times each reminder id was delivered into the mail directory."""
    return Counter(path.name.split("-", 1)[0] for path in mail_dir.glob("*.eml"))
