import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from deepenough.report import dumps_results, leaderboard, parameter_importance, render_report
from deepenough.report._plots import pareto_front


def trial(number, status, value, depth=1, n_params=100, error=None):
    return {
        "number": number,
        "family": "mlp",
        "depth": depth,
        "depth_class": "linear" if depth == 0 else ("shallow" if depth <= 2 else "deep"),
        "hyperparameters": {"family": "mlp", "depth": depth, "width": 8},
        "n_params": n_params,
        "fit_seconds": 0.5,
        "status": status,
        "value": value,
        "best_epoch": 2,
        "history": {"train": [0.5], "validation": [value]},
        "error": error,
    }


@pytest.fixture
def results():
    return {
        "schema_version": 1,
        "status": "complete",
        "stop_reason": "trial count reached",
        "backend": "optuna",
        "space": {"source": "built-in space 'default'"},
        "task": "classification",
        "target": "y",
        "metric": {"name": "accuracy", "direction": "maximize"},
        "trials": [
            trial(0, "complete", 0.80),
            trial(1, "failed", None, error="NonFiniteLoss: boom"),
            trial(2, "complete", 0.90, depth=4, n_params=900),
            trial(3, "pruned", 0.95),
            trial(4, "complete", 0.90, depth=0, n_params=40),
        ],
        "best": {"trial": 4, "value": 0.9},
        "export": None,
        "verdict": None,
        "test": {"accuracy": 0.88},
        "data": {
            "source": "<b>x</b>.csv",
            "rows": 100,
            "split": {"train": 60, "validation": 20, "test": 20},
            "task_reason": "labels",
            "modality": "tabular",
            "modality_reason": "the columns do not form numbered runs of one length",
            "columns": [
                {
                    "name": "<script>alert(1)</script>",
                    "kind": "numeric",
                    "missing": 0,
                    "unique": 5,
                    "dropped": None,
                }
            ],
        },
        "manifest": {"command": "automl search x.csv", "seed": 0, "data_sha256": "ab" * 32},
    }


def test_leaderboard_ranks_complete_then_pruned_then_failed(results) -> None:
    table = leaderboard(results)
    assert table["trial"].tolist() == [4, 2, 0, 3, 1]  # 0.90 tie goes to fewer parameters
    assert table["rank"].tolist() == [1, 2, 3, 4, 5]
    assert table.loc[4, "reason"] == "NonFiniteLoss: boom"
    assert table.loc[3, "reason"] == "pruned after epoch 1: behind earlier trials at that epoch"
    assert pd.isna(table.loc[0, "reason"])


def test_finalists_rank_first_with_the_spread_of_their_paired_scores(results) -> None:
    results["verdict"] = {
        "shallow": {"trial": 0, "scores": [0.8, 0.9, 1.0]},
        "deep": {"trial": 2, "scores": [0.7, 0.7, 0.7]},
    }
    results["export"] = {"trial": 2}
    table = leaderboard(results)
    assert table["trial"].tolist()[:2] == [2, 0]  # the exported one first, whatever its mean
    assert table.loc[1, "paired_mean"] == pytest.approx(0.9)
    assert table.loc[1, "paired_sd"] == pytest.approx(0.1)
    assert table.loc[0, "paired_sd"] == pytest.approx(0.0)
    assert table["paired_mean"].isna().sum() == 3


def test_pareto_front_keeps_trials_no_smaller_one_beats() -> None:
    trials = [
        {"n_params": 10, "value": 0.5},
        {"n_params": 20, "value": 0.4},  # bigger and worse: off the front
        {"n_params": 30, "value": 0.7},
        {"n_params": 30, "value": 0.6},
        {"n_params": 50, "value": 0.9},
    ]
    assert [t["value"] for t in pareto_front(trials, maximize=True)] == [0.5, 0.7, 0.9]
    assert [t["value"] for t in pareto_front(trials, maximize=False)] == [0.5, 0.4]


def test_importance_finds_the_hyperparameter_that_decides_the_score() -> None:
    rng = np.random.default_rng(0)
    trials = [
        {
            "status": "complete",
            "depth": int(rng.integers(0, 6)),
            "hyperparameters": {
                "family": "mlp",
                "learning_rate": float(lr),
                "batch_size": 32,
                "activation": str(rng.choice(["relu", "tanh"])),
            },
            "value": float(-((np.log10(lr) + 2) ** 2)),
        }
        for lr in 10 ** rng.uniform(-4, 0, size=30)
    ]
    found = parameter_importance(trials, "maximize")
    assert found["trials"] == 30
    assert set(found["importance"]) == {"learning_rate", "depth", "activation"}  # varied ones
    assert next(iter(found["importance"])) == "learning_rate"
    assert sum(found["importance"].values()) == pytest.approx(1.0, abs=1e-3)
    assert parameter_importance(trials[:4], "maximize") is None
    for trial in trials:  # every trial scored the same (ROC AUC 1 on wine): nothing to split
        trial["value"] = 1.0
    assert parameter_importance(trials, "maximize") is None


def test_minimised_metrics_rank_smallest_first(results) -> None:
    results["metric"] = {"name": "rmse", "direction": "minimize"}
    assert leaderboard(results)["trial"].tolist()[:3] == [0, 4, 2]


def test_results_json_is_strict_json(results) -> None:
    results["trials"][0]["value"] = float("nan")
    text = dumps_results(results)
    assert json.loads(text)["trials"][0]["value"] is None
    assert "NaN" not in text


def test_report_is_self_contained_and_escapes_data_strings(results) -> None:
    html = render_report(results)
    assert html.count("<script>alert(1)</script>") == 0
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>x</b>" not in html
    markup = re.sub(
        r"<script\b.*?</script>", "", html, flags=re.DOTALL
    )  # Plotly's bundle holds URLs
    assert re.search(r"""(src|href)\s*=\s*["']https?://""", markup) is None
    assert html.count("* plotly.js v") == 1  # the bundle, inlined once
    assert html.count("Plotly.newPlot") == 3  # depth, size, history: no verdict, 3 scored
    assert "NonFiniteLoss: boom" in html
    assert "because the columns do not form numbered runs" in html


def test_a_hundred_trial_report_stays_under_8_mb() -> None:
    results = json.loads((Path(__file__).parent / "fixtures" / "classification.json").read_text())
    model = results["trials"][0]
    epochs = [round(0.5 + i / 250, 6) for i in range(100)]  # 100 epochs, full precision
    results["trials"] = [
        model
        | {"number": n, "value": 0.9 - n / 1000, "history": {"train": epochs, "validation": epochs}}
        for n in range(100)
    ]
    html = render_report(results)
    assert len(html.encode()) < 8 * 2**20
    assert html.count("<tr class=") >= 100
