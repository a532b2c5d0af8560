"""Cronbach's alpha and corrected item–total correlations against a small example worked out by hand."""

import math
import random

import pytest

from hr import psychometrics

# Five people answer three statements of one scale (1–5, already direction-adjusted).
KEYS = ["i1", "i2", "i3"]
MATRIX = [
    [1, 2, 1],  # total 4
    [2, 2, 3],  # total 7
    [3, 3, 3],  # total 9
    [4, 5, 4],  # total 13
    [5, 3, 4],  # total 12
]


def test_alpha_matches_the_hand_computed_value():
    # By hand, with population variances (alpha is a ratio, so n or n − 1 gives the same):
    #   i1: 1 2 3 4 5, mean 3, variance (4+1+0+1+4)/5 = 2
    #   i2: 2 2 3 5 3, mean 3, variance (1+1+0+4+0)/5 = 1.2
    #   i3: 1 3 3 4 4, mean 3, variance (4+0+0+1+1)/5 = 1.2
    #   totals: 4 7 9 13 12, mean 9, variance (25+4+0+16+9)/5 = 10.8
    #   alpha = 3/2 × (1 − 4.4/10.8) = 1.5 × 6.4/10.8 = 8/9
    quality = psychometrics.scale_quality(MATRIX, KEYS)

    assert quality.respondents == 5
    assert quality.alpha == pytest.approx(8 / 9)


def test_item_total_correlations_match_the_hand_computed_values():
    # Each statement against the sum of the other two:
    #   i1 vs 3 5 6 9 7 (mean 6): cov (6+1+0+3+2)/5 = 2.4, var 20/5 = 4 → 2.4 / √(2 × 4)
    #   i2 vs 2 5 6 8 9 (mean 6): cov (4+1+0+4+0)/5 = 1.8, var 30/5 = 6 → 1.8 / √(1.2 × 6)
    #   i3 vs 3 4 6 9 8 (mean 6): cov (6+0+0+3+2)/5 = 2.2, var 26/5 = 5.2 → 2.2 / √(1.2 × 5.2)
    quality = psychometrics.scale_quality(MATRIX, KEYS)

    correlations = {item.key: item.item_total for item in quality.items}
    assert correlations["i1"] == pytest.approx(2.4 / math.sqrt(8))  # 0.849
    assert correlations["i2"] == pytest.approx(1.8 / math.sqrt(7.2))  # 0.671
    assert correlations["i3"] == pytest.approx(2.2 / math.sqrt(6.24))  # 0.881


def test_the_sample_variance_formula_gives_the_same_alpha():
    n = len(MATRIX)

    def sample_var(values):
        mean = sum(values) / n
        return sum((v - mean) ** 2 for v in values) / (n - 1)

    item_vars = [sample_var([row[i] for row in MATRIX]) for i in range(3)]
    total_var = sample_var([sum(row) for row in MATRIX])
    textbook = 3 / 2 * (1 - sum(item_vars) / total_var)

    assert psychometrics.scale_quality(MATRIX, KEYS).alpha == pytest.approx(textbook)


def test_moments_alone_give_the_same_figures_as_the_answers():
    rng = random.Random(7)
    matrix = [[rng.randint(1, 5) for _ in range(4)] for _ in range(60)]
    keys = ["a", "b", "c", "d"]

    direct = psychometrics.scale_quality(matrix, keys)
    from_sums = psychometrics.scale_quality_from_moments(psychometrics.moments(matrix, keys))

    assert from_sums.alpha == pytest.approx(direct.alpha)
    for a, b in zip(direct.items, from_sums.items, strict=True):
        assert a.item_total == pytest.approx(b.item_total)


def test_a_reverse_worded_item_left_unreversed_shows_a_negative_correlation_and_lowers_alpha():
    flipped = [[row[0], row[1], 6 - row[2]] for row in MATRIX]

    quality = psychometrics.scale_quality(flipped, KEYS)

    assert quality.items[2].item_total < 0
    assert quality.alpha < 8 / 9


def test_no_variation_leaves_the_figures_undefined_instead_of_dividing_by_zero():
    quality = psychometrics.scale_quality([[3, 3, 3]] * 40, KEYS)

    assert quality.alpha is None
    assert all(item.item_total is None for item in quality.items)


def test_one_item_has_no_alpha_and_no_respondents_have_no_figures():
    assert psychometrics.scale_quality([[1], [2], [5]], ["only"]).alpha is None
    empty = psychometrics.scale_quality([], KEYS)
    assert (empty.respondents, empty.alpha) == (0, None)


def test_rows_of_the_wrong_length_are_refused():
    with pytest.raises(ValueError):
        psychometrics.moments([[1, 2]], KEYS)
