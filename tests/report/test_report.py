import dataclasses
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from deepenough._predict import rerender_report
from deepenough.cli import app
from deepenough.errors import UserError
from deepenough.report import (
    dumps_results,
    leaderboard,
    parameter_importance,
    read_results,
    render_report,
    write_outputs,
)
from deepenough.report._search_plots import pareto_front
from deepenough.results import (
    Export,
    Finalist,
    History,
    MetricInfo,
    Results,
    Rope,
    SplitSizes,
    TrialRecord,
    VerdictEvidence,
)

FIXTURES = Path(__file__).parent / "fixtures"


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


def scored_trial(number, value, n_params=100, **fields):
    return TrialRecord(
        number=number, family="mlp", status="complete", value=value, n_params=n_params, **fields
    )


def with_trial(results, number, **changes):
    """`results` with trial `number` changed."""
    trials = tuple(
        dataclasses.replace(t, **changes) if t.number == number else t for t in results.trials
    )
    return dataclasses.replace(results, trials=trials)


@pytest.fixture
def results():
    return Results.from_dict(
        {
            "schema_version": 1,
            "status": "complete",
            "stop_reason": "trial count reached",
            "backend": "optuna",
            "space": {
                "source": "built-in space 'default'",
                "families": ["mlp"],
                "shallow_max_depth": 2,
            },
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
                "target": "y",
                "task": "classification",
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
            "manifest": {
                "versions": {"deepenough": "0"},
                "command": "automl search x.csv",
                "seed": 0,
                "data_sha256": "ab" * 32,
            },
        }
    )


def test_leaderboard_ranks_complete_then_pruned_then_failed(results) -> None:
    table = leaderboard(results)
    assert table["trial"].tolist() == [4, 2, 0, 3, 1]  # 0.90 tie goes to fewer parameters
    assert table["rank"].tolist() == [1, 2, 3, 4, 5]
    assert table.loc[4, "reason"] == "NonFiniteLoss: boom"
    assert table.loc[3, "reason"] == "pruned after epoch 1: behind earlier trials at that epoch"
    assert pd.isna(table.loc[0, "reason"])


def test_finalists_rank_first_with_the_spread_of_their_paired_scores(results) -> None:
    verdict = VerdictEvidence(
        decision="inconclusive",
        headline="inconclusive",
        folds=3,
        repeats=1,
        paired_folds=3,
        rope=Rope(value=0.01, rule="1 point of accuracy"),
        shallow=Finalist(trial=0, family="mlp", depth=1, scores=(0.8, 0.9, 1.0)),
        deep=Finalist(trial=2, family="mlp", depth=4, scores=(0.7, 0.7, 0.7)),
    )
    export = Export(
        trial=2, reason="deep finalist", file="best_model.keras", epochs=3, fit_seconds=1
    )
    table = leaderboard(dataclasses.replace(results, verdict=verdict, export=export))
    assert table["trial"].tolist()[:2] == [2, 0]  # the exported one first, whatever its mean
    assert table.loc[1, "paired_mean"] == pytest.approx(0.9)
    assert table.loc[1, "paired_sd"] == pytest.approx(0.1)
    assert table.loc[0, "paired_sd"] == pytest.approx(0.0)
    assert table["paired_mean"].isna().sum() == 3


def test_pareto_front_keeps_trials_no_smaller_one_beats() -> None:
    trials = [
        scored_trial(0, 0.5, n_params=10),
        scored_trial(1, 0.4, n_params=20),  # bigger and worse: off the front
        scored_trial(2, 0.7, n_params=30),
        scored_trial(3, 0.6, n_params=30),
        scored_trial(4, 0.9, n_params=50),
    ]
    assert [t.value for t in pareto_front(trials, maximize=True)] == [0.5, 0.7, 0.9]
    assert [t.value for t in pareto_front(trials, maximize=False)] == [0.5, 0.4]


def test_importance_finds_the_hyperparameter_that_decides_the_score() -> None:
    rng = np.random.default_rng(0)
    trials = [
        scored_trial(
            number,
            float(-((np.log10(lr) + 2) ** 2)),
            depth=int(rng.integers(0, 6)),
            hyperparameters={
                "family": "mlp",
                "learning_rate": float(lr),
                "batch_size": 32,
                "activation": str(rng.choice(["relu", "tanh"])),
            },
        )
        for number, lr in enumerate(10 ** rng.uniform(-4, 0, size=30))
    ]
    found = parameter_importance(trials, "maximize")
    assert found is not None and found.trials == 30
    assert set(found.importance) == {"learning_rate", "depth", "activation"}  # varied ones
    assert next(iter(found.importance)) == "learning_rate"
    assert sum(found.importance.values()) == pytest.approx(1.0, abs=1e-3)
    assert parameter_importance(trials[:4], "maximize") is None
    # every trial scored the same (ROC AUC 1 on wine): nothing to split
    same = [dataclasses.replace(t, value=1.0) for t in trials]
    assert parameter_importance(same, "maximize") is None


def test_minimised_metrics_rank_smallest_first(results) -> None:
    results = dataclasses.replace(results, metric=MetricInfo(name="rmse", direction="minimize"))
    assert leaderboard(results)["trial"].tolist()[:3] == [0, 4, 2]


def test_results_json_is_strict_json(results) -> None:
    text = dumps_results(with_trial(results, 0, value=float("nan")))
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
    results = Results.from_dict(json.loads((FIXTURES / "classification.json").read_text()))
    model = results.trials[0]
    epochs = tuple(round(0.5 + i / 250, 6) for i in range(100))  # 100 epochs, full precision
    trials = tuple(
        dataclasses.replace(
            model, number=n, value=0.9 - n / 1000, history=History(train=epochs, validation=epochs)
        )
        for n in range(100)
    )
    html = render_report(dataclasses.replace(results, trials=trials))
    assert len(html.encode()) < 8 * 2**20
    assert html.count("<tr class=") >= 100


def test_reasons_come_from_the_trial_extras(results) -> None:
    results = with_trial(results, 0, extra={"time_capped": True})
    results = with_trial(results, 2, status="interrupted")
    results = with_trial(results, 4, extra={"rerun_of": 2})
    reasons = dict(zip(*(leaderboard(results)[c] for c in ("trial", "reason")), strict=True))
    assert reasons[0] == "stopped after epoch 1 by the per-trial time limit"
    assert reasons[2] == "interrupted; trained again as trial 4"
    assert reasons[4] == "trains the config of interrupted trial 2 again"


def test_outputs_read_back_as_the_records_they_were_written_from(results, tmp_path) -> None:
    write_outputs(tmp_path, results)
    assert read_results(tmp_path) == results
    assert len(pd.read_csv(tmp_path / "leaderboard.csv")) == len(results.trials)
    assert (tmp_path / "report.html").read_text() == render_report(results)


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe", b"[1, 2]", b'{"status": 1}'])
def test_a_broken_results_json_is_a_one_line_user_error(tmp_path, content) -> None:
    (tmp_path / "results.json").write_bytes(content)
    with pytest.raises(UserError, match=r"results\.json") as raised:
        rerender_report(tmp_path)
    assert "\n" not in str(raised.value)
    assert not (tmp_path / "report.html").exists()
    done = CliRunner().invoke(app, ["report", str(tmp_path)])
    assert done.exit_code == 2 and "Traceback" not in done.output


def test_the_report_says_what_trained_the_run_and_how_to_repeat_it(results) -> None:
    manifest = dataclasses.replace(results.manifest, workers=2, devices=("GPU 0: NVIDIA L4",))
    text = re.sub(r"<[^>]+>", "", render_report(dataclasses.replace(results, manifest=manifest)))
    assert "Trained by 2 workers on GPU 0: NVIDIA L4" in text
    assert "--workers 1 repeats a run exactly" in text
    alone = dataclasses.replace(results.manifest, workers=1, devices=("CPU (2 cores)",))
    text = re.sub(r"<[^>]+>", "", render_report(dataclasses.replace(results, manifest=alone)))
    assert "Trained by 1 worker on CPU (2 cores)" in text and "--workers 1" not in text


def test_the_report_names_each_familys_classic_type_and_counts_its_trials(results) -> None:
    space = dataclasses.replace(
        results.space,
        families=("dbn", "mlp"),
        architecture_types={"dbn": "symmetrically connected", "mlp": "feed-forward"},
    )
    results = with_trial(dataclasses.replace(results, space=space), 3, family="dbn")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", render_report(results)))
    assert "dbn symmetrically connected 1 0" in text
    assert "mlp feed-forward 4 3" in text


def test_tiny_data_says_it_kept_no_test_set_and_scored_trials_by_folds(results) -> None:
    data = dataclasses.replace(
        results.data, split=SplitSizes(train=29, validation=7, test=0, search_folds=5)
    )
    export = Export(trial=4, reason="shallow", file="best_model.keras", epochs=3, fit_seconds=1.0)
    tiny = dataclasses.replace(results, data=data, export=export, test={}, test_predictions=None)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", render_report(tiny)))
    assert "no test set (too few rows to spare any)" in text
    assert "scored by 5-fold cross-validation over train + validation" in text
    assert "Not computed: no test set was held out" in text
    assert "cross-validation" not in re.sub(r"<[^>]+>", " ", render_report(results))
