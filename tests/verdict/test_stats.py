"""The Bayesian correlated t-test against hand-computed cases."""

import math

import pytest

from deepenough.verdict import correlated_posterior, folds_to_settle

# Differences 0.01, 0.03, 0.02, 0.04, 0.00 on 5 folds: mean 0.02, sample variance
# 0.001 / 4 = 0.00025, rho = 1/5, so the scale is sqrt((1/5 + 0.2/0.8) * 0.00025).
DIFFERENCES = [0.01, 0.03, 0.02, 0.04, 0.00]
SCALE = math.sqrt(0.45 * 0.00025)


def t4_cdf(t: float) -> float:
    """Student t with 4 degrees of freedom in closed form (independent of SciPy)."""
    u = t * t / 4
    return 0.5 + 3 / 8 * t / math.sqrt(1 + u) * (1 - t * t / (12 * (1 + u)))


def test_posterior_of_a_hand_computed_case() -> None:
    posterior = correlated_posterior(DIFFERENCES, folds=5)
    assert posterior.mean == pytest.approx(0.02)
    assert posterior.scale == pytest.approx(SCALE)
    assert posterior.df == 4
    better, equivalent, worse = posterior.probabilities(0.01)
    assert better == pytest.approx(t4_cdf((0.02 - 0.01) / SCALE), abs=1e-9)
    assert worse == pytest.approx(1 - t4_cdf((0.02 + 0.01) / SCALE), abs=1e-9)
    assert better + equivalent + worse == pytest.approx(1.0)
    low, high = posterior.interval()
    assert (low, high) == pytest.approx((0.02 - 2.776445 * SCALE, 0.02 + 2.776445 * SCALE))


def test_the_correlation_correction_widens_the_posterior_with_fewer_folds() -> None:
    five = correlated_posterior(DIFFERENCES, folds=5)
    two = correlated_posterior(DIFFERENCES, folds=2)  # rho = 1/2: rho / (1 - rho) = 1
    assert two.scale / five.scale == pytest.approx(math.sqrt(1.2 / 0.45))


def test_identical_scores_are_equivalent_with_certainty() -> None:
    posterior = correlated_posterior([0.0] * 10, folds=5)
    assert posterior.probabilities(0.01) == (0.0, 1.0, 0.0)
    assert posterior.interval() == (0.0, 0.0)


@pytest.mark.parametrize(
    ("difference", "expected"),
    [(0.05, (1.0, 0.0, 0.0)), (-0.05, (0.0, 0.0, 1.0)), (0.01, (0.0, 1.0, 0.0))],
)
def test_zero_variance_puts_all_belief_on_the_observed_difference(difference, expected) -> None:
    assert correlated_posterior([difference] * 4, folds=2).probabilities(0.01) == expected


def test_a_single_fold_gives_no_probabilities() -> None:
    posterior = correlated_posterior([0.2], folds=5)
    assert posterior.probabilities(0.01) is None
    assert posterior.interval() is None
    assert folds_to_settle([0.2], folds=5, rope=0.01) is None


def test_no_differences_is_an_error() -> None:
    with pytest.raises(ValueError):
        correlated_posterior([], folds=5)


def p_better(differences: list[float], folds: int, repeats: int, rope: float) -> float:
    """P(mu > rope) if K x R folds gave differences of the observed mean and spread."""
    from scipy import stats

    n, mean = folds * repeats, sum(differences) / len(differences)
    variance = sum((d - mean) ** 2 for d in differences) / (len(differences) - 1)
    scale = math.sqrt((1 / n + 1 / (folds - 1)) * variance)  # rho / (1 - rho) = 1 / (K - 1)
    return float(stats.t(n - 1, loc=mean, scale=scale).sf(rope))


def test_more_repeats_settle_a_clear_but_noisy_win() -> None:
    noisy = [0.05, 0.0, 0.06, 0.01, 0.04, 0.03, 0.07, 0.0, 0.05, 0.04]
    assert 0.05 < p_better(noisy, 5, 2, 0.01) < 0.95  # 5 x 2: not settled yet
    folds, repeats = folds_to_settle(noisy, folds=5, rope=0.01)
    assert folds == 5 and repeats > 2
    assert p_better(noisy, 5, repeats, 0.01) >= 0.95 > p_better(noisy, 5, repeats - 1, 0.01)


def test_when_repeats_cannot_settle_it_more_folds_are_suggested() -> None:
    noisy = [0.05, -0.01, 0.06, 0.0, 0.04, 0.02, 0.07, -0.02, 0.05, 0.04]
    assert p_better(noisy, 5, 20, 0.01) < 0.95  # the floor of 5-fold: rho / (1 - rho) = 1/4
    folds, repeats = folds_to_settle(noisy, folds=5, rope=0.01)
    assert folds == 10
    assert p_better(noisy, 10, repeats, 0.01) >= 0.95 > p_better(noisy, 10, repeats - 1, 0.01)


def test_a_difference_at_the_rope_edge_never_settles() -> None:
    at_edge = [0.0, 0.02, 0.01, 0.015, 0.005]  # mean 0.01 = the ROPE
    assert folds_to_settle(at_edge, folds=5, rope=0.01) is None
