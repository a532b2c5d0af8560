"""Versions: loading files (idempotent, new drafts, activation), publishing, cloning, the lock; the commands."""

import io

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from assessments.models import Item, ItemKey, Questionnaire, QuestionnaireVersion, Section
from assessments.questionnaire_io import QuestionnaireError, normalise_questionnaire, questionnaire_export
from assessments.tests.test_questionnaire_io import SKILLS, questionnaire_data
from assessments.versioning import (
    VersionLocked,
    VersionNotPublishable,
    questionnaire_load,
    questionnaire_version_assert_editable,
    questionnaire_version_clone,
    questionnaire_version_publish,
)
from roles.tests.factories import SkillFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def skills(db):
    return {slug: SkillFactory(slug=slug) for slug in SKILLS}


def changed_data() -> dict:
    data = questionnaire_data()
    data["sections"][0]["items"][0]["text"] = "I love hard technical problems."
    data["version"]["change_note"] = "Clearer wording."
    return data


def snapshot(version: QuestionnaireVersion) -> tuple:
    """Everything stored for a version, to show it did not change."""
    version.refresh_from_db()
    return (
        version.status,
        version.published_at,
        version.updated_at,
        list(Section.objects.filter(version=version).values_list("pk", "title", "updated_at")),
        list(Item.objects.filter(version=version).values_list("pk", "key", "text", "updated_at")),
        list(ItemKey.objects.filter(item__version=version).values_list("pk", "dimension", "weight", "direction")),
    )


def write_file(tmp_path, data: dict, name: str = "q.yaml") -> str:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return str(path)


# --- Loading ------------------------------------------------------------------------------


def test_first_load_creates_version_1_published_and_active():
    outcome = questionnaire_load(data=questionnaire_data())

    version = outcome.version
    assert (outcome.questionnaire_created, outcome.version_created, outcome.activated) == (True, True, True)
    assert (version.number, version.status, version.is_active) == (1, "published", True)
    assert version.published_at is not None
    assert Item.objects.filter(version=version).count() == 5
    assert Section.objects.filter(version=version).count() == 2
    assert ItemKey.objects.filter(item__version=version).count() == 5


def test_loaded_rows_hold_the_file_contents():
    version = questionnaire_load(data=questionnaire_data()).version

    choice = Item.objects.get(version=version, key="meeting-or-problem")
    assert (choice.section.order, choice.order, choice.kind) == (1, 3, "choice")
    assert (choice.option_a, choice.option_b) == ("Lead a meeting", "Solve a problem alone")
    assert sorted(choice.keys.values_list("option", "dimension", "direction")) == [
        ("a", "managerial", 1),
        ("b", "technical", 1),
    ]
    reverse = Item.objects.get(version=version, key="depth-is-dull")
    assert reverse.consistency_group == "depth"
    assert reverse.keys.get(dimension="technical").direction == -1
    rated = Item.objects.get(version=version, key="rate-scheduling")
    assert (rated.skill.slug, rated.required) == ("scheduling", False)


def test_loading_the_same_file_again_creates_nothing():
    first = questionnaire_load(data=questionnaire_data())
    before = snapshot(first.version)

    second = questionnaire_load(data=questionnaire_data())

    assert second.version.pk == first.version.pk
    assert not second.changed
    assert QuestionnaireVersion.objects.count() == 1
    assert snapshot(first.version) == before


def test_a_changed_file_creates_version_2_as_a_draft_and_leaves_version_1_alone():
    v1 = questionnaire_load(data=questionnaire_data()).version
    before = snapshot(v1)

    outcome = questionnaire_load(data=changed_data())

    v2 = outcome.version
    assert (v2.number, v2.status, v2.is_active, outcome.activated) == (2, "draft", False, False)
    assert Item.objects.get(version=v2, key="enjoy-depth").text == "I love hard technical problems."
    assert snapshot(v1) == before
    assert QuestionnaireVersion.objects.get(is_active=True) == v1


def test_a_changed_file_with_activate_becomes_the_active_version():
    v1 = questionnaire_load(data=questionnaire_data()).version
    before = snapshot(v1)

    v2 = questionnaire_load(data=changed_data(), activate=True).version

    assert (v2.number, v2.status, v2.is_active) == (2, "published", True)
    assert snapshot(v1)[3:] == before[3:]
    v1.refresh_from_db()
    assert (v1.status, v1.is_active) == ("published", False)


def test_no_activate_leaves_even_the_first_version_a_draft():
    outcome = questionnaire_load(data=questionnaire_data(), activate=False)

    assert (outcome.version.status, outcome.version.is_active, outcome.activated) == ("draft", False, False)
    assert not QuestionnaireVersion.objects.filter(is_active=True).exists()


def test_loading_the_file_of_a_draft_with_activate_publishes_that_draft():
    questionnaire_load(data=questionnaire_data())
    draft = questionnaire_load(data=changed_data()).version

    outcome = questionnaire_load(data=changed_data(), activate=True)

    assert outcome.version.pk == draft.pk
    assert (outcome.version_created, outcome.activated) == (False, True)
    assert QuestionnaireVersion.objects.get(is_active=True).pk == draft.pk
    assert QuestionnaireVersion.objects.count() == 2


def test_going_back_to_an_older_file_makes_a_new_version():
    questionnaire_load(data=questionnaire_data())
    questionnaire_load(data=changed_data())

    outcome = questionnaire_load(data=questionnaire_data())

    assert (outcome.version.number, outcome.version_created) == (3, True)


def test_a_new_name_updates_the_questionnaire_without_a_new_version():
    questionnaire_load(data=questionnaire_data())
    data = questionnaire_data()
    data["questionnaire"]["name"] = "Career check"

    outcome = questionnaire_load(data=data)

    assert (outcome.details_updated, outcome.version_created) == (True, False)
    assert Questionnaire.objects.get().name == "Career check"


def test_dry_run_saves_nothing_but_reports_what_would_happen():
    outcome = questionnaire_load(data=questionnaire_data(), dry_run=True)

    assert (outcome.dry_run, outcome.version_created, outcome.activated) == (True, True, True)
    assert not Questionnaire.objects.exists()
    assert not QuestionnaireVersion.objects.exists()
    assert not Item.objects.exists()


def test_unknown_skill_in_the_database_catalog_is_refused_and_nothing_is_saved():
    data = questionnaire_data()
    data["sections"][1]["items"][0]["skill"] = "juggling"

    with pytest.raises(QuestionnaireError) as info:
        questionnaire_load(data=data)

    assert info.value.errors == [
        "sections[#2].items[rate-communication].skill: unknown skill 'juggling': the catalog has no skill with "
        "this slug (run `manage.py load_catalog` first, or fix the slug)"
    ]
    assert not Questionnaire.objects.exists()


def test_an_invalid_file_is_refused_before_anything_is_written():
    data = questionnaire_data()
    data["sections"][0]["items"][0]["keys"][0]["direction"] = 0

    with pytest.raises(QuestionnaireError, match=r"items\[enjoy-depth\]\.keys\[#1\]\.direction"):
        questionnaire_load(data=data)
    assert not Questionnaire.objects.exists()


@pytest.mark.parametrize("copies", [1, 10])
def test_first_load_takes_a_fixed_number_of_queries_whatever_the_size(copies, django_assert_num_queries):
    data = questionnaire_data()
    data["sections"].append(
        {
            "title": "More",
            "items": [
                {**entry, "key": f"{entry['key']}-{n}", "consistency_group": f"group-{n}"}
                for n in range(copies)
                for entry in questionnaire_data()["sections"][0]["items"]
            ],
        }
    )

    # skills, questionnaire, latest version, 5 writes for the new version; publishing checks it
    # (3 queries for its content) and deactivates the old active version before activating it.
    with django_assert_num_queries(24):
        outcome = questionnaire_load(data=data)

    assert Item.objects.filter(version=outcome.version).count() == 5 + 3 * copies


# --- Publishing ---------------------------------------------------------------------------


def test_publishing_a_draft_activates_it_and_deactivates_the_previous_one():
    v1 = questionnaire_load(data=questionnaire_data()).version
    v2 = questionnaire_load(data=changed_data()).version

    published = questionnaire_version_publish(version=v2)

    assert (published.status, published.is_active) == ("published", True)
    assert published.published_at is not None
    v1.refresh_from_db()
    assert (v1.status, v1.is_active) == ("published", False)
    assert QuestionnaireVersion.objects.filter(is_active=True).count() == 1


def test_publishing_a_published_version_is_refused():
    v1 = questionnaire_load(data=questionnaire_data()).version
    published_at = v1.published_at

    with pytest.raises(VersionLocked, match="already published"):
        questionnaire_version_publish(version=v1)

    v1.refresh_from_db()
    assert v1.published_at == published_at


def test_publishing_a_version_without_items_is_refused():
    v1 = questionnaire_load(data=questionnaire_data(), activate=False).version
    Item.objects.filter(version=v1).delete()

    with pytest.raises(VersionNotPublishable, match="has no items; add at least one"):
        questionnaire_version_publish(version=v1)

    v1.refresh_from_db()
    assert (v1.status, v1.is_active) == ("draft", False)


def test_publishing_a_draft_with_an_unkeyed_item_is_refused_naming_the_item():
    draft = questionnaire_load(data=questionnaire_data(), activate=False).version
    ItemKey.objects.filter(item__key="enjoy-depth").delete()

    with pytest.raises(VersionNotPublishable) as info:
        questionnaire_version_publish(version=draft)

    assert "sections[#1].items[enjoy-depth]: a likert item needs 'keys'" in str(info.value)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_database_allows_only_one_active_version():
    questionnaire_load(data=questionnaire_data())
    v2 = questionnaire_load(data=changed_data()).version

    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionnaireVersion.objects.filter(pk=v2.pk).update(
            status="published", published_at=v2.created_at, is_active=True
        )


# --- Cloning and the lock --------------------------------------------------------------------


def test_clone_copies_a_published_version_into_an_editable_draft():
    v1 = questionnaire_load(data=questionnaire_data()).version
    before = snapshot(v1)

    clone = questionnaire_version_clone(version=v1)

    assert (clone.number, clone.status, clone.is_active, clone.published_at) == (2, "draft", False, None)
    questionnaire_version_assert_editable(clone)  # does not raise
    exported_v1 = questionnaire_export(version=v1)
    exported_clone = questionnaire_export(version=clone)
    assert exported_clone["sections"] == exported_v1["sections"]
    assert exported_clone["version"] == {**exported_v1["version"], "change_note": ""}
    assert not set(Item.objects.filter(version=clone).values_list("pk", flat=True)) & {p for p, *_ in before[4]}
    assert snapshot(v1) == before


def test_editing_a_clone_leaves_the_published_original_untouched():
    v1 = questionnaire_load(data=questionnaire_data()).version
    clone = questionnaire_version_clone(version=v1)

    Item.objects.filter(version=clone, key="enjoy-depth").update(text="Edited in the draft.")
    ItemKey.objects.filter(item__version=clone).update(weight=2)

    assert Item.objects.get(version=v1, key="enjoy-depth").text == "I like hard technical problems."
    assert normalise_questionnaire(questionnaire_export(version=v1)) == normalise_questionnaire(questionnaire_data())


def test_a_published_clone_replaces_the_active_version():
    v1 = questionnaire_load(data=questionnaire_data()).version
    clone = questionnaire_version_clone(version=v1)

    questionnaire_version_publish(version=clone)

    assert QuestionnaireVersion.objects.get(is_active=True) == clone


def test_clone_numbers_after_the_latest_version_even_when_cloning_an_older_one():
    v1 = questionnaire_load(data=questionnaire_data()).version
    questionnaire_load(data=changed_data())

    assert questionnaire_version_clone(version=v1).number == 3


@pytest.mark.parametrize("copies", [1, 10])
def test_clone_takes_a_fixed_number_of_queries(copies, django_assert_num_queries):
    data = questionnaire_data()
    data["sections"][0]["items"] = [
        {**entry, "key": f"{entry['key']}-{n}", "consistency_group": f"group-{n}"}
        for n in range(copies)
        for entry in questionnaire_data()["sections"][0]["items"]
    ]
    version = questionnaire_load(data=data).version

    # savepoint, lock the questionnaire, read sections / items / keys / skills, latest number,
    # 4 inserts (version, sections, items, keys), release
    with django_assert_num_queries(12):
        clone = questionnaire_version_clone(version=version)

    assert Item.objects.filter(version=clone).count() == 3 * copies + 2


def test_published_versions_are_locked_and_drafts_are_not():
    v1 = questionnaire_load(data=questionnaire_data()).version
    draft = questionnaire_load(data=changed_data()).version

    with pytest.raises(VersionLocked, match="v1 is published and can't be changed; clone it"):
        questionnaire_version_assert_editable(v1)
    questionnaire_version_assert_editable(draft)


# --- The commands ---------------------------------------------------------------------------


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_load_command_loads_then_says_nothing_changed(tmp_path):
    path = write_file(tmp_path, questionnaire_data())

    first, _ = run("load_questionnaire", path)
    second, _ = run("load_questionnaire", path)

    assert "Version 1 created" in first
    assert "published and made the active version" in first
    assert "Version 1 (active) already matches" in second
    assert "nothing changed" in second
    assert QuestionnaireVersion.objects.count() == 1


def test_load_command_leaves_a_changed_file_as_a_draft_and_says_how_to_publish(tmp_path):
    run("load_questionnaire", write_file(tmp_path, questionnaire_data()))
    path = write_file(tmp_path, changed_data(), "changed.yaml")

    out, _ = run("load_questionnaire", path)

    assert "Version 2 created" in out
    assert "Version 2 is a draft" in out
    assert f"load_questionnaire {path} --activate" in out
    assert QuestionnaireVersion.objects.get(is_active=True).number == 1


def test_load_command_activate_and_no_activate_flags(tmp_path):
    run("load_questionnaire", write_file(tmp_path, questionnaire_data()), "--no-activate")
    assert not QuestionnaireVersion.objects.filter(is_active=True).exists()

    run("load_questionnaire", write_file(tmp_path, changed_data(), "changed.yaml"), "--activate")

    assert QuestionnaireVersion.objects.get(is_active=True).number == 2


def test_load_command_dry_run_saves_nothing(tmp_path):
    out, _ = run("load_questionnaire", write_file(tmp_path, questionnaire_data()), "--dry-run")

    assert "Version 1 would be created" in out
    assert "dry run: nothing saved" in out
    assert not QuestionnaireVersion.objects.exists()


def test_load_command_reports_an_unknown_skill_as_a_command_error(tmp_path):
    data = questionnaire_data()
    data["sections"][1]["items"][1]["skill"] = "juggling"

    with pytest.raises(CommandError, match=r"(?s)was not loaded.*unknown skill 'juggling'.*load_catalog"):
        run("load_questionnaire", write_file(tmp_path, data))


def test_export_command_writes_the_active_version_in_the_loadable_format(tmp_path):
    run("load_questionnaire", write_file(tmp_path, questionnaire_data()))
    run("load_questionnaire", write_file(tmp_path, changed_data(), "changed.yaml"))

    out, _ = run("export_questionnaire")

    assert out.startswith("# careerpath self-assessment questionnaire")
    assert normalise_questionnaire(yaml.safe_load(out)) == normalise_questionnaire(questionnaire_data())


def test_export_command_picks_a_version_and_writes_a_file(tmp_path):
    run("load_questionnaire", write_file(tmp_path, questionnaire_data()))
    run("load_questionnaire", write_file(tmp_path, changed_data(), "changed.yaml"))
    target = tmp_path / "export.yaml"

    _, err = run("export_questionnaire", "--version", "2", "-o", str(target))

    assert "v2 (draft, 2 sections, 5 items)" in err
    exported = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert normalise_questionnaire(exported) == normalise_questionnaire(changed_data())


def test_export_command_names_a_missing_version(tmp_path):
    run("load_questionnaire", write_file(tmp_path, questionnaire_data()))

    with pytest.raises(CommandError, match=r"self-check has no version 7 \(versions: 1\)"):
        run("export_questionnaire", "--version", "7")


def test_export_command_with_nothing_loaded_says_what_to_do():
    with pytest.raises(CommandError, match="run load_questionnaire first"):
        run("export_questionnaire")


def test_export_then_load_into_an_empty_database_then_export_is_identical(tmp_path):
    run("load_questionnaire", write_file(tmp_path, questionnaire_data()))
    first = tmp_path / "first.yaml"
    run("export_questionnaire", "-o", str(first))
    Questionnaire.objects.all().delete()

    run("load_questionnaire", str(first))
    second, _ = run("export_questionnaire")

    assert second == first.read_text(encoding="utf-8")


def test_load_command_publishes_a_matching_draft_with_activate(tmp_path):
    run("load_questionnaire", write_file(tmp_path, questionnaire_data()))
    path = write_file(tmp_path, changed_data(), "changed.yaml")
    run("load_questionnaire", path)

    again, _ = run("load_questionnaire", path)
    activated, _ = run("load_questionnaire", path, "--activate")

    assert "Version 2 (draft) already matches" in again
    assert "Version 2 already matches" in activated
    assert "Version 2 published and made the active version." in activated
    assert QuestionnaireVersion.objects.get(is_active=True).number == 2
    assert QuestionnaireVersion.objects.count() == 2
