"""The load_catalog and export_catalog management commands."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from roles.catalog_io import catalog_export, read_catalog
from roles.models import Role, Skill

CATALOG_PATH = Path(settings.BASE_DIR) / "roles" / "data" / "catalog.yaml"


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def bad_catalog(tmp_path) -> Path:
    data = read_catalog(CATALOG_PATH)
    data["roles"][0]["requirements"][0]["level"] = 7
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_load_catalog_reads_the_bundled_file_by_default_and_prints_a_table():
    output = run("load_catalog")

    roles = len(read_catalog(CATALOG_PATH)["roles"])
    assert Role.objects.count() == roles
    assert "Catalog 2026.12.2 from" in output
    assert f"roles                created {roles}, updated 0, unchanged 0" in output
    assert "Catalog loaded." in output


@pytest.mark.django_db
def test_load_catalog_a_second_time_reports_everything_unchanged():
    run("load_catalog")

    output = run("load_catalog", str(CATALOG_PATH))

    assert f"skills               created 0, updated 0, unchanged {Skill.objects.count()}" in output
    assert "nothing changed" in output


@pytest.mark.django_db
def test_load_catalog_dry_run_says_so_and_saves_nothing():
    output = run("load_catalog", "--dry-run")

    roles = len(read_catalog(CATALOG_PATH)["roles"])
    assert f"roles                created {roles}, updated 0, unchanged 0" in output
    assert output.rstrip().endswith("(dry run: nothing saved)")
    assert Role.objects.count() == 0


@pytest.mark.django_db
def test_load_catalog_turns_an_invalid_file_into_a_command_error(tmp_path):
    path = bad_catalog(tmp_path)

    with pytest.raises(CommandError) as caught:
        run("load_catalog", str(path))

    assert "the catalog was not loaded" in str(caught.value)
    assert "roles[engineer].requirements[technical-depth]: level 7 is outside 1-5" in str(caught.value)
    assert Role.objects.count() == 0


def test_load_catalog_on_the_command_line_exits_1_with_the_message_and_no_traceback(tmp_path):
    # The file is checked before the database is touched, so no database is needed here.
    path = bad_catalog(tmp_path)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "careerpath.settings.test"}

    result = subprocess.run(
        [sys.executable, "manage.py", "load_catalog", str(path)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 1
    assert "level 7 is outside 1-5" in result.stderr
    assert "Traceback" not in result.stderr


def test_load_catalog_reports_a_missing_file_as_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        run("load_catalog", str(tmp_path / "absent.yaml"))


@pytest.mark.django_db
def test_export_catalog_writes_yaml_to_standard_output():
    run("load_catalog")

    output = run("export_catalog", "--catalog-version", "2026.12.1")

    assert output.startswith("# careerpath roles catalog")
    assert yaml.safe_load(output) == catalog_export(catalog_version="2026.12.1")


@pytest.mark.django_db
def test_export_catalog_writes_a_file_that_load_catalog_accepts_unchanged(tmp_path):
    run("load_catalog")
    path = tmp_path / "export.yaml"

    run("export_catalog", "-o", str(path))
    output = run("load_catalog", str(path))

    assert "Catalog unreleased from" in output
    table = [line for line in output.splitlines() if "unchanged" in line]
    assert len(table) == 11
    assert all("created 0, updated 0, unchanged " in line for line in table)
    assert "nothing changed" in output


def test_export_catalog_reports_an_unwritable_path_as_a_command_error(tmp_path, db):
    with pytest.raises(CommandError, match="cannot write"):
        run("export_catalog", "-o", str(tmp_path / "no-such-dir" / "out.yaml"))
