"""Which hyperparameters mattered: Optuna's fANOVA evaluator on the finished trials.

Computed from results.json's trial records, not from a backend's study, so every backend
gets the same analysis. A family's own hyperparameters exist only in that family's trials,
so the analysis covers those every complete trial shares (family, depth, learning rate,
batch size, and a single family's own ones when the space has one family).
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Literal

import optuna
from optuna.distributions import (
    BaseDistribution,
    CategoricalDistribution,
    FloatDistribution,
    IntDistribution,
)

from deepenough.results import Importance, TrialRecord

logger = logging.getLogger(__name__)

MIN_TRIALS = 5
"""fANOVA's forest needs a handful of scored trials to say anything."""
EVALUATOR = "fANOVA (Optuna's FanovaImportanceEvaluator)"


def parameter_importance(
    trials: Sequence[TrialRecord], direction: Literal["maximize", "minimize"]
) -> Importance | None:
    """fANOVA over the complete trials (shares sum to 1, largest first), or None when too
    few trials completed, or when nothing varied: no hyperparameter, or no score (every
    trial at an accuracy of 1, say, where fANOVA's forest has no variance to split)."""
    complete = [t for t in trials if t.status == "complete" and t.value is not None]
    if len(complete) < MIN_TRIALS or len({t.value for t in complete}) < 2:
        return None
    params = [_params(t) for t in complete]
    distributions = _distributions(params)
    if not distributions:
        return None
    with _quiet_optuna():
        study = optuna.create_study(direction=direction)
    study.add_trials(
        [
            optuna.trial.create_trial(
                params={k: _value(p[k], d) for k, d in distributions.items()},
                distributions=distributions,
                value=t.value,
            )
            for p, t in zip(params, complete, strict=True)
        ]
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            shares = optuna.importance.get_param_importances(
                study, evaluator=optuna.importance.FanovaImportanceEvaluator(seed=0)
            )
    except (RuntimeError, ValueError) as error:  # an extra for the report: never fatal
        logger.warning("hyperparameter importance not computed: %s", error)
        return None
    return Importance(
        evaluator=EVALUATOR,
        trials=len(complete),
        importance={name: round(float(share), 4) for name, share in shares.items()},
    )


@contextmanager
def _quiet_optuna() -> Iterator[None]:
    """Without Optuna's INFO line about a new in-memory study."""
    optuna_logger = logging.getLogger("optuna")
    level = optuna_logger.level
    optuna_logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        optuna_logger.setLevel(level)


def _params(trial: TrialRecord) -> dict[str, Any]:
    return {**trial.hyperparameters, "depth": trial.depth}


def _distributions(params: list[dict[str, Any]]) -> dict[str, BaseDistribution]:
    """A distribution for each hyperparameter that every trial has and that varied."""
    shared = set.intersection(*(set(p) for p in params))
    distributions = {}
    for name in sorted(shared):
        values = [p[name] for p in params]
        if len(set(map(repr, values))) < 2:
            continue
        distributions[name] = _distribution(values)
    return distributions


def _value(value: Any, distribution: BaseDistribution) -> Any:
    return str(value) if isinstance(distribution, CategoricalDistribution) else value


def _distribution(values: list[Any]) -> BaseDistribution:
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return IntDistribution(min(values), max(values))
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return FloatDistribution(float(min(values)), float(max(values)))
    return CategoricalDistribution(sorted({str(v) for v in values}))
