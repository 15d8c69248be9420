"""The options of one search, built in one place for the CLI and the Python API.

`SearchOptions.build(data, ...)` takes the arguments of `automl search` and
`deepenough.search` under the same names: it parses durations, wraps the data
(`DataInput`), decides the run directory and checks every value, so that each front
end only hands its arguments over and adds the `command` to record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from deepenough._checks import non_negative, one_of, positive, refuse, whole_number
from deepenough._input import DataInput
from deepenough.backends import BACKENDS, TUNERS
from deepenough.errors import UserError

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_TRIALS = 30
MAX_SEED = 2**32
"""Seeds must fit NumPy's and scikit-learn's random state: 0 to 2**32 - 1."""
RUNS_FOLDER = Path("reports")
"""Without --out, a run goes to reports/<the CSV's stem> (reports/dataframe for a frame)."""
_DURATION = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*([smh]?)\s*$", re.IGNORECASE)
_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600}


@dataclass(frozen=True, kw_only=True)
class SearchOptions:
    """Every option of one search, checked; make one with `build`."""

    data: DataInput
    run_dir: Path
    """--out, or reports/<data stem>."""
    target: str | None
    task: str | None
    metric: str | None
    space: str | Path
    trials: int
    time_budget: float | None
    """Seconds."""
    test_data: str | Path | pd.DataFrame | None
    seed: int
    resume: bool
    overwrite: bool
    backend: str
    tuner: str | None
    """KerasTuner's algorithm (random, bayesian or hyperband); for that backend only."""
    storage: str | None
    modality: str | None
    image_shape: str | None
    rope: float | None
    folds: int | None
    repeats: int | None
    max_params: int | None
    trial_timeout: float | None
    """Seconds."""
    workers: int | None
    """Training workers; None: `auto` (chosen from the hardware, see `_hardware`)."""
    command: str | None
    """The command line (or API call) recorded in the manifest [default: sys.argv]."""

    @classmethod
    def build(
        cls,
        data: str | Path | pd.DataFrame | DataInput,
        *,
        target: str | None = None,
        task: str | None = None,
        metric: str | None = None,
        space: str | Path = "default",
        trials: int = DEFAULT_TRIALS,
        time_budget: float | str | None = None,
        test_data: str | Path | pd.DataFrame | None = None,
        out: str | Path | None = None,
        seed: int = 0,
        resume: bool = False,
        overwrite: bool = False,
        backend: str = "optuna",
        tuner: str | None = None,
        storage: str | None = None,
        modality: str | None = None,
        image_shape: str | None = None,
        rope: float | None = None,
        folds: int | None = None,
        repeats: int | None = None,
        max_params: int | None = None,
        trial_timeout: float | str | None = None,
        workers: int | str = "auto",
        command: str | None = None,
    ) -> SearchOptions:
        """The options of `automl search` and `deepenough.search`, under their names."""
        data = DataInput.of(data)
        return cls(
            data=data,
            run_dir=Path(out) if out is not None else RUNS_FOLDER / data.stem,
            target=target,
            task=task,
            metric=metric,
            space=space,
            trials=trials,
            time_budget=parse_duration(time_budget, "--time-budget", example="10m"),
            test_data=test_data,
            seed=seed,
            resume=resume,
            overwrite=overwrite,
            backend=backend,
            tuner=tuner,
            storage=storage,
            modality=modality,
            image_shape=image_shape,
            rope=rope,
            folds=folds,
            repeats=repeats,
            max_params=max_params,
            trial_timeout=parse_duration(trial_timeout, "--trial-timeout", example="5m"),
            workers=parse_workers(workers),
            command=command,
        )

    def __post_init__(self) -> None:
        one_of("--backend", self.backend, BACKENDS)
        one_of("--tuner", self.tuner, TUNERS, example="bayesian", optional=True)
        self._check_backend_options()
        whole_number("--trials", self.trials, low=1, example=DEFAULT_TRIALS)
        whole_number("--seed", self.seed, low=0, high=MAX_SEED - 1, example=0)
        positive("--time-budget", self.time_budget, example="10m", optional=True)
        positive("--trial-timeout", self.trial_timeout, example="5m", optional=True)
        whole_number("--workers", self.workers, low=1, example=2, optional=True)
        whole_number("--max-params", self.max_params, low=1, example=1_000_000, optional=True)
        whole_number("--folds", self.folds, low=2, example=5, optional=True)
        whole_number("--repeats", self.repeats, low=1, example=2, optional=True)
        non_negative(
            "--rope",
            self.rope,
            example="0.02 (in the metric's units: two points of accuracy)",
            optional=True,
        )

    def _check_backend_options(self) -> None:
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


def parse_workers(value: int | str | None) -> int | None:
    """None for 'auto' (or None), the number for a whole number or its text."""
    if value is None or (isinstance(value, str) and value.strip().lower() == "auto"):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    if isinstance(value, str):
        refuse("--workers", "a whole number of at least 1 or auto", value, example=2)
    return value


def parse_duration(text: str | float | None, flag: str, *, example: str) -> float | None:
    """Seconds from '90', '90s', '10m' or '1.5h' (a number is seconds already); `flag`
    names the option in errors and `example` is a valid value to suggest."""
    if text is None or (isinstance(text, int | float) and not isinstance(text, bool)):
        return text
    match = _DURATION.match(text) if isinstance(text, str) else None
    if match is None:
        refuse(flag, "a duration such as 90s, 10m or 1.5h", text, example=example, optional=True)
    seconds = float(match.group(1)) * _SECONDS[match.group(2).lower()]
    if not seconds > 0:
        refuse(flag, "positive", text, example=example, optional=True)
    return seconds
