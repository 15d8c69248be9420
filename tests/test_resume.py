"""Crashes and interruptions, with a real `automl search` process and real signals."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import optuna
import pytest
from optuna.storages import JournalStorage
from optuna.storages.journal import JournalFileBackend

pytestmark = pytest.mark.slow

TRIALS = 6
WORKERS = 2
"""Trials in flight: every crash and interruption below catches two of them training."""


def start(folder: Path, *extra: str) -> subprocess.Popen:
    automl = Path(sys.executable).with_name("automl")
    command = [str(automl), "search", "classes.csv", "--space", "space.yaml", "--out", "run"]
    command += ["--trials", str(TRIALS), "--folds", "2", "--repeats", "1"]
    command += ["--workers", str(WORKERS), *extra]
    return subprocess.Popen(
        command,
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_default_sigint,
    )


def _default_sigint() -> None:
    """A shell without job control starts background jobs with SIGINT ignored, and the
    search would inherit that (as it should: a user's `automl search … &` is meant to
    be immune to Ctrl-C). The suite may run that way, so the search gets a terminal's
    default back."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def wait_for_running_trials(folder: Path, process: subprocess.Popen, complete: int = 2):
    """Poll the backend's state until `complete` trials finished and `WORKERS` more are
    training; returns the finished trials' (number, value) and the running ones' numbers."""
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1][-2000:]
        finished, running = backend_state(folder / "run")
        if len(finished) >= complete and len(running) == WORKERS:
            return finished, running
        time.sleep(0.2)
    pytest.fail(f"the search never had {WORKERS} trials running at once")


def backend_state(run: Path) -> tuple[list[tuple[int, float]], set[int]]:
    """The finished trials' (number, value) and the running ones' numbers, as the
    backend's own files have them."""
    return (_optuna_state if (run / "study.journal").exists() else _tuner_state)(run)


def _optuna_state(run: Path) -> tuple[list[tuple[int, float]], set[int]]:
    storage = JournalStorage(JournalFileBackend(str(run / "study.journal")))
    trials = optuna.load_study(study_name="deepenough", storage=storage).trials
    finished = [(t.number, t.value) for t in trials if t.state.is_finished()]
    running = {t.number for t in trials if t.state == optuna.trial.TrialState.RUNNING and t.params}
    return finished, running


def _tuner_state(run: Path) -> tuple[list[tuple[int, float]], set[int]]:
    """KerasTuner's oracle writes a trial.json per trial (RUNNING from the start); our
    record of each finished one is a line of deepenough_trials.jsonl. A resumed search
    numbers the trials it finds running after the finished ones, so those are the
    numbers their interrupted records will carry."""
    state = run / "kerastuner"
    records = state / "deepenough_trials.jsonl"
    lines = records.read_text().splitlines() if records.exists() else []
    ended = [json.loads(line) for line in lines if line.endswith("}")]
    finished = [(r["result"]["number"], r["result"]["value"]) for r in ended]
    ids = {r["trial_id"] for r in ended}
    running = 0
    for path in state.glob("trial_*/trial.json"):
        try:
            trial = json.loads(path.read_text())
        except json.JSONDecodeError:  # being written
            continue
        running += trial.get("status") == "RUNNING" and trial["trial_id"] not in ids
    return finished, set(range(len(finished), len(finished) + running))


@pytest.fixture
def folder(tmp_path: Path, classification_frame, tiny_space: Path) -> Path:
    """The data, and the tiny space with trials long enough (40 epochs) to interrupt."""
    classification_frame.to_csv(tmp_path / "classes.csv", index=False)
    space = tiny_space.read_text().replace("max_epochs: 3", "max_epochs: 40")
    (tmp_path / "space.yaml").write_text(space.replace("patience: 2", "patience: 40"))
    return tmp_path


@pytest.mark.parametrize(
    "backend", [(), ("--backend", "kerastuner", "--tuner", "random")], ids=["optuna", "kerastuner"]
)
def test_kill_9_then_resume_keeps_every_trial_and_reruns_the_interrupted_ones(
    folder, backend
) -> None:
    process = start(folder, *backend)
    before, _ = wait_for_running_trials(folder, process)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    _, killed = backend_state(folder / "run")  # as the kill left them
    assert killed
    assert not (folder / "run" / "results.json").exists()  # nothing claims success

    resumed = start(folder, "--resume", *backend)
    _, stderr = resumed.communicate(timeout=600)
    assert resumed.returncode == 0, stderr[-3000:]
    results = json.loads((folder / "run" / "results.json").read_text())
    trials = {t["number"]: t for t in results["trials"]}
    assert len(trials) == len(results["trials"])  # numbers never collide
    assert {n for n, t in trials.items() if t["status"] == "interrupted"} == killed
    assert sum(t["status"] != "interrupted" for t in trials.values()) == TRIALS
    for number, value in before:  # what finished before the kill is kept as it was
        assert trials[number]["value"] == pytest.approx(value)
    reruns = {t["rerun_of"]: t for t in trials.values() if t.get("rerun_of") is not None}
    assert set(reruns) == killed  # each interrupted config trains again, once
    for number, rerun in reruns.items():
        assert rerun["number"] > number and rerun["status"] != "interrupted"
        assert rerun["hyperparameters"] == trials[number]["hyperparameters"]
    assert results["status"] == "complete"
    assert (folder / "run" / "best_model.keras").is_file()
    report = (folder / "run" / "report.html").read_text()
    for rerun in reruns.values():
        assert f"trained again as trial {rerun['number']}" in report


def test_ctrl_c_stops_gracefully_and_writes_what_finished(folder) -> None:
    process = start(folder)
    before, running = wait_for_running_trials(folder, process)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 130, stderr[-3000:]
    assert "Traceback" not in stderr
    results = json.loads((folder / "run" / "results.json").read_text())
    assert results["status"] == "interrupted"
    statuses = {t["number"]: t["status"] for t in results["trials"]}
    assert {statuses[number] for number in running} == {"interrupted"}  # both of them
    assert {number for number, _ in before} <= set(statuses)
    assert results["export"]["trial"] in statuses
    for name in ("report.html", "best_model.keras", "leaderboard.csv"):
        assert (folder / "run" / name).is_file()
