"""results.json's `data`: what was read, how it was understood, and how it was split."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from deepenough.results._record import Record, optional


@dataclass(frozen=True, kw_only=True)
class ColumnProfile(Record):
    name: str
    kind: str
    missing: int
    unique: int
    dropped: str | None = None
    """Why the column was dropped (ID-like, constant, ...); None when it was used."""


@dataclass(frozen=True, kw_only=True)
class SplitSizes(Record):
    train: int
    validation: int
    test: int
    search_folds: int = 0
    """Folds of train + validation that score each trial; 0: the validation split does."""


@dataclass(frozen=True, kw_only=True)
class TargetSummary(Record):
    mean: float
    std: float
    min: float
    max: float


@dataclass(frozen=True, kw_only=True)
class Layout(Record):
    """How sequence or image columns were read: channels, steps, image shape."""

    channels: tuple[str, ...]
    length: int
    image_shape: tuple[int, ...] | None = None
    columns: int


@dataclass(frozen=True, kw_only=True)
class DataProfile(Record):
    source: str = ""
    """The file name, or "DataFrame"."""
    rows: int
    rows_without_target: int = 0
    columns: tuple[ColumnProfile, ...] = ()
    """Every column but the target (for sequences and images, those outside the layout)."""
    target: str
    task: str
    task_reason: str = ""
    modality: str = "tabular"
    split: SplitSizes
    classes: Mapping[str, int] | None = optional()
    """Rows per class, over every split (classification only)."""
    train_classes: Mapping[str, int] | None = optional()
    target_summary: TargetSummary | None = optional()
    """Regression only."""
    modality_reason: str = ""
    layout: Layout | None = optional()
    """Sequence and image data only."""
