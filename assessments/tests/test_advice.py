"""The advice's rules one by one, on a small catalog made for each behaviour."""

from assessments.advice import CredentialSpec, advise, credentials_for_role, is_behind
from assessments.scoring import DimensionKey, ItemSpec, PersonSpec, RequirementSpec, RoleSpec, score

TECH, MGMT = "technical", "managerial"
EIT = CredentialSpec("eit", "Engineer in Training", prep_months=3, disciplines=("civil",), region="United States")
PE = CredentialSpec(
    "pe",
    "Professional Engineer licence",
    prep_months=4,
    prerequisites=("eit",),
    min_years_experience=4,
    disciplines=("civil",),
    region="United States",
)
CREDENTIALS = {cred.slug: cred for cred in (EIT, PE)}


def role(slug, orientation=TECH, level=1, certs=(), disciplines=(), reqs=(), years=0):
    return RoleSpec(
        slug=slug,
        name=slug.replace("-", " ").capitalize(),
        orientation=orientation,
        level=level,
        typical_years_min=years,
        certifications=tuple(certs),
        disciplines=tuple(disciplines),
        requirements=tuple(RequirementSpec(*req) for req in reqs),
    )


ROLES = [
    role("engineer", level=1),
    role("senior", level=2, certs=("pe",), years=3),
    role("lead", MGMT, level=2),
    role("staff", level=3, years=8),
    role("manager", MGMT, level=3),
    role("bridge-lead", level=3, disciplines=("civil",)),
]
MOVES = [
    ("engineer", "senior", "promotion", 2, 5),
    ("senior", "staff", "promotion", 3, 5),
    ("senior", "lead", "lateral", 1, 3),
    ("senior", "manager", "promotion", 2, 5),
    ("senior", "bridge-lead", "promotion", 2, 4),
    ("lead", "senior", "lateral", 1, 3),
    ("manager", "staff", "lateral", 1, 3),
]
ITEMS = [ItemSpec("t", "likert", "I like hard technical problems.", keys=(DimensionKey(TECH, 1),))]


def advice_for(person, answer=4):
    result = score(items=ITEMS, answers={"t": answer}, roles=ROLES, person=person)
    return advise(result=result, roles=ROLES, moves=MOVES, credentials=CREDENTIALS)


def test_a_lateral_move_to_another_track_is_not_behind_but_one_on_the_same_track_is():
    senior = ROLES[1]
    assert not is_behind(ROLES[2], level=senior.level, orientation=senior.orientation, current="senior")
    assert is_behind(ROLES[0], level=senior.level, orientation=senior.orientation, current="senior")
    assert is_behind(senior, level=senior.level, orientation=senior.orientation, current="senior")


def test_next_steps_are_the_moves_from_the_current_role_and_never_the_roles_behind():
    advice = advice_for(PersonSpec(6, "senior", discipline="software"))
    assert {step.slug for step in advice.next_steps} == {"staff", "lead", "manager"}
    assert [ref.slug for ref in advice.behind] == ["engineer"]


def test_a_role_kept_for_another_discipline_is_listed_apart_with_a_note():
    software = advice_for(PersonSpec(6, "senior", discipline="software"))
    civil = advice_for(PersonSpec(6, "senior", discipline="civil"))
    assert [(ref.slug, ref.note) for ref in software.other_disciplines] == [
        ("bridge-lead", "For civil engineering only.")
    ]
    assert "bridge-lead" in {step.slug for step in civil.next_steps}


def test_a_person_without_a_current_role_is_placed_and_told_so():
    advice = advice_for(PersonSpec(3, None, discipline="software"))
    assert advice.placement.slug == "senior" and advice.placement_inferred
    assert "placed as Senior" in advice.notes[0]


def test_the_role_the_person_wants_comes_first_with_its_reason():
    # Answers that lean neither way: the stated goal decides between staff and manager.
    advice = advice_for(PersonSpec(6, "senior", discipline="software", goal_role="manager"), answer=3)
    assert advice.first_step.slug == "manager"
    assert advice.first_step.reason.startswith("The role you said you want next")


def test_a_credential_needing_one_not_held_proposes_that_one_first():
    person = PersonSpec(1, "engineer", discipline="civil", region="United States")
    (suggested,) = credentials_for_role(role=ROLES[1], person=person, credentials=CREDENTIALS)
    assert suggested.slug == "eit"
    assert suggested.reason.startswith("The first step toward a credential the catalog names for Senior")


def test_a_held_credential_and_what_it_implies_are_never_suggested():
    person = PersonSpec(10, "engineer", frozenset({"pe"}), discipline="civil", region="United States")
    assert credentials_for_role(role=ROLES[1], person=person, credentials=CREDENTIALS) == ()


def test_a_credential_of_another_discipline_is_never_suggested():
    person = PersonSpec(10, "engineer", frozenset({"eit"}), discipline="software", region="United States")
    assert credentials_for_role(role=ROLES[1], person=person, credentials=CREDENTIALS) == ()


def test_a_regional_credential_is_suggested_only_where_it_is_awarded_and_said_so_when_unknown():
    held = frozenset({"eit"})
    there = PersonSpec(6, "engineer", held, discipline="civil", region="United States")
    elsewhere = PersonSpec(6, "engineer", held, discipline="civil", region="elsewhere")
    unknown = PersonSpec(6, "engineer", held, discipline="civil")
    assert [c.slug for c in credentials_for_role(role=ROLES[1], person=there, credentials=CREDENTIALS)] == ["pe"]
    assert credentials_for_role(role=ROLES[1], person=elsewhere, credentials=CREDENTIALS) == ()
    (pe,) = credentials_for_role(role=ROLES[1], person=unknown, credentials=CREDENTIALS)
    assert "awarded in the United States; your profile does not say where you work" in pe.reason


def test_a_credential_asking_for_years_well_beyond_the_persons_is_not_suggested_yet():
    person = PersonSpec(1, "engineer", frozenset({"eit"}), discipline="civil", region="United States")
    assert credentials_for_role(role=ROLES[1], person=person, credentials=CREDENTIALS) == ()
