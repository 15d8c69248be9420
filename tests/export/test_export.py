"""Exported models: raw columns in, the same predictions after a plain-Keras reload."""

import json
import subprocess
import sys
from pathlib import Path

import keras
import numpy as np
import pandas as pd
import pytest

from deepenough import models
from deepenough.backends import TrialResult
from deepenough.data import load_dataset
from deepenough.errors import DataError
from deepenough.export import export_trial, inputs_from_frame, predict_frame
from deepenough.spaces import Config
from deepenough.train import PackedData

CONFIG = Config(
    "mlp",
    {"depth": 2, "width": 8, "activation": "relu", "dropout": 0.1},
    {"learning_rate": 0.01, "batch_size": 32, "max_epochs": 3, "patience": 2},
)


def export(frame: pd.DataFrame, path: Path, test_data: pd.DataFrame | None = None):
    dataset = load_dataset(frame, test_data=test_data)
    encoder = models.build_encoder(dataset.spec)
    both = pd.concat([dataset.train.features, dataset.validation.features])
    packed = PackedData(
        models.encode(encoder, both, dataset.spec),
        np.concatenate([dataset.train.target, dataset.validation.target]),
    )
    trial = TrialResult(0, CONFIG, "complete", value=0.5, best_epoch=2)
    return dataset, export_trial(trial, dataset, packed, path)


@pytest.fixture
def classifier(tmp_path: Path, classification_frame: pd.DataFrame):
    frame = classification_frame.rename(columns={"x2": "price/sqft"})
    dataset, report = export(frame, tmp_path / "model.keras")
    return frame, dataset, report


def test_test_set_is_scored_by_the_saved_file(classifier) -> None:
    _frame, dataset, report = classifier
    assert report.path.is_file() and report.epochs == 2
    model = keras.saving.load_model(report.path)
    outputs = predict_frame(model, dataset.test.features)
    accuracy = np.mean(np.argmax(outputs["probabilities"], axis=1) == dataset.test.target)
    assert report.test["accuracy"] == pytest.approx(accuracy)
    assert set(report.test) == {"accuracy", "balanced_accuracy", "roc_auc"}
    assert not list(report.path.parent.glob(".*partial*"))
    confusion = np.array(report.test_predictions.confusion)  # rows actual, columns predicted
    assert report.test_predictions.labels == dataset.spec.classes
    assert (
        confusion.sum(axis=1).tolist()
        == np.bincount(dataset.test.target, minlength=len(dataset.spec.classes)).tolist()
    )
    assert np.trace(confusion) / confusion.sum() == pytest.approx(accuracy)


def test_plain_keras_reload_in_a_fresh_process_gives_identical_outputs(
    classifier, tmp_path
) -> None:
    frame, _, report = classifier
    expected = predict_frame(keras.saving.load_model(report.path), frame)
    frame.to_csv(tmp_path / "rows.csv", index=False)
    script = f"""
import json, sys
import keras, pandas as pd
model = keras.saving.load_model({str(report.path)!r})
frame = pd.read_csv("rows.csv")
inputs = {{
    name: frame[name].fillna("").astype(str).to_numpy() if tensor.dtype == "string"
    else frame[name].to_numpy("float32")
    for name, tensor in model.input.items()
}}
out = model.predict(inputs, verbose=0)
print(json.dumps({{
    "labels": [v.decode() for v in out["label"]],
    "probabilities": out["probabilities"].tolist(),
    "imported_deepenough": "deepenough" in sys.modules,
}}))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr[-2000:]
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got["imported_deepenough"] is False
    assert got["labels"] == list(expected["label"])
    np.testing.assert_allclose(got["probabilities"], expected["probabilities"], atol=1e-6)


def test_column_names_keras_forbids_still_key_the_inputs(classifier) -> None:
    _, _, report = classifier
    model = keras.saving.load_model(report.path)
    assert "price/sqft" in model.input


def test_any_column_name_survives_export_and_reload(tmp_path: Path, classification_frame) -> None:
    names = {"x1": "x 1", "x2": "x_1", "colour": '"><b>colour</b> (%)'}
    frame = classification_frame.rename(columns=names)
    dataset, report = export(frame, tmp_path / "model.keras")
    model = keras.saving.load_model(report.path)
    assert set(model.input) == set(names.values())
    assert len(predict_frame(model, dataset.test.features)["label"]) == len(dataset.test)


def test_regression_model_predicts_in_target_units(tmp_path: Path, regression_frame) -> None:
    dataset, report = export(regression_frame, tmp_path / "model.keras")
    model = keras.saving.load_model(report.path)
    prediction = predict_frame(model, dataset.test.features)["prediction"]
    assert prediction.shape == (len(dataset.test),)
    assert 50 < prediction.mean() < 150  # y is centred on 100, not on 0
    assert set(report.test) == {"rmse", "mae", "r2"}
    kept = report.test_predictions
    assert kept.actual == pytest.approx(tuple(dataset.test.target.tolist()), rel=1e-5)
    assert kept.predicted == pytest.approx(tuple(prediction.tolist()), rel=1e-5)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.drop(columns="x1"), r"lacks columns the model needs: 'x1'"),
        (
            lambda f: f.assign(x1=["abc"] * (len(f) - 1) + [1.0]),
            r"Column 'x1' in the data must be numeric, but row 1 holds 'abc'",
        ),
        (
            lambda f: f.assign(colour="purple"),
            r"Column 'colour' in the data has categories the model never saw: 'purple'",
        ),
    ],
)
def test_bad_prediction_input_is_one_clear_error(classifier, change, message) -> None:
    frame, _, report = classifier
    model = keras.saving.load_model(report.path)
    with pytest.raises(DataError, match=message) as caught:
        inputs_from_frame(model, change(frame.drop(columns="label")))
    assert "\n" not in str(caught.value)


def test_new_values_are_expected_only_where_the_vocabulary_kept_the_most_frequent(
    tmp_path, classification_frame, monkeypatch
) -> None:
    monkeypatch.setattr("deepenough.data._columns.MAX_CATEGORIES", 5)
    frame = classification_frame.copy()
    frame.insert(0, "shop", [f"shop {i % 12}" for i in range(len(frame))])
    _, report = export(frame, tmp_path / "model.keras")  # 12 shops: the 5 most frequent kept
    model = keras.saving.load_model(report.path)
    rows = frame.drop(columns="label")
    assert len(predict_frame(model, rows.assign(shop="a new shop"))["label"]) == len(rows)
    with pytest.raises(DataError, match="'colour' in the data has categories the model never"):
        inputs_from_frame(model, rows.assign(colour="purple"))


def test_test_rows_with_categories_never_seen_are_scored(tmp_path, classification_frame) -> None:
    test = classification_frame.assign(colour="purple")  # as a rare city beyond the vocabulary
    dataset, report = export(classification_frame, tmp_path / "model.keras", test_data=test)
    assert len(dataset.test) == len(test) and 0 <= report.test["accuracy"] <= 1


def test_text_among_numbers_is_read_as_missing_as_in_training(classifier, caplog) -> None:
    frame, _, report = classifier
    model = keras.saving.load_model(report.path)
    placeholders = frame.assign(x1=frame["x1"].astype(object)).drop(columns="label")
    placeholders.loc[[3, 7], "x1"] = "?"
    inputs = inputs_from_frame(model, placeholders)
    assert np.isnan(inputs["x1"][[3, 7]]).all() and np.isfinite(inputs["x1"][:3]).all()
    assert "column 'x1' mixes numbers with text ('?' in 2 of" in caplog.text


def test_unseen_categories_can_be_allowed(classifier) -> None:
    frame, _, report = classifier
    model = keras.saving.load_model(report.path)
    outputs = predict_frame(model, frame.assign(colour="purple"), allow_unseen=True)
    assert len(outputs["label"]) == len(frame)


def test_tiny_data_exports_a_model_trained_on_every_row_and_scores_no_test_set(
    tmp_path: Path, classification_frame: pd.DataFrame
) -> None:
    dataset, report = export(classification_frame.head(60), tmp_path / "model.keras")
    assert len(dataset.test.target) == 0
    assert report.test == {} and report.test_predictions is None
    model = keras.saving.load_model(report.path)
    outputs = predict_frame(model, classification_frame.head(5).drop(columns="label"))
    assert outputs["probabilities"].shape == (5, len(dataset.spec.classes))
