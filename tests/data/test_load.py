from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from deepenough.data import load_dataset
from deepenough.errors import DataError


def test_target_defaults_to_last_column_and_task_is_inferred(classification_frame) -> None:
    dataset = load_dataset(classification_frame)
    assert dataset.spec.target == "label"
    assert dataset.spec.task == "classification"
    assert dataset.spec.classes == ("high", "low", "mid")
    assert "labels" in dataset.profile.task_reason


def test_split_is_60_20_20_stratified_and_seeded(classification_frame) -> None:
    first = load_dataset(classification_frame, seed=3)
    again = load_dataset(classification_frame, seed=3)
    other = load_dataset(classification_frame, seed=4)
    assert (len(first.train), len(first.validation), len(first.test)) == (90, 30, 30)
    np.testing.assert_array_equal(first.test.target, again.test.target)
    assert not first.test.features.equals(other.test.features)
    overall = np.bincount(first.train.target) / len(first.train)
    held_out = np.bincount(first.test.target, minlength=3) / len(first.test)
    assert np.abs(overall - held_out).max() < 0.1


def test_column_kinds_and_statistics_come_from_training_rows(classification_frame) -> None:
    dataset = load_dataset(classification_frame)
    columns = {c.name: c for c in dataset.spec.columns}
    assert columns["x1"].kind == "numeric"
    assert columns["colour"].kind == "categorical"
    assert columns["x2"].has_missing
    assert "" in columns["colour"].vocabulary  # missing is a category of its own
    expected = dataset.train.features["x1"].mean()
    assert columns["x1"].mean == pytest.approx(expected)


def test_id_and_constant_columns_are_dropped_with_a_note(classification_frame, caplog) -> None:
    frame = classification_frame.assign(row_id=range(len(classification_frame)), const=7)
    frame = frame[["row_id", "const", "x1", "x2", "colour", "label"]]
    with caplog.at_level("INFO", logger="deepenough"):
        dataset = load_dataset(frame)
    kept = [c.name for c in dataset.spec.columns]
    assert "row_id" not in kept and "const" not in kept
    dropped = {c.name: c.dropped for c in dataset.profile.columns}
    assert dropped["row_id"].startswith("ID-like")
    assert dropped["const"].startswith("constant")
    assert "row_id" in caplog.text


def test_few_distinct_integers_are_classes_and_floats_are_regression(regression_frame) -> None:
    assert load_dataset(regression_frame).spec.task == "regression"
    ints = regression_frame.assign(y=(regression_frame["y"] > 100).astype(int))
    assert load_dataset(ints).spec.task == "classification"
    assert load_dataset(ints, task="regression").spec.task == "regression"


def test_regression_profile_and_target_scaling(regression_frame) -> None:
    dataset = load_dataset(regression_frame)
    assert dataset.spec.target_mean == pytest.approx(dataset.train.target.mean())
    assert dataset.profile.target_summary.max == pytest.approx(regression_frame["y"].max())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.assign(label=np.nan), "has no values"),
        (lambda f: f.assign(label="same"), "single class"),
        (lambda f: f.head(5), "at least 10 are needed"),
    ],
)
def test_unusable_targets_are_refused(classification_frame, change, message) -> None:
    with pytest.raises(DataError, match=message):
        load_dataset(change(classification_frame))


def test_unknown_target_lists_the_columns(classification_frame) -> None:
    with pytest.raises(DataError, match=r"'speces' is not in the data .*'x1'"):
        load_dataset(classification_frame, target="speces")


def test_regression_on_text_target_is_refused(classification_frame) -> None:
    with pytest.raises(DataError, match="needs a numeric target"):
        load_dataset(classification_frame, task="regression")


def test_rows_without_target_are_dropped_and_counted(classification_frame) -> None:
    frame = classification_frame.copy()
    frame.loc[:9, "label"] = None
    dataset = load_dataset(frame)
    assert dataset.profile.rows_without_target == 10
    assert len(dataset.train) + len(dataset.validation) + len(dataset.test) == 140


def test_separate_test_data_is_the_test_set(tmp_path: Path, classification_frame) -> None:
    test_path = tmp_path / "test.csv"
    classification_frame.tail(40).to_csv(test_path, index=False)
    dataset = load_dataset(classification_frame.head(110), test_data=test_path)
    assert len(dataset.test) == 40
    assert (len(dataset.train), len(dataset.validation)) == (88, 22)


def test_test_rows_whose_target_is_text_or_infinite_are_dropped(regression_frame) -> None:
    test = regression_frame.tail(10).astype({"y": object})
    test.loc[test.index[:2], "y"] = ["?", float("inf")]
    dataset = load_dataset(regression_frame.head(140), test_data=test)
    assert len(dataset.test) == 8 and np.all(np.isfinite(dataset.test.target))


def test_test_data_must_have_the_columns_and_known_labels(tmp_path, classification_frame) -> None:
    lacking = tmp_path / "lacking.csv"
    classification_frame.drop(columns="x2").to_csv(lacking, index=False)
    with pytest.raises(DataError, match=r"lacks columns .*'x2'"):
        load_dataset(classification_frame, test_data=lacking)
    unknown = tmp_path / "unknown.csv"
    classification_frame.assign(label="other").to_csv(unknown, index=False)
    with pytest.raises(DataError, match="never shows: other"):
        load_dataset(classification_frame, test_data=unknown)


def test_whole_float_labels_match_integer_labels() -> None:
    frame = pd.DataFrame({"x": np.random.default_rng(0).normal(size=40), "y": [1.0, 2.0] * 20})
    dataset = load_dataset(frame, task="classification")
    assert dataset.spec.classes == ("1", "2")
