"""Two dashboard refreshes at once count each response into the quality sums once (PostgreSQL)."""

import threading
import time

import pytest
from django.db import connection

from assessments.tests.factories import build_questionnaire
from hr import services
from hr.models import CountedResponse, ScaleItemSums

from .test_dashboard import answer_randomly, figures_from_scratch, quality_figures

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_two_updates_at_once_count_each_response_once(catalog, monkeypatch):
    version = build_questionnaire(skills=list(catalog.skills.values()))
    answer_randomly(version, 30, seed=1)
    services.scale_statistics_update(version=version)
    answer_randomly(version, 12, seed=2)
    real_batch_sums = services._batch_sums
    first_is_summing = threading.Event()

    def slow_batch_sums(**kwargs):
        first_is_summing.set()
        time.sleep(0.5)  # the other update arrives while this one holds the version's row
        return real_batch_sums(**kwargs)

    monkeypatch.setattr(services, "_batch_sums", slow_batch_sums)
    added = {}

    def update(name):
        try:
            added[name] = services.scale_statistics_update(version=version)
        finally:
            connection.close()

    first = threading.Thread(target=update, args=("first",))
    first.start()
    assert first_is_summing.wait(10)
    second = threading.Thread(target=update, args=("second",))
    second.start()
    first.join(20)
    second.join(20)

    assert added == {"first": 12, "second": 0}
    assert CountedResponse.objects.filter(version=version).count() == 42
    assert set(ScaleItemSums.objects.filter(version=version).values_list("respondents", flat=True)) == {42}
    assert quality_figures(version) == pytest.approx(figures_from_scratch(version))
