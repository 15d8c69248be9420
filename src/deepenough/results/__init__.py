"""The results contract: results.json as frozen dataclasses, with `to_dict()` and
`from_dict()`.

The search builds these records; the report, the CLI summary and the Python API read
them; `automl report RUN_DIR` goes through `Results.from_dict`. This package sits below
every other (it imports no TensorFlow, Keras or Optuna), so the report stays light.
"""

from deepenough.results._data import ColumnProfile, DataProfile, Layout, SplitSizes, TargetSummary
from deepenough.results._record import Record, ResultsError
from deepenough.results._run import (
    SCHEMA_VERSION,
    Best,
    Export,
    History,
    Importance,
    Manifest,
    MetricInfo,
    Results,
    RunStatus,
    SpaceInfo,
    TestPredictions,
    TrialRecord,
    TrialStatus,
)
from deepenough.results._verdict import (
    ClassCost,
    Cost,
    CostRatio,
    Crossover,
    Decision,
    DepthClass,
    Finalist,
    FitGap,
    LinearComparison,
    Memorisation,
    Probabilities,
    Rope,
    VerdictEvidence,
)

__all__ = [
    "SCHEMA_VERSION",
    "Best",
    "ClassCost",
    "ColumnProfile",
    "Cost",
    "CostRatio",
    "Crossover",
    "DataProfile",
    "Decision",
    "DepthClass",
    "Export",
    "Finalist",
    "FitGap",
    "History",
    "Importance",
    "Layout",
    "LinearComparison",
    "Manifest",
    "Memorisation",
    "MetricInfo",
    "Probabilities",
    "Record",
    "Results",
    "ResultsError",
    "Rope",
    "RunStatus",
    "SpaceInfo",
    "SplitSizes",
    "TargetSummary",
    "TestPredictions",
    "TrialRecord",
    "TrialStatus",
    "VerdictEvidence",
]
