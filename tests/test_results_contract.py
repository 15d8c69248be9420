"""The results contract: every results.json written so far survives `from_dict` →
`to_dict` with every key path and value, and reading it needs no TensorFlow."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from deepenough.results import Results, ResultsError

REPO = Path(__file__).resolve().parents[1]
WRITTEN = [
    REPO / "reports" / "examples" / "penguins" / "results.json",
    *sorted((REPO / "tests" / "report" / "fixtures").glob("*.json")),
]
NAMED_AFTER_THE_DATA = {
    ".trials[].hyperparameters",
    ".data.classes",
    ".data.train_classes",
    ".importance.importance",
    ".test",
    ".manifest.versions",
}
"""Objects whose keys are hyperparameters, class labels, metrics or packages."""


def leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """(concrete path, value) of every leaf, empty containers included."""
    if isinstance(value, dict) and value:
        for key, item in value.items():
            yield from leaves(item, f"{path}.{key}")
    elif isinstance(value, list) and value:
        for i, item in enumerate(value):
            yield from leaves(item, f"{path}[{i}]")
    else:
        yield path, value


def key_paths(value: Any, path: str = "") -> set[str]:
    """Every key path, list indices and keys named after the data generalised."""
    found = {path}
    if isinstance(value, dict):
        for key, item in value.items():
            name = "*" if path in NAMED_AFTER_THE_DATA else key
            found |= key_paths(item, f"{path}.{name}")
    elif isinstance(value, list):
        for item in value:
            found |= key_paths(item, f"{path}[]")
    return found


@pytest.mark.parametrize("source", WRITTEN, ids=lambda p: p.parent.name + "/" + p.name)
def test_every_written_results_json_survives_a_round_trip(source: Path) -> None:
    written = json.loads(source.read_text(encoding="utf-8"))
    again = Results.from_dict(written).to_dict()
    assert key_paths(written) <= key_paths(again)
    rewritten = dict(leaves(again))
    for path, value in leaves(written):
        assert rewritten.get(path, "absent") == value, path
    assert json.loads(json.dumps(again)) == again  # plain JSON, nothing else


def test_the_round_trip_is_stable() -> None:
    written = json.loads(WRITTEN[0].read_text(encoding="utf-8"))
    once = Results.from_dict(written).to_dict()
    assert Results.from_dict(once).to_dict() == once


def test_records_are_typed_all_the_way_down() -> None:
    results = Results.from_dict(json.loads(WRITTEN[0].read_text(encoding="utf-8")))
    verdict = results.verdict
    assert verdict is not None and verdict.probabilities is not None
    assert verdict.decision == "shallow"
    assert 0 <= verdict.probabilities.deep_better <= 1
    assert verdict.shallow is not None and verdict.shallow.trial == results.export.trial  # type: ignore[union-attr]
    assert results.trial(verdict.shallow.trial).family == verdict.shallow.family
    assert results.data.split.train + results.data.split.validation + results.data.split.test
    assert results.trials[0].history.validation


def test_unknown_keys_are_tolerated_and_kept_where_a_record_is_open() -> None:
    written = json.loads(WRITTEN[0].read_text(encoding="utf-8"))
    written["written_by_a_later_version"] = {"x": 1}
    written["verdict"]["a_later_statistic"] = 0.5
    written["trials"][0]["epoch_budget"] = 3
    again = Results.from_dict(written).to_dict()
    assert again["written_by_a_later_version"] == {"x": 1}
    assert again["trials"][0]["epoch_budget"] == 3
    assert "a_later_statistic" not in again["verdict"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r.pop("metric"), "results.json has no `metric`"),
        (lambda r: r["verdict"].pop("decision"), "results.json has no `verdict.decision`"),
        (lambda r: r.update(trials={"0": {}}), "`trials` must be a list"),
        (lambda r: r["trials"].__setitem__(2, 7), "`trials[2]` must be an object"),
    ],
)
def test_a_broken_file_is_a_one_line_error_naming_the_key(change, message) -> None:
    written = json.loads(WRITTEN[0].read_text(encoding="utf-8"))
    change(written)
    with pytest.raises(ResultsError, match=message.replace("[", r"\[").replace("]", r"\]")):
        Results.from_dict(written)


def test_reading_results_imports_no_tensorflow_or_keras() -> None:
    code = (
        "import sys, json; from deepenough.results import Results; "
        f"Results.from_dict(json.load(open({str(WRITTEN[0])!r}))); "
        "print(sorted(m for m in ('tensorflow', 'keras', 'optuna') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
