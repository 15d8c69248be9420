"""deepenough against its peers at equal wall time: reports/benchmarks/peers.md.

    pip install --no-deps aeon==1.6.0            # the UCR files (read, not imported)
    python -m venv bench/.venv-autokeras         # AutoKeras 3 wants an older Keras
    bench/.venv-autokeras/bin/pip install autokeras==3.0.0 keras==3.8.0 tensorflow-cpu \\
        tensorboard pandas scikit-learn
    python bench/peers.py                        # every data set (about 40 minutes)
    python bench/peers.py wine ArrowHead --seconds 90

Every tool gets the same train/test split and the same wall time per data set: deepenough
runs `automl search TRAIN.csv [--test-data TEST.csv] --time-budget T --workers 2`, verdict
included, and each neural peer (`bench/peers_tools.py`) searches for T seconds, then
refits its best config on every training row. Tabular sets are split 80/20 (stratified,
seed 0) and deepenough is given the test file, so that it trains on every training row
as the peers do; UCR sets keep their official split and deepenough sees only the
training file, as a user with that file would. Every tool is scored the same way, by
this script, on the test rows: deepenough's exported `.keras` file as reloaded. The
score is accuracy for classification, R² for regression.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from machine import describe_machine
from sklearn.model_selection import train_test_split
from ucr import read_ts
from verdict_tasks import BY_NAME

REPO = Path(__file__).resolve().parents[1]
RUNS = REPO / "reports" / "bench-peers"
TABLE = REPO / "reports" / "benchmarks" / "peers.md"
NOTES_MARKER = "<!-- notes: kept when the table is rewritten -->"
AUTOKERAS_PYTHON = REPO / "bench" / ".venv-autokeras" / "bin" / "python"
NEURAL_PEERS = ("random", "hyperband", "autokeras")
TOOLS = ("deepenough", *NEURAL_PEERS, "logistic", "hgb")
TOOL_NAMES = {
    "deepenough": "deepenough",
    "random": "KerasTuner RandomSearch",
    "hyperband": "KerasTuner Hyperband",
    "autokeras": "AutoKeras 3",
    "logistic": "logistic / ridge",
    "hgb": "HistGradientBoosting",
}
DEFAULT_SECONDS = 60
SECONDS = {"digits": 120}
"""Larger sets get more time; every tool gets the same."""
PUBLISHED_UCR = {  # test accuracy of MLP and FCN, Fawaz et al. 2019, Table 3 (UCR 2015)
    "ArrowHead": (0.784, 0.843),
    "GunPoint": (0.927, 1.000),
    "ItalyPowerDemand": (0.954, 0.961),
}


@dataclass(frozen=True)
class DataSet:
    name: str
    about: str
    target: str
    task: str
    train: pd.DataFrame
    test: pd.DataFrame
    official_split: bool


def tabular(name: str, target: str, task: str, about: str, source: str = "") -> DataSet:
    """`source`'s frame (bench/verdict_tasks.py; `name` by default), rows with a target."""
    frame = BY_NAME[source or name].make().dropna(subset=[target])
    stratify = frame[target] if task == "classification" else None
    train, test = train_test_split(frame, test_size=0.2, random_state=0, stratify=stratify)
    return DataSet(name, about, target, task, train, test, official_split=False)


def ucr(name: str) -> DataSet:
    import importlib.util

    spec = importlib.util.find_spec("aeon")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("aeon is not installed: pip install --no-deps aeon==1.6.0")
    folder = Path(spec.submodule_search_locations[0]) / "datasets" / "data" / name
    train, test = (read_ts(folder / f"{name}_{s}.ts") for s in ("TRAIN", "TEST"))
    return DataSet(name, "UCR, official split", "label", "classification", train, test, True)


DATA_SETS = {
    "breast_cancer": lambda: tabular(
        "breast_cancer", "diagnosis", "classification", "scikit-learn"
    ),
    "wine": lambda: tabular("wine", "cultivar", "classification", "scikit-learn"),
    "digits": lambda: tabular("digits", "digit", "classification", "scikit-learn, 8 × 8"),
    "penguins": lambda: tabular("penguins", "species", "classification", "palmerpenguins"),
    "diabetes": lambda: tabular("diabetes", "progression", "regression", "scikit-learn"),
    "penguins_mass": lambda: tabular(
        "penguins_mass", "body_mass_g", "regression", "palmerpenguins, body mass", "penguins"
    ),
    "ArrowHead": lambda: ucr("ArrowHead"),
    "GunPoint": lambda: ucr("GunPoint"),
    "ItalyPowerDemand": lambda: ucr("ItalyPowerDemand"),
}


def write_files(data: DataSet) -> tuple[Path, Path]:
    folder = RUNS / data.name
    folder.mkdir(parents=True, exist_ok=True)
    paths = folder / "train.csv", folder / "test.csv"
    data.train.to_csv(paths[0], index=False)
    data.test.to_csv(paths[1], index=False)
    return paths


def run_deepenough(data: DataSet, train: Path, test: Path, seconds: int, workers: str) -> dict:
    out = RUNS / data.name / "deepenough"
    command = [str(Path(sys.executable).with_name("automl")), "search", str(train)]
    if not data.official_split:
        command += ["--test-data", str(test)]
    command += ["--target", data.target, "--time-budget", f"{seconds}s", "--trials", "500"]
    command += ["--workers", workers, "--out", str(out), "--overwrite", "-q"]
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True)
    wall = time.monotonic() - started
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr else "failed"}
    results = json.loads((out / "results.json").read_text())
    return {
        "score": score_export(out / "best_model.keras", data),
        "wall_seconds": wall,
        "trials": len(results["trials"]),
        "verdict": results["verdict"]["decision"],
        "by_family": by_family(results["trials"]),
        "search_folds": results["data"]["split"].get("search_folds", 0),
    }


def score_export(path: Path, data: DataSet) -> float:
    """The exported file's test score, as reloaded in plain Keras."""
    import keras

    from deepenough.export import predict_frame

    outputs = predict_frame(keras.saving.load_model(path), data.test.drop(columns=data.target))
    truth = data.test[data.target].to_numpy()
    if data.task == "classification":
        return float(np.mean(outputs["label"].astype(str) == truth.astype(str)))
    residual = np.sum((truth - outputs["prediction"].reshape(-1)) ** 2)
    return float(1 - residual / np.sum((truth - truth.mean()) ** 2))


def by_family(trials: list[dict]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for trial in trials:
        family = counts.setdefault(trial["family"], {"trials": 0, "pruned": 0})
        family["trials"] += 1
        family["pruned"] += trial["status"] == "pruned"
    return counts


def run_peer(tool: str, data: DataSet, train: Path, test: Path, seconds: int) -> dict:
    python = str(AUTOKERAS_PYTHON) if tool == "autokeras" else sys.executable
    if tool == "autokeras" and not AUTOKERAS_PYTHON.exists():
        return {"error": f"not installed: no {AUTOKERAS_PYTHON.relative_to(REPO)}"}
    out = RUNS / data.name / f"{tool}.json"
    out.unlink(missing_ok=True)
    script = REPO / "bench" / "peers_tools.py"
    command = [python, str(script), tool, str(train), str(test), data.target, data.task]
    command += [str(seconds), str(out)]
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run(
        command, cwd=RUNS / data.name, capture_output=True, text=True, env=env, timeout=seconds * 5
    )
    if done.returncode != 0 or not out.exists():
        lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
        return {"error": lines[-1][:200] if lines else f"exit {done.returncode}"}
    return json.loads(out.read_text())


def measure(name: str, tools: tuple[str, ...], workers: str, seconds: int | None) -> dict:
    data = DATA_SETS[name]()
    budget = seconds or SECONDS.get(name, DEFAULT_SECONDS)
    train, test = write_files(data)
    row: dict = {
        "name": name,
        "about": data.about,
        "task": data.task,
        "rows": (len(data.train), len(data.test)),
        "seconds": budget,
        "official_split": data.official_split,
    }
    for tool in tools:
        print(f"{name}: {tool} ...", flush=True)
        if tool == "deepenough":
            row[tool] = run_deepenough(data, train, test, budget, workers)
        else:
            row[tool] = run_peer(tool, data, train, test, budget)
        print(f"  {row[tool]}", flush=True)
    return row


def cell(result: dict | None) -> str:
    if not result:
        return "—"
    if "error" in result:
        return f"failed: {result['error'].replace('|', '/')}"
    return f"{result['score']:.3f} ({result['wall_seconds']:.0f} s)"


def scores(row: dict, tools: tuple[str, ...]) -> dict[str, float]:
    return {t: row[t]["score"] for t in tools if row.get(t) and "score" in row[t]}


def table_lines(rows: list[dict]) -> list[str]:
    header = ["data", "rows (train + test)", "score", *(TOOL_NAMES[t] for t in TOOLS)]
    header += ["deepenough's rank", "vs best neural peer", "verdict", "note"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        found = scores(row, TOOLS)
        neural = scores(row, NEURAL_PEERS)
        ours = found.get("deepenough")
        rank = 1 + sum(v > ours for v in found.values()) if ours is not None else None
        gap = (
            f"{100 * (ours - max(neural.values())):+.1f} points"
            if ours is not None and neural
            else "—"
        )
        notes = []
        nets = [v for t, v in found.items() if t in ("deepenough", *NEURAL_PEERS)]
        if "hgb" in found and nets and found["hgb"] > max(nets):
            notes.append("gradient boosting beats every neural net")
        if row["name"] in PUBLISHED_UCR:
            mlp, fcn = PUBLISHED_UCR[row["name"]]
            notes.append(f"published MLP {mlp:.3f}, FCN {fcn:.3f}")
        deep = row.get("deepenough") or {}
        metric = "accuracy" if row["task"] == "classification" else "R²"
        lines.append(
            "| "
            + " | ".join(
                [
                    f"{row['name']} ({row['about']})",
                    f"{row['rows'][0]} + {row['rows'][1]}",
                    f"{metric}, {row['seconds']} s each",
                    *(cell(row.get(t)) for t in TOOLS),
                    f"{rank} of {len(found)}" if rank else "—",
                    gap,
                    deep.get("verdict", "—"),
                    "; ".join(notes),
                ]
            )
            + " |"
        )
    return lines


def pruning_lines(rows: list[dict]) -> list[str]:
    totals: dict[str, dict[str, int]] = {}
    for row in rows:
        for family, counts in (row.get("deepenough") or {}).get("by_family", {}).items():
            total = totals.setdefault(family, {"trials": 0, "pruned": 0})
            total["trials"] += counts["trials"]
            total["pruned"] += counts["pruned"]
    lines = ["| family | trials | pruned | share pruned |", "|---|---|---|---|"]
    for family, total in sorted(totals.items()):
        share = total["pruned"] / max(total["trials"], 1)
        lines.append(f"| {family} | {total['trials']} | {total['pruned']} | {share:.0%} |")
    return lines


def commit() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


def write_table(rows: list[dict], argv: list[str]) -> None:
    notes = ""
    if TABLE.exists() and NOTES_MARKER in TABLE.read_text():
        notes = TABLE.read_text().split(NOTES_MARKER, 1)[1]
    lines = [
        "# deepenough against its peers at equal wall time",
        "",
        f"Command: `{shlex.join(['python', 'bench/peers.py', *argv])}` · commit {commit()} · "
        f"machine: {describe_machine()} · date {datetime.date.today().isoformat()}",
        "",
        "Each data set gives every tool the same train/test split and the same wall time",
        "(`score` column): deepenough's `--time-budget`, which includes its verdict, and",
        "each peer's search, after which it refits its best config on every training row.",
        "The peers' spaces: KerasTuner over an MLP of depth 1–6, 32–512 units, dropout",
        "0–0.5, learning rate 1e-4–1e-2 (RandomSearch, and Hyperband with 100 epochs,",
        "factor 3); AutoKeras 3's StructuredData task, in its own virtual environment",
        "(Keras 3.8). Cells are the test score and the measured wall time. Tabular sets",
        "are split 80/20 (stratified, seed 0); UCR sets keep their official split, and",
        "deepenough is given only the training file. Every score is computed by",
        "bench/peers.py on the test rows, deepenough's from its exported file as",
        "reloaded in plain Keras. The rank counts every tool, scikit-learn's included.",
        "",
        *table_lines(rows),
        "",
        "## Pruned trials per family (deepenough, all data sets above)",
        "",
        *pruning_lines(rows),
        "",
        NOTES_MARKER + notes.rstrip("\n"),
        "",
    ]
    TABLE.write_text("\n".join(lines).replace(NOTES_MARKER + "\n\n", NOTES_MARKER + "\n"))
    (RUNS / "peers.json").write_text(json.dumps(rows, indent=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"data sets (default: all of {list(DATA_SETS)})")
    parser.add_argument("--tools", nargs="+", choices=TOOLS, default=list(TOOLS))
    parser.add_argument("--workers", default="2")
    parser.add_argument("--seconds", type=int, help="one budget for every data set")
    args = parser.parse_args()
    names = args.names or list(DATA_SETS)
    unknown = [name for name in names if name not in DATA_SETS]
    if unknown:
        parser.error(f"unknown data set {unknown[0]!r}; choose from {list(DATA_SETS)}")
    RUNS.mkdir(parents=True, exist_ok=True)
    rows = [measure(name, tuple(args.tools), args.workers, args.seconds) for name in names]
    write_table(rows, sys.argv[1:])
    print(TABLE.read_text())


if __name__ == "__main__":
    main()
