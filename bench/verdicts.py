"""Verdict benchmark: does the tool answer "deep needed" exactly where depth measurably helps?

Tasks are generated in code (a fixed seed each) or bundled with packages that are
already installed: scikit-learn's breast_cancer, wine, digits and diabetes,
examples/penguins.csv, and aeon's GunPoint, ItalyPowerDemand and OSULeaf (read by
bench/ucr.py without importing aeon: pip install --no-deps aeon==1.6.0).
"Shallow" is 1 to 2 hidden layers of any family, "deep" 3 or more.

    python bench/verdicts.py list                  # the tasks, their spaces and budgets
    python bench/verdicts.py reference [TASK ...]  # reference answers (hours; resumable, kept)
    python bench/verdicts.py run --workers 2 [TASK ...]  # the tool on every task (under 2 h)
    python bench/verdicts.py table                 # re-render the table from the kept results

`reference` establishes each task's answer without the search: for each of 5 seeds
(the split and the initialisation) it trains a fixed grid of strong configs per
depth class with early stopping on validation, takes each class's best config by
validation score and scores it on test. The gap is deep minus shallow, positive when
deep is better (RMSE and MAE are turned round). The expected verdict is `deep` when
the gap exceeds the ROPE on every seed, `shallow` when it is within the ROPE or
favours shallow on every seed, and `either` otherwise. The ROPE is the tool's
default: 0.01 for accuracy, ROC AUC and R², 1% of the shallow test score for RMSE
and MAE. Every seed is written to bench/references/verdicts.json as soon as it is
done; a rerun skips seeds already there, and recomputes a task whose grid or
settings changed.

`run` calls `deepenough.search` on each task with the task's space and time budget
(seed 0, runs in reports/bench-verdicts/<task>/), keeps a summary per task in
reports/benchmarks/verdicts.json and writes reports/benchmarks/verdicts.md: the
reference gap, the expected and the given verdict, the probabilities, the test
score, the budget and the wall time, and one section per miss with its analysis,
written by hand in bench/verdict_misses.md.
"""

from __future__ import annotations

import argparse
import datetime
import fcntl
import hashlib
import json
import os
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe_machine
from verdict_tasks import BY_NAME, GRIDS, REPO, RUNS, TASKS, Grid, Task

REFERENCES = REPO / "bench" / "references" / "verdicts.json"
SUMMARY = REPO / "reports" / "benchmarks" / "verdicts.json"
MISSES = REPO / "bench" / "verdict_misses.md"
TABLE = REPO / "reports" / "benchmarks" / "verdicts.md"
SEEDS = 5
ROPE = 0.01
RELATIVE_ROPE_METRICS = ("rmse", "mae")
TOTAL_BUDGET_MINUTES = 110
TARGET_AGREEMENT = 0.9


def budget_seconds(budget: str) -> float:
    """Seconds from "90s", "4m" or "1.5h"."""
    units = {"s": 1, "m": 60, "h": 3600}
    return float(budget[:-1]) * units[budget[-1]] if budget[-1] in units else float(budget)


# --- reference runs ----------------------------------------------------------------


def reference(
    task: Task, seeds: Iterable[int], max_epochs: int | None, patience: int | None
) -> None:
    """Train the task's grid for each seed not yet stored, saving after every seed."""
    plan = Plan.of(task, max_epochs, patience)
    entry = _read(REFERENCES).get("tasks", {}).get(task.name)
    if entry is not None and entry["settings"] != plan.settings:
        print(f"  {task.name}: the grid or its settings changed; earlier seeds are dropped")
        entry = None
    if entry is None:
        entry = {"metric": task.metric, "rows": plan.rows, "settings": plan.settings, "seeds": {}}
    for seed in seeds:
        stored = _read(REFERENCES).get("tasks", {}).get(task.name, entry)
        if stored["settings"] == plan.settings and str(seed) in stored["seeds"]:
            continue  # this process or another has done it
        started = time.monotonic()
        record = reference_seed(task, plan, seed)
        record["wall_seconds"] = round(time.monotonic() - started, 1)
        entry["seeds"][str(seed)] = record
        _store(REFERENCES, task.name, entry)
        print(
            f"  {task.name} seed {seed}: gap {record['gap']:+.4f} "
            f"(shallow {record['shallow']['test']:.4f}, deep {record['deep']['test']:.4f}), "
            f"{record['wall_seconds'] / 60:.1f} min",
            flush=True,
        )


@dataclass(frozen=True)
class Plan:
    """The configs a task's reference trains, and the settings that identify them."""

    configs: tuple[tuple[str, Any], ...]
    """(depth class, `Config`), shallow first."""
    settings: dict[str, Any]
    rows: str
    max_seconds: float

    @classmethod
    def of(cls, task: Task, max_epochs: int | None, patience: int | None) -> Plan:
        from deepenough import models
        from deepenough.data import load_dataset
        from deepenough.spaces import load_space

        frame, test = task.frames()
        spec = load_dataset(
            frame, test_data=test, modality=task.modality, image_shape=task.image_shape
        ).spec
        space = load_space(task.space_source(), models.catalog()).for_modality(spec.modality)
        grid_name = task.grid or spec.modality
        grid = GRIDS[grid_name]
        training = {
            "batch_size": grid.batch_size,
            "max_epochs": max_epochs or grid.max_epochs,
            "patience": patience or grid.patience,
        }
        configs = tuple(_grid_configs(grid, space, training))
        settings = {
            "data_sha256": _data_hash(frame, test),
            "grid": grid_name,
            "modality": spec.modality,
            **training,
            "max_seconds": grid.max_seconds,
            "configs": [{"class": c, **config.flat()} for c, config in configs],
        }
        return cls(configs, settings, _rows(frame, test), grid.max_seconds)


def reference_seed(task: Task, plan: Plan, seed: int) -> dict[str, Any]:
    """One seed: split, train every config of the plan, pick each class's best by
    validation score, and compare the two on test."""
    from deepenough import models
    from deepenough.data import load_dataset
    from deepenough.metrics import get_metric
    from deepenough.train import PackedData

    frame, test = task.frames()
    dataset = load_dataset(
        frame, test_data=test, seed=seed, modality=task.modality, image_shape=task.image_shape
    )
    spec = dataset.spec
    metric = get_metric(task.metric, spec.task)
    encoder = models.build_encoder(spec)
    packed = [
        PackedData(models.encode(encoder, split.features, spec), split.target)
        for split in (dataset.train, dataset.validation, dataset.test)
    ]
    fits = [
        {
            "config": index,
            "class": depth_class,
            **_fit(config, spec, metric, packed, 100 * seed + index, plan.max_seconds),
        }
        for index, (depth_class, config) in enumerate(plan.configs)
    ]
    sign = 1.0 if metric.direction == "maximize" else -1.0
    best = {}
    for depth_class in ("shallow", "deep"):
        scored = [f for f in fits if f["class"] == depth_class and "test" in f]
        if not scored:
            raise RuntimeError(f"{task.name} seed {seed}: every {depth_class} config failed")
        best[depth_class] = min(scored, key=lambda f: (-sign * f["validation"], f["loss"]))
    return {
        "shallow": {k: best["shallow"][k] for k in ("config", "validation", "test")},
        "deep": {k: best["deep"][k] for k in ("config", "validation", "test")},
        "gap": round(sign * (best["deep"]["test"] - best["shallow"]["test"]), 6),
        "rope": _rope(metric.name, best["shallow"]["test"]),
        "split": [len(dataset.train), len(dataset.validation), len(dataset.test)],
        "fits": fits,
    }


def _data_hash(frame: pd.DataFrame, test: pd.DataFrame | None) -> str:
    """Changes when a generator or a bundled data set changes, making the reference stale."""
    digest = hashlib.sha256()
    for part in (frame, test):
        if part is not None:
            digest.update(pd.util.hash_pandas_object(part, index=False).to_numpy().tobytes())
            digest.update("\x1f".join(map(str, part.columns)).encode())
    return digest.hexdigest()


def _grid_configs(grid: Grid, space: Any, training: dict[str, Any]) -> list[tuple[str, Any]]:
    """The grid's configs whose family is in the task's space, with the family's defaults
    filled in; a config whose depth does not match its class is a bug in the grid."""
    from deepenough import models
    from deepenough.spaces import Config

    catalog = models.catalog()
    configs = []
    for depth_class in ("shallow", "deep"):
        for family, given, learning_rate in getattr(grid, depth_class):
            if family not in space.families:
                continue
            rules = catalog[family].hyperparameters
            params = {name: rule.default for name, rule in rules.items()} | given
            config = Config(family, params, {**training, "learning_rate": learning_rate})
            found = space.depth_class(models.depth(config))
            if found != depth_class:
                raise ValueError(f"{config.flat()} is {found}, but listed as {depth_class}")
            configs.append((depth_class, config))
    return configs


def _fit(
    config: Any, spec: Any, metric: Any, packed: list[Any], seed: int, max_seconds: float
) -> dict[str, Any]:
    """Train one config with early stopping on validation; its scores, or its error."""
    import keras

    from deepenough import models
    from deepenough.train import fit_with_validation, predict, repeat_rows

    train, validation, test = packed
    out: dict[str, Any] = {"depth": models.depth(config)}
    try:
        keras.utils.set_random_seed(seed)
        model = models.build(config, spec)
        out["n_params"] = int(model.count_params())
        batch_size = int(config.training["batch_size"])
        models.pretrain(model, config, repeat_rows(train.x, batch_size))
        fitted = fit_with_validation(
            model,
            train,
            validation,
            spec=spec,
            metric=metric,
            training=config.training,
            report=lambda epoch, value: False,
            max_seconds=max_seconds,
        )
        if fitted.best_epoch == 0:
            raise FloatingPointError("the validation score was never finite")
        out |= {
            "validation": fitted.best_value,
            "loss": round(fitted.best_loss, 6),
            "test": round(metric.score(test.y, predict(model, test.x, spec)), 6),
            "best_epoch": fitted.best_epoch,
            "epochs": len(fitted.history_validation),
            "fit_seconds": round(fitted.fit_seconds, 2),
        }
        if fitted.time_capped:
            out["time_capped"] = True
    except Exception as error:  # one config's failure must not end the reference run
        out["error"] = f"{type(error).__name__}: {error}"[:300]
    finally:
        keras.utils.clear_session(free_memory=True)
    return out


def _rope(metric: str, shallow_score: float) -> float:
    if metric in RELATIVE_ROPE_METRICS:
        return round(ROPE * abs(shallow_score), 6)
    return ROPE


def expectation(entry: dict[str, Any] | None) -> dict[str, Any] | None:
    """Gap mean, spread and minimum over seeds, and the verdict they make firm."""
    if not entry or not entry["seeds"]:
        return None
    seeds = list(entry["seeds"].values())
    gaps = [s["gap"] for s in seeds]
    if all(s["gap"] > s["rope"] for s in seeds):
        expected = "deep"
    elif all(s["gap"] <= s["rope"] for s in seeds):
        expected = "shallow"
    else:
        expected = "either"
    return {
        "expected": expected if len(seeds) >= SEEDS else f"{expected}?",
        "seeds": len(seeds),
        "mean": statistics.fmean(gaps),
        "sd": statistics.stdev(gaps) if len(gaps) > 1 else 0.0,
        "min": min(gaps),
        "gaps": gaps,
        "rope": statistics.fmean(s["rope"] for s in seeds),
        "rows": entry["rows"],
    }


# --- tool runs ---------------------------------------------------------------------


def run_tool(task: Task, budget: str, trials: int, workers: str) -> dict[str, Any]:
    """`deepenough.search` on one task; the summary kept for the table."""
    import optuna

    import deepenough

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    frame, test = task.frames()
    command = shlex.join(["python", "bench/verdicts.py", *sys.argv[1:]])
    started = time.monotonic()
    summary: dict[str, Any] = {
        "rows": _rows(frame, test),
        "metric": task.metric,
        "budget": budget,
        "trials_requested": trials,
        "workers": workers,
        "command": command,
        "machine": describe_machine(),
        "commit": _commit(),
        "date": datetime.date.today().isoformat(),
        "run_dir": str((RUNS / task.name).relative_to(REPO)),
    }
    try:
        results = deepenough.search(
            frame,
            test_data=test,
            space=task.space_source(),
            metric=task.metric,
            time_budget=budget,
            trials=trials,
            workers=workers,
            seed=0,
            out=RUNS / task.name,
            overwrite=True,
            modality=task.modality,
            image_shape=task.image_shape,
        ).results.to_dict()
    except Exception as error:  # a failed run is a miss to report, not a crash
        summary |= {"decision": "failed", "error": f"{type(error).__name__}: {error}"[:500]}
        summary["wall_seconds"] = round(time.monotonic() - started, 1)
        return summary
    summary["wall_seconds"] = round(time.monotonic() - started, 1)
    verdict = results.get("verdict") or {}
    summary |= {
        "decision": verdict.get("decision", "failed"),
        "headline": verdict.get("headline"),
        "probabilities": verdict.get("probabilities"),
        "against": verdict.get("against"),
        "difference": verdict.get("difference"),
        "interval": verdict.get("interval"),
        "rope": (verdict.get("rope") or {}).get("value"),
        "paired_folds": verdict.get("paired_folds"),
        "finalists": {
            c: {k: verdict[c][k] for k in ("family", "depth", "mean")}
            for c in ("linear", "shallow", "deep")
            if verdict.get(c)
        },
        "linear_suffices": verdict.get("linear_suffices"),
        "test": results["test"].get(task.metric),
        "trials": len(results["trials"]),
        "stop_reason": results["stop_reason"],
    }
    return summary


def _rows(frame: pd.DataFrame, test: pd.DataFrame | None) -> str:
    return str(len(frame)) if test is None else f"{len(frame)} + {len(test)} test"


def agreement(expected: str | None, given: str) -> str:
    """agree, miss (firm reference, inconclusive or failed answer) or OPPOSITE."""
    if expected not in ("deep", "shallow"):
        return "—" if expected is None else "any"
    if given == expected:
        return "agree"
    return "OPPOSITE" if given in ("deep", "shallow") else "miss"


# --- the table ---------------------------------------------------------------------


def write_table() -> None:
    references = _read(REFERENCES).get("tasks", {})
    runs = _read(SUMMARY).get("tasks", {})
    rows, misses, walls = [], [], []
    counts = {"agree": 0, "miss": 0, "OPPOSITE": 0}
    for task in TASKS:
        run, ref = runs.get(task.name), expectation(references.get(task.name))
        if run is None and ref is None:
            continue
        expected = ref["expected"] if ref and ref["seeds"] >= SEEDS else None
        given = run["decision"] if run else "not run"
        verdict = agreement(expected, given) if run else "—"
        counts[verdict] = counts.get(verdict, 0) + 1
        if verdict in ("miss", "OPPOSITE"):
            misses.append((task, ref, run, verdict))
        if run:
            walls.append(run["wall_seconds"])
        rows.append(_row(task, ref, run, verdict))
    firm = counts["agree"] + counts["miss"] + counts["OPPOSITE"]
    rate = counts["agree"] / firm if firm else 0.0
    lines = _header(runs) + rows + [""]
    kinds = [expectation(references.get(t.name)) for t in TASKS]
    tally = {k: sum(1 for e in kinds if e and e["expected"] == k) for k in ("deep", "shallow")}
    lines += [
        f"- Agreement where the reference is firm: **{counts['agree']} / {firm}** "
        f"({f'{100 * rate:.0f}%' if firm else 'no firm task yet'}; target ≥ "
        f"{100 * TARGET_AGREEMENT:.0f}%, an inconclusive or failed run counts as a miss).",
        f"- Opposite answers: **{counts['OPPOSITE']}** (target 0).",
        f"- Firm references: {tally['deep']} deep, {tally['shallow']} shallow (each must be ≥ 3); "
        f"{sum(1 for e in kinds if e is None or e['seeds'] < SEEDS)} tasks have no complete "
        "reference yet.",
        f"- Tool wall time, all tasks: {sum(walls) / 60:.1f} min "
        f"(budgets {sum(budget_seconds(r['budget']) for r in runs.values()) / 60:.1f} min; "
        f"target under 120 min for all {len(TASKS)} tasks in one command).",
        "",
        "## Misses",
        "",
    ]
    lines += [line for miss in misses for line in _miss(*miss)] or ["None.", ""]
    TABLE.parent.mkdir(parents=True, exist_ok=True)
    TABLE.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {TABLE.relative_to(REPO)}")


def _commit() -> str:
    """The checked-out commit, marked when src/ or bench/ differ from it."""
    git = ["git", "-C", str(REPO)]
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    if head.returncode:
        return "unknown"
    changed = subprocess.run([*git, "diff", "--quiet", "HEAD", "--", "src", "bench"]).returncode
    return head.stdout.strip() + (" with uncommitted changes" if changed else "")


def _header(runs: dict[str, Any]) -> list[str]:
    commands = sorted({r["command"] for r in runs.values()}) or ["(not run yet)"]
    commits = sorted({r.get("commit", "unknown") for r in runs.values()}) or ["—"]
    machines = sorted({r["machine"] for r in runs.values()}) or ["—"]
    dates = sorted({r["date"] for r in runs.values()}) or ["—"]
    return [
        "# Verdicts against reference answers",
        "",
        "Does the tool say *deep needed* exactly where depth measurably helps? Shallow is 1",
        "to 2 hidden layers of any family, deep 3 or more. Each task's reference comes from",
        f"`python bench/verdicts.py reference`: {SEEDS} seeds (split and initialisation) of a",
        "fixed grid of strong configs per depth class, each class's best by validation scored",
        "on test, kept in `bench/references/verdicts.json`. The gap is deep's test score minus",
        "shallow's, positive when deep is better (also for RMSE and MAE). Expected: `deep` when",
        "the gap exceeds the ROPE on every seed, `shallow` when it never does, `either`",
        "otherwise (either answer is accepted, and the task is not counted). The tool runs",
        "once per task with the space and time budget listed in `bench/verdicts.py`.",
        "",
        f"Command: {', '.join(f'`{c}`' for c in commands)} · commit "
        f"{', '.join(commits)} · seed 0 · "
        f"machine: {'; '.join(machines)} · date {', '.join(dates)}",
        "",
        "| task | rows | metric | reference gap: mean ± sd (min) | ROPE | expected | given "
        "| agreement | P(deep better) | P(equivalent) | P(shallow better) | test score "
        "| budget | wall time |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]


def _row(task: Task, ref: dict | None, run: dict | None, verdict: str) -> str:
    gap = (
        f"{ref['mean']:+.3f} ± {ref['sd']:.3f} ({ref['min']:+.3f})"
        + ("" if ref["seeds"] >= SEEDS else f", {ref['seeds']} of {SEEDS} seeds")
        if ref
        else "not computed"
    )
    probabilities = (run or {}).get("probabilities") or {}
    cells = [
        f"{task.name} ({task.about})",
        str((run or {}).get("rows") or (ref or {}).get("rows") or ""),
        task.metric,
        gap,
        f"{ref['rope']:.3g}" if ref else "—",
        ref["expected"] if ref else "—",
        run["decision"] if run else "not run",
        verdict,
        *(
            f"{probabilities[k]:.2f}" if k in probabilities else "—"
            for k in ("deep_better", "equivalent", "shallow_better")
        ),
        f"{run['test']:.3f}" if run and run.get("test") is not None else "—",
        f"{run['budget']}, {run['trials_requested']} trials" if run else task.budget,
        f"{run['wall_seconds'] / 60:.1f} min" if run else "—",
    ]
    return "| " + " | ".join(cells) + " |"


def _miss(task: Task, ref: dict, run: dict, verdict: str) -> list[str]:
    lines = [
        f"### {task.name}: expected {ref['expected']}, given {run['decision']} ({verdict})",
        "",
        f"- reference gaps by seed: {', '.join(f'{g:+.4f}' for g in ref['gaps'])} "
        f"(ROPE {ref['rope']:.3g})",
    ]
    if run.get("error"):
        lines.append(f"- the run failed: {run['error']}")
    else:
        interval = run.get("interval") or [float("nan")] * 2
        lines += [
            f"- headline: {run.get('headline')}",
            f"- difference (deep minus the {run.get('against') or 'shallow'} finalist) "
            f"{run['difference']:+.4f} (95% interval {interval[0]:+.4f} to "
            f"{interval[1]:+.4f}) on {run.get('paired_folds')} paired folds, "
            f"ROPE {run.get('rope')}"
            if run.get("difference") is not None
            else "- no difference was measured",
            "- finalists: "
            + "; ".join(
                f"{c} {f['family']} depth {f['depth']} (mean {f['mean']})"
                for c, f in (run.get("finalists") or {}).items()
            ),
            f"- {run.get('trials')} trials, stopped by {run.get('stop_reason')}; "
            f"run directory {run.get('run_dir')}",
        ]
    analysis = _analyses().get(task.name, "not written yet")
    return [*lines, f"- analysis: {analysis}", ""]


def _analyses() -> dict[str, str]:
    """The analysis of each miss, written by hand in bench/verdict_misses.md under a
    `## task` heading, so that re-rendering the table keeps it."""
    if not MISSES.exists():
        return {}
    sections = MISSES.read_text(encoding="utf-8").split("\n## ")[1:]
    return {
        head.strip(): " ".join(body.split())
        for head, _, body in (section.partition("\n") for section in sections)
    }


# --- files and the command line ------------------------------------------------------


def _read(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _store(path: Path, task: str, entry: dict[str, Any]) -> None:
    """Set one task's entry, keeping the seeds another process stored for the same grid.
    Several processes may run at once: each re-reads the file under a lock, and writes a
    temporary file that it renames, so an interrupted run leaves the file whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        data = _read(path)
        tasks = data.setdefault("tasks", {})
        if "seeds" in entry and tasks.get(task, {}).get("settings") == entry["settings"]:
            entry = {**entry, "seeds": {**tasks[task]["seeds"], **entry["seeds"]}}
        tasks[task] = entry
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        temporary.replace(path)


def _tasks(names: list[str]) -> list[Task]:
    unknown = [n for n in names if n not in BY_NAME]
    if unknown:
        sys.exit(f"unknown task {', '.join(unknown)}; choose from: {', '.join(BY_NAME)}")
    return [BY_NAME[n] for n in names] if names else list(TASKS)


def main() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="the tasks, their spaces and budgets")
    ref = commands.add_parser("reference", help="reference answers, resumable")
    ref.add_argument("tasks", nargs="*")
    ref.add_argument("--seeds", type=int, default=SEEDS, help="seeds 0 … N-1")
    ref.add_argument("--seed", type=int, action="append", help="only this seed (repeatable)")
    ref.add_argument("--max-epochs", type=int, help="override the grid's (for a quick check)")
    ref.add_argument("--patience", type=int, help="override the grid's (for a quick check)")
    run = commands.add_parser("run", help="the tool on every task, then the table")
    run.add_argument("tasks", nargs="*")
    run.add_argument("--budget", help="one time budget for every task (for a quick check)")
    run.add_argument("--trials", type=int, help="trials per task [default: the task's]")
    run.add_argument(
        "--workers", required=True, help="trials at once (a number or auto; 1 repeats a run)"
    )
    commands.add_parser("table", help=f"re-render {TABLE.relative_to(REPO)}")
    args = parser.parse_args()

    total = sum(budget_seconds(t.budget) for t in TASKS) / 60
    assert total <= TOTAL_BUDGET_MINUTES, f"budgets add up to {total:.0f} min"
    if args.command == "list":
        for task in TASKS:
            space = task.space if "\n" not in task.space else "custom YAML"
            print(f"{task.name:18} {task.budget:>4}  {task.metric:9} {space:12} {task.about}")
        print(f"total budget {total:.0f} min")
    elif args.command == "reference":
        for task in _tasks(args.tasks):
            print(f"{task.name} …", flush=True)
            reference(task, args.seed or range(args.seeds), args.max_epochs, args.patience)
    elif args.command == "run":
        for task in _tasks(args.tasks):
            budget = args.budget or task.budget
            print(f"{task.name} ({budget}) …", flush=True)
            summary = run_tool(task, budget, args.trials or task.trials, args.workers)
            _store(SUMMARY, task.name, summary)
            print(f"  {summary['decision']}, {summary['wall_seconds'] / 60:.1f} min", flush=True)
        write_table()
    else:
        write_table()


if __name__ == "__main__":
    main()
