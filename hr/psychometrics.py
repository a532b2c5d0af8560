"""Internal consistency of a questionnaire scale: Cronbach's alpha and item–total correlations (pure).

Two ways in, one set of formulas:

- `scale_quality(matrix)` takes the answers themselves, one row per respondent and
  one column per item (already reverse-scored where an item is reverse-keyed);
- `scale_quality_from_moments(moments)` takes only sums the database can compute
  with aggregates (per item: Σx, Σx², Σx·T; over respondents: n, ΣT, ΣT², where T
  is a respondent's total), so the dashboard never loads every answer into Python.

Both use population (divide-by-n) variances; alpha is a ratio of variances, so the
choice of n or n − 1 cancels out. The item–total correlation is the *corrected*
one: each item against the total of the other items, so an item is not correlated
with itself.

    alpha = k / (k − 1) · (1 − Σ var(item) / var(total))
    r(i)  = cov(x_i, T − x_i) / sqrt(var(x_i) · var(T − x_i))
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# Below this many complete responses the panel does not report a scale's figures.
MIN_RESPONSES = 30


@dataclass(frozen=True)
class ItemMoments:
    key: str
    total: float  # Σ x_i
    squares: float  # Σ x_i²
    cross: float  # Σ x_i · T


@dataclass(frozen=True)
class ScaleMoments:
    respondents: int  # n: respondents who answered every item of the scale
    total: float  # Σ T
    squares: float  # Σ T²
    items: tuple[ItemMoments, ...]


@dataclass(frozen=True)
class ItemQuality:
    key: str
    item_total: float | None  # corrected item–total correlation; None when undefined (no variance)


@dataclass(frozen=True)
class ScaleQuality:
    respondents: int
    alpha: float | None  # None when undefined: fewer than two items or no variance in totals
    items: tuple[ItemQuality, ...]


def moments(matrix: Sequence[Sequence[float]], keys: Sequence[str]) -> ScaleMoments:
    """The sums `scale_quality_from_moments` needs, from rows of answers."""
    if any(len(row) != len(keys) for row in matrix):
        raise ValueError("Every row needs one answer per item.")
    totals = [sum(row) for row in matrix]
    items = tuple(
        ItemMoments(
            key=key,
            total=sum(row[i] for row in matrix),
            squares=sum(row[i] ** 2 for row in matrix),
            cross=sum(row[i] * t for row, t in zip(matrix, totals, strict=True)),
        )
        for i, key in enumerate(keys)
    )
    return ScaleMoments(len(matrix), sum(totals), sum(t * t for t in totals), items)


def scale_quality(matrix: Sequence[Sequence[float]], keys: Sequence[str]) -> ScaleQuality:
    return scale_quality_from_moments(moments(matrix, keys))


def scale_quality_from_moments(m: ScaleMoments) -> ScaleQuality:
    n, k = m.respondents, len(m.items)
    if n == 0:
        return ScaleQuality(0, None, tuple(ItemQuality(item.key, None) for item in m.items))
    mean_total = m.total / n
    var_total = _clean(m.squares / n - mean_total**2)
    item_vars = []
    qualities = []
    for item in m.items:
        mean = item.total / n
        var = _clean(item.squares / n - mean**2)
        cov = item.cross / n - mean * mean_total  # cov(x_i, T)
        rest_var = _clean(var_total + var - 2 * cov)  # var(T − x_i)
        rest_cov = cov - var  # cov(x_i, T − x_i)
        r = rest_cov / math.sqrt(var * rest_var) if var > 0 and rest_var > 0 else None
        item_vars.append(var)
        qualities.append(ItemQuality(item.key, None if r is None else max(-1.0, min(1.0, r))))
    alpha = None
    if k >= 2 and var_total > 0:
        alpha = k / (k - 1) * (1 - sum(item_vars) / var_total)
    return ScaleQuality(n, alpha, tuple(qualities))


def _clean(variance: float) -> float:
    """Floating-point sums can leave a tiny negative variance where the true one is 0."""
    return 0.0 if variance < 1e-12 else variance
