"""Memory benchmark: does resident memory stay flat across trials?

    python bench/memory.py                 # 50 trials on examples/penguins.csv
    python bench/memory.py --trials 20     # a quicker look

Runs `deepenough.search` in this process with the default space and records the
process's resident set size (RSS, from /proc/self/statm, so Linux only) after every
trial and after the verdict, export and report. Writes reports/benchmarks/memory.md:
the command, machine, date, the RSS curve, and the growth from trial 5 to the last
trial (target: under 15%).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shlex
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TABLE = REPO / "reports" / "benchmarks" / "memory.md"
TARGET_GROWTH = 0.15
BASELINE_TRIAL = 5


def rss_mib() -> float:
    resident_pages = int(Path("/proc/self/statm").read_text().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE") / 2**20


class Recorder:
    """A search listener that samples RSS after each trial and at each stage."""

    def __init__(self) -> None:
        self.samples: list[tuple[str, float]] = []
        """(what had just happened, RSS in MiB), in order."""
        self.trial_rss: list[float] = []
        self.started = time.monotonic()

    def on_start(self, total: int, done: int) -> None:
        self.samples.append(("the search started", rss_mib()))

    def on_trial(self, result, best) -> None:
        self.trial_rss.append(rss_mib())
        label = f"trial {result.number} ({result.config.family}, {result.status})"
        self.samples.append((label, self.trial_rss[-1]))
        print(f"{label:40s} {self.trial_rss[-1]:8.1f} MiB", flush=True)

    def on_stage(self, text: str) -> None:
        self.samples.append((f"stage: {text}", rss_mib()))


def main() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--data", default="examples/penguins.csv")
    args = parser.parse_args()

    import deepenough

    recorder = Recorder()
    with tempfile.TemporaryDirectory() as run_dir:
        deepenough.search(
            REPO / args.data, trials=args.trials, out=Path(run_dir) / "run", listener=recorder
        )
    recorder.samples.append(("the search returned", rss_mib()))
    write_table(recorder, args)


def write_table(recorder: Recorder, args: argparse.Namespace) -> None:
    import keras
    import tensorflow as tf

    rss = recorder.trial_rss
    base = rss[min(BASELINE_TRIAL, len(rss)) - 1]
    growth = rss[-1] / base - 1
    command = shlex.join(["python", "bench/memory.py", *sys.argv[1:]])
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    lines = [
        "# Memory across trials",
        "",
        f"Command: `{command}` · data `{args.data}`, default space, {len(rss)} trials · "
        f"machine: {platform.system()} {platform.machine()}, {os.cpu_count()} CPU cores, "
        f"{memory:.0f} GiB · Python {platform.python_version()}, TensorFlow {tf.__version__}, "
        f"Keras {keras.__version__} · date {datetime.date.today().isoformat()} · "
        f"{(time.monotonic() - recorder.started) / 60:.1f} min",
        "",
        f"Resident memory after trial {BASELINE_TRIAL}: **{base:.0f} MiB**; after trial "
        f"{len(rss)}: **{rss[-1]:.0f} MiB**; growth **{100 * growth:+.1f}%** (target under "
        f"{100 * TARGET_GROWTH:.0f}%: {'met' if growth < TARGET_GROWTH else 'NOT met'}). "
        f"Peak during the trials {max(rss):.0f} MiB.",
        "",
        "Each trial builds a fresh model and ends with "
        "`keras.utils.clear_session(free_memory=True)`, which also runs the garbage collector.",
        "",
        "| after | RSS (MiB) |",
        "|---|---|",
        *(f"| {label} | {value:.0f} |" for label, value in recorder.samples),
        "",
    ]
    TABLE.parent.mkdir(parents=True, exist_ok=True)
    TABLE.write_text("\n".join(lines), encoding="utf-8")
    print(f"growth {100 * growth:+.1f}% from trial {BASELINE_TRIAL} to {len(rss)}; wrote {TABLE}")


if __name__ == "__main__":
    main()
