import keras
import numpy as np
import pytest

from deepenough import models
from deepenough.data import load_dataset
from deepenough.spaces import Config

TRAINING = {"learning_rate": 0.01, "batch_size": 32, "max_epochs": 3, "patience": 2}


def mlp(depth: int, width: int = 8, dropout: float = 0.1) -> Config:
    return Config(
        "mlp", {"depth": depth, "width": width, "activation": "relu", "dropout": dropout}, TRAINING
    )


@pytest.mark.parametrize("depth", [0, 1, 4])
def test_depth_counts_hidden_dense_layers(classification_frame, depth: int) -> None:
    spec = load_dataset(classification_frame).spec
    model = models.build(mlp(depth), spec)
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    assert models.depth(mlp(depth)) == depth == len(dense) - 1  # the output layer is not counted
    assert model.input_shape == (None, models.feature_width(spec))


def test_output_is_class_probabilities_or_one_value(classification_frame, regression_frame) -> None:
    for frame, width in ((classification_frame, 3), (regression_frame, 1)):
        spec = load_dataset(frame).spec
        model = models.build(mlp(2), spec)
        out = np.asarray(model(np.zeros((5, models.feature_width(spec)), dtype="float32")))
        assert out.shape == (5, width)
    spec = load_dataset(classification_frame).spec
    probabilities = models.build(mlp(1), spec)(np.ones((4, models.feature_width(spec)), "float32"))
    np.testing.assert_allclose(np.asarray(probabilities).sum(axis=1), 1.0, rtol=1e-5)


def test_catalog_lists_each_family_schema() -> None:
    catalog = models.catalog()
    assert set(catalog) == set(models.FAMILIES)
    assert "tabular" in catalog["mlp"].modalities
