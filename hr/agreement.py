"""Self against manager across the organisation (pure: plain data in, plain data out).

For every engineer with both a self-assessment and a manager rating (the latest of each), each skill
both rated is a pair: the self level (one decimal) and the manager's (a whole level). A pair agrees
when the two are at most one level apart (the rule of the engineer's own ratings page,
assessments.calibration.AGREE_WITHIN); self-leniency is self minus manager, in levels.

Figures are given per skill, per team (the people a manager rated) and for the whole organisation,
each only for five people or more (MIN_GROUP). A figure withheld for being too small could be worked
out from the total and the figures shown beside it, so more are withheld with it (complementary
suppression, `withheld`): together the withheld ones always cover at least five people and are never
a single one.

A manager whose ratings sit far from their peers' (their average manager-minus-self gap at least
FAR_LEVELS from the median of the other managers' averages, so one outlier does not move the
yardstick) is listed as a prompt to talk about calibration, not as a finding about the manager or
their team.
"""

import statistics
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

from assessments.calibration import AGREE_WITHIN

MIN_GROUP = 5  # people: no figure for fewer
FAR_LEVELS = 1.0  # levels between a manager's average gap and their peers'
MIN_PEERS = 3  # other managers (each with a figure) needed to compare one with


@dataclass(frozen=True)
class PersonRatings:
    """One engineer's pairs: skill slug -> (self level, manager level), only skills both rated."""

    person_id: int
    manager_id: int
    manager_name: str
    pairs: Mapping[str, tuple[float, int]]


@dataclass(frozen=True)
class Tally:
    """Pairs counted for one group; the figures are None when the group is withheld."""

    key: Hashable
    label: str
    people: int
    pairs: int
    agreed: int
    self_higher: int  # self more than one level above the manager
    manager_higher: int  # manager more than one level above self
    gap_sum: float  # sum of self minus manager
    withheld: bool = False

    @property
    def agreement(self) -> float | None:
        """Share of pairs that agree, per cent."""
        if self.withheld or not self.pairs:
            return None
        return round(100 * self.agreed / self.pairs, 1)

    @property
    def leniency(self) -> float | None:
        """Average self minus manager, in levels (positive: people rate themselves higher)."""
        if self.withheld or not self.pairs:
            return None
        return round(self.gap_sum / self.pairs, 2)


@dataclass(frozen=True)
class Prompt:
    """A manager whose ratings sit far from their peers': worth a calibration conversation."""

    manager_id: int
    label: str
    people: int
    gap: float  # their average manager minus self, levels
    peers_gap: float  # the median of the other managers' averages
    peers: int

    @property
    def direction(self) -> str:
        return "higher" if self.gap > self.peers_gap else "lower"


@dataclass(frozen=True)
class Report:
    overall: Tally
    skills: tuple[Tally, ...]
    teams: tuple[Tally, ...]
    prompts: tuple[Prompt, ...]


def withheld(sizes: Mapping[Hashable, int], *, minimum: int = MIN_GROUP) -> set:
    """Which of a set of groups to withhold: those under `minimum`, then, if any is, the smallest others
    until the withheld ones are at least two and cover at least `minimum` (or all are withheld), so that
    no withheld figure can be worked out from the total and the ones shown."""
    hidden = {key for key, size in sizes.items() if size < minimum}
    if not hidden:
        return hidden
    others = sorted((key for key in sizes if key not in hidden), key=lambda key: (sizes[key], str(key)))
    while others and (len(hidden) < 2 or sum(sizes[key] for key in hidden) < minimum):
        hidden.add(others.pop(0))
    return hidden


def _tally(key, label: str, people: int, pairs: Iterable[tuple[float, int]], *, withheld: bool) -> Tally:
    counted = agreed = self_higher = manager_higher = 0
    gap_sum = 0.0
    for self_level, manager_level in pairs:
        gap = round(self_level - manager_level, 1)
        counted += 1
        gap_sum += gap
        if abs(gap) <= AGREE_WITHIN:
            agreed += 1
        elif gap > 0:
            self_higher += 1
        else:
            manager_higher += 1
    return Tally(key, label, people, counted, agreed, self_higher, manager_higher, round(gap_sum, 6), withheld)


def report(people: Iterable[PersonRatings], *, skill_names: Mapping[str, str]) -> Report:
    """The organisation's agreement, per skill and per team, with small groups withheld and calibration prompts."""
    people = [person for person in people if person.pairs]
    everyone = [pair for person in people for pair in person.pairs.values()]
    overall = _tally("all", "Everyone", len(people), everyone, withheld=len(people) < MIN_GROUP)

    by_skill: dict[str, list[tuple[float, int]]] = {}
    for person in people:
        for slug, pair in person.pairs.items():
            by_skill.setdefault(slug, []).append(pair)
    hidden_skills = withheld({slug: len(pairs) for slug, pairs in by_skill.items()})
    skills = sorted(
        (
            _tally(slug, skill_names.get(slug, slug), len(pairs), pairs, withheld=slug in hidden_skills)
            for slug, pairs in by_skill.items()
        ),
        key=lambda tally: (tally.label.casefold(), str(tally.key)),
    )

    by_team: dict[int, list[PersonRatings]] = {}
    for person in people:
        by_team.setdefault(person.manager_id, []).append(person)
    hidden_teams = withheld({manager: len(members) for manager, members in by_team.items()})
    teams = sorted(
        (
            _tally(
                manager,
                members[0].manager_name,
                len(members),
                [pair for member in members for pair in member.pairs.values()],
                withheld=manager in hidden_teams,
            )
            for manager, members in by_team.items()
        ),
        key=lambda tally: (tally.label.casefold(), str(tally.key)),
    )
    return Report(overall, tuple(skills), tuple(teams), calibration_prompts(teams))


def calibration_prompts(teams: Iterable[Tally], *, far: float = FAR_LEVELS) -> tuple[Prompt, ...]:
    """Managers (with a figure shown) whose average manager-minus-self gap is `far` or more from the
    median of the other managers' (at least MIN_PEERS of them), furthest first."""
    shown = [team for team in teams if not team.withheld and team.pairs]
    prompts = []
    for team in shown:
        peers = [other for other in shown if other.key != team.key]
        if len(peers) < MIN_PEERS:
            continue
        gap = -team.gap_sum / team.pairs + 0.0  # + 0.0: no -0.0
        peers_gap = statistics.median(-other.gap_sum / other.pairs for other in peers) + 0.0
        if abs(gap - peers_gap) >= far:
            prompts.append(Prompt(team.key, team.label, team.people, round(gap, 2), round(peers_gap, 2), len(peers)))
    return tuple(sorted(prompts, key=lambda p: (-abs(p.gap - p.peers_gap), p.label.casefold(), p.manager_id)))
