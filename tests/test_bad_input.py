"""The bad-input corpus: messy files, spaces and options, each either read with a note
that says what was done, or refused with exit code 2, one `error:` line naming the
problem and the fix, no traceback and no run directory.

The files are in tests/data/bad/; the two that would be large (2,000 columns, 10,000
categories) are generated here. Refused cases run the CLI in-process and stop before
any training; read cases call `load_dataset` alone.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from deepenough.cli import app
from deepenough.data import ColumnSpec, Dataset, load_dataset

BAD = Path(__file__).parent / "data" / "bad"
runner = CliRunner()

# Arguments of `automl search`: {bad} is the corpus folder, {good} a clean CSV, {tmp} an
# empty folder of the test's own.
REFUSED: dict[str, tuple[list[str], str]] = {
    # the file
    "missing file": (["{tmp}/nope.csv"], r"No such file: .*nope\.csv"),
    "directory as the CSV": (["{tmp}"], "is a directory, not a CSV file"),
    "empty file": (["{bad}/empty.csv"], r"empty\.csv is empty"),
    "blank lines only": (["{bad}/blank_lines.csv"], "is empty"),
    "header only": (["{bad}/header_only.csv"], "has a header but no data rows"),
    "one row": (["{bad}/one_row.csv"], "has 1 row with a target; at least 10 are needed"),
    "nine rows": (["{bad}/nine_rows.csv"], "has 9 rows with a target; at least 10"),
    "binary file renamed .csv": (
        ["{bad}/binary.csv"],
        r"holds binary data, not CSV text \(byte 0x01 at position 6 does not occur in text\)",
    ),
    "workbook renamed .csv": (
        ["{bad}/excel_workbook.csv"],
        r"is a ZIP archive \(an Excel .xlsx workbook is one\), not CSV text.*Export",
    ),
    "rows longer than the header": (
        ["{bad}/ragged_rows.csv"],
        "could not be parsed as CSV: Expected 3 fields in line 7, saw 4. Check that every row",
    ),
    "one column": (["{bad}/one_column.csv"], "has 1 column; it needs at least one feature"),
    "duplicate column names": (
        ["{bad}/duplicate_columns.csv"],
        "duplicate column names: 'x' names columns 1 and 3. Give every column a distinct name",
    ),
    # the target
    "missing target column": (
        ["{good}", "--target", "lable"],
        r"Target column 'lable' is not in the data \(columns: .*\). Did you mean --target 'label'",
    ),
    "target differs by case": (["{good}", "--target", "LABEL"], "Did you mean --target 'label'"),
    "target all missing": (["{bad}/target_all_missing.csv"], "'label' has no values"),
    "one class": (["{bad}/one_class.csv"], r"single class \('yes'\), so there is nothing to learn"),
    "all-constant features": (
        ["{bad}/constant_features.csv"],
        r"every column but the target 'label' was dropped \('a': constant \(every value is 1\); "
        r"'b': constant \(every value is 'same'\); 'c': every value is missing\)",
    ),
    "regression on a text target": (["{good}", "--task", "regression"], "needs a numeric target"),
    "unknown task": (["{good}", "--task", "clustering"], "Unknown task 'clustering'"),
    "unknown metric": (["{good}", "--metric", "f1"], "Unknown metric 'f1'. Choose one of:"),
    "metric of the other task": (["{good}", "--metric", "rmse"], "'rmse' is for regression"),
    "test data that does not exist": (
        ["{good}", "--test-data", "{tmp}/test.csv"],
        r"No such file: .*test\.csv",
    ),
    "test data without the columns": (
        ["{good}", "--test-data", "{bad}/one_column.csv"],
        "--test-data lacks columns the training data has: 'x1'",
    ),
    # the options
    "zero trials": (
        ["{good}", "--trials", "0"],
        r"`--trials` must be a whole number of at least 1, but got 0. Pass for example --trials 30",
    ),
    "negative trials": (["{good}", "--trials", "-3"], "at least 1, but got -3"),
    "trials not a number": (
        ["{good}", "--trials", "ten"],
        "Invalid value for '--trials'.*Run 'automl search --help'",
    ),
    "zero time budget": (["{good}", "--time-budget", "0"], "`--time-budget` must be positive"),
    "negative time budget": (["{good}", "--time-budget", "-5m"], "positive, but got '-5m'"),
    "time budget without a number": (
        ["{good}", "--time-budget", "soon"],
        "`--time-budget` must be a duration such as 90s",
    ),
    "zero trial timeout": (
        ["{good}", "--trial-timeout", "0"],
        "`--trial-timeout` must be positive",
    ),
    "trial timeout without a number": (
        ["{good}", "--trial-timeout", "long"],
        "`--trial-timeout` must be a duration such as 90s",
    ),
    "zero parameter budget": (
        ["{good}", "--max-params", "0"],
        "`--max-params` must be a whole number of at least 1, but got 0",
    ),
    "one fold": (
        ["{good}", "--folds", "1"],
        "`--folds` must be a whole number of at least 2, but got 1. Pass for example --folds 5, "
        "or leave it out for the default",
    ),
    "zero repeats": (
        ["{good}", "--repeats", "0"],
        "`--repeats` must be a whole number of at least 1",
    ),
    "negative ROPE": (
        ["{good}", "--rope", "-0.1"],
        r"`--rope` must be zero or positive, but got -0.1. .*in the metric's units",
    ),
    "unknown backend": (
        ["{good}", "--backend", "optuner"],
        "`--backend` must be optuna or kerastuner, but got 'optuner'. Pass for example --backend",
    ),
    "unknown tuner": (
        ["{good}", "--backend", "kerastuner", "--tuner", "grid"],
        "`--tuner` must be random, bayesian or hyperband, but got 'grid'",
    ),
    "tuner without KerasTuner": (
        ["{good}", "--tuner", "hyperband"],
        "--tuner chooses among KerasTuner's algorithms. Add --backend kerastuner",
    ),
    "storage URL with KerasTuner": (
        ["{good}", "--backend", "kerastuner", "--storage", "postgresql://db/study"],
        "--storage is an Optuna storage URL.*Drop --storage, or search with --backend optuna",
    ),
    "negative seed": (
        ["{good}", "--seed", "-1"],
        "`--seed` must be a whole number from 0 to 4294967295, but got -1",
    ),
    "unknown modality": (["{good}", "--modality", "video"], "Unknown modality 'video'"),
    "image shape without a width": (["{good}", "--image-shape", "28"], "must look like 28x28"),
    "unknown option": (
        ["{good}", "--trails", "3"],
        r"No such option: --trails \(Possible options: .*--trials\). Run 'automl search --help'",
    ),
    # the search space
    "space file that does not exist": (
        ["{good}", "--space", "{tmp}/space.yaml"],
        "No such search-space file: .*space.yaml. Check the path, or use a built-in space",
    ),
    "unknown space name": (["{good}", "--space", "defualt"], "Unknown search space 'defualt'"),
    "malformed YAML": (
        ["{good}", "--space", "{bad}/malformed.yaml"],
        r"malformed.yaml: not valid YAML at line 3, column 1: expected ',' or '}', but got "
        r"'<stream end>' \(while parsing a flow mapping at line 2, column 8\). Fix the YAML",
    ),
    "YAML with a Python tag": (
        ["{good}", "--space", "{bad}/python_tag.yaml"],
        r"python_tag.yaml: YAML tag refused at line 4, column 14: could not determine a "
        r"constructor for the tag .*python/object/apply:os.system.* never as Python objects",
    ),
    "empty YAML": (
        ["{good}", "--space", "{bad}/empty.yaml"],
        "empty.yaml is empty. Declare the families to search; `automl spaces show default`",
    ),
    "unknown family": (
        ["{good}", "--space", "{bad}/unknown_family.yaml"],
        r"families.transformer: unknown family; expected one of \[.*'mlp'",
    ),
    "low above high": (
        ["{good}", "--space", "{bad}/low_above_high.yaml"],
        r"families.mlp.hyperparameters.depth: `low <= high` must hold, but got \(low=4, high=1\)",
    ),
    "categorical without choices": (
        ["{good}", "--space", "{bad}/no_choices.yaml"],
        "activation: `choices` must be a non-empty list, but got choices=",
    ),
    "misspelt hyperparameter": (
        ["{good}", "--space", "{bad}/misspelt_hyperparameter.yaml"],
        r"families.mlp.hyperparameters.widht: unknown hyperparameter; expected one of .*"
        r"but got 'widht'. Did you mean 'width'\?",
    ),
}


@pytest.mark.parametrize("case", REFUSED)
def test_refused_in_one_line_with_exit_2_and_no_run(
    case: str, tmp_path: Path, classification_csv: Path
) -> None:
    args, message = REFUSED[case]
    folder = tmp_path / "empty"
    folder.mkdir()
    places = {"bad": str(BAD), "good": str(classification_csv), "tmp": str(folder)}
    out = tmp_path / "run"
    result = runner.invoke(app, ["search", *(a.format(**places) for a in args), "--out", str(out)])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines[0]
    assert re.search(message, lines[0]), lines[0]
    assert "Traceback" not in result.output
    assert not out.exists()


@dataclass(frozen=True)
class Read:
    """A case that loads: the note it logs and what the loaded data must show."""

    file: str | Callable[[Path], Path]
    note: str
    """A regular expression the log must match (empty: nothing to say)."""
    kept: tuple[str, ...] | None = None
    """The feature columns, in order."""
    dropped: dict[str, str] = field(default_factory=dict)
    """Dropped columns and a regular expression their reason matches."""
    rows: int | None = None
    check: Callable[[Dataset], bool] = lambda dataset: True


def wide(folder: Path) -> Path:
    """2,000 numeric columns of noise and a label."""
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        rng.normal(size=(40, 2000)).round(2), columns=[f"f{i}" for i in range(2000)]
    )
    frame["label"] = np.where(frame["f0"] > 0, "up", "down")
    path = folder / "wide.csv"
    frame.to_csv(path, index=False)
    return path


def many_categories(folder: Path) -> Path:
    """A column of 10,000 categories, each on two rows, beside a number and a label."""
    rng = np.random.default_rng(0)
    codes = np.repeat([f"shop{i:05d}" for i in range(10_000)], 2)
    x = rng.normal(size=len(codes)).round(3)
    frame = pd.DataFrame({"shop": codes, "x": x, "label": np.where(x > 0, "a", "b")})
    path = folder / "many_categories.csv"
    frame.to_csv(path, index=False)
    return path


def kept_vocabulary(dataset: Dataset, column: str) -> tuple[str, ...]:
    return next(c.vocabulary for c in dataset.spec.columns if c.name == column)


def column(dataset: Dataset, name: str) -> ColumnSpec:
    return next(c for c in dataset.spec.columns if c.name == name)


READ: dict[str, Read] = {
    "UTF-8 byte-order mark": Read(
        "bom.csv", "starts with a UTF-8 byte-order mark; it was skipped", ("x", "colour")
    ),
    "semicolons and decimal commas": Read(
        "semicolon_decimal_comma.csv",
        r"read with ';' as the delimiter.*read with ',' as the decimal mark, since column 'x' "
        "holds numbers like '1,053'",
        ("x", "colour"),
        check=lambda d: column(d, "x").is_numeric,
    ),
    "UTF-16 with tabs (Excel's Unicode text)": Read(
        "excel_unicode_text.csv",
        r"is UTF-16 text \(Excel's Unicode text\); it was read as such.*read with '\\t' as",
        ("x", "colour"),
        rows=30,
    ),
    "tabs": Read("tabs.csv", r"read with '\\t' as the delimiter", ("x", "colour")),
    "quoted newlines": Read(
        "quoted_newlines.csv",
        "",
        ("x", "colour", "note"),
        rows=30,
        check=lambda d: "needs\na second look" in kept_vocabulary(d, "note"),
    ),
    "non-UTF-8 bytes": Read(
        "latin1.csv",
        r"is not UTF-8 \(line 4 holds byte 0xe9\); it was read as Windows-1252",
        ("x", "colour"),
        check=lambda d: "bleu café" in kept_vocabulary(d, "colour"),
    ),
    "inf in a feature": Read(
        "inf_feature.csv",
        r"column 'x' has 3 infinite values \(inf or -inf\); they are treated as missing",
        ("x", "colour"),
        check=lambda d: column(d, "x").has_missing and np.isfinite(column(d, "x").mean),
    ),
    "inf in the target": Read(
        "inf_target.csv",
        "dropped 1 row whose target 'y' is infinite",
        ("x", "colour"),
        rows=30,
        check=lambda d: d.spec.task == "regression" and np.isfinite(d.spec.target_mean),
    ),
    "numbers mixed with text": Read(
        "mixed_numbers_and_text.csv",
        r"column 'weight' mixes numbers with text \('\?', 'unknown' in 3 of 30 rows\); "
        "the text is treated as missing",
        ("x", "colour", "weight"),
        check=lambda d: column(d, "weight").is_numeric and column(d, "weight").has_missing,
    ),
    "an ID column": Read(
        "id_column.csv",
        "dropped column 'customer_id': ID-like",
        ("x", "colour"),
        {"customer_id": "ID-like"},
    ),
    "a pandas index column": Read(
        "pandas_index_column.csv",
        "dropped column 'Unnamed: 0': ID-like",
        ("x", "colour"),
        {"Unnamed: 0": "ID-like"},
    ),
    "a date column": Read(
        "date_column.csv",
        r"dropped column 'date': it holds dates \(such as '2024-01-01'\), which the models "
        "do not read; add numeric columns derived from them",
        ("x", "colour"),
        {"date": "holds dates"},
    ),
    "an all-missing column": Read(
        "all_missing_column.csv",
        "dropped column 'comment': every value is missing",
        ("x", "colour"),
        {"comment": "every value is missing"},
    ),
    "a class with a single row": Read(
        "class_with_one_row.csv",
        r"class 'maybe' \(1 row\) has fewer than 5 rows, too few to split in proportion",
        ("x", "colour"),
        check=lambda d: d.profile.classes["maybe"] == 1,
    ),
    "10,000 categories": Read(
        many_categories,
        r"column 'shop' has \d{4} categories in the training rows; the 100 most frequent are kept",
        ("shop", "x"),
        rows=20_000,
        check=lambda d: len(kept_vocabulary(d, "shop")) == 100,
    ),
    "2,000 columns": Read(
        wide,
        "",
        tuple(f"f{i}" for i in range(2000)),
        check=lambda d: d.spec.modality == "tabular",
    ),
}


@pytest.mark.parametrize("case", READ)
def test_read_with_a_note_of_what_was_done(case: str, tmp_path: Path, caplog) -> None:
    expected = READ[case]
    path = BAD / expected.file if isinstance(expected.file, str) else expected.file(tmp_path)
    with caplog.at_level(logging.DEBUG, logger="deepenough"):
        dataset = load_dataset(path)
    notes = " | ".join(r.getMessage() for r in caplog.records)
    if expected.note:
        assert re.search(expected.note, notes), notes
    else:
        assert not [r for r in caplog.records if r.levelno >= logging.WARNING], notes
    if expected.kept is not None:
        assert tuple(c.name for c in dataset.spec.columns) == expected.kept
    dropped = {c.name: c.dropped for c in dataset.profile.columns if c.dropped}
    assert set(dropped) == set(expected.dropped), dropped
    for name, reason in expected.dropped.items():
        assert re.search(reason, dropped[name]), dropped[name]
    if expected.rows is not None:
        assert dataset.profile.rows == expected.rows
    assert expected.check(dataset)
