"""Deciding on the paired scores: deep against shallow, linear against the best, the
cost of depth, memorisation, and which finalist the decision exports.

Deep is compared with the better, by mean paired score, of the shallow and the linear
finalist: "shallow" means at most `shallow_max_depth` hidden layers, none included, so a
linear model that beats the deep one shows that depth is not needed. The deep-minus-
shallow differences go through the Bayesian correlated t-test (see `_stats`) against a
region of practical equivalence (ROPE):

    deep          P(deep better) ≥ 0.95
    shallow       P(deep better) < 0.05   (equivalent, or shallow better)
    inconclusive  otherwise

Picking the better of two finalists on the same folds favours the shallow side a
little, which errs away from claiming depth. The same test of the best finalist against
the linear one says whether a linear model suffices. The export follows the decision:
shallow → the shallow finalist (the linear one when it suffices), deep → the deep
finalist, inconclusive → the better of the two by mean paired score.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from deepenough.backends import TrialResult
from deepenough.results import (
    ClassCost,
    Cost,
    CostRatio,
    Decision,
    DepthClass,
    FitGap,
    LinearComparison,
    Memorisation,
    Probabilities,
)
from deepenough.train import FoldFit
from deepenough.verdict._plan import DEPTH_CLASSES
from deepenough.verdict._stats import CONFIDENCE, correlated_posterior, folds_to_settle

_Class = TypeVar("_Class", bound=str)
Scores = Mapping[str, list[float]]
"""Each depth class's paired fold scores, in the metric's units."""


@dataclass(frozen=True)
class DepthComparison:
    """Deep against `against`, the better of the shallow and linear finalists."""

    against: DepthClass
    difference: float
    interval: tuple[float, float] | None
    probabilities: Probabilities | None
    decision: Decision
    settle: tuple[int, int] | None
    """Folds and repeats that would likely settle an inconclusive decision."""


def compare_depth(scores: Scores, sign: float, folds: int, rope: float) -> DepthComparison:
    """The decision on paired scores of the deep finalist and a shallow or linear one."""
    candidates: list[DepthClass] = [c for c in ("shallow", "linear") if scores.get(c)]
    against = best_by_mean(candidates, scores, sign)
    differences = [sign * (d - s) for d, s in zip(scores["deep"], scores[against], strict=True)]
    posterior = correlated_posterior(differences, folds)
    found = posterior.probabilities(rope)
    interval = posterior.interval()
    decision: Decision = "inconclusive"
    settle = None
    probabilities = None
    if found:
        better, equivalent, worse = found
        probabilities = Probabilities(
            deep_better=round(better, 4),
            equivalent=round(equivalent, 4),
            shallow_better=round(worse, 4),
        )
        if better >= CONFIDENCE:
            decision = "deep"
        elif better < 1 - CONFIDENCE:
            decision = "shallow"
        else:
            settle = folds_to_settle(differences, folds, rope)
    return DepthComparison(
        against=against,
        difference=round(posterior.mean, 6),
        interval=(round(interval[0], 6), round(interval[1], 6)) if interval else None,
        probabilities=probabilities,
        decision=decision,
        settle=settle,
    )


def compare_linear(
    scores: Scores, sign: float, folds: int, rope: float
) -> tuple[LinearComparison | None, bool]:
    """The best finalist against the linear one, and whether linear is within the ROPE of
    it: P(best better than linear by more than the ROPE) < 0.05."""
    others = [c for c in ("shallow", "deep") if scores.get(c)]
    if not scores.get("linear") or not others:
        return None, False
    best = best_by_mean(others, scores, sign)
    differences = [sign * (b - lin) for b, lin in zip(scores[best], scores["linear"], strict=True)]
    probabilities = correlated_posterior(differences, folds).probabilities(rope)
    comparison = LinearComparison(
        against=best,
        difference=round(float(np.mean(differences)), 6),
        best_better=round(probabilities[0], 4) if probabilities else None,
    )
    return comparison, bool(probabilities and probabilities[0] < 1 - CONFIDENCE)


def cost(
    final: Mapping[str, TrialResult],
    fits: Mapping[str, list[FoldFit]],
    latency: Mapping[str, float] | None = None,
) -> Cost:
    """Parameters, mean fit seconds and predict latency per 1,000 rows; deep / shallow.
    The latency is `latency`'s where given (timed with nothing else running), else the
    median of the fits' own timings."""
    shallow, deep = (
        _class_cost(final[name], fits[name], (latency or {}).get(name))
        for name in ("shallow", "deep")
    )

    def ratio(deep_value: float, shallow_value: float) -> float | None:
        return round(deep_value / shallow_value, 3) if shallow_value else None

    return Cost(
        shallow=shallow,
        deep=deep,
        ratio=CostRatio(
            params=ratio(deep.params, shallow.params),
            fit_seconds=ratio(deep.fit_seconds, shallow.fit_seconds),
            predict_ms_per_1000=ratio(deep.predict_ms_per_1000, shallow.predict_ms_per_1000),
        ),
    )


def _class_cost(trial: TrialResult, fits: list[FoldFit], latency: float | None) -> ClassCost:
    assert trial.n_params is not None, "a finalist was trained, so its size is known"
    if latency is None:
        latency = float(np.median([f.predict_ms_per_1000 for f in fits]))
    return ClassCost(
        params=trial.n_params,
        fit_seconds=round(float(np.mean([f.fit_seconds for f in fits])), 4),
        predict_ms_per_1000=round(latency, 3),
    )


def memorisation(fits: Mapping[str, list[FoldFit]], sign: float) -> Memorisation:
    """Mean score on the training rows and on the held-out rows, and the gap between them
    (positive: better on the rows the model was trained on)."""

    def gap(name: str) -> FitGap:
        train = float(np.mean([f.train_score for f in fits[name]]))
        held_out = float(np.mean([f.score for f in fits[name]]))
        return FitGap(
            train=round(train, 6),
            validation=round(held_out, 6),
            gap=round(sign * (train - held_out), 6),
        )

    return Memorisation(shallow=gap("shallow"), deep=gap("deep"))


def choose_export(
    decision: Decision,
    linear_suffices: bool,
    final: Mapping[str, TrialResult],
    scores: Scores,
    sign: float,
    metric_name: str,
) -> tuple[TrialResult, str]:
    """The finalist the decision exports, and why."""
    if decision == "deep":
        return final["deep"], "deep needed: the deep finalist"
    if decision == "shallow" and linear_suffices:
        return final["linear"], (
            "shallow suffices, and a linear model is within the ROPE of the best"
        )
    if decision == "shallow":
        return final["shallow"], "shallow suffices: the shallow finalist"
    scored = [c for c in ("shallow", "deep") if scores.get(c)] or [
        c for c in DEPTH_CLASSES if scores.get(c)
    ]
    if scored:
        best = best_by_mean(scored, scores, sign)
        return final[best], (
            f"inconclusive: the {best} finalist, the better by mean paired {metric_name}"
        )
    only = next(iter(final.values()))
    return only, f"the only depth class with a scored trial ({only.depth_class})"


def best_by_mean(classes: list[_Class], scores: Scores, sign: float) -> _Class:
    """The class among `classes` with the best mean paired score."""
    return max(classes, key=lambda c: sign * float(np.mean(scores[c])))
