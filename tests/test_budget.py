"""With --time-budget, the search leaves the verdict the time its finalists need."""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

from _stub_trials import TWO_FAMILIES, scored

from deepenough import models
from deepenough._budget import REPORT_SECONDS, VERDICT_MARGIN, Budget
from deepenough.backends import BackendSettings, TrialResult, make_backend, run_trials
from deepenough.spaces import load_space


def trials_of(count: int, seconds: float = 1.0) -> list[TrialResult]:
    return [SimpleNamespace(fit_seconds=seconds)] * count  # type: ignore[list-item]


def test_the_search_ends_as_late_as_leaves_the_verdict_its_estimated_time() -> None:
    budget = Budget.start(1000.0, time_budget=100.0)
    end = budget.search_end(lambda finished: 10.0 * len(finished))
    assert callable(end)
    assert end([]) == 1080.0  # nothing to re-train yet: the latest end, 80% of the budget
    estimate = 2 * 10.0 * VERDICT_MARGIN
    assert end(trials_of(2)) == 1090.0 - estimate
    # Never before 40%: until then a trial as long as the longest so far can start.
    assert end(trials_of(9)) == 1040.0 + 1.0
    assert end(trials_of(9, seconds=15.0)) == 1040.0 + 15.0
    assert budget.search_deadline == 1080.0  # no trial trains past the latest end
    assert Budget.start(0.0).search_end(len) is None


def test_the_verdict_ends_early_enough_for_the_export_refit_and_the_report() -> None:
    budget = Budget.start(1000.0, time_budget=100.0)
    assert budget.verdict_end(0.0) == 1090.0  # a quick refit: 90% of the budget
    refit = 20.0
    assert budget.verdict_end(refit) == 1100.0 - VERDICT_MARGIN * refit - REPORT_SECONDS
    assert budget.verdict_end(1e6) == 1000.0  # never before the run started
    assert Budget.start(0.0).verdict_end(refit) is None
    # The search leaves the verdict its time before that earlier end.
    end = budget.search_end(lambda finished: 5.0, lambda finished: refit)
    assert callable(end)
    assert end(trials_of(2)) == budget.verdict_end(refit) - VERDICT_MARGIN * 5.0


def test_a_deadline_that_follows_the_trials_stops_the_search(tmp_path: Path) -> None:
    space_file = tmp_path / "space.yaml"
    space_file.write_text(TWO_FAMILIES)
    space = load_space(space_file, models.catalog())
    backend = make_backend("optuna", space, BackendSettings(tmp_path, "maximize", 0))
    far = time.monotonic() + 3600

    def deadline(finished: list[TrialResult]) -> float:
        return far if len(finished) < 4 else time.monotonic()  # the 4th trial uses it up

    assert len(run_trials(backend, scored, n_trials=50, deadline=deadline)) == 4


def test_the_command_lines_budget_counts_from_when_the_process_started() -> None:
    import psutil
    import pytest

    from deepenough.cli import _process_started

    age = time.time() - psutil.Process().create_time()
    assert age > 1.0  # pytest has been running a while: the two clocks must differ
    assert time.monotonic() - _process_started() == pytest.approx(age, abs=0.5)
