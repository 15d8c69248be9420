"""Write a run's outputs (results.json, leaderboard.csv, report.html), each atomically."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from deepenough._files import atomic_path, write_text_atomic
from deepenough.report._html import render_report
from deepenough.report._leaderboard import leaderboard

RESULTS_FILE = "results.json"
LEADERBOARD_FILE = "leaderboard.csv"
REPORT_FILE = "report.html"


def write_outputs(run_dir: Path, results: dict[str, Any]) -> None:
    """results.json first, then the files derived from it."""
    write_text_atomic(run_dir / RESULTS_FILE, dumps_results(results))
    with atomic_path(run_dir / LEADERBOARD_FILE) as temporary:
        leaderboard(results).to_csv(temporary, index=False)
    write_text_atomic(run_dir / REPORT_FILE, render_report(results))


def read_results(run_dir: Path) -> dict[str, Any]:
    return json.loads((Path(run_dir) / RESULTS_FILE).read_text(encoding="utf-8"))


def dumps_results(results: dict[str, Any]) -> str:
    """Strict JSON: NaN and infinity become null so every JSON reader accepts the file."""
    return json.dumps(_finite(results), indent=2, ensure_ascii=False, allow_nan=False)


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value
