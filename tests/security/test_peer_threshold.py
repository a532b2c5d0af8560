"""Peer input's anonymity threshold, through every way out: with two answers nothing of them is shown on any
page, in any export or through the API, to the engineer, their manager or HR; with three, the average is."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import account_export_data
from accounts.tests.factories import UserFactory
from hr.models import AccessRecord
from teams import selectors as teams_selectors
from teams import services as teams_services
from teams.models import PeerRequest

from .conftest import World

pytestmark = pytest.mark.django_db

# The levels the peers give (1, 1 and 2: a mean of 1.3).
LEVELS = (1, 1, 2)
# What only a shown aggregate puts on a page.
PAGE_MARKERS = ('id="peer-column"', 'id="peer-basis"', "Peers (average)", "peers’ mean")


def peer_round(world: World, answers: int, *, close: bool):
    """The engineer asks three colleagues about one skill; `answers` of them answer; closed if `close`."""
    skill = teams_selectors.rateable_skills()[0]
    peers = [world.other, UserFactory(name="Pia Peer"), UserFactory(name="Quinn Peer")]
    asked = teams_services.peer_round_create(
        subject=world.engineer, skill_ids=[skill.pk], rater_emails=[p.email for p in peers]
    )
    for peer, level in list(zip(peers, LEVELS, strict=True))[:answers]:
        teams_services.peer_answer_submit(
            rater=peer, request_id=asked.requests.get(rater=peer).pk, levels={skill.slug: level}
        )
    if close:
        asked_close(asked)
    return asked


def asked_close(asked) -> None:
    """The round's date passed."""
    past = timezone.now() - timedelta(days=1)
    type(asked).objects.filter(pk=asked.pk).update(created_at=past - timedelta(days=21), expires_at=past)


def pages(world: World) -> list[tuple[str, str]]:
    """(visitor, address) of every page, export and API answer that shows the engineer's ratings or results."""
    engineer, result = world.engineer.pk, world.result.pk
    return [
        ("engineer", reverse("teams:my_ratings")),
        ("engineer", reverse("teams:peers")),
        ("engineer", reverse("assessments:result", kwargs={"pk": result})),
        ("engineer", reverse("home")),
        ("engineer", reverse("accounts:data_view")),
        ("engineer", reverse("accounts:data_export")),
        ("engineer", "/api/v1/me/results/"),
        ("engineer", f"/api/v1/me/results/{result}/"),
        ("manager", reverse("teams:report_ratings", kwargs={"person_id": engineer})),
        ("manager", reverse("teams:report_result", kwargs={"person_id": engineer, "pk": result})),
        ("manager", reverse("teams:team")),
        ("manager", f"/api/v1/people/{engineer}/results/{result}/"),
        ("hr", reverse("hr:person_result", kwargs={"person_id": engineer, "pk": result})),
        ("hr", reverse("hr:export_people")),
        ("hr", reverse("hr:export_results")),
        ("hr", f"/api/v1/people/{engineer}/results/"),
        ("hr", f"/api/v1/people/{engineer}/results/{result}/"),
        ("hr", "/api/v1/readiness/"),
    ]


def contents(world: World) -> dict[str, str]:
    found = {}
    for role, path in pages(world):
        response = world.client(role).get(path)
        assert response.status_code == 200, f"{role} {path}: {response.status_code}"
        body = b"".join(response.streaming_content) if response.streaming else response.content
        found[f"{role} {path}"] = body.decode()
    return found


VOLATILE = re.compile(
    r'name="csrfmiddlewaretoken" value="[^"]*"|nonce="[^"]*"|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[.\d]*(Z|[+-]\d\d:\d\d)?'
)


def snapshot(world: World) -> dict[str, str]:
    """Every page's text without what changes on each request (CSRF tokens, nonces, the moment of an export).

    The manager's and HR's visits are recorded (hr.AccessRecord) and the engineer's data pages list those
    records: the last snapshot's are dropped first, so both snapshots start alike."""
    AccessRecord.objects.all().delete()
    return {where: VOLATILE.sub("", text) for where, text in contents(world).items()}


@pytest.mark.parametrize("close", [False, True], ids=["open", "closed"])
def test_two_answers_reveal_nothing_through_any_page_export_or_api(world, close):
    """Every page, export and API answer is the same with two answers as with none, but the count of answers."""
    asked = peer_round(world, 0, close=False)
    before = snapshot(world)
    skill = asked.skills.get()
    for rater, level in zip(asked.requests.order_by("pk")[:2], LEVELS, strict=False):
        teams_services.peer_answer_submit(rater=rater.rater, request_id=rater.pk, levels={skill.skill_slug: level})
    if close:
        asked_close(asked)
        before = None  # the pages say the request closed; compared below without that

    after = snapshot(world)

    for where, text in after.items():
        for marker in PAGE_MARKERS:
            assert marker not in text, f"{where} shows {marker!r}"
        if before is not None and "/team/peers/" not in where:
            assert text == before[where], f"{where} changed with two answers"
    peers_page = after[f"engineer {reverse('teams:peers')}"]
    assert "2 of 3 answered" in peers_page
    if close:
        assert "Fewer than 3 colleagues answered, so nothing of their ratings is shown" in peers_page
    assert teams_selectors.peer_aggregate(subject=world.engineer) is None
    exported = account_export_data(user=world.engineer)["records"]
    assert exported["teams.PeerAnswer"]["rows"] == [] and exported["teams.PeerRequest"]["rows"] == []
    calibrated = teams_selectors.calibrated_readiness(page=teams_selectors.ratings_page(person=world.engineer))
    assert "peers" not in calibrated.calibration.sources


def test_three_answers_show_the_average_beside_self_and_manager_and_feed_calibrated_readiness(world):
    peer_round(world, 3, close=False)  # everyone asked has answered: the round is closed

    found = contents(world)

    report = reverse("teams:report_ratings", kwargs={"person_id": world.engineer.pk})
    for where in (f"engineer {reverse('teams:my_ratings')}", f"manager {report}"):
        assert 'id="peer-column"' in found[where], where
        assert "1.3" in found[where], where
    calibrated = teams_selectors.calibrated_readiness(page=teams_selectors.ratings_page(person=world.engineer))
    assert "peers" in calibrated.calibration.sources
    assert "3 of 3 answered" in found[f"engineer {reverse('teams:peers')}"]
    # Who said what is nowhere: not in the engineer's export, not on their pages.
    exported = json.dumps(account_export_data(user=world.engineer)["records"], default=str)
    assert "Pia Peer" not in exported and "Quinn Peer" not in exported
    assert not PeerRequest.objects.filter(rater=world.engineer).exists()
