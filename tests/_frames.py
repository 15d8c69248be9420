"""Tiny data sets for tests: at most 200 rows, seeded."""

import numpy as np
import pandas as pd


def make_classification_frame(rows: int = 150, seed: int = 0) -> pd.DataFrame:
    """Two numeric features (one with gaps), a categorical one, and a 3-class target."""
    rng = np.random.default_rng(seed)
    x1 = rng.normal(size=rows)
    x2 = rng.normal(size=rows)
    colour = rng.choice(["red", "green", "blue"], size=rows)
    score = x1 + 0.5 * x2 + (colour == "red") * 1.5
    label = np.where(score > 1.0, "high", np.where(score > -0.5, "mid", "low"))
    x2_with_gaps = x2.copy()
    x2_with_gaps[::17] = np.nan
    colour_with_gaps = colour.astype(object)
    colour_with_gaps[::23] = None
    return pd.DataFrame({"x1": x1, "x2": x2_with_gaps, "colour": colour_with_gaps, "label": label})


def make_regression_frame(rows: int = 150, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    a = rng.normal(size=rows)
    b = rng.uniform(-1, 1, size=rows)
    kind = rng.choice(["p", "q"], size=rows)
    y = 100 + 20 * a - 10 * b + 5 * (kind == "p") + rng.normal(scale=1.0, size=rows)
    return pd.DataFrame({"a": a, "b": b, "kind": kind, "y": y})
