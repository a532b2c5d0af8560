"""Properties of the advice engine over the real catalog and questionnaire files, for any answers and profile."""

import json
import random
from functools import cache
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.advice import Advice, CredentialSpec, advise, implied_credentials, is_behind, is_open_to
from assessments.scoring import GOAL_DIRECTIONS, DimensionKey, ItemSpec, PersonSpec, RequirementSpec, RoleSpec, score

ROOT = Path(__file__).resolve().parents[2]
PROPERTIES = settings(max_examples=60, deadline=None)


@cache
def catalog():
    data = yaml.safe_load((ROOT / "roles/data/catalog.yaml").read_text(encoding="utf-8"))
    orientation = {track["slug"]: track["orientation"] for track in data["tracks"]}
    certs_by_role: dict[str, list[str]] = {}
    for cert in data["certifications"]:
        for role in cert.get("roles", ()):
            certs_by_role.setdefault(role, []).append(cert["slug"])
    roles = tuple(
        RoleSpec(
            slug=role["slug"],
            name=role["name"],
            orientation=orientation[role["track"]],
            typical_years_min=role.get("typical_years_min", 0),
            typical_years_max=role.get("typical_years_max"),
            requirements=tuple(
                RequirementSpec(req["skill"], req["level"], req.get("weight", 1))
                for req in role.get("requirements", ())
            ),
            certifications=tuple(sorted(certs_by_role.get(role["slug"], ()))),
            rank=role["rank"],
            level=role.get("level", 1),
            disciplines=tuple(role.get("disciplines", ())),
        )
        for role in data["roles"]
    )
    moves = tuple(
        (m["from"], m["to"], m.get("kind", "promotion"), m.get("typical_years_min", 1), m.get("typical_years_max", 3))
        for m in data["progressions"]
    )
    credentials = {
        cert["slug"]: CredentialSpec(
            slug=cert["slug"],
            name=cert["name"],
            prep_months=cert["prep_months"],
            prerequisites=tuple(cert.get("prerequisites", ())),
            min_years_experience=cert.get("min_years_experience", 0),
            skills=tuple(cert.get("skills", ())),
            disciplines=tuple(cert.get("disciplines", ())),
            region=cert.get("region", ""),
        )
        for cert in data["certifications"]
    }
    disciplines = tuple(d["slug"] for d in data["disciplines"])
    return roles, moves, credentials, disciplines


@cache
def items():
    data = yaml.safe_load((ROOT / "assessments/data/questionnaire.yaml").read_text(encoding="utf-8"))
    specs = []
    for section in data["sections"]:
        for item in section["items"]:
            keys = {
                name: tuple(DimensionKey(**key) for key in item.get(name, ())) for name in ("keys", "a_keys", "b_keys")
            }
            specs.append(
                ItemSpec(
                    key=item["key"],
                    kind=item["kind"],
                    text=item["text"],
                    option_a=item.get("option_a", ""),
                    option_b=item.get("option_b", ""),
                    skill=item.get("skill"),
                    consistency_group=item.get("consistency_group", ""),
                    **keys,
                )
            )
    return tuple(specs)


@st.composite
def people(draw):
    roles, _moves, credentials, disciplines = catalog()
    role_slugs = [role.slug for role in roles]
    answers = {item.key: draw(st.integers(min_value=1, max_value=5)) for item in items()}
    person = PersonSpec(
        years_experience=draw(st.integers(min_value=0, max_value=40)),
        current_role=draw(st.none() | st.sampled_from(role_slugs)),
        held_certifications=frozenset(draw(st.lists(st.sampled_from(sorted(credentials)), max_size=3))),
        discipline=draw(st.none() | st.sampled_from(disciplines)),
        goal_role=draw(st.none() | st.sampled_from(role_slugs)),
        goal_direction=draw(st.sampled_from(GOAL_DIRECTIONS)),
        direct_reports=draw(st.integers(min_value=0, max_value=30)),
        region=draw(st.sampled_from(["", "United States", "elsewhere"])),
    )
    return answers, person


def advice_for(answers, person, *, shuffle_seed=None) -> Advice:
    roles, moves, credentials, _ = catalog()
    roles, moves = list(roles), list(moves)
    if shuffle_seed is not None:
        random.Random(shuffle_seed).shuffle(roles)
        random.Random(shuffle_seed).shuffle(moves)
    result = score(items=items(), answers=answers, roles=roles, person=person)
    return advise(result=result, roles=roles, moves=moves, credentials=credentials)


@PROPERTIES
@given(people())
def test_no_next_step_is_behind_the_person_or_kept_for_another_discipline(person_data):
    answers, person = person_data
    advice = advice_for(answers, person)
    roles = {role.slug: role for role in catalog()[0]}
    assert advice.placement is not None
    placed = roles[advice.placement.slug]
    for step in (*advice.next_steps, *advice.further_ahead):
        role = roles[step.slug]
        assert not is_behind(role, level=placed.level, orientation=placed.orientation, current=placed.slug)
        assert is_open_to(role, person.discipline)
    assert not {step.slug for step in advice.next_steps} & {ref.slug for ref in advice.behind}


@PROPERTIES
@given(people(), st.integers(min_value=0, max_value=1000))
def test_the_order_is_the_same_whatever_order_the_catalog_comes_in(person_data, seed):
    answers, person = person_data
    assert advice_for(answers, person) == advice_for(answers, person, shuffle_seed=seed)


@PROPERTIES
@given(people())
def test_every_rank_is_explained_and_follows_the_documented_score(person_data):
    answers, person = person_data
    advice = advice_for(answers, person)
    for steps in (advice.next_steps, advice.further_ahead):
        keys = [(-step.score, -step.fit, -step.readiness, step.years_min, step.name) for step in steps]
        assert keys == sorted(keys)
        for step in steps:
            assert step.reason.endswith(".") and step.band_words in step.reason
            assert 0 <= step.readiness <= 100


@PROPERTIES
@given(people())
def test_no_credential_suggested_is_held_or_implied_or_for_another_discipline(person_data):
    answers, person = person_data
    advice = advice_for(answers, person)
    credentials = catalog()[2]
    held = person.held_certifications | implied_credentials(person.held_certifications, credentials)
    for cred in advice.credentials:
        assert cred.slug not in held
        assert not credentials[cred.slug].disciplines or person.discipline in credentials[cred.slug].disciplines
        assert not credentials[cred.slug].region or person.region in ("", credentials[cred.slug].region)
        assert cred.reason


@PROPERTIES
@given(people())
def test_advice_round_trips_through_json(person_data):
    answers, person = person_data
    advice = advice_for(answers, person)
    assert Advice.from_dict(json.loads(json.dumps(advice.to_dict()))) == advice
