"""Parallel-workers benchmark: what several trials at once buy on this machine.

    python bench/parallel.py                           # 1 then 2 workers, 30 trials
    python bench/parallel.py --workers 1,2,4 --trials 10 --repeats 1   # the GPU check's quick look

In one command, for each worker count in turn (each measurement in a fresh process of
its own, whose whole process tree is sampled for memory):

- **Trials per hour.** The same configs, sampled once from the default space (seed 0,
  with the depth plan) and trained in the same order with pruning off, on a tabular task
  (XOR of 2 of 10 features, 2,000 rows) and a sequence task (two pulses 16 or 24 steps
  apart in 128-step series, 2,000 rows), both from bench/verdict_tasks.py.
- **End to end.** `deepenough.search` on the tabular task with the default space,
  `trials` trials and no time budget: the wall time of the search, of the verdict (its
  paired re-training and crossover) and of the whole run. It runs `--repeats` times,
  the worker counts taking turns, and the ratio is that of the median whole runs: with
  several workers the trials finish in another order each time, so the finalists, and
  the verdict's work, change from run to run, and one run of each is mostly luck.
- **Memory.** The peak resident memory of all processes together (the search and its
  workers), sampled every 0.2 s.

Writes reports/benchmarks/parallel.md (or `--table`) with the command, machine and date,
and each figure's ratio to the first worker count's. bench/gpu_check.sh runs the quick
look on a GPU machine.
"""

from __future__ import annotations

import argparse
import datetime
import json
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe_machine

REPO = Path(__file__).resolve().parents[1]
TABLE = REPO / "reports" / "benchmarks" / "parallel.md"
TASKS = {"tabular": "xor", "sequence": "pulse_pairs"}
"""Kind of data → the task of bench/verdict_tasks.py that stands for it."""
TARGETS = {"trials_per_hour": 1.5, "end_to_end": 0.7}
"""With 2 workers on 2 cores: at least 1.5× the trials an hour, at most 0.7× the wall time."""


# --- measurements, each in a process of its own ---------------------------------------


def _frame(kind: str):
    import verdict_tasks

    return verdict_tasks.BY_NAME[TASKS[kind]].make()


def measure_throughput(kind: str, workers: int, trials: int) -> dict:
    """Train the same `trials` configs on `workers` workers; seconds from the first start
    to the last result, worker start-up included."""
    from deepenough import models
    from deepenough._hardware import detect, plan_workers
    from deepenough.backends import BackendSettings, make_backend
    from deepenough.data import load_dataset
    from deepenough.metrics import get_metric
    from deepenough.spaces import load_space
    from deepenough.train import PackedData, PooledTrials, TrialObjective, WorkerPool
    from deepenough.verdict import DepthPlan

    dataset = load_dataset(_frame(kind), seed=0)
    space = load_space("default", models.catalog()).for_modality(dataset.spec.modality)
    encoder = models.build_encoder(dataset.spec)
    train, validation = (
        PackedData(models.encode(encoder, split.features, dataset.spec), split.target)
        for split in (dataset.train, dataset.validation)
    )
    metric = get_metric(None, dataset.spec.task)
    with tempfile.TemporaryDirectory() as folder:
        backend = make_backend(
            "optuna", space, BackendSettings(Path(folder), metric.direction, seed=0)
        )
        plan = DepthPlan(space, 0, metric.sign)
        proposals = []
        for _ in range(trials):  # sampled once, the same for every worker count
            proposal = backend.ask(plan([], [p.config for p in proposals]))
            proposals.append(proposal)
    objective = TrialObjective(dataset.spec, space, metric, train, validation, seed=0)
    queue = [type(p)(p.number, p.config) for p in proposals]  # pruning off
    results = []
    started = time.monotonic()
    with WorkerPool(plan_workers(workers, detect())) as pool:
        runner = PooledTrials(pool, objective)
        while queue or len(results) < trials:
            while queue and pool.idle:
                runner.start(queue.pop(0))
            results.append(runner.next_result())
    seconds = time.monotonic() - started
    return {
        "seconds": seconds,
        "trials_per_hour": 3600 * trials / seconds,
        "statuses": sorted({r.status for r in results}),
    }


class StageClock:
    """A search listener that notes when the verdict and the export begin."""

    def __init__(self) -> None:
        self.marks: dict[str, float] = {}

    def on_start(self, total: int, done: int) -> None:
        pass

    def on_trial(self, result, best) -> None:
        pass

    def on_stage(self, text: str) -> None:
        for stage in ("re-training the finalists", "refitting trial"):
            if text.startswith(stage):
                self.marks.setdefault(stage, time.monotonic())


def measure_end_to_end(workers: int, trials: int) -> dict:
    import deepenough

    clock = StageClock()
    with tempfile.TemporaryDirectory() as folder:
        started = time.monotonic()
        result = deepenough.search(
            _frame("tabular"),
            trials=trials,
            out=Path(folder) / "run",
            workers=workers,
            seed=0,
            listener=clock,
        )
        ended = time.monotonic()
    verdict_began = clock.marks.get("re-training the finalists", ended)
    export_began = clock.marks.get("refitting trial", ended)
    return {
        "search": verdict_began - started,
        "verdict": export_began - verdict_began,
        "whole": ended - started,
        "decision": result.results.verdict.decision if result.results.verdict else None,
        "trials": len(result.results.trials),
    }


# --- the driver ---------------------------------------------------------------------


def in_fresh_process(what: str, **arguments) -> dict:
    """Run measurement `what` in a new Python process; its result and the peak resident
    memory of its whole process tree."""
    command = [sys.executable, __file__, "_measure", what, json.dumps(arguments)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        root = psutil.Process(process.pid)
        while not done.is_set():
            try:
                tree = [root, *root.children(recursive=True)]
                peak[0] = max(peak[0], sum(_rss(p) for p in tree))
            except psutil.NoSuchProcess:
                pass
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = process.communicate()
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{what} {arguments} failed (exit {process.returncode})")
    return {**json.loads(out.strip().splitlines()[-1]), "peak_mib": peak[0] / 2**20}


def _rss(process: psutil.Process) -> int:
    try:
        return process.memory_info().rss
    except psutil.NoSuchProcess:
        return 0


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_measure":
        what, arguments = sys.argv[2], json.loads(sys.argv[3])
        measure = {"throughput": measure_throughput, "end_to_end": measure_end_to_end}[what]
        print(json.dumps(measure(**arguments)))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="1,2", help="worker counts, comma-separated")
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--skip-end-to-end", action="store_true")
    parser.add_argument(
        "--repeats", type=int, default=3, help="end-to-end runs per worker count [3]"
    )
    parser.add_argument(
        "--table", type=Path, default=TABLE, help=f"where to write [{TABLE.relative_to(REPO)}]"
    )
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",")]
    rows: dict[int, dict] = {n: {} for n in counts}
    for n in counts:
        for kind in TASKS:
            print(f"throughput, {kind}, {n} workers …", flush=True)
            found = in_fresh_process("throughput", kind=kind, workers=n, trials=args.trials)
            rows[n][kind] = found
            print(f"  {found['trials_per_hour']:.0f} trials/h, {found['peak_mib']:.0f} MiB")
    for repeat in range(0 if args.skip_end_to_end else args.repeats):
        for n in counts:  # taking turns, so that a slow spell of the machine hits every count
            print(f"end to end, {n} workers, run {repeat + 1} of {args.repeats} …", flush=True)
            found = in_fresh_process("end_to_end", workers=n, trials=args.trials)
            rows[n].setdefault("end_to_end", []).append(found)
            print(f"  {found['whole']:.0f} s, {found['peak_mib']:.0f} MiB")
    write_table(rows, counts, args)


def median_whole(runs: list[dict]) -> float:
    return statistics.median(run["whole"] for run in runs)


def write_table(rows: dict[int, dict], counts: list[int], args: argparse.Namespace) -> None:
    base = counts[0]
    command = "python bench/parallel.py " + shlex.join(sys.argv[1:])
    lines = [
        "# Several trials at once",
        "",
        "Each figure comes from a fresh process; ratios are to "
        f"{base} worker{'s' if base > 1 else ''} in the same run.",
        "",
        f"Command: `{command.strip()}` · machine: {describe_machine()} · "
        f"date {datetime.date.today().isoformat()}",
        "",
        "## Trials per hour",
        "",
        f"The same {args.trials} configs (default space, seed 0, depth plan), in the same "
        "order, pruning off; worker start-up included.",
        "",
        "| data | workers | wall (s) | trials per hour | ratio | peak memory (MiB) |",
        "|---|---|---|---|---|---|",
    ]
    for kind, task in TASKS.items():
        for n in counts:
            found, first = rows[n][kind], rows[base][kind]
            ratio = found["trials_per_hour"] / first["trials_per_hour"]
            lines.append(
                f"| {kind} ({task}, 2,000 rows) | {n} | {found['seconds']:.1f} | "
                f"{found['trials_per_hour']:.0f} | {ratio:.2f}× | {found['peak_mib']:.0f} |"
            )
    if all("end_to_end" in rows[n] for n in counts):
        medians = {n: median_whole(rows[n]["end_to_end"]) for n in counts}
        lines += [
            "",
            "## End to end",
            "",
            f"`deepenough.search` on the tabular task, default space, {args.trials} trials, "
            f"no time budget; {args.repeats} runs per worker count, the counts taking turns. "
            "The ratio is that of each count's median whole run.",
            "",
            "| workers | run | search (s) | verdict (s) | whole run (s) | verdict | "
            "peak memory (MiB) |",
            "|---|---|---|---|---|---|---|",
        ]
        for n in counts:
            for i, found in enumerate(rows[n]["end_to_end"], 1):
                lines.append(
                    f"| {n} | {i} | {found['search']:.0f} | {found['verdict']:.0f} | "
                    f"{found['whole']:.0f} | {found['decision']} | {found['peak_mib']:.0f} |"
                )
        lines += ["", "| workers | median whole run (s) | ratio |", "|---|---|---|"]
        for n in counts:
            lines.append(f"| {n} | {medians[n]:.0f} | {medians[n] / medians[base]:.2f}× |")
    if base == 1 and 2 in counts:
        throughput = min(
            rows[2][k]["trials_per_hour"] / rows[1][k]["trials_per_hour"] for k in TASKS
        )
        lines += [
            "",
            f"- Trials per hour, 2 workers against 1 (the lower of the two tasks): "
            f"**{throughput:.2f}×** (target ≥ {TARGETS['trials_per_hour']}×).",
        ]
        if "end_to_end" in rows[2]:
            whole = medians[2] / medians[1]
            lines.append(
                f"- End-to-end wall time, 2 workers against 1 (medians): **{whole:.2f}×** "
                f"(target ≤ {TARGETS['end_to_end']}×)."
            )
    args.table.parent.mkdir(parents=True, exist_ok=True)
    args.table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.table}")


if __name__ == "__main__":
    main()
