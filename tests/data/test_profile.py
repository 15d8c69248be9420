import numpy as np
import pandas as pd
import pytest

from deepenough.data import load_dataset

SHARED_KEYS = [
    "source",
    "rows",
    "rows_without_target",
    "columns",
    "target",
    "task",
    "task_reason",
    "modality",
    "split",
]


def test_classification_profile_counts_rows_and_classes(classification_frame) -> None:
    frame = classification_frame.copy()
    frame.loc[:4, "label"] = None
    dataset = load_dataset(frame)
    profile = dataset.profile.to_dict()
    assert list(profile) == [*SHARED_KEYS, "classes", "train_classes", "modality_reason"]
    assert (profile["rows"], profile["rows_without_target"]) == (150, 5)
    assert profile["split"] == {"train": 87, "validation": 29, "test": 29, "search_folds": 5}
    assert [c["name"] for c in profile["columns"]] == ["x1", "x2", "colour"]
    assert profile["classes"] == frame["label"].value_counts().sort_index().to_dict()
    in_train = pd.Series(np.array(dataset.spec.classes)[dataset.train.target]).value_counts()
    assert profile["train_classes"] == in_train.sort_index().to_dict()


def test_regression_profile_summarises_the_target_of_every_row_with_one(regression_frame) -> None:
    frame = regression_frame.copy()
    frame.loc[:9, "y"] = np.nan
    profile = load_dataset(frame).profile.to_dict()
    assert list(profile) == [*SHARED_KEYS, "target_summary", "modality_reason"]
    y = frame["y"].dropna().to_numpy()
    assert profile["target_summary"] == pytest.approx(
        {"mean": y.mean(), "std": y.std(), "min": y.min(), "max": y.max()}
    )


def test_sequence_columns_are_summed_up_under_layout() -> None:
    walks = np.cumsum(np.random.default_rng(0).normal(size=(60, 30)), axis=1)
    frame = pd.DataFrame(walks, columns=[f"t{i}" for i in range(30)])
    frame.insert(0, "row_id", range(60))
    profile = load_dataset(frame.assign(label=np.tile(["a", "b"], 30))).profile.to_dict()
    assert list(profile) == [*SHARED_KEYS, "classes", "train_classes", "modality_reason", "layout"]
    assert [c["name"] for c in profile["columns"]] == ["row_id"]
    layout = {"channels": ["t"], "length": 30, "image_shape": None, "columns": 30}
    assert profile["layout"] == layout
