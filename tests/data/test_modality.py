"""Modality detection on each layout: tabular, sequence, multichannel sequence, image."""

import numpy as np
import pandas as pd
import pytest

from deepenough.data import load_dataset
from deepenough.errors import DataError

ROWS = 60


def random_walks(prefix: str, length: int, seed: int, start: int = 0) -> pd.DataFrame:
    steps = np.random.default_rng(seed).normal(size=(ROWS, length))
    return pd.DataFrame(
        np.cumsum(steps, axis=1), columns=[f"{prefix}{i}" for i in range(start, start + length)]
    )


def labelled(features: pd.DataFrame) -> pd.DataFrame:
    return features.assign(label=np.tile(["a", "b"], ROWS // 2))


def test_plain_table_is_tabular(classification_frame) -> None:
    assert load_dataset(classification_frame).spec.modality == "tabular"


def test_one_numbered_run_is_a_sequence() -> None:
    dataset = load_dataset(labelled(random_walks("t", 50, 0)))
    assert dataset.spec.modality == "sequence"
    assert (dataset.spec.channels, dataset.spec.sequence_length) == (1, 50)
    assert "t0…t49" in dataset.profile.modality_reason
    assert "correlate" in dataset.profile.modality_reason
    assert dataset.profile.layout.length == 50


def test_one_based_underscored_names_are_a_sequence() -> None:
    assert load_dataset(labelled(random_walks("x_", 24, 1, start=1))).spec.modality == "sequence"


def test_runs_per_channel_are_a_multichannel_sequence() -> None:
    frame = labelled(
        pd.concat([random_walks("acc_x_", 20, 2), random_walks("acc_y_", 20, 3)], axis=1)
    )
    spec = load_dataset(frame).spec
    assert (spec.modality, spec.channels, spec.sequence_length) == ("sequence", 2, 20)
    assert [c.name for c in spec.columns[:2]] == ["acc_x_0", "acc_x_1"]
    assert spec.columns[20].name == "acc_y_0"
    # one scale per channel, so each series keeps its shape
    assert len({(c.mean, c.std) for c in spec.columns[:20]}) == 1
    assert spec.columns[0].mean != spec.columns[20].mean


def test_an_id_column_does_not_hide_a_sequence() -> None:
    frame = labelled(random_walks("t", 30, 4))
    frame.insert(0, "row_id", range(ROWS))
    dataset = load_dataset(frame)
    assert dataset.spec.modality == "sequence"
    assert dataset.profile.columns[0].dropped.startswith("ID-like")


def test_pixel_columns_with_a_square_count_are_an_image() -> None:
    pixels = np.random.default_rng(5).integers(0, 255, size=(ROWS, 64)).astype(float)
    pixels[:, :8] = 0.0  # a blank top row: constant columns, kept because they are pixels
    frame = labelled(pd.DataFrame(pixels, columns=[f"pixel{i}" for i in range(64)]))
    dataset = load_dataset(frame)
    assert dataset.spec.modality == "image"
    assert dataset.spec.image_shape == (8, 8, 1)
    assert len(dataset.spec.columns) == 64


def test_image_shape_gives_any_run_its_shape() -> None:
    values = np.random.default_rng(6).normal(size=(ROWS, 48))
    frame = labelled(pd.DataFrame(values, columns=[f"c{i}" for i in range(48)]))
    spec = load_dataset(frame, image_shape="4x4x3").spec
    assert (spec.modality, spec.image_shape) == ("image", (4, 4, 3))
    with pytest.raises(DataError, match="needs 75 pixel columns, but the data has 48"):
        load_dataset(frame, image_shape="5x5x3")


def test_numbered_but_unrelated_columns_stay_tabular() -> None:
    independent = np.random.default_rng(7).normal(size=(ROWS, 20))
    frame = labelled(pd.DataFrame(independent, columns=[f"x{i}" for i in range(20)]))
    dataset = load_dataset(frame)
    assert dataset.spec.modality == "tabular"
    assert "hardly correlate" in dataset.profile.modality_reason


def test_short_numbered_runs_beside_other_columns_stay_tabular() -> None:
    rng = np.random.default_rng(8)
    frame = labelled(
        pd.DataFrame(
            {
                "q1": rng.normal(size=ROWS),
                "q2": rng.normal(size=ROWS),
                "q3": rng.normal(size=ROWS),
                "age": rng.normal(size=ROWS),
            }
        )
    )
    assert load_dataset(frame).spec.modality == "tabular"


def test_modality_can_be_forced_and_checked() -> None:
    walks = labelled(random_walks("t", 30, 9))
    assert load_dataset(walks, modality="tabular").spec.modality == "tabular"
    independent = labelled(
        pd.DataFrame(
            np.random.default_rng(9).normal(size=(ROWS, 12)), columns=[f"x{i}" for i in range(12)]
        )
    )
    assert load_dataset(independent, modality="sequence").spec.modality == "sequence"
    with pytest.raises(DataError, match="--modality sequence needs every feature column"):
        load_dataset(walks.assign(colour="red"), target="label", modality="sequence")
    with pytest.raises(DataError, match="Unknown modality 'video'"):
        load_dataset(walks, modality="video")
    with pytest.raises(DataError, match="--image-shape must look like 28x28"):
        load_dataset(walks, image_shape="28 by 28")
