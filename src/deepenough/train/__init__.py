"""Training: fit one trial with per-epoch scoring, early stopping and pruning; refit a
config on cross-validation folds."""

from deepenough.train._crossval import FoldFit, Folds, fit_fold, make_folds, max_folds
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
from deepenough.train._worker import TrialWorkers

__all__ = [
    "FitReport",
    "FoldFit",
    "Folds",
    "NonFiniteLoss",
    "PackedData",
    "TrialObjective",
    "TrialWorkers",
    "compile_model",
    "fit_epochs",
    "fit_fold",
    "fit_with_validation",
    "make_folds",
    "max_folds",
    "predict",
    "repeat_rows",
]
