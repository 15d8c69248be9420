"""Data layer: read a CSV, profile its columns, infer the task and split it."""

from deepenough.data._columns import as_floats, as_strings, numbers_among_text
from deepenough.data._load import load_dataset
from deepenough.data._modality import MODALITIES, Layout, detect_layout, parse_image_shape
from deepenough.data._read import read_csv
from deepenough.data._spec import ColumnSpec, Dataset, DataSpec, Split
from deepenough.data._split import CROSS_VALIDATE_BELOW_ROWS, NO_TEST_BELOW_ROWS, search_folds

__all__ = [
    "CROSS_VALIDATE_BELOW_ROWS",
    "MODALITIES",
    "NO_TEST_BELOW_ROWS",
    "ColumnSpec",
    "DataSpec",
    "Dataset",
    "Layout",
    "Split",
    "as_floats",
    "as_strings",
    "detect_layout",
    "load_dataset",
    "numbers_among_text",
    "parse_image_shape",
    "read_csv",
    "search_folds",
]
