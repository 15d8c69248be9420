"""Which shape the feature columns form: a table, sequences (one or more channels) or an image.

A sequence in wide format is a run of numeric columns sharing a name prefix
with a consecutive index (`t0 … t149`, `x_1 … x_24`); several runs of one
length are channels (`acc_x_0…`, `acc_y_0…`). Names alone can mislead
(`x0 … x19` may be twenty unrelated features), so a run only counts as a
sequence when neighbouring columns correlate, as neighbouring time steps do.
An image is a run of pixel columns whose count is a square, or any run whose
size matches `--image-shape`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from deepenough.errors import DataError

MODALITIES = ("tabular", "sequence", "image")
MIN_SEQUENCE_LENGTH = 8
MIN_NEIGHBOUR_CORRELATION = 0.3
"""Median correlation of neighbouring columns above which a numbered run is a sequence."""
_NUMBERED = re.compile(r"^(.*?)(\d+)$")
_PIXEL_PREFIX = re.compile(r"^(pixel|pix|px)[_ ]?$", re.IGNORECASE)
_IMAGE_SHAPE = re.compile(  # "x" or the multiplication sign, as in 28x28
    r"^\s*(\d+)\s*[x\u00d7]\s*(\d+)\s*(?:[x\u00d7]\s*(\d+))?\s*$", re.IGNORECASE
)


@dataclass(frozen=True)
class Layout:
    """The modality, why it was chosen, and (for sequences and images) the column order."""

    modality: str
    reason: str
    columns: tuple[str, ...] = ()
    """Feature columns in packing order: channel after channel, each in index order."""
    channels: tuple[str, ...] = ()
    length: int = 0
    image_shape: tuple[int, int, int] | None = None


def parse_image_shape(text: str | None) -> tuple[int, int, int] | None:
    """(height, width, channels) from '28x28' or '32x32x3'."""
    if text is None:
        return None
    match = _IMAGE_SHAPE.match(text)
    if not match or 0 in {int(g) for g in match.groups() if g}:
        raise DataError(
            f"--image-shape must look like 28x28 or 32x32x3, but got {text!r}",
            fix="Give height x width (x channels) in pixels.",
        )
    height, width, channels = match.groups()
    return int(height), int(width), int(channels or 1)


def detect_layout(
    frame: pd.DataFrame,
    features: list[str],
    *,
    requested: str | None = None,
    image_shape: tuple[int, int, int] | None = None,
) -> Layout:
    """The layout of `features`; `requested` (--modality) overrides detection."""
    if requested is not None and requested not in MODALITIES:
        raise DataError(
            f"Unknown modality {requested!r}", fix=f"Use one of: {', '.join(MODALITIES)}."
        )
    if requested == "tabular":
        return Layout("tabular", "set by --modality")
    runs = _numbered_runs(frame, features)
    covering = runs is not None and sum(len(c) for c in runs.values()) == len(features)
    if image_shape is not None or requested == "image":
        return _image_layout(runs if covering else None, features, image_shape)
    if not covering:
        if requested == "sequence":
            raise DataError(
                "--modality sequence needs every feature column to be numeric and numbered "
                "(t0, t1, …), in runs of one length per channel",
                fix="Rename the columns, or drop --modality.",
            )
        return Layout("tabular", "the columns do not form numbered runs of one length")
    assert runs is not None
    length = len(next(iter(runs.values())))
    if len(runs) == 1 and _PIXEL_PREFIX.match(next(iter(runs))) and _is_square(length):
        side = round(length**0.5)
        return _image_layout(runs, features, (side, side, 1))
    if requested == "sequence":
        return _sequence_layout(runs, "set by --modality")
    if length < MIN_SEQUENCE_LENGTH:
        return Layout("tabular", f"numbered runs of {length} columns are too short for sequences")
    correlation = _neighbour_correlation(frame, runs)
    if not correlation >= MIN_NEIGHBOUR_CORRELATION:
        return Layout(
            "tabular",
            f"columns are numbered, but neighbours hardly correlate (median r = {correlation:.2f} "
            f"< {MIN_NEIGHBOUR_CORRELATION}), so they are read as separate features",
        )
    return _sequence_layout(runs, f"neighbouring columns correlate (median r = {correlation:.2f})")


def _numbered_runs(frame: pd.DataFrame, features: list[str]) -> dict[str, list[str]] | None:
    """Numeric numbered columns grouped by prefix, each a consecutive run of one shared
    length; None when the columns do not all fit that pattern."""
    runs: dict[str, list[tuple[int, str]]] = {}
    for column in features:
        match = _NUMBERED.match(column)
        if not match or not pd.api.types.is_numeric_dtype(frame[column]):
            return None
        runs.setdefault(match.group(1), []).append((int(match.group(2)), column))
    ordered = {}
    for prefix, members in runs.items():
        indices = [index for index, _ in members]
        if indices != list(range(indices[0], indices[0] + len(indices))):
            return None
        ordered[prefix] = [column for _, column in members]
    lengths = {len(columns) for columns in ordered.values()}
    return ordered if len(lengths) == 1 else None


def _neighbour_correlation(frame: pd.DataFrame, runs: dict[str, list[str]]) -> float:
    correlations = []
    for columns in runs.values():
        values = frame[columns].to_numpy(dtype=float)
        left, right = values[:, :-1], values[:, 1:]
        both = np.isfinite(left) & np.isfinite(right)
        for i in range(left.shape[1]):
            a, b = left[both[:, i], i], right[both[:, i], i]
            if len(a) > 2 and a.std() > 0 and b.std() > 0:
                correlations.append(np.corrcoef(a, b)[0, 1])
    return float(np.median(correlations)) if correlations else float("nan")


def _sequence_layout(runs: dict[str, list[str]], why: str) -> Layout:
    length = len(next(iter(runs.values())))
    channels = tuple(runs)
    names = ", ".join(f"{p}{_first(runs[p])}…{p}{_last(runs[p])}" for p in channels[:3])
    kind = "one sequence" if len(channels) == 1 else f"{len(channels)} channels of sequences"
    return Layout(
        "sequence",
        f"{length} numbered columns per channel ({names}) form {kind}; {why}",
        columns=tuple(c for p in channels for c in runs[p]),
        channels=channels,
        length=length,
    )


def _image_layout(
    runs: dict[str, list[str]] | None,
    features: list[str],
    shape: tuple[int, int, int] | None,
) -> Layout:
    if shape is None:
        raise DataError(
            "--modality image needs the image size", fix="Add --image-shape, e.g. 28x28."
        )
    height, width, channels = shape
    if runs is None:
        columns = tuple(features)
        if not all(_NUMBERED.match(c) for c in features):
            raise DataError(
                "An image needs numbered pixel columns (pixel0, pixel1, …), one run per channel",
                fix="Rename the columns, or drop --image-shape.",
            )
    else:
        columns = tuple(c for prefix in runs for c in runs[prefix])
    if len(columns) != height * width * channels:
        raise DataError(
            f"--image-shape {height}x{width}x{channels} needs {height * width * channels} pixel "
            f"columns, but the data has {len(columns)} feature columns",
            fix="Check the image size and that only pixel columns (and the target) are present.",
        )
    return Layout(
        "image",
        f"{len(columns)} pixel columns form a {height}x{width}x{channels} image",
        columns=columns,
        channels=tuple(runs) if runs and len(runs) == channels else (),
        image_shape=shape,
    )


def _is_square(n: int) -> bool:
    return n >= 64 and round(n**0.5) ** 2 == n


def _first(columns: list[str]) -> str:
    return _NUMBERED.match(columns[0]).group(2)  # type: ignore[union-attr]


def _last(columns: list[str]) -> str:
    return _NUMBERED.match(columns[-1]).group(2)  # type: ignore[union-attr]
