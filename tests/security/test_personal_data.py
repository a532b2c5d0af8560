"""Your data is yours: the export has everything, and deletion leaves nothing that names you."""

import json

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.html import escape

from accounts.models import Profile, User
from accounts.personal_data import HOLDINGS, subject_reference
from accounts.services import account_delete, account_export_data
from accounts.tests.factories import TEST_PASSWORD
from careerpath.security import login_username_key
from hr import services as hr_services
from hr.models import AccessRecord
from teams import selectors as teams_selectors
from teams import services as teams_services

from .conftest import World

pytestmark = pytest.mark.django_db

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def paths_to_user(model, depth: int = 4, seen=()) -> list[str]:
    """Lookups from `model` to the user model through foreign keys and one-to-ones."""
    if depth == 0:
        return []
    found = []
    for field in model._meta.concrete_fields:
        if not field.is_relation or field.related_model is None:
            continue
        target = field.related_model._meta.concrete_model
        if target is User:
            found.append(field.name)
        elif target not in seen and target is not model._meta.concrete_model:
            found += [f"{field.name}__{rest}" for rest in paths_to_user(target, depth - 1, (*seen, model))]
    return found


def models_linked_to_the_user() -> set[str]:
    linked = set()
    for model in apps.get_models():
        if model._meta.proxy or model._meta.concrete_model is User:
            continue
        if paths_to_user(model):
            linked.add(model._meta.label)
    return linked


def test_every_model_linked_to_a_person_is_in_the_export():
    declared = {holding.label for holding in HOLDINGS}
    linked = models_linked_to_the_user()

    missing = linked - declared
    assert not missing, f"Models linking to the user but missing from accounts/personal_data.py HOLDINGS: {missing}"
    assert "accounts.User" in declared
    assert {"accounts.Profile", "assessments.Answer", "plans.Milestone", "reminders.Reminder"} <= linked


def test_the_model_walk_finds_links_several_steps_away():
    from assessments.models import Answer
    from reminders.models import Reminder

    assert "response__user" in paths_to_user(Answer)
    assert "milestone__plan__user" in paths_to_user(Reminder)


def populate(world: World) -> None:
    """Give the engineer a row in every table that can hold something about them."""
    from datetime import date

    from plans.services import credential_earned_record
    from roles.models import Certification

    credential_earned_record(
        user=world.engineer, certification=Certification.objects.get(slug="pmp"), earned_on=date(2024, 5, 31)
    )
    hr_services.readiness_index_update()
    hr_services.scale_statistics_update(version=world.result.response.version)  # counts the submitted response
    hr_services.access_record_create(actor=world.hr, subject=world.engineer, kind="result", object_id=world.result.pk)
    from plans.services import plan_comment_add

    plan_comment_add(plan=world.plan, author=world.manager, body="Let's talk about the design review.")
    skill = teams_selectors.rateable_skills()[0]
    teams_services.manager_rating_submit(
        rater=world.manager, subject=world.engineer, levels={skill.pk: 3}, comments={skill.pk: "Clear designs."}
    )
    # Peer input: the engineer asked three colleagues; and answered the other engineer's request.
    peers = [world.other, world.manager, world.hr]
    asked = teams_services.peer_round_create(
        subject=world.engineer, skill_ids=[skill.pk], rater_emails=[p.email for p in peers]
    )
    for peer in peers:
        teams_services.peer_answer_submit(
            rater=peer, request_id=asked.requests.get(rater=peer).pk, levels={skill.slug: 4}
        )
    theirs = teams_services.peer_round_create(
        subject=world.other, skill_ids=[skill.pk], rater_emails=[world.engineer.email]
    )
    teams_services.peer_answer_submit(rater=world.engineer, request_id=theirs.requests.get().pk, levels={skill.slug: 2})
    LogEntry.objects.create(
        user=world.engineer,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(world.engineer.pk),
        object_repr=str(world.engineer),
        action_flag=CHANGE,
        change_message="[]",
    )
    # HR changed the engineer's profile in the panel: the admin's history names them.
    LogEntry.objects.create(
        user=world.hr,
        content_type=ContentType.objects.get_for_model(Profile),
        object_id=str(world.engineer.profile.pk),
        object_repr=str(world.engineer.profile),
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["Years of professional experience"]}}]',
    )
    from api.services import api_token_create

    api_token_create(name="My calendar sync", scope="read", user=world.engineer, created_by=world.hr)
    # Provisioning: the directory's id for the engineer, and a SCIM token they created (as if in HR).
    from scim.models import ScimIdentity
    from scim.services import scim_token_create

    ScimIdentity.objects.create(user=world.engineer, external_id="00u-ada-directory-id")
    scim_token_create(name="Okta", created_by=world.engineer)
    # A stored confirmation of their address (allauth keeps rows when it does not sign its links).
    from allauth.account.models import EmailAddress, EmailConfirmation

    EmailConfirmation.create(EmailAddress.objects.get(user=world.engineer))
    # An authenticator app set up as their second factor.
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(world.engineer, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")


def test_the_export_has_rows_from_every_holding_and_nothing_of_anyone_else(world):
    populate(world)

    data = account_export_data(user=world.engineer)

    for holding in HOLDINGS:
        assert data["records"][holding.label]["rows"], f"the export has no {holding.label} rows"
    text = json.dumps(data, default=str)
    assert world.engineer.email in text
    assert "Ada's private note" in text
    assert world.other.email not in text and world.superuser.email not in text
    assert world.engineer.password not in text  # no password hash
    assert world.plan.calendar_token not in text  # no calendar key
    from api.models import ApiToken
    from scim.models import ScimToken

    digests = [*ApiToken.objects.values_list("digest", flat=True), *ScimToken.objects.values_list("digest", flat=True)]
    assert digests and not any(d in text for d in digests)  # no token's fingerprint


def test_the_export_has_the_raters_own_answers_and_never_the_answers_about_the_engineer(world):
    populate(world)

    engineer = account_export_data(user=world.engineer)["records"]
    other = account_export_data(user=world.other)["records"]

    # The engineer answered Otto's request with a 2; Otto, Mona and Harriet rated the engineer 4.
    assert [row["level"] for row in engineer["teams.PeerAnswer"]["rows"]] == [2]
    assert [row["rater_id"] for row in engineer["teams.PeerRequest"]["rows"]] == [world.engineer.pk]
    assert [row["level"] for row in other["teams.PeerAnswer"]["rows"]] == [4]
    assert not any(row["rater_id"] == world.engineer.pk for row in other["teams.PeerRequest"]["rows"])


def test_the_export_of_an_hr_member_lists_whose_records_they_opened_only_by_reference(world):
    populate(world)

    data = account_export_data(user=world.hr)

    rows = data["records"]["hr.AccessRecord"]["rows"]
    assert [row["subject_ref"] for row in rows] == [subject_reference(world.engineer.pk)]


def test_the_export_page_downloads_a_json_file(world):
    client = world.client("engineer")

    response = client.get(reverse("accounts:data_export"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="careerpath-data-')
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["person"]["email"] == world.engineer.email
    assert data["records"]["plans.Milestone"]["rows"][0]["title"] == "Lead a design review"


def test_the_readable_page_shows_every_holding_with_names_and_question_text(world):
    from assessments.models import Answer

    populate(world)
    client = world.client("engineer")

    response = client.get(reverse("accounts:data_view"))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    holdings = response.context["holdings"]
    assert [h.label for h in holdings] == [h.label for h in HOLDINGS]
    assert all(h.rows for h in holdings), [h.label for h in holdings if not h.rows]
    answer = Answer.objects.filter(response__user=world.engineer).select_related("item").first()
    assert escape(answer.item.text) in html  # the question, not its id
    assert escape(world.plan.target_name) in html
    assert "Lead a design review" in html and "Ada&#x27;s private note" in html
    assert world.engineer.password not in html and world.plan.calendar_token not in html
    assert world.other.email not in html
    assert reverse("accounts:data_export") in html


def test_the_readable_page_describes_each_related_row_once(world, django_assert_max_num_queries):
    from assessments.tests.factories import submit_self_assessment

    populate(world)
    submit_self_assessment(world.engineer, 4)  # another response: many more answers, the same few questions
    client = world.client("engineer")
    client.get(reverse("accounts:data_view"))

    # 42 now: session and user, a query per holding (and its many-to-many), and a few for the related rows
    # described (a response's questionnaire, a peer request's round, say) once each, not once per answer
    # (there are 2 x 40 answers)
    with django_assert_max_num_queries(43):
        response = client.get(reverse("accounts:data_view"))

    assert response.status_code == 200


def text_rows_containing(needle: str) -> dict[str, int]:
    """Every table's text columns searched for `needle`, case-insensitively."""
    hits = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, TEXT_FIELDS):
                continue
            count = (
                model._default_manager.annotate(_text=Cast(field.attname, models.TextField()))
                .filter(_text__icontains=needle)
                .count()
            )
            if count:
                hits[f"{model._meta.label}.{field.attname}"] = count
    return hits


def test_deleting_the_account_leaves_no_trace_of_the_persons_email_or_name(world):
    populate(world)
    # A failed log-in (someone mistyping, or guessing): django-axes records it under their address's key.
    world.client("anonymous").post(reverse("account_login"), {"login": world.engineer.email, "password": "no"})
    assert AccessAttempt.objects.filter(username=login_username_key(world.engineer.email)).exists()
    client = world.client("engineer")
    engineer = world.engineer
    assert text_rows_containing(engineer.email)  # the search finds them before

    response = client.post(reverse("accounts:delete"), {"password": TEST_PASSWORD, "confirm": "on"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("home")
    assert "are erased" in response.content.decode()
    for needle in (engineer.email, engineer.name, "Ada's private note", "Clear designs."):
        assert text_rows_containing(needle) == {}, needle
    assert not User.objects.filter(pk=engineer.pk).exists()
    # HR's audit trail keeps the access, under the anonymous reference only.
    record = AccessRecord.objects.get()
    assert record.subject_id is None
    assert record.subject_ref == subject_reference(engineer.pk)
    # And the person is logged out.
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_deleting_an_hr_member_replaces_their_email_in_the_audit_trail(world):
    populate(world)
    reference = account_delete(user=world.hr)

    record = AccessRecord.objects.get()
    assert record.actor_id is None
    assert record.actor_email == f"erased-{reference}"
    assert text_rows_containing(world.hr.email) == {}
    assert record.subject_id == world.engineer.pk  # the engineer's own link is untouched


def test_deleting_needs_the_password_and_the_confirmation(world):
    client = world.client("engineer")

    wrong = client.post(reverse("accounts:delete"), {"password": "not-it", "confirm": "on"})
    unconfirmed = client.post(reverse("accounts:delete"), {"password": TEST_PASSWORD})

    assert wrong.status_code == unconfirmed.status_code == 200
    assert "That is not your password" in wrong.content.decode()
    assert "Tick the box" in unconfirmed.content.decode()
    assert User.objects.filter(pk=world.engineer.pk).exists()


def test_deleting_one_person_leaves_everyone_else_alone(world):
    populate(world)
    people = User.objects.count()

    account_delete(user=world.other)

    assert User.objects.count() == people - 1
    assert text_rows_containing(world.engineer.email)
    assert world.engineer.plans.get().milestones.count() == 1
