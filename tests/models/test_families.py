"""Every family: build, train 2 epochs, export, reload with plain Keras, same predictions."""

import json
import subprocess
import sys
from pathlib import Path

import keras
import numpy as np
import pandas as pd
import pytest
from _frames import make_classification_frame

from deepenough import models
from deepenough.data import load_dataset
from deepenough.export import predict_frame, wrap_for_export
from deepenough.spaces import Config
from deepenough.train import PackedData, fit_epochs

TRAINING = {"learning_rate": 0.01, "batch_size": 32, "max_epochs": 2, "patience": 2}
CASES = {
    "mlp-tabular": (
        "tabular",
        "mlp",
        {"depth": 2, "width": 8, "activation": "relu", "dropout": 0.1},
    ),
    "resmlp-tabular": (
        "tabular",
        "resmlp",
        {
            "blocks": 2,
            "d": 8,
            "hidden_factor": 2.0,
            "hidden_dropout": 0.1,
            "residual_dropout": 0.0,
            "normalization": "batch",
        },
    ),
    "recursive-tabular": ("tabular", "recursive", {"k": 3, "width": 8, "activation": "tanh"}),
    "autoencoder-tabular": (
        "tabular",
        "autoencoder",
        {
            "encoder_depth": 2,
            "width": 8,
            "code_size": 4,
            "activation": "relu",
            "noise": 0.1,
            "pretrain_epochs": 2,
        },
    ),
    "dbn-tabular": (
        "tabular",
        "dbn",
        {"layers": 3, "units": 8, "pretrain_steps": 50, "pretrain_learning_rate": 0.05},
    ),
    "mlp-sequence": (
        "sequence",
        "mlp",
        {"depth": 1, "width": 8, "activation": "relu", "dropout": 0.0},
    ),
    "cnn-sequence": (
        "sequence",
        "cnn",
        {"blocks": 2, "filters": 8, "kernel_size": 3, "residual": False},
    ),
    "resnet-sequence": (
        "sequence",
        "cnn",
        {"blocks": 2, "filters": 8, "kernel_size": 3, "residual": True},
    ),
    "rnn-sequence": (
        "sequence",
        "rnn",
        {"cell": "gru", "layers": 2, "units": 8, "bidirectional": True},
    ),
    "lstm-sequence": (
        "sequence",
        "rnn",
        {"cell": "lstm", "layers": 1, "units": 8, "bidirectional": False},
    ),
    "dbn-sequence": (
        "sequence",
        "dbn",
        {"layers": 1, "units": 8, "pretrain_steps": 50, "pretrain_learning_rate": 0.05},
    ),
    "cnn-image": ("image", "cnn", {"blocks": 2, "filters": 4, "kernel_size": 3, "residual": True}),
}
DEPTH_LAYERS = (
    keras.layers.Dense,
    keras.layers.Conv1D,
    keras.layers.Conv2D,
    keras.layers.Bidirectional,
    keras.layers.SimpleRNN,
    keras.layers.GRU,
    keras.layers.LSTM,
)


def frame_for(modality: str, classification_frame: pd.DataFrame) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    if modality == "tabular":
        return classification_frame
    if modality == "sequence":  # two channels of 16 steps; the class is the trend's sign
        trend = rng.choice([-1.0, 1.0], size=120)
        steps = np.arange(16) / 16
        x = trend[:, None] * steps + rng.normal(scale=0.3, size=(120, 16))
        y = np.cumsum(rng.normal(size=(120, 16)), axis=1)
        frame = pd.DataFrame(
            np.hstack([x, y]), columns=[f"a{i}" for i in range(16)] + [f"b{i}" for i in range(16)]
        )
        return frame.assign(label=np.where(trend > 0, "up", "down"))
    bright = rng.choice([0, 1], size=100)
    pixels = rng.normal(size=(100, 64)) + bright[:, None]
    frame = pd.DataFrame(pixels, columns=[f"pixel{i}" for i in range(64)])
    return frame.assign(label=np.where(bright == 1, "bright", "dark"))


def counted_depth(model: keras.Model) -> int:
    """Hidden Dense, convolution and recurrent layers, each call of a shared one counted."""
    calls = {
        entry["config"]["name"]: len(entry["inbound_nodes"])
        for entry in model.get_config()["layers"]
    }
    return sum(
        calls[layer.name]
        for layer in model.layers
        if isinstance(layer, DEPTH_LAYERS)
        and layer.name != "output"
        and not layer.name.endswith("_shortcut")
    )


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> dict[str, dict]:
    """Each case trained and saved once; returns paths, inputs and in-memory predictions."""
    folder = tmp_path_factory.mktemp("families")
    out = {}
    for case, (modality, family, params) in CASES.items():
        frame = frame_for(modality, make_classification_frame())
        dataset = load_dataset(frame)
        assert dataset.spec.modality == modality
        encoder = models.build_encoder(dataset.spec)
        packed = PackedData(
            models.encode(encoder, dataset.train.features, dataset.spec), dataset.train.target
        )
        config = Config(family, params, TRAINING)
        keras.utils.set_random_seed(0)
        body = models.build(config, dataset.spec)
        models.pretrain(body, config, packed.x)
        fit_epochs(body, packed, spec=dataset.spec, training=TRAINING, epochs=2)
        exported = wrap_for_export(body, dataset.spec)
        path = folder / f"{case}.keras"
        exported.save(path)
        rows = dataset.test.features.head(8)
        rows.to_csv(folder / f"{case}.csv", index=False)
        out[case] = {
            "path": path,
            "rows": rows,
            "probabilities": predict_frame(exported, rows)["probabilities"],
            "depth": models.depth(config),
            "counted": counted_depth(body),
        }
    return out


@pytest.mark.parametrize("case", list(CASES))
def test_family_round_trip_gives_identical_predictions(saved, case: str) -> None:
    entry = saved[case]
    reloaded = keras.saving.load_model(entry["path"])
    np.testing.assert_allclose(
        predict_frame(reloaded, entry["rows"])["probabilities"],
        entry["probabilities"],
        atol=1e-6,
    )
    assert np.allclose(entry["probabilities"].sum(axis=1), 1.0, atol=1e-5)


@pytest.mark.parametrize("case", list(CASES))
def test_depth_matches_the_built_graph(saved, case: str) -> None:
    assert saved[case]["depth"] == saved[case]["counted"] > 0


@pytest.mark.parametrize("case", list(CASES))
def test_depth_is_decided_by_the_declared_depth_params_alone(case: str) -> None:
    _, family, params = CASES[case]
    only = {name: params[name] for name in models.depth_params(family)}
    assert models.FAMILIES[family].depth(only) == models.depth(Config(family, params, TRAINING))


@pytest.mark.slow
def test_every_family_loads_in_a_process_without_deepenough(saved, tmp_path: Path) -> None:
    script = """
import json, sys
import keras, pandas as pd
out = {}
for case in sys.argv[1:]:
    model = keras.saving.load_model(case + ".keras")
    rows = pd.read_csv(case + ".csv")
    inputs = {n: rows[n].fillna("").astype(str).to_numpy() if t.dtype == "string"
              else rows[n].to_numpy("float32") for n, t in model.input.items()}
    out[case] = model.predict(inputs, verbose=0)["probabilities"].tolist()
out["ours"] = "deepenough" in sys.modules
print(json.dumps(out))
"""
    folder = next(iter(saved.values()))["path"].parent
    done = subprocess.run(
        [sys.executable, "-c", script, *CASES], cwd=folder, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    plain = json.loads(done.stdout.strip().splitlines()[-1])
    assert plain.pop("ours") is False
    for case, probabilities in plain.items():
        np.testing.assert_allclose(probabilities, saved[case]["probabilities"], atol=1e-6)


def test_recursive_depth_adds_no_parameters(classification_frame) -> None:
    spec = load_dataset(classification_frame).spec
    sizes = [
        models.build(
            Config("recursive", {"k": k, "width": 8, "activation": "relu"}, TRAINING), spec
        ).count_params()
        for k in (1, 6)
    ]
    assert sizes[0] == sizes[1]


def test_autoencoder_pretraining_changes_the_encoder_only(classification_frame) -> None:
    dataset = load_dataset(classification_frame)
    x = models.encode(models.build_encoder(dataset.spec), dataset.train.features, dataset.spec)
    config = Config(
        "autoencoder", dict(CASES["autoencoder-tabular"][2], pretrain_epochs=3), TRAINING
    )
    model = models.build(config, dataset.spec)
    code, head = (
        model.get_layer("code").get_weights()[0],
        model.get_layer("output").get_weights()[0],
    )
    models.pretrain(model, config, x)
    assert not np.allclose(model.get_layer("code").get_weights()[0], code)
    np.testing.assert_array_equal(model.get_layer("output").get_weights()[0], head)
