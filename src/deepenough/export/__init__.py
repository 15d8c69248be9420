"""Export: refit the winner, bake preprocessing in, save one plain-Keras `.keras` file."""

from deepenough.export._export import ExportReport, export_trial, predict_frame
from deepenough.export._inputs import category_vocabularies, inputs_from_frame, model_columns
from deepenough.export._wrap import wrap_for_export

__all__ = [
    "ExportReport",
    "category_vocabularies",
    "export_trial",
    "inputs_from_frame",
    "model_columns",
    "predict_frame",
    "wrap_for_export",
]
