"""Read a CSV into a DataFrame, turning every way that can fail into a DataError."""

from __future__ import annotations

import csv
import logging
from pathlib import Path

import pandas as pd

from deepenough.errors import DataError

logger = logging.getLogger(__name__)


def read_csv(path: str | Path) -> pd.DataFrame:
    """Read `path` as a CSV with a header row; the delimiter is sniffed."""
    path = Path(path)
    if not path.exists():
        raise DataError(f"No such file: {path}", fix="Check the path and try again.")
    if path.is_dir():
        raise DataError(
            f"{path} is a directory, not a CSV file", fix="Pass the path of a CSV file."
        )
    try:
        frame = pd.read_csv(path, sep=_sniff_delimiter(path), encoding="utf-8-sig")
    except pd.errors.EmptyDataError:
        raise DataError(
            f"{path} is empty", fix="Pass a CSV with a header row and at least one data row."
        ) from None
    except UnicodeDecodeError as error:
        raise DataError(
            f"{path} is not UTF-8 text (byte {error.start} cannot be decoded)",
            fix="Save the file as UTF-8 CSV and try again.",
        ) from None
    except pd.errors.ParserError as error:
        first_line = str(error).strip().splitlines()[0]
        raise DataError(
            f"{path} could not be parsed as CSV: {first_line}",
            fix="Check that every row has as many fields as the header.",
        ) from None
    if frame.empty:
        raise DataError(f"{path} has a header but no data rows", fix="Add data rows to the file.")
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _sniff_delimiter(path: Path) -> str:
    with path.open("r", encoding="utf-8-sig", errors="replace", newline="") as handle:
        sample = handle.read(64 * 1024)
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","
