import json
import re

import pytest

from deepenough.report import dumps_results, leaderboard, render_report


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
    assert table.loc[4, "error"] == "NonFiniteLoss: boom"


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
    assert html.count("Plotly.newPlot") == 1
    assert "plotly.js v" in html.lower() or "plotly.js" in html
    assert "NonFiniteLoss: boom" in html
    assert "because the columns do not form numbered runs" in html
