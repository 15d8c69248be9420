"""The shallow-versus-deep verdict: every depth class searched, the finalists compared on
paired folds with a Bayesian correlated t-test, and the export chosen by the result."""

from deepenough.verdict._finalists import export_seconds, finalists, verdict_seconds
from deepenough.verdict._judge import Verdict, judge
from deepenough.verdict._plan import DEPTH_CLASSES, DepthPlan
from deepenough.verdict._stats import Posterior, correlated_posterior, folds_to_settle

__all__ = [
    "DEPTH_CLASSES",
    "DepthPlan",
    "Posterior",
    "Verdict",
    "correlated_posterior",
    "export_seconds",
    "finalists",
    "folds_to_settle",
    "judge",
    "verdict_seconds",
]
