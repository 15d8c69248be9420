import numpy as np
import pandas as pd

from deepenough import models
from deepenough.data import load_dataset


def test_packed_width_matches_feature_width(classification_frame) -> None:
    spec = load_dataset(classification_frame).spec
    encoder = models.build_encoder(spec)
    packed = models.encode(encoder, classification_frame, spec)
    assert packed.shape == (len(classification_frame), models.feature_width(spec))
    assert packed.dtype == np.float32
    assert np.isfinite(packed).all()


def test_encoding_in_chunks_gives_the_same_rows(classification_frame, monkeypatch) -> None:
    from deepenough.models import _features

    spec = load_dataset(classification_frame).spec
    encoder = models.build_encoder(spec)
    whole = models.encode(encoder, classification_frame, spec)
    monkeypatch.setattr(_features, "ENCODE_ROWS", 7)  # 150 rows: 22 chunks, the last short
    np.testing.assert_array_equal(models.encode(encoder, classification_frame, spec), whole)
    empty = models.encode(encoder, classification_frame.iloc[:0], spec)
    assert empty.shape == (0, whole.shape[1])


def test_numeric_columns_are_standardised_and_gaps_flagged(classification_frame) -> None:
    dataset = load_dataset(classification_frame)
    spec = dataset.spec
    x2 = next(c for c in spec.columns if c.name == "x2")
    frame = pd.DataFrame(
        {"x1": [0.0, 0.0, 0.0], "x2": [x2.mean + x2.std, np.nan, np.inf], "colour": ["red"] * 3}
    )
    packed = models.encode(models.build_encoder(spec), frame, spec)
    # column order: x1 (1 slot), x2 (value + missing flag), colour (one-hot)
    np.testing.assert_allclose(packed[:, 1], [1.0, 0.0, 0.0], atol=1e-5)
    np.testing.assert_array_equal(packed[:, 2], [0.0, 1.0, 1.0])


def test_categories_one_hot_with_one_slot_for_unknown(classification_frame) -> None:
    spec = load_dataset(classification_frame).spec
    colour = next(c for c in spec.columns if c.name == "colour")
    frame = pd.DataFrame({"x1": [0.0] * 3, "x2": [0.0] * 3, "colour": ["red", None, "purple"]})
    one_hot = models.encode(models.build_encoder(spec), frame, spec)[
        :, -(len(colour.vocabulary) + 1) :
    ]
    assert one_hot.sum(axis=1).tolist() == [1.0, 1.0, 1.0]
    assert one_hot[0, 1 + colour.vocabulary.index("red")] == 1.0
    assert one_hot[1, 1 + colour.vocabulary.index("")] == 1.0
    assert one_hot[2, 0] == 1.0  # the out-of-vocabulary slot comes first
