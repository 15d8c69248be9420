"""Training: fit one trial with per-epoch scoring, early stopping and pruning; refit a
config on cross-validation folds."""

from deepenough.train._crossval import (
    FoldFit,
    FoldFitter,
    FoldJob,
    Folds,
    LatencyJob,
    fit_fold,
    latency_ms,
    make_folds,
    max_folds,
)
from deepenough.train._fit import (
    FitReport,
    NonFiniteLoss,
    PackedData,
    compile_model,
    fit_epochs,
    fit_with_validation,
    predict,
    repeat_rows,
)
from deepenough.train._objective import TrialObjective
from deepenough.train._trials import PooledTrials
from deepenough.train._worker import Done, WorkerPool

__all__ = [
    "Done",
    "FitReport",
    "FoldFit",
    "FoldFitter",
    "FoldJob",
    "Folds",
    "LatencyJob",
    "NonFiniteLoss",
    "PackedData",
    "PooledTrials",
    "TrialObjective",
    "WorkerPool",
    "compile_model",
    "fit_epochs",
    "fit_fold",
    "fit_with_validation",
    "latency_ms",
    "make_folds",
    "max_folds",
    "predict",
    "repeat_rows",
]
