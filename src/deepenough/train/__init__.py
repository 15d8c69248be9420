"""Training: fit one trial with per-epoch scoring, early stopping and pruning."""

from deepenough.train._crossval import (
    CrossValidation,
    Folds,
    cross_validate,
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

__all__ = [
    "CrossValidation",
    "FitReport",
    "Folds",
    "NonFiniteLoss",
    "PackedData",
    "TrialObjective",
    "compile_model",
    "cross_validate",
    "fit_epochs",
    "fit_with_validation",
    "make_folds",
    "max_folds",
    "predict",
    "repeat_rows",
]
