"""The ranked table of trials, built from results.json alone."""

from __future__ import annotations

from typing import Any

import pandas as pd

_STATUS_ORDER = {"complete": 0, "pruned": 1, "failed": 2}


def leaderboard(results: dict[str, Any]) -> pd.DataFrame:
    """One row per trial: complete trials best first (ties: lower validation loss, then fewer
    parameters), then pruned, then failed."""
    metric = results["metric"]
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
    table = table.sort_values(
        ["_status", metric["name"], "validation_loss", "n_params", "trial"],
        ascending=[True, metric["direction"] == "minimize", True, True, True],
        na_position="last",
    ).drop(columns="_status")
    table.insert(0, "rank", range(1, len(table) + 1))
    return table.reset_index(drop=True)
