"""One search end to end: data → space → search → train → verdict → export → report.

This module, with `_prepare` (inputs checked, run directory opened), `_budget` (when
each stage ends) and `_assemble` (results.json from the run's parts), is the only one
that knows every package; each package knows only the ones before it in that chain.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import replace
from typing import Protocol

import numpy as np

from deepenough import models
from deepenough._assemble import search_results, with_export
from deepenough._budget import Budget
from deepenough._hardware import detect, plan_workers
from deepenough._options import SearchOptions
from deepenough._prepare import Prepared, prepare
from deepenough.backends import (
    BackendSettings,
    TrialResult,
    count_towards_total,
    make_backend,
    run_trials,
)
from deepenough.data import Dataset
from deepenough.errors import SearchFailed
from deepenough.export import export_trial
from deepenough.report import RESULTS_FILE, write_outputs
from deepenough.results import Results, RunStatus
from deepenough.train import PackedData, PooledTrials, TrialObjective, WorkerPool
from deepenough.verdict import DepthPlan, export_seconds, judge, verdict_seconds

logger = logging.getLogger(__name__)

MODEL_FILE = "best_model.keras"
TRIALS_IN_CHILD_PROCESS = True
"""Train in worker processes (see `train.WorkerPool`); tests that replace a training
function in this process turn it off, and everything trains here, one job at a time."""


class SearchListener(Protocol):
    """Progress of a search, for a progress bar; every method is optional to act on."""

    def on_start(self, total: int, done: int) -> None: ...
    def on_trial(self, result: TrialResult, best: float | None) -> None: ...
    def on_stage(self, text: str) -> None: ...


class _Silent:
    def on_start(self, total: int, done: int) -> None:
        pass

    def on_trial(self, result: TrialResult, best: float | None) -> None:
        pass

    def on_stage(self, text: str) -> None:
        pass


def run_search(options: SearchOptions, listener: SearchListener | None = None) -> Results:
    """Search, export the best trial and write the run directory; returns results.json."""
    started = time.monotonic()
    return execute(prepare(options), options, listener, started=started)


def execute(
    prepared: Prepared,
    options: SearchOptions,
    listener: SearchListener | None = None,
    *,
    started: float | None = None,
) -> Results:
    """The search proper, on inputs that `prepare` has checked; releases the run
    directory when done, whether it ends well or not."""
    try:
        return _execute(prepared, options, listener or _Silent(), started)
    finally:
        prepared.lock.close()


def _execute(
    prepared: Prepared, options: SearchOptions, listener: SearchListener, started: float | None
) -> Results:
    budget = Budget.start(
        started, time_budget=options.time_budget, trial_timeout=options.trial_timeout
    )
    listener.on_stage("encoding features")
    train, validation = _pack(prepared.dataset)
    both = PackedData(
        np.concatenate([train.x, validation.x]), np.concatenate([train.y, validation.y])
    )
    machine = detect()
    slots = plan_workers(options.workers, machine, both.x.nbytes + both.y.nbytes)
    logger.info("%d workers on %s", len(slots), ", ".join(machine.devices))
    with WorkerPool(slots, in_process=not TRIALS_IN_CHILD_PROCESS) as pool:
        trials, status, stop_reason = _search(
            prepared, options, train, validation, budget, listener, pool
        )
        verdict = judge(
            trials,
            prepared.space,
            prepared.dataset.spec,
            prepared.metric,
            both,
            seed=options.seed,
            rope=options.rope,
            folds=options.folds,
            repeats=options.repeats,
            deadline=budget.verdict_end(
                export_seconds(trials, prepared.metric, len(both), len(train))
            ),
            progress=listener.on_stage,
            pool=pool,
        )
    if verdict is not None and verdict.evidence.interrupted:
        status, stop_reason = "interrupted", "interrupted"
    results = search_results(
        prepared, options, trials, verdict, status, stop_reason, (len(slots), machine.devices)
    )
    if verdict is None:
        write_outputs(prepared.run_dir, results)
        raise SearchFailed(_failure_summary(trials))

    listener.on_stage(f"refitting trial {verdict.export.number} on train + validation")
    try:
        export = export_trial(
            verdict.export,
            prepared.dataset,
            both,
            prepared.run_dir / MODEL_FILE,
            seed=options.seed,
        )
    except Exception as error:  # keep the search and the verdict; say what went wrong
        logger.debug("the export failed", exc_info=True)
        reason = f"exporting trial {verdict.export.number} failed: {type(error).__name__}: {error}"
        results = replace(results, status="failed", stop_reason=reason.splitlines()[0])
        write_outputs(prepared.run_dir, results)
        raise SearchFailed(
            f"{results.stop_reason} (the trials and the verdict are in "
            f"{prepared.run_dir / RESULTS_FILE}; -v shows the traceback)"
        ) from None
    wall_seconds = time.monotonic() - budget.started
    results = with_export(results, verdict, export, MODEL_FILE, wall_seconds)
    listener.on_stage("writing report")
    write_outputs(prepared.run_dir, results)
    return results


def _pack(dataset: Dataset) -> tuple[PackedData, PackedData]:
    """Train and validation features packed once, for every trial."""
    encoder = models.build_encoder(dataset.spec)
    return tuple(  # type: ignore[return-value]
        PackedData(models.encode(encoder, split.features, dataset.spec), split.target)
        for split in (dataset.train, dataset.validation)
    )


def _search(
    prepared: Prepared,
    options: SearchOptions,
    train: PackedData,
    validation: PackedData,
    budget: Budget,
    listener: SearchListener,
    pool: WorkerPool,
) -> tuple[list[TrialResult], RunStatus, str]:
    """Every finished trial, the run status, and why the search stopped."""
    metric = prepared.metric
    backend = make_backend(
        options.backend,
        prepared.space,
        BackendSettings(
            prepared.run_dir,
            metric.direction,
            options.seed,
            options.storage,
            tuner=options.tuner,
            trials=options.trials,
            workers=pool.size,
        ),
    )
    objective = TrialObjective(
        prepared.dataset.spec,
        prepared.space,
        metric,
        train,
        validation,
        options.seed,
        max_trial_seconds=budget.max_trial_seconds,
        search_deadline=budget.search_deadline,
        max_params=options.max_params,
        folds=prepared.dataset.profile.split.search_folds,
    )
    listener.on_start(options.trials, count_towards_total(backend.finished()))
    best: list[float | None] = [None]
    rows = len(train) + len(validation)

    def verdict_time(finished: list[TrialResult]) -> float:
        return verdict_seconds(finished, metric, rows, len(train), pool.size)

    def export_time(finished: list[TrialResult]) -> float:
        return export_seconds(finished, metric, rows, len(train))

    def on_trial(result: TrialResult) -> None:
        if (
            result.status == "complete"
            and result.value is not None
            and (best[0] is None or metric.better(result.value, best[0]))
        ):
            best[0] = result.value
        listener.on_trial(result, best[0])

    try:
        trials = run_trials(
            backend,
            PooledTrials(pool, objective),
            n_trials=options.trials,
            deadline=budget.search_end(verdict_time, export_time),
            on_trial=on_trial,
            plan=DepthPlan(
                prepared.space, options.seed, metric.sign, prepared.dataset.spec.modality
            ),
        )
    except KeyboardInterrupt:
        logger.warning("interrupted; finishing with the trials done so far")
        return backend.finished(), "interrupted", "interrupted"
    if count_towards_total(trials) < options.trials:
        return trials, "complete", backend.exhausted or "time budget reached"
    return trials, "complete", "trial count reached"


def _failure_summary(trials: list[TrialResult]) -> str:
    if not trials:
        return "no trial ran; raise --trials or --time-budget"
    reasons = Counter(trial.error or trial.status for trial in trials)
    listed = "; ".join(f"{reason} ({n} trials)" for reason, n in reasons.most_common())
    return f"all {len(trials)} trials failed: {listed}"
