"""Prediction latency is timed with care for fast models and within bounds for slow ones."""

import time
from types import SimpleNamespace

import numpy as np

from deepenough.train._crossval import LATENCY_SLOW_SECONDS, _latency_ms


class CountingModel:
    """Stands in for a Keras model: each call takes `seconds` and is counted."""

    def __init__(self, seconds: float) -> None:
        self.seconds, self.calls = seconds, 0

    def predict_on_batch(self, x: np.ndarray) -> np.ndarray:
        self.calls += 1
        time.sleep(self.seconds)
        return np.zeros((len(x), 2))


SPEC = SimpleNamespace(task="classification")


def test_a_fast_model_is_timed_three_times_after_warm_ups() -> None:
    model = CountingModel(0.0)
    assert _latency_ms(model, np.zeros((10, 4)), SPEC) >= 0  # type: ignore[arg-type]
    assert model.calls == 5  # the probe, a warm-up at full size, three timed calls


def test_a_slow_model_is_timed_once() -> None:
    model = CountingModel(2 * LATENCY_SLOW_SECONDS)
    latency = _latency_ms(model, np.zeros((10, 4)), SPEC)  # type: ignore[arg-type]
    assert model.calls == 2  # the probe and one timed call
    assert latency >= 1000 * 2 * LATENCY_SLOW_SECONDS
