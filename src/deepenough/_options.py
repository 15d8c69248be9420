"""The options of one search, shared by the CLI and the Python API."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from deepenough.backends import BACKENDS, TUNERS
from deepenough.errors import UserError

DEFAULT_TRIALS = 30
MAX_SEED = 2**32
"""Seeds must fit NumPy's and scikit-learn's random state: 0 to 2**32 - 1."""
_DURATION = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*([smh]?)\s*$", re.IGNORECASE)
_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600}


@dataclass(frozen=True)
class SearchOptions:
    target: str | None = None
    task: str | None = None
    metric: str | None = None
    space: str | Path = "default"
    trials: int = DEFAULT_TRIALS
    time_budget: float | None = None
    test_data: str | Path | None = None
    out: Path | None = None
    seed: int = 0
    resume: bool = False
    overwrite: bool = False
    backend: str = "optuna"
    tuner: str | None = None
    """KerasTuner's algorithm (random, bayesian or hyperband); for that backend only."""
    storage: str | None = None
    modality: str | None = None
    image_shape: str | None = None
    rope: float | None = None
    folds: int | None = None
    repeats: int | None = None
    max_params: int | None = None
    trial_timeout: float | None = None
    command: str | None = None

    def __post_init__(self) -> None:
        self._check_backend()
        if isinstance(self.trials, bool) or not isinstance(self.trials, int) or self.trials < 1:
            raise UserError(
                f"--trials must be a whole number of at least 1, but got {self.trials!r}",
                fix="Pass for example --trials 30.",
            )
        if (
            isinstance(self.seed, bool)
            or not isinstance(self.seed, int)
            or not 0 <= self.seed < MAX_SEED
        ):
            raise UserError(
                f"--seed must be a whole number from 0 to {MAX_SEED - 1}, but got {self.seed!r}",
                fix="Pass for example --seed 0.",
            )
        for name, example in (("time_budget", "10m"), ("trial_timeout", "5m")):
            value = getattr(self, name)
            if value is not None and not value > 0:
                flag = "--" + name.replace("_", "-")
                raise UserError(
                    f"{flag} must be positive, but got {value!r}",
                    fix=f"Pass for example {flag} {example}.",
                )
        if self.max_params is not None and (
            isinstance(self.max_params, bool)
            or not isinstance(self.max_params, int)
            or self.max_params < 1
        ):
            raise UserError(
                f"--max-params must be a whole number of at least 1, but got {self.max_params!r}",
                fix="Pass for example --max-params 1000000.",
            )
        for name, low in (("folds", 2), ("repeats", 1)):
            value = getattr(self, name)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or value < low
            ):
                raise UserError(
                    f"--{name} must be a whole number of at least {low}, but got {value!r}",
                    fix=f"Pass for example --{name} {max(low, 5 if name == 'folds' else 2)}, "
                    "or leave it out for the default.",
                )
        if self.rope is not None and not 0 <= self.rope < float("inf"):
            raise UserError(
                f"--rope must be zero or positive, in the metric's units, but got {self.rope!r}",
                fix="Pass for example --rope 0.02 for two points of accuracy.",
            )

    def _check_backend(self) -> None:
        if self.backend not in BACKENDS:
            raise UserError(
                f"Unknown backend {self.backend!r}", fix=f"Choose one of: {', '.join(BACKENDS)}."
            )
        if self.tuner is not None and self.tuner not in TUNERS:
            raise UserError(
                f"Unknown tuner {self.tuner!r}", fix=f"Choose one of: {', '.join(TUNERS)}."
            )
        if self.tuner is not None and self.backend != "kerastuner":
            raise UserError(
                "--tuner chooses among KerasTuner's algorithms",
                fix="Add --backend kerastuner, or drop --tuner to search with Optuna's TPE.",
            )
        if self.storage is not None and self.backend != "optuna":
            raise UserError(
                "--storage is an Optuna storage URL; the KerasTuner backend keeps its state "
                "in the run directory",
                fix="Drop --storage, or search with --backend optuna.",
            )


def parse_duration(text: str | float | None, flag: str = "--time-budget") -> float | None:
    """Seconds from '90', '90s', '10m' or '1.5h'; `flag` names the option in errors."""
    if text is None or isinstance(text, int | float):
        return text
    match = _DURATION.match(text)
    if not match:
        raise UserError(
            f"{flag} must be a duration such as 90s, 10m or 1.5h, but got {text!r}",
            fix="Pass a number followed by s, m or h.",
        )
    seconds = float(match.group(1)) * _SECONDS[match.group(2).lower()]
    if not seconds > 0:
        raise UserError(
            f"{flag} must be positive, but got {text!r}",
            fix=f"Pass for example {flag} 10m.",
        )
    return seconds


def default_run_dir(data: str | Path | object) -> Path:
    stem = Path(data).stem if isinstance(data, str | Path) else "dataframe"
    return Path("reports") / stem
