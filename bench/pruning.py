"""Pruning across families against pruning within each: reports/benchmarks/pruning.md.

    python bench/pruning.py                          # 3 data sets, 30 trials, 2 workers
    python bench/pruning.py GunPoint --trials 20

For each data set (the training rows of bench/peers.py's split), the same search runs
twice with the default space, seed 0, the depth plan and no time budget, differing only
in the pruner:

- **across families** (before): Optuna's `MedianPruner`, 5 startup trials, which
  compares a trial with every completed trial at the same epoch;
- **within its family** (now): the backend's `FamilyMedianPruner`, which compares it
  with the completed trials of its own family once 3 of them exist.

Both wait 10 epochs. The table gives, per family, the trials and the share pruned, and
for each run the best trial's value and the wall time. Only the search runs (no
verdict), since pruning happens there.
"""

from __future__ import annotations

import argparse
import datetime
import shlex
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import optuna

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe_machine
from peers import DATA_SETS

REPO = Path(__file__).resolve().parents[1]
TABLE = REPO / "reports" / "benchmarks" / "pruning.md"
DEFAULT_SETS = ("breast_cancer", "GunPoint", "ItalyPowerDemand")
ARMS = ("across families", "within its family")


def search(name: str, arm: str, trials: int, workers: int) -> dict:
    """One search of `trials` trials on `name`'s training rows under `arm`'s pruner."""
    from deepenough import models
    from deepenough._hardware import detect, plan_workers
    from deepenough.backends import BackendSettings, _optuna, make_backend, run_trials
    from deepenough.data import load_dataset
    from deepenough.metrics import get_metric
    from deepenough.spaces import load_space
    from deepenough.train import PackedData, PooledTrials, TrialObjective, WorkerPool
    from deepenough.verdict import DepthPlan

    data = DATA_SETS[name]()
    dataset = load_dataset(data.train, target=data.target, task=data.task, seed=0)
    space = load_space("default", models.catalog()).for_modality(dataset.spec.modality)
    encoder = models.build_encoder(dataset.spec)
    train, validation = (
        PackedData(models.encode(encoder, split.features, dataset.spec), split.target)
        for split in (dataset.train, dataset.validation)
    )
    metric = get_metric(None, dataset.spec.task)
    objective = TrialObjective(
        dataset.spec,
        space,
        metric,
        train,
        validation,
        seed=0,
        folds=dataset.profile.split.search_folds,
    )
    family_pruner = _optuna.FamilyMedianPruner
    if arm == "across families":
        _optuna.FamilyMedianPruner = lambda startup, warmup: optuna.pruners.MedianPruner(  # type: ignore[misc, assignment]
            n_startup_trials=5, n_warmup_steps=warmup
        )
    try:
        with tempfile.TemporaryDirectory() as folder:
            settings = BackendSettings(
                Path(folder), metric.direction, seed=0, trials=trials, workers=workers
            )
            backend = make_backend("optuna", space, settings)
            started = time.monotonic()
            with WorkerPool(plan_workers(workers, detect())) as pool:
                done = run_trials(
                    backend,
                    PooledTrials(pool, objective),
                    n_trials=trials,
                    plan=DepthPlan(space, 0, metric.sign, dataset.spec.modality),
                )
            seconds = time.monotonic() - started
    finally:
        _optuna.FamilyMedianPruner = family_pruner
    scored = [t.value for t in done if t.value is not None and t.status == "complete"]
    return {
        "trials": Counter(t.config.family for t in done),
        "pruned": Counter(t.config.family for t in done if t.status == "pruned"),
        "best": max(scored, key=lambda v: metric.sign * v) if scored else None,
        "metric": metric.name,
        "seconds": seconds,
    }


def table(rows: list[tuple[str, str, dict]]) -> list[str]:
    lines = [
        "| data | pruner | family | trials | pruned | share pruned |",
        "|---|---|---|---|---|---|",
    ]
    for name, arm, run in rows:
        for family in sorted(run["trials"]):
            count, pruned = run["trials"][family], run["pruned"][family]
            lines.append(
                f"| {name} | {arm} | {family} | {count} | {pruned} | {pruned / count:.0%} |"
            )
    lines += [
        "",
        "| data | pruner | trials pruned | best value | wall (s) |",
        "|---|---|---|---|---|",
    ]
    for name, arm, run in rows:
        total, pruned = sum(run["trials"].values()), sum(run["pruned"].values())
        best = "—" if run["best"] is None else f"{run['best']:.4f} ({run['metric']})"
        lines.append(f"| {name} | {arm} | {pruned} of {total} | {best} | {run['seconds']:.0f} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", default=list(DEFAULT_SETS))
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    unknown = [name for name in args.names if name not in DATA_SETS]
    if unknown:
        parser.error(f"unknown data set {unknown[0]!r}; choose from {list(DATA_SETS)}")
    rows = []
    for name in args.names:
        for arm in ARMS:
            print(f"{name}: {arm} ...", flush=True)
            rows.append((name, arm, search(name, arm, args.trials, args.workers)))
            print(f"  {rows[-1][2]}", flush=True)
    lines = [
        "# Pruning across families and within each",
        "",
        f"Command: `{shlex.join(['python', 'bench/pruning.py', *sys.argv[1:]])}` · machine: "
        f"{describe_machine()} · date {datetime.date.today().isoformat()}",
        "",
        "The same search (default space, seed 0, depth plan, no time budget, "
        f"{args.trials} trials, {args.workers} workers) on each data set's training rows, "
        "once with Optuna's median rule across every completed trial (5 startup trials) "
        "and once with the backend's rule within the trial's family (3 of them); both "
        "wait 10 epochs.",
        "",
        *table(rows),
        "",
    ]
    TABLE.write_text("\n".join(lines))
    print(TABLE.read_text())


if __name__ == "__main__":
    main()
