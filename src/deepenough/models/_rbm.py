"""Restricted Boltzmann machines, trained by one-step contrastive divergence in NumPy.

The recipe is the one of Hinton's practical guide (UTML TR 2010-003): hidden units are
sampled when driven by data and their probabilities are used everywhere else; the
reconstruction of the visible units is their probability (Bernoulli units) or their mean
(Gaussian units of unit variance, which suit standardised numbers); momentum starts at
0.5 and rises to 0.9; a small L2 weight decay keeps the weights from growing without
need. NumPy keeps this independent of the Keras backend a trial trains on, exact under
a seed, and fast on small tables; its cost is bounded by the number of updates, not the
number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

INITIAL_WEIGHT_SD = 0.01
"""The guide's initial weights: small Gaussian noise, so hidden units start near 0.5."""
WEIGHT_DECAY = 2e-4
"""L2 penalty on the weights, scaled by the learning rate (the guide suggests 1e-4 to 1e-2)."""
MOMENTUM = (0.5, 0.9)
"""Momentum for the first `MOMENTUM_WARMUP` of the updates, then for the rest."""
MOMENTUM_WARMUP = 0.2
_PROBABILITY_FLOOR = 1e-3


@dataclass(frozen=True)
class Rbm:
    """A trained RBM: `weights` is (visible, hidden); `binary` marks the Bernoulli visible
    units, every other visible unit is Gaussian with unit variance."""

    weights: np.ndarray
    hidden_bias: np.ndarray
    visible_bias: np.ndarray
    binary: np.ndarray

    def hidden_probabilities(self, visible: np.ndarray) -> np.ndarray:
        """P(h = 1 | v), also the mean-field input of the RBM stacked above."""
        return _sigmoid(visible @ self.weights + self.hidden_bias)

    def reconstruction(self, hidden: np.ndarray) -> np.ndarray:
        """E[v | h]: probabilities for Bernoulli units, means for Gaussian ones."""
        activation = hidden @ self.weights.T + self.visible_bias
        return np.where(self.binary, _sigmoid(activation), activation)

    def reconstruction_error(self, visible: np.ndarray) -> float:
        """Mean squared error of the mean-field reconstruction of `visible`."""
        rebuilt = self.reconstruction(self.hidden_probabilities(visible))
        return float(np.mean((rebuilt - visible) ** 2))


def binary_columns(x: np.ndarray) -> np.ndarray:
    """The columns whose values are all 0 or 1: in the packed features, one-hot categories
    and missing-value flags."""
    return np.all((x == 0.0) | (x == 1.0), axis=0)


def initial_rbm(
    x: np.ndarray, hidden_units: int, *, binary: np.ndarray, rng: np.random.Generator
) -> Rbm:
    """Small random weights, zero hidden biases, and visible biases that reproduce each
    column's mean (the log-odds of its share of ones for a Bernoulli unit)."""
    mean = x.mean(axis=0)
    share = np.clip(mean, _PROBABILITY_FLOOR, 1 - _PROBABILITY_FLOOR)
    return Rbm(
        weights=rng.normal(scale=INITIAL_WEIGHT_SD, size=(x.shape[1], hidden_units)).astype(
            np.float32
        ),
        hidden_bias=np.zeros(hidden_units, dtype=np.float32),
        visible_bias=np.where(binary, np.log(share / (1 - share)), mean).astype(np.float32),
        binary=binary,
    )


def train_rbm(
    x: np.ndarray,
    hidden_units: int,
    *,
    binary: np.ndarray,
    steps: int,
    learning_rate: float,
    batch_size: int,
    rng: np.random.Generator,
) -> Rbm:
    """An RBM with `hidden_units` Bernoulli hidden units fitted to the rows of `x` by
    `steps` CD-1 updates on minibatches of `batch_size` (whole passes over shuffled rows).

    Raises FloatingPointError, naming the learning rate, when the updates overflow.
    """
    x = np.asarray(x, dtype=np.float32)
    rbm = initial_rbm(x, hidden_units, binary=binary, rng=rng)
    parameters = (rbm.weights, rbm.hidden_bias, rbm.visible_bias)
    velocity = [np.zeros_like(parameter) for parameter in parameters]
    batches = _minibatches(len(x), max(min(batch_size, len(x)), 1), steps, rng)
    try:
        with np.errstate(over="raise", invalid="raise"):
            for step, rows in enumerate(batches):
                momentum = MOMENTUM[0] if step < MOMENTUM_WARMUP * steps else MOMENTUM[1]
                for moving, gradient, parameter in zip(
                    velocity, _cd1_gradients(rbm, x[rows], rng), parameters, strict=True
                ):
                    moving *= momentum
                    moving += learning_rate * gradient
                    parameter += moving  # in place: the arrays of `rbm`
            if not np.isfinite(rbm.weights).all():
                raise FloatingPointError
    except FloatingPointError:
        raise FloatingPointError(
            f"RBM pre-training diverged at learning rate {learning_rate:g}; "
            "lower `pretrain_learning_rate`"
        ) from None
    return rbm


def _cd1_gradients(
    rbm: Rbm, v0: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One step of contrastive divergence on the batch `v0`: the approximate gradients of
    the log-likelihood for the weights, the hidden biases and the visible biases."""
    p0 = rbm.hidden_probabilities(v0)
    h0 = (rng.random(p0.shape, dtype=np.float32) < p0).astype(np.float32)
    v1 = rbm.reconstruction(h0)
    p1 = rbm.hidden_probabilities(v1)
    return (
        (v0.T @ p0 - v1.T @ p1) / len(v0) - WEIGHT_DECAY * rbm.weights,
        (p0 - p1).mean(axis=0),
        (v0 - v1).mean(axis=0),
    )


def _minibatches(
    rows: int, batch_size: int, steps: int, rng: np.random.Generator
) -> list[np.ndarray]:
    """`steps` full row-index batches, cut from consecutive shuffles of all rows (a
    shuffle's remainder that would make a short batch is dropped)."""
    per_pass = max(rows // batch_size, 1)
    passes = -(-steps // per_pass)
    shuffles = [rng.permutation(rows)[: per_pass * batch_size] for _ in range(passes)]
    order = np.concatenate(shuffles) if shuffles else np.empty(0, dtype=np.int64)
    return [order[i * batch_size : (i + 1) * batch_size] for i in range(steps)]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    """The logistic function in a form that cannot overflow."""
    return 0.5 * (1.0 + np.tanh(0.5 * x))
