"""The Bayesian correlated t-test for two models scored on the same cross-validation folds.

Corani & Benavoli (2015), "A Bayesian approach for comparing cross-validated
algorithms on multiple data sets", Machine Learning 100(2–3):285–304, with the
correlation correction of Nadeau & Bengio (2003), "Inference for the
generalization error", Machine Learning 52(3):239–281.

The n = K·R paired differences x_1..x_n of K-fold cross-validation repeated R
times are correlated, because the training sets overlap; their correlation is
ρ = n_test / (n_test + n_train) = 1/K. Under the non-informative prior the
posterior of the mean difference μ is a Student t with n − 1 degrees of freedom,

    μ | x  ~  t_{n−1}( x̄ ,  (1/n + ρ/(1 − ρ)) · σ̂² )

where x̄ is the mean and σ̂² the sample variance (n − 1 in the denominator) of
the differences. Against a region of practical equivalence [−r, r] (the ROPE):

    P(better)     = P(μ > r)
    P(equivalent) = P(−r ≤ μ ≤ r)
    P(worse)      = P(μ < −r)

Zero variance leaves the posterior a point at x̄ (the three probabilities are 0
or 1); a single difference has no variance estimate and gives no probabilities.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

CONFIDENCE = 0.95
"""A side wins when its posterior probability reaches this."""
MAX_REPEATS_TO_SUGGEST = 20
SETTLING_FOLDS = 10


@dataclass(frozen=True)
class Posterior:
    """The posterior of the mean difference; `scale` 0 means a point mass at `mean`."""

    mean: float
    scale: float
    df: int

    def probabilities(self, rope: float) -> tuple[float, float, float] | None:
        """(P(μ > rope), P(|μ| ≤ rope), P(μ < −rope)); None without a variance estimate."""
        if self.df < 1:
            return None
        if self.scale == 0:
            better = float(self.mean > rope)
            worse = float(self.mean < -rope)
            return better, 1.0 - better - worse, worse
        t = stats.t(self.df, loc=self.mean, scale=self.scale)
        better = float(t.sf(rope))
        worse = float(t.cdf(-rope))
        return better, max(0.0, 1.0 - better - worse), worse

    def interval(self, level: float = CONFIDENCE) -> tuple[float, float] | None:
        """The central credible interval of μ; None without a variance estimate."""
        if self.df < 1:
            return None
        half = 0.0 if self.scale == 0 else float(stats.t.ppf(0.5 + level / 2, self.df)) * self.scale
        return self.mean - half, self.mean + half


def correlated_posterior(differences: Sequence[float], folds: int) -> Posterior:
    """The posterior of the mean of `differences` scored on `folds`-fold splits (ρ = 1/folds)."""
    x = np.asarray(differences, dtype=float)
    n = len(x)
    if n == 0:
        raise ValueError("no paired differences")
    if n == 1:
        return Posterior(float(x[0]), math.nan, 0)
    rho = 1.0 / folds
    variance = float(np.var(x, ddof=1))
    return Posterior(float(np.mean(x)), math.sqrt((1.0 / n + rho / (1.0 - rho)) * variance), n - 1)


def folds_to_settle(
    differences: Sequence[float], folds: int, rope: float
) -> tuple[int, int] | None:
    """The smallest (folds, repeats) of cross-validation, `folds` or `SETTLING_FOLDS`
    folds, whose posterior would likely give a decision (P(μ > rope) ≥ 0.95 or < 0.05)
    if the mean and spread of the differences stayed as observed; None when none up to
    `MAX_REPEATS_TO_SUGGEST` repeats would, as when the mean sits near the ROPE's edge.
    More repeats alone may not do: the term ρ/(1 − ρ) of the posterior's scale does not
    shrink with them, only with more folds (ρ = 1/folds)."""
    x = np.asarray(differences, dtype=float)
    if len(x) < 2:
        return None
    mean, variance = float(np.mean(x)), float(np.var(x, ddof=1))
    designs = [
        (k, r)
        for k in sorted({folds, max(folds, SETTLING_FOLDS)})
        for r in range(1, MAX_REPEATS_TO_SUGGEST + 1)
        if k * r > len(x)
    ]
    for k, r in sorted(designs, key=lambda design: (design[0] * design[1], design[0])):
        n, rho = k * r, 1.0 / k
        scale = math.sqrt((1.0 / n + rho / (1.0 - rho)) * variance)
        better = Posterior(mean, scale, n - 1).probabilities(rope)[0]  # type: ignore[index]
        if better >= CONFIDENCE or better < 1 - CONFIDENCE:
            return k, r
    return None
