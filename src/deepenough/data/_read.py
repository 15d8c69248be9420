"""Read a CSV into a DataFrame, turning every way that can fail into a DataError.

What the file holds is sniffed, not assumed: the encoding (UTF-8 with or without a
byte-order mark, UTF-16 as Excel's "Unicode text" writes it, else Windows-1252 with a
warning), the delimiter (`,` `;` tab `|`) and, in files not separated by commas, a
decimal comma. A binary file renamed .csv (a workbook, an archive) is refused with
what it looks like.
"""

from __future__ import annotations

import codecs
import csv
import logging
from collections import Counter
from pathlib import Path

import pandas as pd

from deepenough.errors import DataError

logger = logging.getLogger(__name__)

SNIFF_BYTES = 64 * 1024
FALLBACK_ENCODING = "cp1252"
"""Windows-1252: what Excel on Windows writes when a CSV is not saved as UTF-8."""

_BINARY_SIGNATURES = (
    (b"PK\x03\x04", "a ZIP archive (an Excel .xlsx workbook is one)"),
    (b"\xd0\xcf\x11\xe0", "an old Excel .xls workbook"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"%PDF", "a PDF document"),
    (b"PAR1", "a Parquet file"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
_PANDAS_PREFIX = "Error tokenizing data. C error: "
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_BINARY_BYTES = [bytes([b]) for b in range(32) if chr(b) not in "\t\n\v\f\r\x1b"]
"""Control bytes that text does not hold; NUL alone marks a file as binary."""
MAX_CONTROL_BYTE_SHARE = 0.01


def read_csv(path: str | Path) -> pd.DataFrame:
    """Read `path` as a CSV with a header row; the encoding and delimiter are sniffed."""
    path = Path(path)
    if not path.exists():
        raise DataError(f"No such file: {path}", fix="Check the path and try again.")
    if path.is_dir():
        raise DataError(
            f"{path} is a directory, not a CSV file", fix="Pass the path of a CSV file."
        )
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if head.startswith(_UTF16_BOMS):
        encoding = "utf-16"
        logger.info("%s is UTF-16 text (Excel's Unicode text); it was read as such", path)
    else:
        encoding = "utf-8-sig"
        _refuse_binary(path, head)
        if head.startswith(codecs.BOM_UTF8):
            logger.debug("%s starts with a UTF-8 byte-order mark; it was skipped", path)
    try:
        frame = _read(path, head, encoding)
    except UnicodeDecodeError:
        if encoding == "utf-16":
            raise DataError(
                f"{path} starts like UTF-16 text, but does not decode as UTF-16",
                fix="Save the file as UTF-8 CSV and try again.",
            ) from None
        frame = _read_as_fallback(path, head)
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _read_as_fallback(path: Path, head: bytes) -> pd.DataFrame:
    line, byte = _first_undecodable(path, "utf-8")
    try:
        frame = _read(path, head, FALLBACK_ENCODING)
    except UnicodeDecodeError:
        other_line, other_byte = _first_undecodable(path, FALLBACK_ENCODING)
        raise DataError(
            f"{path} is neither UTF-8 text (line {line} holds byte 0x{byte}) nor Windows-1252 "
            f"text (line {other_line} holds byte 0x{other_byte})",
            fix="Save the file as UTF-8 CSV and try again.",
        ) from None
    logger.warning(
        "%s is not UTF-8 (line %d holds byte 0x%s); it was read as Windows-1252, the "
        "encoding Excel uses on Windows. If accents look wrong, save it as UTF-8 CSV",
        path,
        line,
        byte,
    )
    return frame


def _first_undecodable(path: Path, encoding: str) -> tuple[int, str]:
    """The line number and the hex of the first byte `encoding` cannot decode."""
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                line.decode(encoding)
            except UnicodeDecodeError as error:
                return number, line[error.start : error.start + 1].hex()
    return 0, "??"


def _read(path: Path, head: bytes, encoding: str) -> pd.DataFrame:
    delimiter = _sniff_delimiter(head.decode(encoding, errors="replace"))
    frame = _parse(path, encoding, sep=delimiter)
    if frame.empty:
        raise DataError(f"{path} has a header but no data rows", fix="Add data rows to the file.")
    _refuse_duplicate_names(path, encoding, delimiter)
    if delimiter != ",":
        logger.info("%s: read with %r as the delimiter", path, delimiter)
        frame = _with_decimal_comma(path, encoding, delimiter, frame)
    return frame


def _parse(path: Path, encoding: str, **options: object) -> pd.DataFrame:
    try:
        return pd.read_csv(path, encoding=encoding, **options)
    except pd.errors.EmptyDataError:
        raise DataError(
            f"{path} is empty", fix="Pass a CSV with a header row and at least one data row."
        ) from None
    except pd.errors.ParserError as error:
        first_line = str(error).strip().splitlines()[0].removeprefix(_PANDAS_PREFIX)
        raise DataError(
            f"{path} could not be parsed as CSV: {first_line}",
            fix="Check that every row has as many fields as the header.",
        ) from None


def _refuse_binary(path: Path, head: bytes) -> None:
    for signature, kind in _BINARY_SIGNATURES:
        if head.startswith(signature):
            raise DataError(
                f"{path} is {kind}, not CSV text",
                fix="Export or save the data as CSV (comma-separated values) and pass that file.",
            )
    control = sum(head.count(byte) for byte in _BINARY_BYTES)
    if b"\x00" in head or control > MAX_CONTROL_BYTE_SHARE * len(head):
        position = min(head.find(byte) for byte in _BINARY_BYTES if byte in head)
        raise DataError(
            f"{path} holds binary data, not CSV text (byte 0x{head[position]:02x} at position "
            f"{position} does not occur in text)",
            fix="Pass a CSV text file, or save the data as UTF-8 CSV.",
        )


def _refuse_duplicate_names(path: Path, encoding: str, delimiter: str) -> None:
    """pandas renames a repeated header name (`x`, `x.1`); which one was meant is unknown."""
    header = _parse(
        path, encoding, sep=delimiter, header=None, nrows=1, dtype=str, keep_default_na=False
    )
    names = [str(name).strip() for name in header.iloc[0]]
    repeated = [name for name, count in Counter(names).items() if count > 1 and name]
    if not repeated:
        return
    clashes = []
    for name in repeated[:3]:
        positions = [str(i + 1) for i, other in enumerate(names) if other == name]
        clashes.append(f"{name!r} names columns {' and '.join(positions)}")
    raise DataError(
        f"{path} has duplicate column names: {'; '.join(clashes)}",
        fix="Give every column a distinct name.",
    )


def _with_decimal_comma(
    path: Path, encoding: str, delimiter: str, frame: pd.DataFrame
) -> pd.DataFrame:
    """The frame read with ',' as the decimal mark when that turns text columns into
    numbers and keeps every numeric column numeric (1,5 is one and a half in Europe)."""
    numeric = {c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])}
    if len(numeric) == len(frame.columns):
        return frame
    other = _parse(path, encoding, sep=delimiter, decimal=",")
    is_number = {c: pd.api.types.is_numeric_dtype(other[c]) for c in other.columns}
    converted = [c for c in frame.columns if c not in numeric and is_number.get(c)]
    if not converted or not all(is_number.get(c) for c in numeric):
        return frame
    example = frame[converted[0]].dropna().iloc[0]
    columns = f"column {converted[0]!r} holds"
    if len(converted) > 1:
        columns = f"{len(converted)} columns such as {converted[0]!r} hold"
    logger.info(
        "%s: read with ',' as the decimal mark, since %s numbers like %r",
        path,
        columns,
        example,
    )
    return other


def _sniff_delimiter(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","
