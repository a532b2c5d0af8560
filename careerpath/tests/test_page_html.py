"""The HTML a person gets from the key pages, compared with committed golden files.

A person (fixed name, e-mail, role and time zone) with the real catalog and questionnaire
(loaded by `load_catalog` and `load_questionnaire`, as `make run` does) and two submitted
self-assessments, at fixed times (time-machine), then a third in progress. Each page is
fetched twice, with an empty cache and again right after, and both must be the golden file
exactly. Only what differs by run is normalised: CSRF token values, CSP nonces, and the
database ids in links and element ids (a test database's sequences are not reset between
tests), which are replaced by stable names: `item-<key>` for a question, `R1`, `R2` for
results and `P1`, `P2`, … for responses, in the order they were made.

Whitespace: each run of spaces and line breaks counts as one space, on both sides. That is
how a browser reads it outside <pre> and <textarea> (these pages have neither: checked
below), so the page a person gets is the same, while a template may lay out its tags on
other lines (a question in error once came with four more spaces before it than now).
Everything else — every tag, attribute, its order and quoting, every character of text —
must be exactly the golden file's.

The goldens live in careerpath/tests/pages/. After an intended change of markup (a template,
base.html), rewrite them and read the diff before committing it:

    UPDATE_GOLDENS=1 .venv/bin/python -m pytest careerpath/tests/test_page_html.py

The plan pages are not here: they have their own checks (plans/tests/).
"""

import difflib
import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from django.core.cache import caches
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Profile, User
from assessments import services
from assessments.forms import field_name
from assessments.models import Item, Response, Result
from roles.models import Role

GOLDENS = Path(__file__).resolve().parent / "pages"
UPDATE = os.environ.get("UPDATE_GOLDENS") == "1"

FIRST = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
SECOND = datetime(2026, 3, 2, 14, 15, tzinfo=UTC)
NOW = datetime(2026, 3, 9, 8, 45, tzinfo=UTC)

pytestmark = pytest.mark.django_db


def answers_for(response: Response, pattern) -> dict[int, int]:
    """item id -> answer for every item of the response's version, from `pattern(position)` (None: unanswered)."""
    items = Item.objects.filter(version=response.version).order_by("section__order", "order")
    answers = {}
    for position, item in enumerate(items):
        value = pattern(position)
        if value is not None:
            answers[item.pk] = value
    return answers


def save(response: Response, answers: dict[int, int]) -> None:
    for section in response.version.sections.order_by("order"):
        own = {pk: v for pk, v in answers.items() if section.items.filter(pk=pk).exists()}
        services.response_save_section(response=response, section=section, answers=own)


@pytest.fixture
def person():
    call_command("load_catalog", verbosity=0)
    call_command("load_questionnaire", verbosity=0)
    user = User.objects.create_user(
        email="ada.example@example.com", password="a-long-test-password-42", name="Ada Example"
    )
    Profile.objects.create(
        user=user, current_role=Role.objects.get(slug="engineer"), years_experience=6, time_zone="Europe/Berlin"
    )
    return user


class Ids:
    """Database ids in the HTML, replaced by names that are the same on every run."""

    def __init__(self):
        self.items = dict(Item.objects.values_list("pk", "key"))
        self.results = {
            pk: f"R{n}" for n, pk in enumerate(Result.objects.order_by("created_at").values_list("pk", flat=True), 1)
        }
        self.responses = {
            pk: f"P{n}" for n, pk in enumerate(Response.objects.order_by("created_at").values_list("pk", flat=True), 1)
        }

    def normalise(self, html: str) -> str:
        html = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+"', r'\1CSRF"', html)
        html = re.sub(r'nonce="[^"]+"', 'nonce="NONCE"', html)
        html = re.sub(r"\b(item-|q-|err-)(\d+)\b", lambda m: m[1] + self.items.get(int(m[2]), f"?{m[2]}"), html)
        html = re.sub(
            r"/assessments/results/(\d+)/", lambda m: f"/assessments/results/{self.results.get(int(m[1]), '?')}/", html
        )
        html = re.sub(r"([?&]result=)(\d+)", lambda m: m[1] + self.results.get(int(m[2]), "?"), html)
        html = re.sub(r"/assessments/(\d+)/", lambda m: f"/assessments/{self.responses.get(int(m[1]), '?')}/", html)
        return html


def collapsed(html: str) -> str:
    return re.sub(r"\s+", " ", html)


def page(client, url: str, **post) -> str:
    """The page at `url` (a POST when `post` is given), twice: with an empty cache, then with what it kept."""
    bodies = []
    for warm in (False, True):
        if not warm:
            for cache in caches.all():
                cache.clear()
        response = client.post(url, post) if post else client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        bodies.append(Ids().normalise(response.content.decode()))
    assert bodies[0] == bodies[1], f"{url}: the page seen a second time (from the cache) differs from the first"
    return bodies[0]


def test_key_pages_are_the_golden_html(client, person):
    pages: dict[str, str] = {}
    with time_machine.travel(FIRST, tick=False):
        first = services.response_start(user=person)
        save(first, answers_for(first, lambda n: n % 5 + 1))
        services.response_submit(response=first)
    with time_machine.travel(SECOND, tick=False):
        second = services.response_start(user=person)
        save(second, answers_for(second, lambda n: (n * 3) % 5 + 1))
        result = services.response_submit(response=second)
    with time_machine.travel(NOW, tick=False):
        client.force_login(person)
        current = services.response_start(user=person)
        orders = list(current.version.sections.order_by("order").values_list("order", flat=True))
        first_section = reverse("assessments:section", kwargs={"pk": current.pk, "order": orders[0]})
        pages["section-1-fresh"] = page(client, first_section)
        # Every third question left unanswered; the others with answers across the whole scale.
        save(current, answers_for(current, lambda n: None if n % 3 == 2 else (n * 2) % 5 + 1))
        for order in orders:
            url = reverse("assessments:section", kwargs={"pk": current.pk, "order": order})
            pages[f"section-{order}-answered"] = page(client, url)
        first_items = list(current.version.sections.get(order=orders[0]).items.order_by("order"))
        stored = set(current.answers.values_list("item_id", flat=True))
        left_out = next(item for item in first_items if item.required and item.pk not in stored)
        given = {field_name(item): "4" for item in first_items if item != left_out}
        pages["section-1-missing-after-next"] = page(client, first_section, action="next", **given)
        pages["review"] = page(client, reverse("assessments:review", kwargs={"pk": current.pk}))
        pages["result"] = page(client, result.get_absolute_url())
        pages["result-target"] = page(client, result.get_absolute_url() + "?target=engineering-manager")
        pages["results-history"] = page(client, reverse("assessments:home"))
        pages["role-list"] = page(client, reverse("roles:list"))
        pages["role-detail"] = page(client, reverse("roles:detail", kwargs={"slug": "engineering-manager"}))
        pages["career-map"] = page(client, reverse("roles:map"))

    for name, html in pages.items():
        assert "<pre" not in html and "<textarea" not in html, f"{name}: whitespace matters here; compare it exactly"
    if UPDATE:
        GOLDENS.mkdir(exist_ok=True)
        for name, html in pages.items():
            golden = GOLDENS / f"{name}.html"
            if not golden.exists() or collapsed(golden.read_text()) != collapsed(html):
                golden.write_text(html)
    differing = []
    for name, html in pages.items():
        golden = (GOLDENS / f"{name}.html").read_text()
        if collapsed(html) != collapsed(golden):
            diff = difflib.unified_diff(golden.splitlines(), html.splitlines(), "golden", "now", lineterm="", n=2)
            differing.append(f"{name}:\n" + "\n".join(list(diff)[:40]))
    assert not differing, "Pages differ from their golden HTML (UPDATE_GOLDENS=1 rewrites them):\n" + "\n".join(
        differing
    )
    assert sorted(p.stem for p in GOLDENS.glob("*.html")) == sorted(pages), "a golden file no page is compared with"
