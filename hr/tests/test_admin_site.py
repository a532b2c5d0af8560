"""The panel's admin site: branding, the index grouped by task, and the HR group's permissions."""

import importlib

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse

from accounts.services import HR_GROUP_NAME
from careerpath.admin import PanelSite

pytestmark = pytest.mark.django_db

panel_migration = importlib.import_module("accounts.migrations.0005_hr_panel_permissions")


def groups(response) -> dict[str, list[str]]:
    return {app["name"]: [m["object_name"] for m in app["models"]] for app in response.context["app_list"]}


def test_the_index_is_branded_and_grouped_by_task_for_hr(hr_client):
    response = hr_client.get(reverse("admin:index"))

    html = response.content.decode()
    assert "careerpath HR" in html
    found = groups(response)
    assert list(found)[:3] == ["Catalog", "Questionnaires", "People"]
    assert "Role" in found["Catalog"] and "Skill" in found["Catalog"]
    assert found["Questionnaires"][:3] == ["Questionnaire", "QuestionnaireVersion", "Item"]
    assert found["People"][:3] == ["Person", "Result", "Response"]
    assert "AccessRecord" not in found["People"]
    assert "Administration" not in found  # accounts and permission groups are for superusers
    assert reverse("hr:dashboard") in html and reverse("hr:exports") in html


def test_superusers_also_see_the_access_log_and_administration(client, superuser):
    client.force_login(superuser)

    found = groups(client.get(reverse("admin:index")))

    assert "AccessRecord" in found["People"]
    assert {"Group", "User"} <= set(found["Administration"])


def test_the_reminders_app_goes_under_reminders_and_plans_under_people():
    def model(name):
        return {"object_name": name, "name": name, "admin_url": f"/hr/x/{name.lower()}/"}

    app_list = [
        {"app_label": "plans", "models": [model("Plan")]},
        {"app_label": "reminders", "models": [model("ReminderPolicy"), model("Reminder")]},
        {"app_label": "auth", "models": [model("Group")]},
    ]

    grouped = {g["name"]: [m["object_name"] for m in g["models"]] for g in PanelSite.grouped_app_list(app_list)}

    assert grouped == {"People": ["Plan"], "Reminders": ["Reminder", "ReminderPolicy"], "Administration": ["Group"]}


def test_one_apps_page_keeps_djangos_layout(hr_client):
    response = hr_client.get(reverse("admin:app_list", args=["roles"]))

    assert response.status_code == 200
    assert [app["app_label"] for app in response.context["app_list"]] == ["roles"]


def hr_permissions() -> set[str]:
    group = Group.objects.get(name=HR_GROUP_NAME)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def test_the_hr_group_reads_people_data_edits_questionnaires_and_never_changes_answers_or_results():
    perms = hr_permissions()

    for model in ("questionnaire", "questionnaireversion", "section", "item", "itemkey"):
        assert {f"assessments.{a}_{model}" for a in ("view", "add", "change", "delete")} <= perms
    assert {"assessments.view_result", "assessments.view_response", "assessments.view_answer",
            "plans.view_plan", "plans.view_milestone", "hr.view_person"} <= perms  # fmt: skip
    for forbidden in ("change_result", "delete_result", "add_result", "change_answer", "delete_answer",
                      "add_answer", "change_response"):  # fmt: skip
        assert f"assessments.{forbidden}" not in perms
    assert not {p for p in perms if p.startswith("hr.") and "accessrecord" in p}
    assert "plans.change_plan" not in perms


def test_the_permissions_migration_reverses_and_reapplies():
    state_apps = MigrationLoader(connection).project_state(("accounts", "0005_hr_panel_permissions")).apps

    class SchemaEditor:
        pass

    SchemaEditor.connection = connection
    before = hr_permissions()
    panel_migration.revoke(state_apps, SchemaEditor())
    assert "assessments.view_result" not in hr_permissions()
    assert "roles.change_role" in hr_permissions()  # the catalog permissions stay

    panel_migration.grant(state_apps, SchemaEditor())
    assert hr_permissions() == before
