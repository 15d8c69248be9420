"""Data layer: read a CSV, profile its columns, infer the task and split it."""

from deepenough.data._columns import as_floats, as_strings
from deepenough.data._load import load_dataset
from deepenough.data._read import read_csv
from deepenough.data._spec import ColumnSpec, Dataset, DataSpec, Split

__all__ = [
    "ColumnSpec",
    "DataSpec",
    "Dataset",
    "Split",
    "as_floats",
    "as_strings",
    "load_dataset",
    "read_csv",
]
