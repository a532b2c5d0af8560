"""Findings of the black-box probe (issue 19), each pinned on PostgreSQL.

The broad sweep over every form and list is tests/security/test_fuzz_harness.py; these are
the individual cases it found, with what must happen instead of a 500.
"""

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from plans.models import Milestone, Plan
from roles.models import Certification, InterviewQuestion, Role, SalaryFigure

from .conftest import World

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

# The panel's log-in (admin:login) is the site's: it only redirects to it (careerpath.admin.PanelSite.login).
LOGIN_URLS = ["account_login"]
LOGIN_FIELDS = {"account_login": "login"}  # allauth's log-in form calls the address `login`


@pytest.fixture
def world(module_world, db) -> World:
    return module_world


# --- Log-in: what django-axes stores must fit its columns ---------------------------------------


@pytest.mark.parametrize("url", LOGIN_URLS)
@pytest.mark.parametrize(
    "username",
    [
        "a" * 256,
        "a" * 100_000,
        "x@" + "e" * 300 + ".com",
        "İ" * 200 + "@example.com",  # lower-cases to two characters each: 412 once normalised
        "e\u0301" * 130 + "@example.com",  # combining acute accents
        "https://example.com/" + "a/" * 150,
        "https://example.com/?next=//evil.example",
    ],
    ids=["256", "100k", "long-domain", "expands-when-lowered", "combining", "long-url", "url"],
)
def test_a_hostile_log_in_name_is_a_form_error_and_records_nothing_too_long(client, url, username, caplog):
    response = client.post(reverse(url), {LOGIN_FIELDS[url]: username, "password": "wrong-password"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert all(len(name or "") <= 255 for name in AccessAttempt.objects.values_list("username", flat=True))
    assert all(len(name or "") <= 255 for name in AccessFailureLog.objects.values_list("username", flat=True))
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert username[:60] not in caplog.text


def test_a_log_in_name_of_254_characters_is_still_checked_and_counted(client):
    username = "a" * 64 + "@" + ("b" * 60 + ".") * 3 + "b" * 5 + ".com"
    username = username[: 254 - 4] + ".com"

    response = client.post(reverse("account_login"), {"login": username, "password": "wrong-password"})

    assert response.status_code == 200
    assert AccessAttempt.objects.count() == 1


# --- Plan creation: a milestone's subject longer than the column -------------------------------


def proposal(world: World, **milestone) -> dict:
    due = (timezone.localdate() + timedelta(days=60)).isoformat()
    row = {"title": "Learn it", "due_date": due, "kind": "custom", **milestone}
    return {
        "result": str(world.result.pk),
        "target": "senior",
        "m-TOTAL_FORMS": "1",
        "m-INITIAL_FORMS": "0",
        **{f"m-0-{key}": value for key, value in row.items()},
    }


def test_a_milestone_subject_longer_than_its_column_is_refused_with_a_message(world):
    plans = Plan.objects.count()

    response = world.client("engineer").post(reverse("plans:create"), proposal(world, subject_slug="s" * 51))

    assert response.status_code == 200
    assert "at most 50 characters" in response.content.decode()
    assert Plan.objects.count() == plans


# --- HR catalog forms: a non-numeric related id ------------------------------------------------


@pytest.mark.parametrize(
    ("model", "field"),
    [
        (SalaryFigure, "role"),
        (SalaryFigure, "source"),
        (InterviewQuestion, "role"),
        (Role, "source"),
        (Role, "requirements-0-skill"),
        (Certification, "source"),
    ],
)
@pytest.mark.parametrize("value", ["abc", "1.5", "99999999999999999999999"])
def test_a_bad_related_id_in_a_catalog_add_form_is_refused_with_a_message(world, model, field, value):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    client = world.client("hr")
    page = client.get(url)
    data = form_defaults(page)
    data[field] = value
    count = model.objects.count()

    response = client.post(url, data)

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert model.objects.count() == count


def form_defaults(page) -> dict:
    """What a browser would post from an admin add page left as it is: each form's initial values."""
    context = page.context
    data = _initial(context["adminform"].form)
    for formset in context.get("inline_admin_formsets", []):
        management = formset.formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{formset.formset.prefix}-{name}"] = management[name].value()
    return data


def _initial(form) -> dict:
    out = {}
    for name in form.fields:
        value = form[name].value()
        if value in (None, "") or isinstance(value, (list, tuple)):
            continue
        out[form.add_prefix(name)] = value
    return out


# --- Single-line text: control and direction-override characters ------------------------------


@pytest.mark.parametrize("title", ["Line\r\nBcc: x@example.com", "Tab\there", "Evil\u202eoverride", "Iso\u2066late"])
def test_a_milestone_title_with_a_control_character_is_refused(world, title):
    before = Milestone.objects.get(pk=world.milestone.pk).title

    response = world.client("engineer").post(
        reverse("plans:milestone_edit", kwargs={"pk": world.milestone.pk}),
        {"title": title, "due_date": world.milestone.due_date.isoformat(), "description": "ok"},
    )

    assert response.status_code == 200
    assert "control character" in response.content.decode()
    assert Milestone.objects.get(pk=world.milestone.pk).title == before


def test_a_multi_line_description_still_takes_line_breaks(world):
    response = world.client("engineer").post(
        reverse("plans:milestone_edit", kwargs={"pk": world.milestone.pk}),
        {"title": "Plain", "due_date": world.milestone.due_date.isoformat(), "description": "one\r\ntwo"},
    )

    assert response.status_code == 302
    assert Milestone.objects.get(pk=world.milestone.pk).description == "one\r\ntwo"


# --- Headers on the NUL refusal page ------------------------------------------------------------


def test_the_nul_refusal_page_sends_the_same_security_headers_as_a_normal_page(client):
    normal = client.get(reverse("home"))
    refused = client.get(reverse("home"), {"q": "\x00"})

    assert refused.status_code == 400
    for header in (
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Content-Security-Policy",
        "Cross-Origin-Opener-Policy",
    ):
        assert refused.headers.get(header) == normal.headers.get(header), header
    assert refused.headers["X-Frame-Options"] == "DENY"


# --- Erasure stays erased -----------------------------------------------------------------------


def test_a_failed_log_in_with_an_erased_persons_address_stores_no_address(world, client):
    email = world.other.email
    get_user_model().objects.filter(pk=world.other.pk).delete()

    client.post(reverse("account_login"), {"login": email, "password": "wrong-password"})
    client.post(reverse("account_login"), {"login": email.upper(), "password": "wrong-password"})

    stored = [
        *AccessAttempt.objects.values_list("username", flat=True),
        *AccessFailureLog.objects.values_list("username", flat=True),
    ]
    assert AccessAttempt.objects.get().failures_since_start == 2  # still counted, in any case
    assert not [name for name in stored if email in (name or "").lower()]
