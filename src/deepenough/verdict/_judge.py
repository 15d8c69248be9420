"""The shallow-versus-deep verdict: finalists, paired evidence, decision, and the export.

Each depth class has a finalist: among its trials whose smoothed validation score
(`smoothed_score`, the best mean of a few consecutive epochs) is within the ROPE of
the class's best, the cheapest to re-train. A single epoch's peak on one validation
split is partly luck, and a lead smaller than the ROPE is by definition no practical
difference; the cheaper finalist leaves time for more paired folds (the spirit of the
one-standard-error rule: the simplest model that is as good within the noise). A
pruned trial counts with the epochs it trained, so a strong config stopped by the
pruner, which compares it with trials of every depth class, can still be its class's
finalist. The finalists are re-trained on the same K folds × R repeats of train +
validation, so their scores are paired. Deep is compared with the better, by mean
paired score, of the shallow and the linear finalist: "shallow" means at most
`shallow_max_depth` hidden layers, none included, so a linear model that beats the
deep one shows that depth is not needed. The deep-minus-shallow differences go through
the Bayesian correlated t-test (see `_stats`) against a region of practical
equivalence (ROPE):

    deep          P(deep better) ≥ 0.95
    shallow       P(deep better) < 0.05   (equivalent, or shallow better)
    inconclusive  otherwise

Picking the better of two finalists on the same folds favours the shallow side a
little, which errs away from claiming depth.

The same test of the best finalist against the linear one says whether a
linear model suffices. The export follows the decision: shallow → the shallow
finalist (the linear one when it suffices), deep → the deep finalist,
inconclusive → the better of the two by mean paired score.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from deepenough.backends import TrialResult
from deepenough.data import DataSpec
from deepenough.metrics import Metric
from deepenough.spaces import SearchSpace
from deepenough.train import FoldFit, PackedData, make_folds, max_folds
from deepenough.verdict._evidence import (
    Interrupted,
    Progress,
    crossover,
    epochs_to_refit,
    paired_fits,
)
from deepenough.verdict._plan import DEPTH_CLASSES
from deepenough.verdict._stats import CONFIDENCE, correlated_posterior, folds_to_settle

SMALL_DATA_FOLDS = 10
SMALL_DATA_ROWS = 5_000
FOLDS = 5
LARGE_DATA_FOLDS = 3
LARGE_DATA_ROWS = 50_000
"""Folds, repeated once: 10 up to `SMALL_DATA_ROWS` rows, 5 up to `LARGE_DATA_ROWS`, 3
beyond. For the same number of fits, more folds beat repeats: the posterior's scale
goes with 1/(K·R) + 1/(K − 1) (see `_stats`), so 10 × 1 gives 0.21 where 5 × 2 gives
0.35, a 23% narrower interval at about the same cost."""
ABSOLUTE_ROPE = 0.01
"""Default ROPE for metrics on a fixed scale (accuracy, balanced accuracy, ROC AUC, R²)."""
RELATIVE_ROPE = 0.01
"""Default ROPE for error metrics (RMSE, MAE): this share of the shallow finalist's mean."""
RELATIVE_ROPE_METRICS = frozenset({"rmse", "mae"})
SMOOTHING_EPOCHS = 3
"""Finalists are chosen by their best mean validation score over this many epochs."""
FIT_OVERHEAD_SECONDS = 1.0
"""What a paired re-training takes beyond its epochs: building and tracing the model,
scoring it on held-out and training rows, timing its predictions. For MLPs on 2 CPU
cores, 0.5 to 1.4 s a fit whether it trains 1 epoch or 21; a trial's seconds per
epoch spread that over all its epochs, so the estimate misses it for short fits."""


@dataclass(frozen=True)
class Verdict:
    evidence: dict[str, Any]
    """results.json's `verdict`."""
    export: TrialResult
    reason: str


def finalists(
    trials: list[TrialResult], metric: Metric, rope: float | None = None
) -> dict[str, TrialResult]:
    """Each depth class's finalist: the cheapest to re-train (`refit_seconds`) of its
    scored trials (complete or pruned) whose `smoothed_score` is within the ROPE
    (`rope`, else the metric's default) of its class's best."""
    out = {}
    for depth_class in DEPTH_CLASSES:
        scored = [
            (smoothed_score(t, metric), t)
            for t in trials
            if t.depth_class == depth_class
            and t.value is not None
            and t.status in ("complete", "pruned")
        ]
        if not scored:
            continue
        scored.sort(key=lambda pair: (-metric.sign * pair[0], pair[1].number))  # best first
        best = scored[0][0]
        tolerance = rope if rope is not None else _default_rope(metric, best)
        near = [t for score, t in scored if abs(score - best) <= tolerance]
        out[depth_class] = min(near, key=refit_seconds)  # ties: the better ranked
    return out


def smoothed_score(trial: TrialResult, metric: Metric) -> float:
    """The best mean validation score over `SMOOTHING_EPOCHS` consecutive epochs (over
    every epoch when there are fewer; the trial's value when none is finite)."""
    history = np.asarray(trial.history_validation, dtype=float)
    window = min(SMOOTHING_EPOCHS, len(history))
    if window == 0:
        return float(trial.value)
    means = metric.sign * np.convolve(history, np.ones(window) / window, mode="valid")
    finite = means[np.isfinite(means)]
    return float(metric.sign * finite.max()) if finite.size else float(trial.value)


def refit_seconds(trial: TrialResult) -> float:
    """About how long one re-training of `trial` takes on data the size of its training
    split: its seconds per epoch times its best epoch (what the verdict trains for)."""
    epochs = max(len(trial.history_validation), 1)
    return trial.fit_seconds / epochs * epochs_to_refit(trial)


def default_folds(rows: int) -> int:
    """The paired folds for `rows` rows of train + validation (see `SMALL_DATA_FOLDS`)."""
    if rows <= SMALL_DATA_ROWS:
        return SMALL_DATA_FOLDS
    return FOLDS if rows <= LARGE_DATA_ROWS else LARGE_DATA_FOLDS


def verdict_seconds(trials: list[TrialResult], metric: Metric, rows: int, train_rows: int) -> float:
    """About how long the paired re-training of the current finalists takes at the
    default folds, on `rows` rows of which trials trained on `train_rows`: their
    epochs, scaled to the folds' rows, and `FIT_OVERHEAD_SECONDS` for each fit."""
    folds = default_folds(rows)
    scale = (folds - 1) / folds * rows / max(train_rows, 1)
    fits = finalists(trials, metric).values()
    return folds * sum(scale * refit_seconds(t) + FIT_OVERHEAD_SECONDS for t in fits)


def judge(
    trials: list[TrialResult],
    space: SearchSpace,
    spec: DataSpec,
    metric: Metric,
    data: PackedData,
    *,
    seed: int = 0,
    rope: float | None = None,
    folds: int | None = None,
    repeats: int | None = None,
    deadline: float | None = None,
    progress: Progress | None = None,
) -> Verdict | None:
    """Decide shallow versus deep on `data` (train + validation); None when no trial
    has a score. `rope` (in the metric's units), `folds` and `repeats` override the
    defaults; `deadline` (monotonic) bounds the re-training."""
    final = finalists(trials, metric, rope)
    if not final:
        return None
    k = max_folds(data.y, spec.task, folds or default_folds(len(data)))
    repeats = repeats or 1
    splits = make_folds(data.y, spec.task, k, seed, repeats)
    fits: dict[str, list[FoldFit]] = {}
    interrupted = False
    if len(final) > 1:
        try:
            fits = paired_fits(
                final,
                spec,
                data,
                splits,
                metric=metric,
                seed=seed,
                deadline=deadline,
                progress=progress,
            )
        except Interrupted as stop:
            fits, interrupted = stop.fits, True
    sign = metric.sign
    scores = {c: [f.score for f in fits.get(c, [])] for c in final}
    rope_value, rope_rule = _rope(metric, scores, rope)
    evidence: dict[str, Any] = {
        "decision": "inconclusive",
        "headline": "",
        "folds": k,
        "repeats": repeats,
        "paired_folds": len(fits.get(next(iter(final)), [])),
        **{c: _finalist(final.get(c), scores.get(c)) for c in DEPTH_CLASSES},
        "against": None,
        "difference": None,
        "interval": None,
        "rope": {"value": rope_value, "rule": rope_rule},
        "probabilities": None,
        "linear_suffices": False,
        "linear_comparison": None,
        "cost": None,
        "memorisation": None,
        "crossover": None,
        "explanation": "",
        "interrupted": interrupted,
    }
    missing = [c for c in ("shallow", "deep") if c not in final]
    settle = None
    if not missing and evidence["paired_folds"]:
        against = _best_by_mean([c for c in ("shallow", "linear") if scores.get(c)], scores, sign)
        evidence["against"] = against
        differences = [sign * (d - s) for d, s in zip(scores["deep"], scores[against], strict=True)]
        posterior = correlated_posterior(differences, k)
        probabilities = posterior.probabilities(rope_value)
        interval = posterior.interval()
        evidence["difference"] = round(posterior.mean, 6)
        evidence["interval"] = [round(v, 6) for v in interval] if interval else None
        if probabilities:
            better, equivalent, worse = probabilities
            evidence["probabilities"] = {
                "deep_better": round(better, 4),
                "equivalent": round(equivalent, 4),
                "shallow_better": round(worse, 4),
            }
            if better >= CONFIDENCE:
                evidence["decision"] = "deep"
            elif better < 1 - CONFIDENCE:
                evidence["decision"] = "shallow"
            else:
                settle = folds_to_settle(differences, k, rope_value)
        evidence["cost"] = _cost(final, fits)
        evidence["memorisation"] = _memorisation(fits, sign)
        try:
            evidence["crossover"] = (
                {"skipped": "interrupted"}
                if interrupted
                else crossover(
                    final["shallow"],
                    final["deep"],
                    fits,
                    spec,
                    data,
                    splits,
                    metric=metric,
                    rope=rope_value,
                    seed=seed,
                    deadline=deadline,
                    progress=progress,
                )
            )
        except KeyboardInterrupt:
            evidence["crossover"] = {"skipped": "interrupted"}
            evidence["interrupted"] = True
    _compare_linear(evidence, final, scores, sign, k, rope_value)
    export, reason = _export(evidence, final, scores, sign, metric)
    evidence["headline"] = _headline(evidence["decision"], missing, settle, evidence, space)
    evidence["explanation"] = _explain(evidence, metric)
    return Verdict(evidence, export, reason)


def _finalist(trial: TrialResult | None, scores: list[float] | None) -> dict[str, Any] | None:
    if trial is None:
        return None
    return {
        "trial": trial.number,
        "family": trial.config.family,
        "depth": trial.depth,
        "scores": scores or [],
        "mean": round(float(np.mean(scores)), 6) if scores else None,
    }


def _rope(
    metric: Metric, scores: Mapping[str, list[float]], given: float | None
) -> tuple[float, str]:
    if given is not None:
        return float(given), f"given: {given} {metric.name}"
    if metric.name not in RELATIVE_ROPE_METRICS:
        return ABSOLUTE_ROPE, f"default for {metric.name}: {ABSOLUTE_ROPE} in absolute terms"
    reference = next((scores[c] for c in ("shallow", "deep", "linear") if scores.get(c)), [])
    base = abs(float(np.mean(reference))) if reference else 0.0
    return (
        _default_rope(metric, base),
        f"default for {metric.name}: {RELATIVE_ROPE:.0%} of the shallow finalist's mean "
        f"{metric.name} ({base:.4g})",
    )


def _default_rope(metric: Metric, base: float) -> float:
    """The default ROPE of `metric` for scores about `base`."""
    if metric.name not in RELATIVE_ROPE_METRICS:
        return ABSOLUTE_ROPE
    return round(RELATIVE_ROPE * abs(base), 6)


def _compare_linear(
    evidence: dict[str, Any],
    final: Mapping[str, TrialResult],
    scores: Mapping[str, list[float]],
    sign: float,
    k: int,
    rope: float,
) -> None:
    """Whether the linear finalist is within the ROPE of the best one:
    P(best better than linear by more than the ROPE) < 0.05."""
    others = [c for c in ("shallow", "deep") if scores.get(c)]
    if not scores.get("linear") or not others:
        return
    best = _best_by_mean(others, scores, sign)
    differences = [sign * (b - lin) for b, lin in zip(scores[best], scores["linear"], strict=True)]
    probabilities = correlated_posterior(differences, k).probabilities(rope)
    evidence["linear_comparison"] = {
        "against": best,
        "difference": round(float(np.mean(differences)), 6),
        "best_better": round(probabilities[0], 4) if probabilities else None,
    }
    evidence["linear_suffices"] = bool(probabilities and probabilities[0] < 1 - CONFIDENCE)


def _cost(final: Mapping[str, TrialResult], fits: Mapping[str, list[FoldFit]]) -> dict[str, Any]:
    """Parameters, mean fit seconds and predict latency per 1,000 rows; deep / shallow."""
    cost: dict[str, Any] = {}
    for name in ("shallow", "deep"):
        cost[name] = {
            "params": final[name].n_params,
            "fit_seconds": round(float(np.mean([f.fit_seconds for f in fits[name]])), 4),
            "predict_ms_per_1000": round(
                float(np.median([f.predict_ms_per_1000 for f in fits[name]])), 3
            ),
        }
    cost["ratio"] = {
        key: round(cost["deep"][key] / cost["shallow"][key], 3) if cost["shallow"][key] else None
        for key in ("params", "fit_seconds", "predict_ms_per_1000")
    }
    return cost


def _memorisation(fits: Mapping[str, list[FoldFit]], sign: float) -> dict[str, Any]:
    """Mean score on the training rows and on the held-out rows, and the gap between them
    (positive: better on the rows the model was trained on)."""
    out = {}
    for name in ("shallow", "deep"):
        train = float(np.mean([f.train_score for f in fits[name]]))
        held_out = float(np.mean([f.score for f in fits[name]]))
        out[name] = {
            "train": round(train, 6),
            "validation": round(held_out, 6),
            "gap": round(sign * (train - held_out), 6),
        }
    return out


def _export(
    evidence: Mapping[str, Any],
    final: Mapping[str, TrialResult],
    scores: Mapping[str, list[float]],
    sign: float,
    metric: Metric,
) -> tuple[TrialResult, str]:
    decision = evidence["decision"]
    if decision == "deep":
        return final["deep"], "deep needed: the deep finalist"
    if decision == "shallow" and evidence["linear_suffices"]:
        return final[
            "linear"
        ], "shallow suffices, and a linear model is within the ROPE of the best"
    if decision == "shallow":
        return final["shallow"], "shallow suffices: the shallow finalist"
    scored = [c for c in ("shallow", "deep") if scores.get(c)] or [
        c for c in DEPTH_CLASSES if scores.get(c)
    ]
    if scored:
        best = _best_by_mean(scored, scores, sign)
        return final[best], (
            f"inconclusive: the {best} finalist, the better by mean paired {metric.name}"
        )
    only = next(iter(final.values()))
    return only, f"the only depth class with a scored trial ({only.depth_class})"


def _best_by_mean(classes: list[str], scores: Mapping[str, list[float]], sign: float) -> str:
    """The class among `classes` with the best mean paired score."""
    return max(classes, key=lambda c: sign * float(np.mean(scores[c])))


def _headline(
    decision: str,
    missing: list[str],
    settle: tuple[int, int] | None,
    evidence: Mapping[str, Any],
    space: SearchSpace,
) -> str:
    if decision == "shallow":
        return "shallow suffices"
    if decision == "deep":
        return "deep needed"
    if missing:
        absent = " and ".join(missing)
        return (
            f"inconclusive: no {absent} config was scored (shallow means 1 to "
            f"{space.shallow_max_depth} hidden layers)"
        )
    done = evidence["paired_folds"]
    if done == 0:
        return "inconclusive: interrupted before the finalists were re-trained"
    if evidence["probabilities"] is None:
        return "inconclusive: one paired fold gives no spread to judge by; allow more time"
    if settle is None:
        return (
            "inconclusive: the two differ by about the ROPE, and more folds would likely "
            "not settle it"
        )
    folds, repeats = settle
    repeated = f" repeated {repeats} times" if repeats > 1 else ""
    return (
        f"inconclusive: {folds}-fold cross-validation{repeated} (instead of "
        f"{done} paired folds) would likely settle it"
    )


def _explain(evidence: Mapping[str, Any], metric: Metric) -> str:
    """The decision and its evidence in plain sentences."""
    parts = [evidence["headline"][0].upper() + evidence["headline"][1:] + "."]
    against = evidence["against"] or "shallow"  # the linear finalist when it did better
    shallow, deep = evidence[against], evidence["deep"]
    rope = evidence["rope"]["value"]
    if evidence["probabilities"] and evidence["interval"]:
        p = evidence["probabilities"]
        lo, hi = evidence["interval"]
        parts.append(
            f"On {evidence['paired_folds']} paired folds the deep finalist ({deep['family']}, "
            f"depth {deep['depth']}) scores {deep['mean']:.4g} {metric.name} and the "
            f"{against} one ({shallow['family']}, depth {shallow['depth']}) "
            f"{shallow['mean']:.4g}: deep's "
            f"advantage is {evidence['difference']:+.4g} (95% interval {lo:+.4g} to {hi:+.4g}) "
            f"against a ROPE of ±{rope:.4g}; P(deep better) = {p['deep_better']:.2f}, "
            f"P(equivalent) = {p['equivalent']:.2f}, P(shallow better) = "
            f"{p['shallow_better']:.2f}."
        )
    if evidence["linear_suffices"]:
        parts.append("A linear model is within the ROPE of the best: no hidden layer is needed.")
    cost = evidence["cost"]
    if cost and cost["ratio"]["params"]:
        parts.append(
            f"Deep costs {cost['ratio']['params']:.3g}× the parameters and "
            f"{cost['ratio']['fit_seconds']:.3g}× the training time of shallow."
        )
    cross = evidence["crossover"] or {}
    if cross.get("more_data_favours_depth"):
        parts.append("Deep's advantage grows with the data: more rows would likely favour depth.")
    return " ".join(parts)
