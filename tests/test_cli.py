"""The CLI: instant help and one real run end to end (bad input: tests/test_bad_input.py)."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from deepenough.cli import app

runner = CliRunner()
AUTOML = str(Path(sys.executable).with_name("automl"))
CONTRACT_KEYS = {
    "schema_version",
    "status",
    "task",
    "target",
    "metric",
    "trials",
    "best",
    "export",
    "verdict",
    "test",
    "data",
    "manifest",
}
VERDICT_KEYS = {
    "decision",
    "linear",
    "shallow",
    "deep",
    "difference",
    "interval",
    "rope",
    "probabilities",
    "linear_suffices",
    "cost",
    "memorisation",
    "crossover",
    "explanation",
}
TRIAL_KEYS = {
    "number",
    "family",
    "depth",
    "hyperparameters",
    "n_params",
    "fit_seconds",
    "status",
    "value",
    "best_epoch",
    "history",
    "error",
}


def test_help_does_not_import_the_heavy_libraries() -> None:
    script = (
        "import sys\n"
        "from deepenough.cli import app\n"
        "for args in (['--help'], ['search', '--help'], ['predict', '--help']):\n"
        "    try:\n"
        "        app(args)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "heavy = [m for m in ('tensorflow', 'keras', 'optuna') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert "HEAVY []" in done.stdout, done.stdout + done.stderr


@pytest.mark.parametrize("command", ["search", "predict", "report"])
def test_every_command_has_help(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


@pytest.mark.slow
def test_search_writes_the_whole_run_directory(penguins_run: Path) -> None:
    run = penguins_run / "reports" / "penguins"
    for name in (
        "report.html",
        "results.json",
        "leaderboard.csv",
        "best_model.keras",
        "study.journal",
    ):
        assert (run / name).is_file(), name
    results = json.loads((run / "results.json").read_text())
    assert set(results) >= CONTRACT_KEYS
    assert results["status"] == "complete"
    assert results["stop_reason"] == "trial count reached"
    verdict = results["verdict"]
    assert set(verdict) >= VERDICT_KEYS
    assert verdict["decision"] in {"shallow", "deep", "inconclusive"}
    # the three reference trials, one per depth class, are the finalists
    classes = [t["depth_class"] for t in results["trials"]]
    assert classes == ["linear", "shallow", "deep"]
    for number, depth_class in enumerate(classes):
        assert verdict[depth_class]["trial"] == number
        assert len(verdict[depth_class]["scores"]) == 2  # --folds 2 --repeats 1: paired
    assert set(verdict["crossover"]["fractions"]) == {0.1, 0.25, 0.5, 1.0}
    assert verdict["cost"]["deep"]["params"] > verdict["cost"]["shallow"]["params"]
    assert results["target"] == "species" and results["task"] == "classification"
    assert len(results["trials"]) == 3
    assert all(set(t) >= TRIAL_KEYS for t in results["trials"])
    assert results["export"]["trial"] == results["best"]["trial"]
    assert set(results["test"]) == {"accuracy", "balanced_accuracy", "roc_auc"}
    assert results["manifest"]["command"].startswith("automl search examples/penguins.csv")
    assert len(results["manifest"]["data_sha256"]) == 64
    assert len(pd.read_csv(run / "leaderboard.csv")) == 3
    log = (penguins_run / "search.log").read_text()
    assert "trials" in log and "report" in log and "Traceback" not in log
    assert verdict["headline"].split(":")[0] in log  # the summary states the verdict


@pytest.mark.slow
def test_predict_matches_a_plain_keras_process(penguins_run: Path, tmp_path: Path) -> None:
    model = penguins_run / "reports" / "penguins" / "best_model.keras"
    data = penguins_run / "examples" / "penguins.csv"
    output = tmp_path / "predictions.csv"
    result = runner.invoke(app, ["predict", str(model), str(data), "-o", str(output), "--proba"])
    assert result.exit_code == 0, result.output
    written = pd.read_csv(output)
    assert list(written.columns) == [
        "prediction",
        "probability_Adelie",
        "probability_Chinstrap",
        "probability_Gentoo",
    ]
    script = f"""
import json, sys
import keras, pandas as pd
model = keras.saving.load_model({str(model)!r})
frame = pd.read_csv({str(data)!r})
inputs = {{name: frame[name].fillna("").astype(str).to_numpy() if t.dtype == "string"
          else frame[name].to_numpy("float32") for name, t in model.input.items()}}
out = model.predict(inputs, verbose=0)
print(json.dumps({{"labels": [v.decode() for v in out["label"]],
                  "proba": out["probabilities"].tolist(), "ours": "deepenough" in sys.modules}}))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    plain = json.loads(done.stdout.strip().splitlines()[-1])
    assert plain["ours"] is False
    assert plain["labels"] == written["prediction"].tolist()
    np.testing.assert_allclose(plain["proba"], written.iloc[:, 1:].to_numpy(), atol=1e-6)


@pytest.mark.slow
def test_predict_errors_are_one_line(penguins_run: Path, tmp_path: Path) -> None:
    model = penguins_run / "reports" / "penguins" / "best_model.keras"
    frame = pd.read_csv(penguins_run / "examples" / "penguins.csv")
    lacking = write(tmp_path, "lacking.csv", frame.drop(columns="island").to_csv(index=False))
    unseen = write(tmp_path, "unseen.csv", frame.assign(island="Atlantis").to_csv(index=False))
    for args, message in (
        ([str(tmp_path / "absent.keras"), lacking], "No such model file"),
        ([lacking, lacking], "could not be loaded as a Keras model"),
        ([str(model), lacking], "lacks columns the model needs: 'island'"),
        ([str(model), unseen], "never saw: 'Atlantis'"),
    ):
        result = runner.invoke(app, ["predict", *args, "-o", str(tmp_path / "p.csv")])
        assert result.exit_code == 2, result.output
        assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "p.csv").exists()


@pytest.mark.slow
def test_a_second_search_into_the_same_run_is_refused(penguins_run: Path) -> None:
    done = subprocess.run(
        [AUTOML, "search", "examples/penguins.csv"],
        cwd=penguins_run,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "already holds a run" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.slow
def test_report_is_rerendered_from_results_json(penguins_run: Path, tmp_path: Path) -> None:
    import shutil

    run = tmp_path / "copy"
    shutil.copytree(penguins_run / "reports" / "penguins", run)
    (run / "report.html").unlink()
    result = runner.invoke(app, ["report", str(run)])
    assert result.exit_code == 0, result.output
    assert (run / "report.html").read_text() == (
        penguins_run / "reports" / "penguins" / "report.html"
    ).read_text()


def test_spaces_list_and_show() -> None:
    listed = runner.invoke(app, ["spaces", "list"])
    assert listed.exit_code == 0
    for name in ("default", "tabular", "sequence", "image", "quick"):
        assert name in listed.stdout
    shown = runner.invoke(app, ["spaces", "show", "quick"])
    assert shown.exit_code == 0 and "families:" in shown.stdout
    missing = runner.invoke(app, ["spaces", "show", "nope"])
    assert missing.exit_code == 2 and "Unknown search space 'nope'" in missing.stderr
