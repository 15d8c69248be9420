"""Before a search: every input checked, then the run directory opened, so that bad
input leaves nothing on disk."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO

from deepenough import models
from deepenough._options import SearchOptions
from deepenough._rundir import open_run_directory
from deepenough.data import Dataset, load_dataset
from deepenough.errors import SpaceError, UserError
from deepenough.metrics import Metric, get_metric
from deepenough.report import RESULTS_FILE, read_results
from deepenough.spaces import SearchSpace, load_space


@dataclass(frozen=True)
class Prepared:
    dataset: Dataset
    space: SearchSpace
    metric: Metric
    run_dir: Path
    data_hash: str
    source: str
    lock: IO[str]
    """The run directory's lock: `execute` releases it when the run is written."""


def prepare(options: SearchOptions) -> Prepared:
    """Check every input, then open the run directory: bad input leaves nothing on disk."""
    dataset = load_dataset(
        options.data.path_or_frame,
        target=options.target,
        task=options.task,
        test_data=options.test_data,
        seed=options.seed,
        modality=options.modality,
        image_shape=options.image_shape,
    )
    space = load_space(options.space, models.catalog()).for_modality(dataset.spec.modality)
    if not space.families:
        raise SpaceError(
            f"{space.source}: no family applies to {dataset.spec.modality} data",
            fix="Add a family for that modality to the space.",
        )
    metric = get_metric(options.metric, dataset.spec.task)
    run_dir = options.run_dir
    data_hash = options.data.sha256()
    if options.resume:
        _check_same_data(run_dir, data_hash)
    lock = open_run_directory(run_dir, resume=options.resume, overwrite=options.overwrite)
    return Prepared(dataset, space, metric, run_dir, data_hash, options.data.source, lock)


def _check_same_data(run_dir: Path, data_hash: str) -> None:
    if not (run_dir / RESULTS_FILE).exists():
        return
    previous = read_results(run_dir).manifest.data_sha256
    if previous and previous != data_hash:
        raise UserError(
            f"The data differs from the data of the run in {run_dir} (its hash changed)",
            fix="Resume with the same file, or start a new run with another --out.",
        )
