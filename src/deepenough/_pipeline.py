"""One search end to end: data → space → search → train → verdict → export → report.

This is the only module that knows every package; each package knows only
the ones before it in that chain.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Protocol

import numpy as np

from deepenough import models
from deepenough._budget import Budget
from deepenough._manifest import manifest
from deepenough._options import SearchOptions
from deepenough._rundir import open_run_directory
from deepenough.backends import (
    BackendSettings,
    TrialResult,
    count_towards_total,
    make_backend,
    run_trials,
)
from deepenough.data import Dataset, load_dataset
from deepenough.errors import SearchFailed, SpaceError, UserError
from deepenough.export import export_trial
from deepenough.metrics import Metric, get_metric
from deepenough.report import RESULTS_FILE, parameter_importance, read_results, write_outputs
from deepenough.spaces import SearchSpace, load_space
from deepenough.train import PackedData, TrialObjective, TrialWorkers
from deepenough.verdict import DepthPlan, Verdict, judge, verdict_seconds

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 1
MODEL_FILE = "best_model.keras"
TRIALS_IN_CHILD_PROCESS = True
"""Train trials in a recycled child process (see `train.TrialWorkers`); tests that
replace a training function in this process turn it off."""


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


@dataclass(frozen=True)
class Prepared:
    dataset: Dataset
    space: SearchSpace
    metric: Metric
    run_dir: Path
    data_hash: str
    source: str
    lock: IO[str]
    """The run directory's lock: `execute` releases it when the run is written."""


def prepare(options: SearchOptions) -> Prepared:
    """Check every input, then open the run directory: bad input leaves nothing on disk."""
    dataset = load_dataset(
        options.data.path_or_frame,
        target=options.target,
        task=options.task,
        test_data=options.test_data,
        seed=options.seed,
        modality=options.modality,
        image_shape=options.image_shape,
    )
    space = load_space(options.space, models.catalog()).for_modality(dataset.spec.modality)
    if not space.families:
        raise SpaceError(
            f"{space.source}: no family applies to {dataset.spec.modality} data",
            fix="Add a family for that modality to the space.",
        )
    metric = get_metric(options.metric, dataset.spec.task)
    run_dir = options.run_dir
    data_hash = options.data.sha256()
    if options.resume:
        _check_same_data(run_dir, data_hash)
    lock = open_run_directory(run_dir, resume=options.resume, overwrite=options.overwrite)
    return Prepared(dataset, space, metric, run_dir, data_hash, options.data.source, lock)


def run_search(options: SearchOptions, listener: SearchListener | None = None) -> dict[str, Any]:
    """Search, export the best trial and write the run directory; returns results.json's dict."""
    started = time.monotonic()
    return execute(prepare(options), options, listener, started=started)


def execute(
    prepared: Prepared,
    options: SearchOptions,
    listener: SearchListener | None = None,
    *,
    started: float | None = None,
) -> dict[str, Any]:
    """The search proper, on inputs that `prepare` has checked; releases the run
    directory when done, whether it ends well or not."""
    try:
        return _execute(prepared, options, listener or _Silent(), started)
    finally:
        prepared.lock.close()


def _execute(
    prepared: Prepared, options: SearchOptions, listener: SearchListener, started: float | None
) -> dict[str, Any]:
    budget = Budget.start(
        started, time_budget=options.time_budget, trial_timeout=options.trial_timeout
    )
    listener.on_stage("encoding features")
    train, validation = _pack(prepared.dataset)
    trials, status, stop_reason = _search(prepared, options, train, validation, budget, listener)

    both = PackedData(
        np.concatenate([train.x, validation.x]), np.concatenate([train.y, validation.y])
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
        deadline=budget.verdict_deadline,
        progress=listener.on_stage,
    )
    if verdict is not None and verdict.evidence["interrupted"]:
        status, stop_reason = "interrupted", "interrupted"
    results = _results(prepared, options, trials, verdict, status, stop_reason)
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
        results |= {"status": "failed", "stop_reason": reason.splitlines()[0]}
        write_outputs(prepared.run_dir, results)
        raise SearchFailed(
            f"{results['stop_reason']} (the trials and the verdict are in "
            f"{prepared.run_dir / RESULTS_FILE}; -v shows the traceback)"
        ) from None
    results["export"] = {
        "trial": verdict.export.number,
        "reason": verdict.reason,
        "file": MODEL_FILE,
        "epochs": export.epochs,
        "fit_seconds": round(export.fit_seconds, 4),
    }
    results["test"] = export.test
    results["test_predictions"] = export.test_predictions
    results["manifest"]["wall_seconds"] = round(time.monotonic() - budget.started, 2)
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
) -> tuple[list[TrialResult], str, str]:
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
    )
    listener.on_start(options.trials, count_towards_total(backend.finished()))
    best: list[float | None] = [None]
    rows = len(train) + len(validation)

    def verdict_time(finished: list[TrialResult]) -> float:
        return verdict_seconds(finished, metric, rows, len(train))

    def on_trial(result: TrialResult) -> None:
        if result.status == "complete" and (
            best[0] is None or metric.better(result.value, best[0])
        ):
            best[0] = result.value
        listener.on_trial(result, best[0])

    try:
        with TrialWorkers(objective, in_process=not TRIALS_IN_CHILD_PROCESS) as workers:
            trials = run_trials(
                backend,
                workers,
                n_trials=options.trials,
                deadline=budget.search_end(verdict_time),
                on_trial=on_trial,
                plan=DepthPlan(prepared.space, options.seed, metric.sign),
            )
    except KeyboardInterrupt:
        logger.warning("interrupted; finishing with the trials done so far")
        return backend.finished(), "interrupted", "interrupted"
    if count_towards_total(trials) < options.trials:
        return trials, "complete", backend.exhausted or "time budget reached"
    return trials, "complete", "trial count reached"


def _results(
    prepared: Prepared,
    options: SearchOptions,
    trials: list[TrialResult],
    verdict: Verdict | None,
    status: str,
    stop_reason: str,
) -> dict[str, Any]:
    """results.json without the export and test scores, which come after the refit."""
    dataset, metric = prepared.dataset, prepared.metric
    profile = {"source": prepared.source, **dataset.profile}
    trial_entries = [t.to_dict() for t in sorted(trials, key=lambda t: t.number)]
    return {
        "schema_version": SCHEMA_VERSION,
        "status": status if verdict else "failed",
        "stop_reason": stop_reason,
        "task": dataset.spec.task,
        "target": dataset.spec.target,
        "metric": {"name": metric.name, "direction": metric.direction},
        "classes": list(dataset.spec.classes),
        "space": {
            "source": prepared.space.source,
            "families": sorted(prepared.space.families),
            "shallow_max_depth": prepared.space.shallow_max_depth,
        },
        "backend": options.backend,
        "trials": trial_entries,
        "best": _best(verdict),
        "export": None,
        "verdict": verdict.evidence if verdict else None,
        "test": {},
        "test_predictions": None,
        "importance": parameter_importance(trial_entries, metric.direction),
        "data": profile,
        "manifest": manifest(
            options.seed,
            options.command,
            prepared.data_hash,
            finished_at=datetime.now(UTC).isoformat(timespec="seconds"),
            requested_trials=options.trials,
        ),
    }


def _best(verdict: Verdict | None) -> dict[str, Any] | None:
    """The exported trial: its validation score and, if re-trained, its mean paired score."""
    if verdict is None:
        return None
    best = {"trial": verdict.export.number, "value": verdict.export.value}
    entry = verdict.evidence.get(verdict.export.depth_class) or {}
    if entry.get("mean") is not None:
        best["paired_mean"] = entry["mean"]
    return best


def _failure_summary(trials: list[TrialResult]) -> str:
    if not trials:
        return "no trial ran; raise --trials or --time-budget"
    reasons = Counter(trial.error or trial.status for trial in trials)
    listed = "; ".join(f"{reason} ({n} trials)" for reason, n in reasons.most_common())
    return f"all {len(trials)} trials failed: {listed}"


def _check_same_data(run_dir: Path, data_hash: str) -> None:
    if not (run_dir / RESULTS_FILE).exists():
        return
    previous = read_results(run_dir).get("manifest", {}).get("data_sha256")
    if previous and previous != data_hash:
        raise UserError(
            f"The data differs from the data of the run in {run_dir} (its hash changed)",
            fix="Resume with the same file, or start a new run with another --out.",
        )
