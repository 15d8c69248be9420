"""Terminal output of the CLI: logging setup, progress, summaries."""

from __future__ import annotations

import logging
from collections import Counter
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.logging import RichHandler
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from deepenough.results import Results

if TYPE_CHECKING:
    from deepenough.backends import TrialResult

console = Console(stderr=True, highlight=False)
stdout = Console(highlight=False)


def setup_logging(verbosity: int) -> None:
    """deepenough's notes at INFO (DEBUG with -v, WARNING with -q); other libraries at WARNING."""
    level = {-1: logging.WARNING, 0: logging.INFO}.get(verbosity, logging.DEBUG)
    handler = RichHandler(console=console, show_time=False, show_path=False, markup=False)
    logging.basicConfig(level=logging.WARNING, handlers=[handler], format="%(message)s", force=True)
    logging.getLogger("deepenough").setLevel(level)


class ProgressListener:
    """Shows trials done, the best score, elapsed time and ETA while a search runs."""

    def __init__(self) -> None:
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("trials · best {task.fields[best]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self.task: Any = None

    def __enter__(self) -> ProgressListener:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def on_stage(self, text: str) -> None:
        if self.task is None:
            self.task = self.progress.add_task(text, total=None, best="—")
        else:
            self.progress.update(self.task, description=text)

    def on_start(self, total: int, done: int) -> None:
        self.on_stage("searching")
        self.progress.reset(self.task, total=total, completed=done, best="—")

    def on_trial(self, result: TrialResult, best: float | None) -> None:
        shown = "—" if best is None else f"{best:.4f}"
        self.progress.update(self.task, advance=1, best=shown)


def print_summary(results: Results, run_dir: str) -> None:
    """The run in a few lines: status, trials, test scores, the verdict and its evidence,
    the exported model, and where the files are."""
    verdict, export, best = results.verdict, results.export, results.best
    assert verdict and export and best, "a summary is printed for an exported run"
    metric = results.metric.name
    counts = Counter(t.status for t in results.trials)
    exported = results.trial(best.trial)
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_row("status", results.status)
    table.add_row("task", f"{results.task} of {results.target!r}")
    table.add_row(
        "trials",
        f"{len(results.trials)} ({counts['complete']} complete, {counts['pruned']} pruned, "
        f"{counts['failed']} failed"
        + (f", {counts['interrupted']} interrupted" if counts["interrupted"] else "")
        + f"); stopped: {results.stop_reason}",
    )
    test = ", ".join(f"{k} {v:.4f}" for k, v in results.test.items() if v is not None)
    table.add_row(
        "test", test or f"none held out: {results.data.rows} rows are too few to spare any"
    )
    table.add_row("verdict", f"[bold]{escape(verdict.headline)}[/bold]")
    p, interval = verdict.probabilities, verdict.interval
    if p and interval and verdict.difference is not None:
        lo, hi = interval
        table.add_row(
            "evidence",
            f"deep's advantage over the {verdict.against or 'shallow'} finalist in "
            f"{metric} {verdict.difference:+.4f} (95% interval {lo:+.4f} to "
            f"{hi:+.4f}, ROPE ±{verdict.rope.value:.4g}); P(deep better) "
            f"{p.deep_better:.2f}, P(equivalent) {p.equivalent:.2f}, P(shallow better) "
            f"{p.shallow_better:.2f}",
        )
    if verdict.linear_suffices:
        table.add_row("linear", "a linear model is within the ROPE of the best")
    table.add_row(
        "exported",
        f"trial {exported.number}: {exported.family} depth {exported.depth}, "
        f"{exported.n_params or 0:,} parameters ({escape(export.reason)})",
    )
    table.add_row("report", f"{run_dir}/report.html")
    table.add_row("model", f"{run_dir}/{export.file}")
    console.print(table)
    console.print(f"Next: automl predict {run_dir}/{export.file} NEW.csv -o predictions.csv")
