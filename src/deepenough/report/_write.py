"""Write a run's outputs (results.json, leaderboard.csv, report.html), each atomically,
and read results.json back as its typed records."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from deepenough._files import atomic_path, write_text_atomic
from deepenough.report._html import render_report
from deepenough.report._leaderboard import leaderboard
from deepenough.results import Results, ResultsError

RESULTS_FILE = "results.json"
LEADERBOARD_FILE = "leaderboard.csv"
REPORT_FILE = "report.html"


def write_outputs(run_dir: Path, results: Results) -> None:
    """results.json first, then the files derived from it."""
    write_text_atomic(run_dir / RESULTS_FILE, dumps_results(results))
    with atomic_path(run_dir / LEADERBOARD_FILE) as temporary:
        leaderboard(results).to_csv(temporary, index=False)
    write_text_atomic(run_dir / REPORT_FILE, render_report(results))


def read_results(run_dir: Path) -> Results:
    """RUN_DIR's results.json as records; a file that is not JSON, or not the contract's
    shape, raises a one-line `ResultsError` (a `UserError`) that names it."""
    path = Path(run_dir) / RESULTS_FILE
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ResultsError(
            f"{path} is not JSON ({error})",
            fix="Re-run the search to write a new results.json.",
        ) from None
    return Results.from_dict(entry)


def dumps_results(results: Results) -> str:
    """Strict JSON: NaN and infinity become null so every JSON reader accepts the file."""
    return json.dumps(_finite(results.to_dict()), indent=2, ensure_ascii=False, allow_nan=False)


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value
