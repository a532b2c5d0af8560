"""careerpath.datafiles: one reader and checker for the catalog and questionnaire files, with line numbers."""

import json

import pytest
import yaml
from django.core.management import CommandError, call_command

from assessments.questionnaire_io import QuestionnaireError, normalise_questionnaire, read_questionnaire
from assessments.tests.test_questionnaire_io import questionnaire_data
from careerpath.datafiles import DataFileError, LocatedDict, LocatedList, line_of, read_yaml_mapping
from roles.catalog_io import CatalogError, normalise_catalog, read_catalog
from roles.tests.test_catalog_io import small_catalog


def write(tmp_path, data, name="data.yaml") -> tuple:
    """Write `data` as block YAML; returns the path and its lines (to find where a marker landed)."""
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path, text.splitlines()


def line_with(lines: list[str], marker: str, start: int = 0) -> int:
    """The 1-based number of the first line from `start` holding `marker`."""
    return next(n for n, line in enumerate(lines, start=1) if n > start and marker in line)


def errors(error_type, check, data) -> list[str]:
    with pytest.raises(error_type) as caught:
        check(data)
    return caught.value.errors


# --- Reading --------------------------------------------------------------------------


def test_mappings_and_lists_remember_their_lines(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_text("format: 1\nitems:\n  - name: a\n    size: 2\n  - name: b\n", encoding="utf-8")

    data = read_yaml_mapping(path, error=DataFileError, expected="things")

    assert isinstance(data, LocatedDict) and isinstance(data["items"], LocatedList)
    assert data == {"format": 1, "items": [{"name": "a", "size": 2}, {"name": "b"}]}
    assert line_of(data, "items") == 2
    assert line_of(data["items"], 1) == 5
    assert line_of(data["items"][0], "size") == 4
    assert line_of(data["items"][0], "absent") == 3  # the entry's own line
    assert line_of({"plain": "dict"}, "plain") is None


def test_merge_keys_still_work_and_point_at_the_merged_lines(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_text("base: &base\n  weight: 1\nitem:\n  <<: *base\n  name: x\n", encoding="utf-8")

    data = read_yaml_mapping(path, error=DataFileError, expected="things")

    assert data["item"] == {"weight": 1, "name": "x"}
    assert line_of(data["item"], "name") == 5


def test_data_read_from_a_file_dumps_again_as_plain_yaml_and_json(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_text("format: 1\nitems:\n  - name: a\n", encoding="utf-8")
    data = read_yaml_mapping(path, error=DataFileError, expected="things")

    assert yaml.safe_load(yaml.safe_dump(data)) == {"format": 1, "items": [{"name": "a"}]}
    assert "!!python" not in yaml.safe_dump(data)
    assert json.loads(json.dumps(data)) == {"format": 1, "items": [{"name": "a"}]}


def test_a_json_file_reads_too(tmp_path):
    path = tmp_path / "f.json"
    path.write_text(json.dumps({"format": 1, "items": [{"name": "a"}]}, indent=1), encoding="utf-8")

    data = read_yaml_mapping(path, error=DataFileError, expected="things")

    assert data == {"format": 1, "items": [{"name": "a"}]}
    assert line_of(data["items"], 0) == 4


def test_a_yaml_syntax_error_names_its_line_and_column(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("format: 1\nroles: [unclosed\n", encoding="utf-8")

    with pytest.raises(DataFileError, match=r"is not valid YAML \(line 3, column 1\): expected ',' or '\]'"):
        read_yaml_mapping(path, error=DataFileError, expected="things")


def test_a_file_that_is_not_utf8_says_so(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: Zoë\n".encode("latin-1"))

    with pytest.raises(DataFileError, match="is not UTF-8 text"):
        read_yaml_mapping(path, error=DataFileError, expected="things")


def test_both_loaders_raise_the_one_error_type():
    assert issubclass(CatalogError, DataFileError)
    assert issubclass(QuestionnaireError, DataFileError)


def test_a_long_list_of_problems_is_cut_short_in_the_message():
    error = DataFileError([f"problem {n}" for n in range(50)])

    assert len(error.errors) == 50
    assert str(error).splitlines()[-1] == "... and 10 more problems"


# --- The catalog, from a file ------------------------------------------------------------


def test_a_catalog_problem_read_from_a_file_names_its_line(tmp_path):
    data = small_catalog()
    data["roles"][0]["rank"] = 0
    path, lines = write(tmp_path, data)

    problems = errors(CatalogError, normalise_catalog, read_catalog(path))

    rank = line_with(lines, "rank: 0")
    assert problems == [f"line {rank}: roles[engineer]: rank 0 is outside 1-32767"]


def test_a_catalog_reference_problem_names_the_line_of_the_reference(tmp_path):
    """References are checked on the canonical form; the line still comes from the file."""
    data = small_catalog()
    data["roles"][1]["track"] = "nowhere"
    path, lines = write(tmp_path, data)

    problems = errors(CatalogError, normalise_catalog, read_catalog(path))

    assert problems == [
        f"line {line_with(lines, 'track: nowhere')}: roles[engineering-manager].track: unknown track 'nowhere'"
    ]


def test_catalog_problems_in_lists_and_nested_entries_name_their_lines(tmp_path):
    data = small_catalog()
    data["roles"][0]["requirements"][0]["level"] = 9
    data["roles"][0]["responsibilities"] = ["Design", 7]
    data["skills"][0]["unexpected"] = True
    path, lines = write(tmp_path, data)

    problems = errors(CatalogError, normalise_catalog, read_catalog(path))

    assert f"line {line_with(lines, 'unexpected: true')}: skills[design]: unknown key 'unexpected'" in problems[0]
    assert (
        f"line {line_with(lines, 'level: 9')}: roles[engineer].requirements[design]: level 9 is outside 1-5" in problems
    )
    responsibility = line_with(lines, "- 7")
    assert f"line {responsibility}: roles[engineer].responsibilities[2]: expected non-empty text, got a number 7" in (
        problems
    )


def test_catalog_data_not_read_from_a_file_has_no_line_numbers():
    data = small_catalog()
    data["roles"][0]["rank"] = 0

    assert errors(CatalogError, normalise_catalog, data) == ["roles[engineer]: rank 0 is outside 1-32767"]


def test_a_file_read_catalog_normalises_to_plain_data(tmp_path):
    path, _ = write(tmp_path, small_catalog())

    assert normalise_catalog(read_catalog(path)) == normalise_catalog(small_catalog())


@pytest.mark.django_db
def test_load_catalog_prints_the_line_of_each_problem(tmp_path):
    data = small_catalog()
    data["roles"][0]["rank"] = 0
    path, lines = write(tmp_path, data)

    with pytest.raises(CommandError) as caught:
        call_command("load_catalog", str(path))

    assert f"line {line_with(lines, 'rank: 0')}: roles[engineer]: rank 0 is outside 1-32767" in str(caught.value)


# --- The questionnaire, from a file ------------------------------------------------------


def test_a_questionnaire_problem_read_from_a_file_names_its_line(tmp_path):
    data = questionnaire_data()
    data["sections"][0]["items"][0]["keys"][0]["direction"] = 2
    path, lines = write(tmp_path, data)

    problems = errors(QuestionnaireError, normalise_questionnaire, read_questionnaire(path))

    assert problems == [
        f"line {line_with(lines, 'direction: 2')}: sections[#1].items[enjoy-depth].keys[#1].direction: "
        "must be 1, or -1 for a reverse-keyed statement, got 2"
    ]


def test_a_duplicate_questionnaire_key_names_the_line_of_the_second_one(tmp_path):
    data = questionnaire_data()
    data["sections"][1]["items"][0]["key"] = "enjoy-depth"
    path, lines = write(tmp_path, data)

    problems = errors(QuestionnaireError, normalise_questionnaire, read_questionnaire(path))

    second = line_with(lines, "key: enjoy-depth", start=line_with(lines, "key: enjoy-depth"))
    assert problems == [
        f"line {second}: sections[#2].items[enjoy-depth]: duplicate key 'enjoy-depth' "
        "(already used in sections[#1]); keys are unique in a version"
    ]


def test_a_missing_questionnaire_key_names_the_line_of_its_entry(tmp_path):
    data = questionnaire_data()
    del data["sections"][0]["items"][0]["text"]
    path, lines = write(tmp_path, data)

    problems = errors(QuestionnaireError, normalise_questionnaire, read_questionnaire(path))

    assert problems == [
        f"line {line_with(lines, 'key: enjoy-depth')}: sections[#1].items[enjoy-depth]: missing required key 'text'"
    ]
