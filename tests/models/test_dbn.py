"""The deep belief network: RBMs pre-trained by CD-1, seeded, copied into sigmoid Dense layers."""

import keras
import numpy as np
import pytest
from _frames import make_classification_frame

from deepenough import models
from deepenough.data import load_dataset
from deepenough.models._rbm import binary_columns, initial_rbm, train_rbm
from deepenough.spaces import Config

TRAINING = {"learning_rate": 0.01, "batch_size": 32, "max_epochs": 2, "patience": 2}
PARAMS = {"layers": 3, "units": 8, "pretrain_steps": 300, "pretrain_learning_rate": 0.05}


@pytest.fixture(scope="module")
def packed():
    dataset = load_dataset(make_classification_frame())
    encoder = models.build_encoder(dataset.spec)
    return dataset.spec, models.encode(encoder, dataset.train.features, dataset.spec)


def pretrained_weights(spec, x, seed: int, **changes) -> list[np.ndarray]:
    config = Config("dbn", dict(PARAMS, **changes), TRAINING)
    keras.utils.set_random_seed(seed)
    model = models.build(config, spec)
    models.pretrain(model, config, x)
    return [w for layer in model.layers for w in layer.get_weights()]


def test_flags_and_one_hot_slots_are_bernoulli_units_and_numbers_gaussian(packed) -> None:
    spec, x = packed
    expected = []
    for column in spec.columns:  # a number, then its missing flag; or the one-hot slots
        if column.is_numeric:
            expected += [False] + [True] * column.has_missing
        else:
            expected += [True] * (len(column.vocabulary) + 1)
    assert sum(not c.is_numeric for c in spec.columns) and sum(expected) > 1
    assert binary_columns(x).tolist() == expected


def test_cd1_lowers_the_first_layers_reconstruction_error(packed) -> None:
    _, x = packed
    binary = binary_columns(x)
    before = initial_rbm(x, 8, binary=binary, rng=np.random.default_rng(0))
    after = train_rbm(
        x,
        8,
        binary=binary,
        steps=1000,
        learning_rate=0.01,
        batch_size=32,
        rng=np.random.default_rng(0),
    )
    assert after.reconstruction_error(x) < 0.5 * before.reconstruction_error(x)


def test_pretraining_sets_every_sigmoid_layer_and_leaves_the_head(packed) -> None:
    spec, x = packed
    untrained = pretrained_weights(spec, x, seed=0, pretrain_steps=0)
    trained = pretrained_weights(spec, x, seed=0)
    kernels = slice(0, 6)  # three layers' kernels and biases; the head's follow
    assert all(
        not np.allclose(a, b) for a, b in zip(untrained[kernels], trained[kernels], strict=True)
    )
    for a, b in zip(untrained[6:], trained[6:], strict=True):
        np.testing.assert_array_equal(a, b)


def test_one_seed_gives_the_same_weights_and_another_seed_others(packed) -> None:
    spec, x = packed
    first, again, other = (pretrained_weights(spec, x, seed) for seed in (3, 3, 4))
    for a, b in zip(first, again, strict=True):
        np.testing.assert_allclose(a, b, atol=1e-6)
    assert not np.allclose(first[0], other[0])


def test_the_exported_layers_are_plain_sigmoid_dense(packed) -> None:
    spec, _ = packed
    model = models.build(Config("dbn", PARAMS, TRAINING), spec)
    hidden = [layer for layer in model.layers if layer.name.startswith("rbm_")]
    assert [type(layer) for layer in hidden] == [keras.layers.Dense] * 3
    assert {layer.get_config()["activation"] for layer in hidden} == {"sigmoid"}
    assert models.depth(Config("dbn", PARAMS, TRAINING)) == 3


def test_a_diverging_rbm_names_the_setting_to_lower(packed) -> None:
    _, x = packed
    with pytest.raises(FloatingPointError, match="lower `pretrain_learning_rate`"):
        train_rbm(
            x * 1e20,
            8,
            binary=binary_columns(x),
            steps=50,
            learning_rate=0.5,
            batch_size=32,
            rng=np.random.default_rng(0),
        )
