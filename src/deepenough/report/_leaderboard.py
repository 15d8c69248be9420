"""The ranked table of trials, built from results.json alone."""

from __future__ import annotations

import statistics

import pandas as pd

from deepenough.results import Results, TrialRecord, VerdictEvidence

_STATUS_ORDER = {"complete": 0, "pruned": 1, "failed": 2, "interrupted": 3}


def leaderboard(results: Results) -> pd.DataFrame:
    """One row per trial, rank 1 the exported one, then the verdict's other finalists by
    their mean paired score, then complete trials by validation score (ties: lower
    validation loss, then fewer parameters), then pruned, failed and interrupted."""
    metric = results.metric
    paired = _paired_scores(results.verdict)
    exported = results.export.trial if results.export else None
    reruns = {rerun_of: t.number for t in results.trials if (rerun_of := _rerun_of(t)) is not None}
    rows = []
    for trial in results.trials:
        scores = paired.get(trial.number, ())
        row = {
            "trial": trial.number,
            "status": trial.status,
            "family": trial.family,
            "depth": trial.depth,
            "depth_class": trial.depth_class,
            "width": trial.width,
            "learning_rate": trial.hyperparameters.get("learning_rate"),
            metric.name: trial.value,
            "paired_mean": statistics.fmean(scores) if scores else None,
            "paired_sd": statistics.stdev(scores) if len(scores) > 1 else None,
            "validation_loss": trial.validation_loss,
            "best_epoch": trial.best_epoch,
            "n_params": trial.n_params,
            "fit_seconds": trial.fit_seconds,
        }
        row.update({k: v for k, v in trial.hyperparameters.items() if k not in row})
        row["reason"] = status_reason(trial, reruns.get(trial.number))
        rows.append(row)
    if not rows:
        return pd.DataFrame(columns=["rank", "trial", "status"])
    table = pd.DataFrame(rows)
    table["_status"] = table["status"].map(_STATUS_ORDER)
    table["_group"] = [0 if n == exported else 1 if n in paired else 2 for n in table["trial"]]
    lower_is_better = metric.direction == "minimize"
    table = table.sort_values(
        [
            "_group",
            "paired_mean",
            "_status",
            metric.name,
            "validation_loss",
            "n_params",
            "trial",
        ],
        ascending=[True, lower_is_better, True, lower_is_better, True, True, True],
        na_position="last",
    ).drop(columns=["_status", "_group"])
    if not paired:
        table = table.drop(columns=["paired_mean", "paired_sd"])
    table.insert(0, "rank", range(1, len(table) + 1))
    return table.reset_index(drop=True)


def status_reason(trial: TrialRecord, rerun: int | None = None) -> str | None:
    """Why a trial did not complete normally: its error, where it was pruned, the time
    cap that ended it, or the interruption and the trial that trained its config again."""
    if trial.status == "interrupted":
        return "interrupted" + (f"; trained again as trial {rerun}" if rerun is not None else "")
    rerun_of = _rerun_of(trial)
    if rerun_of is not None and not trial.error:
        return f"trains the config of interrupted trial {rerun_of} again"
    if trial.error:
        return trial.error
    epochs = len(trial.history.validation)
    if trial.status == "pruned":
        return f"pruned after epoch {epochs}: behind earlier trials at that epoch"
    if trial.extra.get("time_capped"):
        return f"stopped after epoch {epochs} by the per-trial time limit"
    return None


def _rerun_of(trial: TrialRecord) -> int | None:
    """The interrupted trial whose config this trial trains again (a trial's extra)."""
    rerun_of: int | None = trial.extra.get("rerun_of")
    return rerun_of


def _paired_scores(verdict: VerdictEvidence | None) -> dict[int, tuple[float, ...]]:
    """Each finalist's scores on the verdict's paired folds, by trial number."""
    if verdict is None:
        return {}
    finalists = (verdict.linear, verdict.shallow, verdict.deep)
    return {f.trial: f.scores for f in finalists if f is not None and f.scores}
