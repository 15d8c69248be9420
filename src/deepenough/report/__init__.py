"""Report: results.json, leaderboard.csv and a self-contained report.html."""

from deepenough.report._html import render_report
from deepenough.report._importance import parameter_importance
from deepenough.report._leaderboard import leaderboard
from deepenough.report._write import (
    LEADERBOARD_FILE,
    REPORT_FILE,
    RESULTS_FILE,
    dumps_results,
    read_results,
    write_outputs,
)

__all__ = [
    "LEADERBOARD_FILE",
    "REPORT_FILE",
    "RESULTS_FILE",
    "dumps_results",
    "leaderboard",
    "parameter_importance",
    "read_results",
    "render_report",
    "write_outputs",
]
