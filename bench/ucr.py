"""UCR benchmark: official train/test splits as wide CSVs, searched with the default space.

The splits come from the files bundled in the aeon wheel, read straight from the
installed package (aeon is not imported, so none of its dependencies are needed
and nothing is downloaded):

    pip install --no-deps aeon==1.6.0
    python bench/ucr.py --workers 2               # all data sets: reports/benchmarks/families.md
    python bench/ucr.py GunPoint --workers 2 --trials 40  # one data set

Each data set is written to bench/data/<Name>_train.csv and <Name>_test.csv
(columns t0 ... t<L-1>, then `label`), then searched with

    automl search <Name>_train.csv --test-data <Name>_test.csv --trials N --time-budget T \
        --workers W

and the test accuracy, the best family and depth, and the wall time are tabulated
beside published accuracies (Fawaz et al. 2019, "Deep learning for time series
classification: a review", mean over runs: MLP, FCN, ResNet).
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import os
import platform
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "bench" / "data"
RUNS = REPO / "reports" / "bench-ucr"
TABLE = REPO / "reports" / "benchmarks" / "families.md"
BUDGETS = {"GunPoint": "25m", "ItalyPowerDemand": "8m", "OSULeaf": "15m"}
PUBLISHED = {  # test accuracy (%) of MLP, FCN, ResNet in Fawaz et al. 2019, Table 3
    "GunPoint": (92.7, 100.0, 99.1),
    "ItalyPowerDemand": (95.4, 96.1, 96.3),
    "OSULeaf": (55.7, 97.7, 97.9),
}


def read_ts(path: Path) -> pd.DataFrame:
    """A univariate, equal-length .ts file as a frame: t0 ... t<L-1>, label."""
    rows, labels, in_data = [], [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not in_data:
            in_data = line.lower() == "@data"
            continue
        values, label = line.rsplit(":", 1)
        rows.append([float(v) for v in values.split(",")])
        labels.append(label)
    frame = pd.DataFrame(rows, columns=[f"t{i}" for i in range(len(rows[0]))])
    return frame.assign(label=labels)


def write_csvs(name: str) -> tuple[Path, Path]:
    spec = importlib.util.find_spec("aeon")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("aeon is not installed: pip install --no-deps aeon==1.6.0")
    folder = Path(spec.submodule_search_locations[0]) / "datasets" / "data" / name
    DATA.mkdir(parents=True, exist_ok=True)
    paths = []
    for split in ("train", "test"):
        path = DATA / f"{name}_{split}.csv"
        read_ts(folder / f"{name}_{split.upper()}.ts").to_csv(path, index=False)
        paths.append(path)
    return paths[0], paths[1]


def run(name: str, trials: int, budget: str, workers: str) -> dict:
    train, test = write_csvs(name)
    out = RUNS / name
    command = [
        "automl",
        "search",
        str(train.relative_to(REPO)),
        "--test-data",
        str(test.relative_to(REPO)),
        "--trials",
        str(trials),
        "--time-budget",
        budget,
        "--workers",
        workers,
        "--out",
        str(out.relative_to(REPO)),
        "--overwrite",
        "-q",
    ]
    automl = str(Path(sys.executable).with_name("automl"))
    started = time.monotonic()
    done = subprocess.run([automl, *command[1:]], cwd=REPO, capture_output=True, text=True)
    wall = time.monotonic() - started
    if done.returncode != 0:
        sys.exit(f"{name} failed:\n{done.stderr[-3000:]}")
    results = json.loads((out / "results.json").read_text())
    best = next(t for t in results["trials"] if t["number"] == results["best"]["trial"])
    families = {}
    for trial in results["trials"]:
        if trial["status"] == "complete" and trial["value"] is not None:
            families[trial["family"]] = max(families.get(trial["family"], 0.0), trial["value"])
    return {
        "name": name,
        "command": shlex.join(command),
        "accuracy": results["test"]["accuracy"],
        "best": f"{best['family']} depth {best['depth']} ({best['depth_class']})",
        "trials": len(results["trials"]),
        "stop": results["stop_reason"],
        "wall": wall,
        "rows": results["data"]["split"],
        "families": families,
    }


def write_table(rows: list[dict]) -> None:
    cores = os.cpu_count()
    lines = [
        "# Families on UCR time-series classification",
        "",
        f"Machine: {platform.machine()}, {cores} CPU cores, no GPU, "
        f"{platform.python_version()} · date {datetime.date.today().isoformat()}",
        "",
        f"Command: `{shlex.join(['python', 'bench/ucr.py', *sys.argv[1:]])}`; each data set "
        "runs the command listed",
        "below on the official UCR train/test split, default search space, seed 0. Published",
        "accuracies:",
        "Fawaz et al. 2019, *Deep learning for time series classification: a review*.",
        "",
        "| data set | test accuracy | published MLP / FCN / ResNet | best trial | trials | "
        "stopped by | wall time |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        mlp, fcn, resnet = PUBLISHED[row["name"]]
        lines.append(
            f"| {row['name']} | **{100 * row['accuracy']:.1f}%** | {mlp} / {fcn} / {resnet} | "
            f"{row['best']} | {row['trials']} | {row['stop']} | {row['wall'] / 60:.1f} min |"
        )
    lines += ["", "Best validation accuracy reached by each family in the search:", ""]
    lines += ["| data set | " + " | ".join(sorted({f for r in rows for f in r["families"]})) + " |"]
    names = sorted({f for r in rows for f in r["families"]})
    lines += ["|---|" + "---|" * len(names)]
    for row in rows:
        cells = [f"{100 * row['families'][f]:.0f}%" if f in row["families"] else "—" for f in names]
        lines.append(f"| {row['name']} | " + " | ".join(cells) + " |")
    lines += ["", "Commands:", ""] + [f"- `{row['command']}`" for row in rows]
    TABLE.write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", default=list(PUBLISHED))
    parser.add_argument("--trials", type=int, default=40)
    parser.add_argument(
        "--time-budget",
        help="for every data set [default: per data set, "
        f"{', '.join(f'{k} {v}' for k, v in BUDGETS.items())}]",
    )
    parser.add_argument(
        "--workers", required=True, help="trials at once (a number or auto; 1 repeats a run)"
    )
    args = parser.parse_args()
    rows = []
    for name in args.names:
        print(f"{name} …", flush=True)
        rows.append(run(name, args.trials, args.time_budget or BUDGETS[name], args.workers))
        print(
            f"  test accuracy {rows[-1]['accuracy']:.3f}, {rows[-1]['wall'] / 60:.1f} min",
            flush=True,
        )
    write_table(rows)
    print(f"wrote {TABLE.relative_to(REPO)}")


if __name__ == "__main__":
    main()
