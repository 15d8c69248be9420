"""Training: fit one trial with per-epoch scoring, early stopping and pruning."""

from deepenough.train._fit import (
    FitReport,
    NonFiniteLoss,
    PackedData,
    compile_model,
    fit_epochs,
    fit_with_validation,
    predict,
)
from deepenough.train._objective import TrialObjective

__all__ = [
    "FitReport",
    "NonFiniteLoss",
    "PackedData",
    "TrialObjective",
    "compile_model",
    "fit_epochs",
    "fit_with_validation",
    "predict",
]
