"""Regenerate the results.json fixtures the report tests render (tests/report/fixtures/).

Each is a real, tiny search (a few trials of at most 3 epochs, 2 paired folds), so the
fixtures hold what a run writes; the browser tests then need no training. Rerun after a
change to results.json's contract:

    python tests/report/make_fixtures.py
"""

from __future__ import annotations

import dataclasses
import json
import sys
import tempfile
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
sys.path.insert(0, str(HERE.parent))
from _frames import make_classification_frame, make_regression_frame  # noqa: E402

from deepenough.results import Results  # noqa: E402

SPACE = """\
shallow_max_depth: 2
families:
  mlp:
    hyperparameters:
      depth: {{type: int, low: 0, high: 4}}
      width: {{type: int, low: 4, high: 16}}
      activation: {{type: categorical, choices: [relu, tanh]}}
      dropout: 0.0
  recursive:
    hyperparameters:
      k: {{type: int, low: 1, high: 3}}
      width: {{type: int, low: 4, high: 16}}
training:
  learning_rate: {learning_rate}
  batch_size: 32
  max_epochs: 3
  patience: 2
"""
LEARNING_RATE = "{type: float, low: 1.0e-3, high: 3.0e-2, log: true}"
SEQUENCE_SPACE = """\
shallow_max_depth: 2
families:
  mlp:
    hyperparameters:
      depth: {type: int, low: 0, high: 3}
      width: {type: int, low: 4, high: 16}
  cnn:
    hyperparameters:
      blocks: {type: int, low: 1, high: 3}
      filters: {type: int, low: 4, high: 8}
training:
  learning_rate: {type: float, low: 1.0e-3, high: 3.0e-2, log: true}
  batch_size: 32
  max_epochs: 3
  patience: 2
"""
FAILING = {"failed_trials": ("recursive",), "all_failed": ("mlp", "recursive")}
"""Families whose trials fail in these cases: their build raises the error a diverging
fit raises, so that the fixture holds real failure records without waiting for one."""
HOSTILE = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')


def sequence_frame(rows: int = 120) -> pd.DataFrame:
    """Noisy sine waves of two frequencies, as columns t0 … t31."""
    rng = np.random.default_rng(0)
    label = rng.choice(["slow", "fast"], size=rows)
    steps = np.arange(32)
    waves = np.sin(np.outer(np.where(label == "fast", 0.8, 0.3), steps))
    frame = pd.DataFrame(waves + rng.normal(scale=0.3, size=waves.shape))
    return frame.rename(columns=lambda i: f"t{i}").assign(label=label)


def hostile_frame() -> pd.DataFrame:
    """Column names and class labels that are markup."""
    frame = make_classification_frame(120)
    labels = {"high": HOSTILE[0], "mid": HOSTILE[1], "low": "low & <b>bold</b>"}
    return frame.rename(columns={"x1": HOSTILE[0], "colour": HOSTILE[1]}).assign(
        label=frame["label"].map(labels)
    )


CASES = {
    # name: (data, file name, space learning rate or space text, search options)
    "classification": (make_classification_frame(), "classes.csv", LEARNING_RATE, {"trials": 4}),
    "regression": (make_regression_frame(), "values.csv", LEARNING_RATE, {"trials": 4}),
    "sequence": (sequence_frame(), "waves.csv", SEQUENCE_SPACE, {"trials": 4}),
    "failed_trials": (make_classification_frame(), "classes.csv", LEARNING_RATE, {"trials": 6}),
    "all_failed": (make_regression_frame(), "values.csv", LEARNING_RATE, {"trials": 2}),
    "single_trial": (make_classification_frame(), "classes.csv", LEARNING_RATE, {"trials": 1}),
    "hostile": (hostile_frame(), f"{HOSTILE[1]}.csv", LEARNING_RATE, {"trials": 4}),
}


def make(name: str, work: Path) -> Results:
    import deepenough
    from deepenough import _pipeline, models
    from deepenough.errors import SearchFailed
    from deepenough.report import read_results
    from deepenough.train._fit import NonFiniteLoss

    build = models.build

    def build_or_fail(config, spec):
        if config.family in FAILING.get(name, ()):
            raise NonFiniteLoss("the training loss became nan in epoch 2")
        return build(config, spec)

    frame, file_name, space, options = CASES[name]
    folder = work / name
    folder.mkdir()
    csv = folder / file_name
    frame.to_csv(csv, index=False)
    space_file = folder / "space.yaml"
    text = space if "families:" in space else SPACE.format(learning_rate=space)
    space_file.write_text(text, encoding="utf-8")
    out = folder / "run"
    try:
        with (
            mock.patch.object(models, "build", build_or_fail),
            mock.patch.object(_pipeline, "TRIALS_IN_CHILD_PROCESS", False),
        ):
            deepenough.search(csv, space=space_file, out=out, folds=2, repeats=1, **options)
    except SearchFailed:
        pass  # the all-failed case: results.json is written all the same
    results = read_results(out)
    command = f"automl search '{file_name}' --trials {options['trials']}"
    return dataclasses.replace(
        results, manifest=dataclasses.replace(results.manifest, command=command)
    )


def main() -> None:
    FIXTURES.mkdir(exist_ok=True)
    names = sys.argv[1:] or list(CASES)
    with tempfile.TemporaryDirectory() as work:
        for name in names:
            results = make(name, Path(work))
            path = FIXTURES / f"{name}.json"
            path.write_text(json.dumps(results.to_dict(), indent=1, ensure_ascii=False) + "\n")
            print(
                f"{path.relative_to(HERE.parents[1])}: {results.status}, "
                f"{len(results.trials)} trials"
            )


if __name__ == "__main__":
    main()
