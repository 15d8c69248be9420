"""The ranked table of trials, built from results.json alone."""

from __future__ import annotations

from typing import Any

import pandas as pd

_STATUS_ORDER = {"complete": 0, "pruned": 1, "failed": 2}


def leaderboard(results: dict[str, Any]) -> pd.DataFrame:
    """One row per trial, rank 1 the exported one, then the verdict's other finalists by
    their mean paired score, then complete trials by validation score (ties: lower
    validation loss, then fewer parameters), then pruned, then failed."""
    metric = results["metric"]
    verdict = results.get("verdict") or {}
    paired_means = {
        entry["trial"]: entry["mean"]
        for entry in (verdict.get(c) for c in ("linear", "shallow", "deep"))
        if entry and entry.get("mean") is not None
    }
    exported = (results.get("export") or {}).get("trial")
    rows = []
    for trial in results["trials"]:
        row = {
            "trial": trial["number"],
            "status": trial["status"],
            "family": trial["family"],
            "depth": trial["depth"],
            "depth_class": trial.get("depth_class"),
            metric["name"]: trial["value"],
            "validation_loss": trial.get("validation_loss"),
            "paired_mean": paired_means.get(trial["number"]),
            "best_epoch": trial["best_epoch"],
            "n_params": trial["n_params"],
            "fit_seconds": trial["fit_seconds"],
        }
        row.update({k: v for k, v in trial["hyperparameters"].items() if k not in row})
        row["error"] = trial.get("error")
        rows.append(row)
    if not rows:
        return pd.DataFrame(columns=["rank", "trial", "status"])
    table = pd.DataFrame(rows)
    table["_status"] = table["status"].map(_STATUS_ORDER)
    table["_group"] = [
        0 if n == exported else 1 if n in paired_means else 2 for n in table["trial"]
    ]
    lower_is_better = metric["direction"] == "minimize"
    table = table.sort_values(
        [
            "_group",
            "paired_mean",
            "_status",
            metric["name"],
            "validation_loss",
            "n_params",
            "trial",
        ],
        ascending=[True, lower_is_better, True, lower_is_better, True, True, True],
        na_position="last",
    ).drop(columns=["_status", "_group"])
    if not paired_means:
        table = table.drop(columns="paired_mean")
    table.insert(0, "rank", range(1, len(table) + 1))
    return table.reset_index(drop=True)
