"""The frozen records the data layer hands to the rest of the pipeline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from deepenough.metrics import Task
from deepenough.results import DataProfile

ColumnKind = Literal["numeric", "categorical", "boolean"]


@dataclass(frozen=True)
class ColumnSpec:
    """One input column and the training-split statistics its preprocessing uses.

    Numeric columns are fed to the model as floats (missing as NaN) and
    standardised with `mean` and `std`; categorical and boolean columns are fed as
    strings (missing as "") and one-hot encoded over `vocabulary`.
    """

    name: str
    kind: ColumnKind
    mean: float = 0.0
    std: float = 1.0
    has_missing: bool = False
    vocabulary: tuple[str, ...] = ()
    vocabulary_complete: bool = True
    """False when only the most frequent categories were kept: the others, and new
    ones, then share the slot for anything else, as expected rather than as a surprise."""

    @property
    def is_numeric(self) -> bool:
        return self.kind == "numeric"


@dataclass(frozen=True)
class DataSpec:
    """What a model builder needs to know about the data, and nothing more."""

    task: Task
    target: str
    columns: tuple[ColumnSpec, ...]
    classes: tuple[str, ...] = ()
    target_mean: float = 0.0
    target_std: float = 1.0
    modality: str = "tabular"
    channels: int = 0
    """Sequences and images: how many column runs (channels) the packed columns hold, one
    after the other. An image from a single run packs its channels per pixel instead."""
    sequence_length: int = 0
    image_shape: tuple[int, int, int] | None = None
    """Images: (height, width, channels), pixels in row-major order."""

    @property
    def n_outputs(self) -> int:
        return len(self.classes) if self.task == "classification" else 1


@dataclass(frozen=True)
class Split:
    """Raw feature columns and the encoded target (class index or float)."""

    features: pd.DataFrame
    target: np.ndarray

    def __len__(self) -> int:
        return len(self.target)


@dataclass(frozen=True)
class Dataset:
    spec: DataSpec
    train: Split
    validation: Split
    test: Split
    profile: DataProfile
