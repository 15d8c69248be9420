"""The Python API mirrors the CLI: search a DataFrame, resume it, and fail cleanly."""

import json
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import deepenough
from deepenough import models
from deepenough.errors import SearchFailed
from deepenough.results import MetricInfo


@pytest.mark.slow
def test_search_a_dataframe_then_resume_to_the_study_total(
    tmp_path: Path, regression_frame, tiny_space
) -> None:
    out = tmp_path / "run"
    first = deepenough.search(
        regression_frame, space=tiny_space, trials=2, out=out, seed=1, folds=2, repeats=1
    )
    assert first.run_dir == out
    assert len(first.leaderboard) == 2 and first.leaderboard["rank"].tolist() == [1, 2]
    assert first.results.metric == MetricInfo(name="rmse", direction="minimize")
    prediction = first.best_model.predict(
        {c: regression_frame[c].to_numpy() for c in ("a", "b")}
        | {"kind": regression_frame["kind"].to_numpy(dtype=object)},
        verbose=0,
    )["prediction"]
    assert prediction.shape == (len(regression_frame),) and np.isfinite(prediction).all()

    resumed = deepenough.search(
        regression_frame,
        space=tiny_space,
        trials=3,
        out=out,
        seed=1,
        resume=True,
        folds=2,
        repeats=1,
    )
    trials = resumed.results.trials
    assert [t.number for t in trials] == [0, 1, 2]
    assert trials[:2] == first.results.trials  # earlier trials kept as they were


@pytest.mark.slow
def test_resume_with_different_data_is_refused(tmp_path, regression_frame, tiny_space) -> None:
    out = tmp_path / "run"
    deepenough.search(regression_frame, space=tiny_space, trials=1, out=out, folds=2)
    with pytest.raises(deepenough.errors.UserError, match="data differs"):
        deepenough.search(
            regression_frame.head(100), space=tiny_space, trials=2, out=out, resume=True
        )


def test_a_run_where_every_trial_fails_says_so(
    tmp_path, classification_frame, tiny_space, monkeypatch
) -> None:
    from deepenough import _pipeline
    from deepenough.train import _objective

    def broken_build(config, spec):
        raise RuntimeError("out of cheese")

    monkeypatch.setattr(_objective.models, "build", broken_build)
    monkeypatch.setattr(_pipeline, "TRIALS_IN_CHILD_PROCESS", False)
    out = tmp_path / "run"
    with pytest.raises(
        SearchFailed, match=r"all 2 trials failed: RuntimeError: out of cheese \(2 trials\)"
    ):
        deepenough.search(classification_frame, space=tiny_space, trials=2, out=out)
    results = json.loads((out / "results.json").read_text())
    assert results["status"] == "failed" and results["best"] is None
    assert not (out / "best_model.keras").exists()


def test_a_budget_too_small_for_one_trial_says_what_to_raise(
    tmp_path, classification_frame, tiny_space
) -> None:
    with pytest.raises(SearchFailed, match="no trial ran; raise --trials or --time-budget"):
        deepenough.search(
            classification_frame, space=tiny_space, out=tmp_path / "run", time_budget=1e-3
        )
    results = json.loads((tmp_path / "run" / "results.json").read_text())
    assert results["status"] == "failed"
    assert results["stop_reason"] == "time budget reached"


SEQUENCE_SPACE = """\
families:
  cnn:
    hyperparameters:
      blocks: {type: int, low: 1, high: 2}
      filters: 4
      kernel_size: 3
  rnn:
    hyperparameters: {cell: gru, layers: 1, units: 4}
training: {learning_rate: 0.01, batch_size: 32, max_epochs: 2, patience: 2}
"""


@pytest.mark.slow
def test_a_sequence_search_runs_end_to_end(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    trend = rng.choice([-1.0, 1.0], size=120)
    walks = trend[:, None] * np.arange(20) / 20 + rng.normal(scale=0.2, size=(120, 20))
    frame = pd.DataFrame(walks, columns=[f"t{i}" for i in range(20)])
    frame["label"] = np.where(trend > 0, "up", "down")
    space = tmp_path / "sequence.yaml"
    space.write_text(SEQUENCE_SPACE)
    result = deepenough.search(
        frame, space=space, trials=3, out=tmp_path / "run", folds=2, repeats=1
    )
    assert result.results.data.modality == "sequence"
    assert {t.family for t in result.results.trials} <= {"cnn", "rnn"}
    assert "t0" in result.best_model.input  # one raw input per column, reshaped inside
    assert "sequence" in result.report_path.read_text()


@pytest.mark.slow
def test_a_default_search_on_a_table_tries_every_family_at_its_starting_point(
    tmp_path: Path, classification_frame: pd.DataFrame
) -> None:
    default = (resources.files("deepenough.search_spaces") / "default.yaml").read_text()
    space = tmp_path / "default.yaml"  # the default space, trained for 3 epochs at most
    space.write_text(default.replace("max_epochs: 100", "max_epochs: 3"))
    assert "max_epochs: 3" in space.read_text()
    options = {"trials": 8, "folds": 2, "repeats": 1, "workers": 1}
    result = deepenough.search(classification_frame, space=space, out=tmp_path / "run", **options)
    trials = result.results.trials
    # the three depth references (mlp), then each other family's starting point
    assert [t.family for t in trials[:3]] == ["mlp"] * 3
    assert {t.family for t in trials} == {"mlp", "resmlp", "recursive", "autoencoder", "dbn"}
    firsts = {t.family: t for t in reversed(trials[3:]) if t.family != "mlp"}  # first of each
    for trial in firsts.values():
        start = models.starting_point(trial.family, "tabular")
        assert all(trial.hyperparameters[k] == v for k, v in start.items()), trial.family
    dbn = [t for t in trials if t.family == "dbn"]
    for trial in dbn:  # the symmetrically connected family in its depth class
        assert trial.status == "complete" and trial.value is not None
        assert trial.depth == trial.hyperparameters["layers"]
        assert trial.depth_class == ("shallow" if trial.depth <= 2 else "deep")
    assert all(len(t.extra["folds"]) == 5 for t in trials if t.status == "complete")
    verdict = result.verdict
    assert verdict is not None and verdict.paired_folds > 0
    by_number = {t.number: t for t in trials}
    for depth_class in ("shallow", "deep"):  # each class's finalist is one of its trials
        assert by_number[getattr(verdict, depth_class).trial].depth_class == depth_class
    assert result.results.space.architecture_types["dbn"] == "symmetrically connected"


REPRODUCIBLE_TOLERANCE = 1e-4
"""Same data, space, seed and machine: the same configs, and scores this close (the
README states it; TensorFlow's CPU kernels may sum in a different order run to run)."""


@pytest.mark.slow
def test_the_same_seed_gives_the_same_leaderboard(
    tmp_path: Path, classification_frame, tiny_space
) -> None:
    runs = [
        deepenough.search(
            classification_frame,
            space=tiny_space,
            trials=4,
            out=tmp_path / name,
            seed=3,
            folds=2,
            repeats=1,
        )
        for name in ("first", "second")
    ]
    first, second = (run.results for run in runs)
    assert first.manifest.seed == 3
    assert [t.hyperparameters for t in first.trials] == [t.hyperparameters for t in second.trials]
    assert [t.value for t in first.trials] == pytest.approx(
        [t.value for t in second.trials], abs=REPRODUCIBLE_TOLERANCE
    )
    assert first.verdict and second.verdict
    assert first.verdict.decision == second.verdict.decision
    assert runs[0].leaderboard["trial"].tolist() == runs[1].leaderboard["trial"].tolist()


@pytest.mark.slow
def test_models_over_the_parameter_budget_are_rejected_before_training(
    tmp_path: Path, regression_frame, tiny_space
) -> None:
    results = deepenough.search(
        regression_frame,
        space=tiny_space,
        trials=4,
        out=tmp_path / "run",
        max_params=60,
        folds=2,
        repeats=1,
    ).results
    trials = results.trials
    assert {t.status for t in trials if (t.n_params or 0) <= 60} == {"complete"}
    rejected = [t for t in trials if (t.n_params or 0) > 60]
    assert rejected, "the deep reference config is over 60 parameters"
    for trial in rejected:
        assert trial.status == "failed" and trial.history.validation == ()
        assert trial.error and trial.error.endswith(
            f"{trial.n_params:,} parameters exceed --max-params 60"
        )


@pytest.mark.slow
def test_a_failed_export_keeps_the_trials_and_the_verdict(
    tmp_path, classification_frame, tiny_space, monkeypatch
) -> None:
    from deepenough import _pipeline

    def broken_export(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(_pipeline, "export_trial", broken_export)
    out = tmp_path / "run"
    with pytest.raises(SearchFailed, match=r"exporting trial \d+ failed: OSError: disk full"):
        deepenough.search(
            classification_frame, space=tiny_space, trials=3, out=out, folds=2, repeats=1
        )
    results = json.loads((out / "results.json").read_text())
    assert results["status"] == "failed" and len(results["trials"]) == 3
    assert results["verdict"]["decision"] in ("shallow", "deep", "inconclusive")
    assert results["stop_reason"].startswith("exporting trial")
    assert not (out / "best_model.keras").exists() and (out / "report.html").exists()


@pytest.mark.slow
def test_a_kerastuner_hyperband_search_runs_end_to_end_and_resumes(
    tmp_path, classification_frame, tiny_space
) -> None:
    import keras

    out = tmp_path / "run"
    options = {"space": tiny_space, "out": out, "backend": "kerastuner", "tuner": "hyperband"}
    first = deepenough.search(classification_frame, trials=4, folds=2, repeats=1, **options)
    assert first.results.backend == "kerastuner" and (out / "kerastuner").is_dir()
    assert not (out / "study.journal").exists()
    trials = first.results.trials
    assert len(trials) == 4 and {t.status for t in trials} == {"complete"}
    assert {t.extra.get("epoch_budget") for t in trials} == {2}  # Hyperband sized to 4 trials
    assert all(t.hyperparameters["max_epochs"] == 3 for t in trials)
    assert first.results.verdict
    assert first.results.verdict.decision in {"shallow", "deep", "inconclusive"}
    assert (out / "report.html").exists()
    model = keras.saving.load_model(out / "best_model.keras")  # plain Keras, raw columns
    assert len(model.inputs) == classification_frame.shape[1] - 1

    resumed = deepenough.search(
        classification_frame, trials=6, folds=2, repeats=1, resume=True, **options
    )
    assert [t.number for t in resumed.results.trials] == list(range(6))
    assert resumed.results.trials[:4] == trials
