"""The Python API: `deepenough.search(...)` mirrors `automl search`."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from deepenough._input import DataInput
from deepenough._options import DEFAULT_TRIALS, SearchOptions
from deepenough._pipeline import MODEL_FILE, SearchListener, run_search
from deepenough.report import leaderboard
from deepenough.results import Results, VerdictEvidence


@dataclass(frozen=True)
class SearchResult:
    """A finished run: its directory, results.json as typed records, and views of it."""

    run_dir: Path
    results: Results = field(repr=False)

    @cached_property
    def leaderboard(self) -> pd.DataFrame:
        return leaderboard(self.results)

    @property
    def verdict(self) -> VerdictEvidence | None:
        """The decision and its evidence (None when no trial was scored)."""
        return self.results.verdict

    @property
    def model_path(self) -> Path:
        return self.run_dir / MODEL_FILE

    @property
    def report_path(self) -> Path:
        return self.run_dir / "report.html"

    @cached_property
    def best_model(self) -> Any:
        """The exported `keras.Model` (raw columns in), loaded from best_model.keras."""
        import keras

        return keras.saving.load_model(self.model_path)


def search(
    data: str | Path | pd.DataFrame,
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
    listener: SearchListener | None = None,
) -> SearchResult:
    """Search architectures for `data` (a CSV path or a DataFrame) and export the best.

    Arguments mirror `automl search`; `time_budget` and `trial_timeout` take
    seconds or a string such as "10m". Runs land in `reports/<csv stem>/` unless `out` is given.
    """
    data_input = DataInput.of(data)
    options = SearchOptions.build(
        data_input,
        target=target,
        task=task,
        metric=metric,
        space=space,
        trials=trials,
        time_budget=time_budget,
        test_data=test_data,
        out=out,
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
        trial_timeout=trial_timeout,
        workers=workers,
        command=f"deepenough.search({data_input.describe()!r}, ...)",
    )
    results = run_search(options, listener)
    return SearchResult(options.run_dir, results)
