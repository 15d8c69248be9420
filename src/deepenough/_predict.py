"""What `automl predict` and `automl report` do, apart from argument parsing."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from deepenough._files import atomic_path
from deepenough.errors import UserError


def load_exported_model(path: Path):
    """Load a `.keras` file with plain Keras (safe mode on), or raise a one-line error."""
    import keras

    if not path.is_file():
        raise UserError(f"No such model file: {path}", fix="Pass the best_model.keras of a run.")
    try:
        return keras.saving.load_model(path)
    except Exception as error:  # Keras raises many types for a file that is not a model
        raise UserError(
            f"{path} could not be loaded as a Keras model ({type(error).__name__})",
            fix="Pass the best_model.keras of a run.",
        ) from None


def predictions_table(
    model, frame: pd.DataFrame, *, proba: bool, allow_unseen: bool, source: str
) -> pd.DataFrame:
    """One row per input row: the predicted label or value, and class probabilities on request."""
    from deepenough.export import predict_frame

    outputs = predict_frame(model, frame, allow_unseen=allow_unseen, source=source)
    if "label" not in outputs:
        return pd.DataFrame({"prediction": outputs["prediction"]})
    table = pd.DataFrame({"prediction": outputs["label"]})
    if proba:
        classes = model.get_layer("decode_label").get_vocabulary()
        for i, name in enumerate(classes):
            table[f"probability_{name}"] = outputs["probabilities"][:, i]
    return table


def write_table(table: pd.DataFrame, output: Path | None) -> None:
    if output is None:
        table.to_csv(sys.stdout, index=False)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(output) as temporary:
        table.to_csv(temporary, index=False)


def rerender_report(run_dir: Path) -> Path:
    """Write RUN_DIR's outputs again from its results.json, read through the results
    contract; a missing, non-JSON or malformed file is a one-line `UserError`."""
    from deepenough.report import REPORT_FILE, RESULTS_FILE, read_results, write_outputs

    if not (run_dir / RESULTS_FILE).is_file():
        raise UserError(
            f"{run_dir} has no {RESULTS_FILE}", fix="Pass the directory of a finished run."
        )
    write_outputs(run_dir, read_results(run_dir))
    return run_dir / REPORT_FILE
