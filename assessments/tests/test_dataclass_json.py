"""The one dataclass writer and reader (assessments/dataclass_json.py), and the stored shapes it must keep reading.

`data/stored_shapes.json` was captured before the hand-written `to_dict`/`from_dict` methods were
replaced: real results stored by engine 1.0 (before the advice) and engine 2.0, a plan proposal
and a target's gaps, with the `repr` of what the hand-written readers built from each and what
their writers wrote back. The generic reader must build equal objects, and the generic writer
must write the same data.
"""

import datetime
import enum
import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments import advice, reports, scoring
from assessments.dataclass_json import Serialisable, from_data, to_data
from plans import generator

SHAPES = json.loads((Path(__file__).parent / "data" / "stored_shapes.json").read_text(encoding="utf-8"))
NAMES = {
    "datetime": datetime,
    "frozenset": frozenset,
    **{name: getattr(module, name) for module in (scoring, advice, generator) for name in dir(module)},
    "StoredResult": reports.StoredResult,
}


def loaded(text: str):
    """The objects the hand-written readers built, from their repr."""
    return eval(text, {"__builtins__": {}}, NAMES)  # our own test data, captured from the old readers


@pytest.mark.parametrize("engine", ["engine-1.0", "engine-2.0"])
def test_stored_results_load_into_the_same_objects_as_before(engine):
    shape = SHAPES[engine]

    stored = reports.StoredResult.from_data(shape["stored_result"])

    assert stored == loaded(shape["stored_result_loaded"])
    assert stored.result.engine_version == engine.removeprefix("engine-")


def test_a_result_stored_before_the_advice_has_no_advice_and_still_defaults_its_newer_fields():
    stored = reports.StoredResult.from_data(SHAPES["engine-1.0"]["stored_result"])

    assert stored.advice is None
    assert "region" not in SHAPES["engine-1.0"]["stored_result"]["result"]["person"]
    assert stored.result.person.region == ""
    assert all(role.level == 1 and role.disciplines == () for role in stored.roles.values())


@pytest.mark.parametrize("engine", ["engine-1.0", "engine-2.0"])
def test_results_are_written_back_as_before(engine):
    shape = SHAPES[engine]
    stored = reports.StoredResult.from_data(shape["stored_result"])

    assert stored.result.to_dict() == shape["result_rewritten"]
    if engine == "engine-2.0":
        assert stored.advice.to_dict() == shape["advice_rewritten"]
        assert stored.result.to_dict() == shape["stored_result"]["result"]
        assert stored.advice.to_dict() == shape["stored_result"]["advice"]
        assert [role.to_dict() for role in stored.roles.values()] == shape["stored_result"]["roles"]


@pytest.mark.parametrize("engine", ["engine-1.0", "engine-2.0"])
def test_stored_proposals_load_and_write_back_as_before(engine):
    shape = SHAPES[engine]

    proposal = generator.Proposal.from_dict(shape["proposal"])

    assert proposal == loaded(shape["proposal_loaded"])
    assert proposal.to_dict() == shape["proposal"]
    assert isinstance(proposal.milestones[0].due_date, datetime.date)


def test_role_gaps_load_and_write_back_as_before():
    shape = SHAPES["engine-2.0"]

    gaps = scoring.RoleGaps.from_dict(shape["role_gaps"])

    assert gaps == loaded(shape["role_gaps_loaded"])
    assert gaps.to_dict() == shape["role_gaps"]


def test_the_written_data_is_json_as_stored():
    stored = reports.StoredResult.from_data(SHAPES["engine-2.0"]["stored_result"])

    text = json.dumps(stored.result.to_dict())

    assert scoring.AssessmentResult.from_dict(json.loads(text)) == stored.result


# --- The reader and writer on their own --------------------------------------------------


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


@dataclass(frozen=True, slots=True)
class Leaf:
    name: str
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class Tree(Serialisable):
    title: str
    leaves: tuple[Leaf, ...]
    pair: tuple[int, str]
    tags: frozenset[str]
    scores: dict[str, float]
    by_name: dict[str, Leaf]
    best: Leaf | None
    colour: Colour
    planted: datetime.date
    seen_at: datetime.datetime | None = None
    numbers: list[int] = field(default_factory=list)
    note: str = ""
    derived: int = field(init=False, repr=False, compare=False, default=0)

    def __post_init__(self):
        object.__setattr__(self, "derived", len(self.leaves))


def tree(**changes) -> Tree:
    values = {
        "title": "oak",
        "leaves": (Leaf("a"), Leaf("b", 2.5)),
        "pair": (3, "three"),
        "tags": frozenset({"tall", "old"}),
        "scores": {"x": 1.5},
        "by_name": {"a": Leaf("a")},
        "best": Leaf("b", 2.5),
        "colour": Colour.BLUE,
        "planted": datetime.date(2024, 2, 29),
        "seen_at": datetime.datetime(2025, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
        "numbers": [1, 2],
    }
    return Tree(**{**values, **changes})


def test_the_writer_writes_plain_json_data_without_derived_fields():
    assert tree().to_dict() == {
        "title": "oak",
        "leaves": [{"name": "a", "weight": 1.0}, {"name": "b", "weight": 2.5}],
        "pair": [3, "three"],
        "tags": ["old", "tall"],
        "scores": {"x": 1.5},
        "by_name": {"a": {"name": "a", "weight": 1.0}},
        "best": {"name": "b", "weight": 2.5},
        "colour": "blue",
        "planted": "2024-02-29",
        "seen_at": "2025-01-02T03:04:05+00:00",
        "numbers": [1, 2],
        "note": "",
    }


def test_the_reader_builds_nested_dataclasses_tuples_sets_enums_and_dates_again():
    original = tree()

    again = Tree.from_dict(json.loads(json.dumps(original.to_dict())))

    assert again == original
    assert isinstance(again.leaves, tuple) and isinstance(again.leaves[0], Leaf)
    assert isinstance(again.tags, frozenset)
    assert again.colour is Colour.BLUE
    assert again.derived == 2  # worked out again by __post_init__


def test_missing_keys_take_their_defaults_and_unknown_keys_are_ignored():
    data = tree().to_dict()
    del data["note"], data["numbers"], data["seen_at"]
    data["added_by_a_later_version"] = True

    again = Tree.from_dict(data)

    assert (again.note, again.numbers, again.seen_at) == ("", [], None)


def test_a_missing_required_key_is_named():
    data = tree().to_dict()
    del data["title"]

    with pytest.raises(KeyError, match="Tree: the stored data has no 'title'"):
        from_data(Tree, data)


def test_none_stays_none_for_an_optional_dataclass():
    assert Tree.from_dict(tree(best=None).to_dict()).best is None


def test_numbers_are_kept_as_stored():
    """A weight stored as 1 reads back as 1, as the hand-written readers did (1 == 1.0 anyway)."""
    again = from_data(Leaf, {"name": "a", "weight": 2})
    assert type(again.weight) is int


def test_to_data_leaves_scalars_alone():
    assert to_data(3) == 3
    assert to_data("x") == "x"
    assert to_data(None) is None


leaves = st.builds(Leaf, st.text(max_size=5), st.floats(allow_nan=False, allow_infinity=False))
trees = st.builds(
    Tree,
    title=st.text(max_size=10),
    leaves=st.tuples(leaves, leaves) | st.just(()),
    pair=st.tuples(st.integers(), st.text(max_size=3)),
    tags=st.frozensets(st.text(max_size=4), max_size=4),
    scores=st.dictionaries(st.text(max_size=4), st.floats(allow_nan=False, allow_infinity=False), max_size=3),
    by_name=st.dictionaries(st.text(max_size=4), leaves, max_size=3),
    best=st.none() | leaves,
    colour=st.sampled_from(Colour),
    planted=st.dates(),
    seen_at=st.none() | st.datetimes(timezones=st.just(datetime.UTC)),
    numbers=st.lists(st.integers(), max_size=4),
    note=st.text(max_size=10),
)


@given(trees)
def test_any_tree_survives_a_json_round_trip(value):
    assert Tree.from_dict(json.loads(json.dumps(value.to_dict()))) == value
