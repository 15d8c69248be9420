"""The shallow-versus-deep verdict: finalists re-trained on paired folds, the decision,
its words, and the export.

Each depth class's finalist (`_finalists`) is re-trained on the same K folds × R
repeats of train + validation, so their scores are paired (`_evidence`); `_decision`
compares them and chooses the export, `_words` says it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from deepenough.backends import TrialResult
from deepenough.data import DataSpec
from deepenough.metrics import Metric
from deepenough.results import Crossover, Finalist, VerdictEvidence
from deepenough.spaces import SearchSpace
from deepenough.train import PackedData, WorkerPool, make_folds, max_folds
from deepenough.verdict import _decision
from deepenough.verdict._evidence import (
    Interrupted,
    Paired,
    Progress,
    Refits,
    crossover,
    paired_fits,
)
from deepenough.verdict._finalists import default_folds, finalists
from deepenough.verdict._rope import verdict_rope
from deepenough.verdict._words import explain, headline


@dataclass(frozen=True)
class Verdict:
    evidence: VerdictEvidence
    """results.json's `verdict`."""
    export: TrialResult
    reason: str


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
    pool: WorkerPool | None = None,
) -> Verdict | None:
    """Decide shallow versus deep on `data` (train + validation); None when no trial
    has a score. `rope` (in the metric's units), `folds` and `repeats` override the
    defaults; `deadline` (monotonic) bounds the re-training, which runs on `pool`'s
    workers (without one, here)."""
    final = finalists(trials, metric, rope)
    if not final:
        return None
    k = max_folds(data.y, spec.task, folds or default_folds(len(data)))
    repeats = repeats or 1
    splits = make_folds(data.y, spec.task, k, seed, repeats)
    refits = Refits(spec, data, metric, pool)
    paired = Paired({c: [] for c in final}, [])
    interrupted = False
    if len(final) > 1:
        try:
            paired = paired_fits(
                final, refits, splits, seed=seed, deadline=deadline, progress=progress
            )
        except Interrupted as stop:
            paired, interrupted = stop.paired, True
    fits = paired.fits
    sign = metric.sign
    scores = {c: [f.score for f in fits.get(c, [])] for c in final}
    the_rope = verdict_rope(metric, scores, rope)
    evidence = VerdictEvidence(
        decision="inconclusive",
        headline="",
        folds=k,
        repeats=repeats,
        paired_folds=len(fits.get(next(iter(final)), [])),
        linear=_finalist(final.get("linear"), scores.get("linear")),
        shallow=_finalist(final.get("shallow"), scores.get("shallow")),
        deep=_finalist(final.get("deep"), scores.get("deep")),
        rope=the_rope,
        interrupted=interrupted,
    )
    missing = [c for c in ("shallow", "deep") if c not in final]
    settle = None
    if not missing and evidence.paired_folds:
        depth = _decision.compare_depth(scores, sign, k, the_rope.value)
        settle = depth.settle
        evidence = replace(
            evidence,
            decision=depth.decision,
            against=depth.against,
            difference=depth.difference,
            interval=depth.interval,
            probabilities=depth.probabilities,
            cost=_decision.cost(final, fits, _latencies(refits, final, interrupted)),
            memorisation=_decision.memorisation(fits, sign),
        )
        evidence = _with_crossover(
            evidence, final, paired, refits, spec, metric, seed, deadline, progress
        )
    linear, linear_suffices = _decision.compare_linear(scores, sign, k, the_rope.value)
    evidence = replace(evidence, linear_comparison=linear, linear_suffices=linear_suffices)
    export, reason = _decision.choose_export(
        evidence.decision, linear_suffices, final, scores, sign, metric.name
    )
    evidence = replace(
        evidence, headline=headline(evidence, missing, settle, space.shallow_max_depth)
    )
    return Verdict(replace(evidence, explanation=explain(evidence, metric.name)), export, reason)


def _with_crossover(
    evidence: VerdictEvidence,
    final: dict[str, TrialResult],
    paired: Paired,
    refits: Refits,
    spec: DataSpec,
    metric: Metric,
    seed: int,
    deadline: float | None,
    progress: Progress | None,
) -> VerdictEvidence:
    """The evidence with the data-size crossover, or why it was skipped (Ctrl-C during
    it marks the verdict interrupted)."""
    if evidence.interrupted:
        return replace(evidence, crossover=Crossover(skipped="interrupted"))
    try:
        found = crossover(
            final["shallow"],
            final["deep"],
            paired,
            refits,
            task=spec.task,
            sign=metric.sign,
            rope=evidence.rope.value,
            seed=seed,
            deadline=deadline,
            progress=progress,
        )
    except KeyboardInterrupt:
        refits.stop()
        return replace(evidence, crossover=Crossover(skipped="interrupted"), interrupted=True)
    return replace(evidence, crossover=found)


def _latencies(
    refits: Refits, final: dict[str, TrialResult], interrupted: bool
) -> dict[str, float] | None:
    """Shallow's and deep's prediction latency timed alone (None: from their fits)."""
    if interrupted:
        return None
    try:
        return refits.latencies({c: final[c].config for c in ("shallow", "deep")})
    except KeyboardInterrupt:
        refits.stop()
        return None


def _finalist(trial: TrialResult | None, scores: list[float] | None) -> Finalist | None:
    if trial is None:
        return None
    assert trial.depth is not None, "finalists were trained, so their depth is known"
    return Finalist(
        trial=trial.number,
        family=trial.config.family,
        depth=trial.depth,
        scores=tuple(scores or ()),
        mean=round(float(np.mean(scores)), 6) if scores else None,
    )
