"""Self against manager, skill by skill (pure: plain data in, plain data out).

A self-assessment gives each skill a level with one decimal (assessments.scoring); a manager
gives a whole level or none ("not observed"). Two ratings agree when they are at most one
level apart; a gap of two levels or more is worth talking about.
"""

from dataclasses import dataclass

from assessments import calibration, charts

AGREE_WITHIN = calibration.AGREE_WITHIN  # levels: one rule of agreement for the table and the calibration
WORTH_TALKING = 2.0  # levels


@dataclass(frozen=True)
class ManagerLevel:
    slug: str
    name: str
    level: int | None  # None: not observed
    comment: str = ""


@dataclass(frozen=True)
class Row:
    slug: str
    name: str
    self_level: float | None
    manager_level: int | None
    comment: str
    peer_level: float | None = None  # the peers' mean, when it may be shown (teams.selectors.peer_aggregate)
    peer_count: int = 0

    @property
    def gap(self) -> float | None:
        """Manager minus self, in levels (positive: the manager rates higher)."""
        if self.self_level is None or self.manager_level is None:
            return None
        return round(self.manager_level - self.self_level, 1)

    @property
    def agree(self) -> bool:
        return self.gap is not None and abs(self.gap) <= AGREE_WITHIN

    @property
    def worth_talking(self) -> bool:
        return self.gap is not None and abs(self.gap) >= WORTH_TALKING


@dataclass(frozen=True)
class Comparison:
    rows: tuple[Row, ...]

    @property
    def has_peers(self) -> bool:
        return any(row.peer_level is not None for row in self.rows)

    @property
    def has_manager(self) -> bool:
        return any(row.manager_level is not None or row.comment for row in self.rows)

    @property
    def compared(self) -> int:
        """Skills both rated."""
        return sum(row.gap is not None for row in self.rows)

    @property
    def agreed(self) -> int:
        return sum(row.agree for row in self.rows)

    @property
    def worth_talking(self) -> int:
        return sum(row.worth_talking for row in self.rows)

    def radar(self) -> charts.RadarChart | None:
        """Self as the solid polygon, the manager as the dashed one, on the skills both rated (three or more)."""
        both = [row for row in self.rows if row.gap is not None]
        if len(both) < 3:
            return None
        return charts.radar(
            [charts.RadarAxis(label=row.name, value=row.self_level, target=row.manager_level) for row in both]
        )


def compare(
    *,
    self_levels: dict[str, float],
    names: dict[str, str],
    manager: list[ManagerLevel],
    peers: dict[str, tuple[float, int]] | None = None,
    peer_names: dict[str, str] | None = None,
) -> Comparison:
    """Every skill the manager rated, in their order, then the skills only the self-assessment has, then
    those only the peers rated; `peers` (slug -> (mean, count)) fills the peer column."""
    peers = peers or {}
    names = {**(peer_names or {}), **names}

    def row(slug: str, name: str, manager_level: int | None, comment: str) -> Row:
        mean, count = peers.get(slug, (None, 0))
        return Row(slug, name, self_levels.get(slug), manager_level, comment, mean, count)

    rows = [row(item.slug, item.name, item.level, item.comment) for item in manager]
    rated = {item.slug for item in manager}
    rows += [
        row(slug, names.get(slug, slug), None, "")
        for slug in sorted(self_levels, key=lambda slug: names.get(slug, slug).casefold())
        if slug not in rated
    ]
    seen = rated | set(self_levels)
    rows += [
        row(slug, names.get(slug, slug), None, "")
        for slug in sorted(peers, key=lambda slug: names.get(slug, slug).casefold())
        if slug not in seen
    ]
    return Comparison(tuple(rows))
