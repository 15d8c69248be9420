"""Memory benchmark: does resident memory stay flat across trials?

    python bench/memory.py                 # 50 trials each way on examples/penguins.csv
    python bench/memory.py --trials 20     # a quicker look

Runs the search loop (the default space, Optuna, the depth plan; no verdict or export)
both ways in one command, each in a fresh process of its own: with every trial trained
in the search process, and with trials trained in a child process replaced every 10
trials (one worker of `train.WorkerPool`, what `automl search --workers 1` does). After
each trial it records the resident set size (RSS, from /proc, so Linux only) of the
search process plus its children, and writes
reports/benchmarks/memory.md: the command, machine, date, both RSS curves and the
growth from trial 5 to the last (target: under 15%).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe_machine

REPO = Path(__file__).resolve().parents[1]
TABLE = REPO / "reports" / "benchmarks" / "memory.md"
TARGET_GROWTH = 0.15
BASELINE_TRIAL = 5
MODES = {"in this process": True, "in a recycled child process": False}
"""Mode name → `in_process`."""


def rss_mib(pid: int | str = "self") -> float:
    """Resident memory of `pid` and, recursively, of its children."""
    proc = Path("/proc") / str(pid)
    try:
        total = int((proc / "statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        children = [
            child
            for task in (proc / "task").iterdir()
            for child in (task / "children").read_text().split()
        ]
    except (FileNotFoundError, ProcessLookupError):  # a child that just ended
        return 0.0
    return total / 2**20 + sum(rss_mib(child) for child in children)


def measure(data: str, trials: int, in_process: bool) -> tuple[list[float], float]:
    """RSS after each trial, and the minutes the loop took."""
    from deepenough import models
    from deepenough._hardware import detect, plan_workers
    from deepenough.backends import BackendSettings, make_backend, run_trials
    from deepenough.data import load_dataset
    from deepenough.metrics import get_metric
    from deepenough.spaces import load_space
    from deepenough.train import PackedData, PooledTrials, TrialObjective, WorkerPool
    from deepenough.verdict import DepthPlan

    dataset = load_dataset(REPO / data)
    spec = dataset.spec
    space = load_space("default", models.catalog()).for_modality(spec.modality)
    metric = get_metric(None, spec.task)
    encoder = models.build_encoder(spec)
    train, validation = (
        PackedData(models.encode(encoder, split.features, spec), split.target)
        for split in (dataset.train, dataset.validation)
    )
    objective = TrialObjective(spec, space, metric, train, validation)
    curve: list[float] = []

    def record(result) -> None:
        curve.append(rss_mib())
        print(
            f"trial {result.number:3d} {result.config.family:12s} {curve[-1]:8.1f} MiB",
            file=sys.stderr,
            flush=True,
        )

    started = time.monotonic()
    with tempfile.TemporaryDirectory() as run_dir:
        backend = make_backend(
            "optuna", space, BackendSettings(Path(run_dir), metric.direction, seed=0)
        )
        with WorkerPool(plan_workers(1, detect()), in_process=in_process) as pool:
            runner = PooledTrials(pool, objective)
            run_trials(backend, runner, n_trials=trials, on_trial=record, plan=DepthPlan(space, 0))
    return curve, (time.monotonic() - started) / 60


def growth(curve: list[float]) -> float:
    return curve[-1] / curve[min(BASELINE_TRIAL, len(curve)) - 1] - 1


def main() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--data", default="examples/penguins.csv")
    parser.add_argument("--mode", choices=list(MODES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mode:  # one side, in a process of its own: print its curve as JSON
        curve, minutes = measure(args.data, args.trials, MODES[args.mode])
        print("RESULT " + json.dumps({"curve": curve, "minutes": minutes}))
        return
    results = {}
    for mode in MODES:
        print(f"-- trials {mode}", flush=True)
        side = ["--mode", mode, "--trials", str(args.trials), "--data", args.data]
        done = subprocess.run(
            [sys.executable, __file__, *side],
            stdout=subprocess.PIPE,
            text=True,
            check=True,
        )
        line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
        found = json.loads(line.removeprefix("RESULT "))
        results[mode] = (found["curve"], found["minutes"])
    write_table(results, args)


def write_table(results: dict[str, tuple[list[float], float]], args: argparse.Namespace) -> None:
    import keras
    import tensorflow as tf

    command = shlex.join(["python", "bench/memory.py", *sys.argv[1:]])
    # each side ran in a fresh process: the numbers are those of its search process
    (in_this, this_minutes), (recycled, child_minutes) = results.values()
    lines = [
        "# Memory across trials",
        "",
        f"Command: `{command}` · data `{args.data}`, default space, {args.trials} trials each "
        f"way · machine: {describe_machine()} · TensorFlow {tf.__version__}, "
        f"Keras {keras.__version__} · date {datetime.date.today().isoformat()}",
        "",
        "Resident memory of the search process and its children after each trial, trials "
        "trained in the search process itself and in a child process replaced every 10 "
        "trials (what `automl search` does). Keras keeps a few MiB per trained model that "
        "`keras.utils.clear_session(free_memory=True)` does not release "
        "(keras-team/keras#17458), so only the second stays flat. The child holds a "
        "TensorFlow of its own, so it starts higher: on short runs it costs memory, on "
        "long ones it bounds it.",
        "",
        "| trials | RSS after trial 5 | after the last | growth | target < 15% | loop time |",
        "|---|---|---|---|---|---|",
    ]
    for mode, (curve, minutes) in results.items():
        base = curve[min(BASELINE_TRIAL, len(curve)) - 1]
        change = growth(curve)
        lines.append(
            f"| {mode} | {base:.0f} MiB | {curve[-1]:.0f} MiB | {100 * change:+.1f}% | "
            f"{'met' if change < TARGET_GROWTH else 'not met'} | {minutes:.1f} min |"
        )
    lines += [
        "",
        f"Ratio of the growths (recycled child ÷ this process): "
        f"{growth(recycled) / growth(in_this):.2f}; of the loop times: "
        f"{child_minutes / this_minutes:.2f} (a child takes a few seconds to start).",
        "",
        "| after trial | " + " | ".join(f"RSS, {mode} (MiB)" for mode in results) + " |",
        "|---|---|---|",
        *(
            f"| {n + 1} | {a:.0f} | {b:.0f} |"
            for n, (a, b) in enumerate(zip(in_this, recycled, strict=False))
        ),
        "",
    ]
    TABLE.parent.mkdir(parents=True, exist_ok=True)
    TABLE.write_text("\n".join(lines), encoding="utf-8")
    for mode, (curve, _) in results.items():
        print(f"{mode}: growth {100 * growth(curve):+.1f}% from trial {BASELINE_TRIAL}")
    print(f"wrote {TABLE.relative_to(REPO)}")


if __name__ == "__main__":
    main()
