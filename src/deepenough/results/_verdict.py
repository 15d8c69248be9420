"""results.json's `verdict`: the finalists, their paired evidence and the decision."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from deepenough.results._record import Record, optional

Decision = Literal["shallow", "deep", "inconclusive"]
DepthClass = Literal["linear", "shallow", "deep"]


@dataclass(frozen=True, kw_only=True)
class Finalist(Record):
    """A depth class's finalist and its scores on the paired folds."""

    trial: int
    family: str
    depth: int
    scores: tuple[float, ...] = ()
    mean: float | None = None


@dataclass(frozen=True, kw_only=True)
class Rope(Record):
    """The region of practical equivalence, in the metric's units, and where it came from."""

    value: float
    rule: str


@dataclass(frozen=True, kw_only=True)
class Probabilities(Record):
    deep_better: float
    equivalent: float
    shallow_better: float


@dataclass(frozen=True, kw_only=True)
class LinearComparison(Record):
    """The best finalist against the linear one: whether depth 0 would do."""

    against: str
    difference: float
    best_better: float | None = None


@dataclass(frozen=True, kw_only=True)
class ClassCost(Record):
    params: int
    fit_seconds: float
    predict_ms_per_1000: float


@dataclass(frozen=True, kw_only=True)
class CostRatio(Record):
    """Deep ÷ shallow; None where shallow's figure is zero."""

    params: float | None
    fit_seconds: float | None
    predict_ms_per_1000: float | None


@dataclass(frozen=True, kw_only=True)
class Cost(Record):
    shallow: ClassCost
    deep: ClassCost
    ratio: CostRatio


@dataclass(frozen=True, kw_only=True)
class FitGap(Record):
    """Mean score on the rows a finalist trained on and on held-out rows; `gap` > 0 is
    better on the training rows."""

    train: float
    validation: float
    gap: float


@dataclass(frozen=True, kw_only=True)
class Memorisation(Record):
    shallow: FitGap
    deep: FitGap


@dataclass(frozen=True, kw_only=True)
class Crossover(Record):
    """Shallow and deep refit on growing shares of the training rows; or only why not
    (`skipped`)."""

    fractions: tuple[float, ...] = ()
    rows: tuple[int, ...] = ()
    folds: int = 0
    shallow: tuple[float, ...] = ()
    deep: tuple[float, ...] = ()
    difference: tuple[float, ...] = ()
    deep_overtakes_at: float | None = None
    trend_per_doubling: float = 0.0
    more_data_favours_depth: bool = False
    skipped: str | None = optional()

    def to_dict(self) -> dict[str, Any]:
        return {"skipped": self.skipped} if self.skipped is not None else super().to_dict()


@dataclass(frozen=True, kw_only=True)
class VerdictEvidence(Record):
    """The decision with its evidence. `difference`, `interval` and `probabilities` are
    deep minus `against` (the better of the shallow and linear finalists), in the
    metric's units with its sign made "higher is better"."""

    decision: Decision
    headline: str
    folds: int
    repeats: int
    paired_folds: int
    linear: Finalist | None = None
    shallow: Finalist | None = None
    deep: Finalist | None = None
    against: DepthClass | None = None
    difference: float | None = None
    interval: tuple[float, float] | None = None
    rope: Rope
    probabilities: Probabilities | None = None
    linear_suffices: bool = False
    linear_comparison: LinearComparison | None = None
    cost: Cost | None = None
    memorisation: Memorisation | None = None
    crossover: Crossover | None = None
    explanation: str = ""
    interrupted: bool = False

    def finalist(self, depth_class: str) -> Finalist | None:
        """The finalist of `depth_class` ("linear", "shallow" or "deep")."""
        found: Finalist | None = {
            "linear": self.linear,
            "shallow": self.shallow,
            "deep": self.deep,
        }.get(depth_class)
        return found
