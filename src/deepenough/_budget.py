"""The --time-budget policy: when the search, the verdict and one trial must end."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from deepenough.backends import Deadline, TrialResult

SEARCH_SHARES = (0.4, 0.8)
"""With --time-budget, the search stops between these shares of the budget: as late as
leaves time for the paired re-training of its finalists so far (estimated from their
trials, with `VERDICT_MARGIN`) before..."""
VERDICT_END_SHARE = 0.9
"""...this share, by which the verdict's re-training stops, leaving the rest for the
refit and the report; earlier when the export's refit is estimated to need more
(`Budget.verdict_end`)."""
VERDICT_MARGIN = 1.2
"""Estimates of the verdict's and the export's seconds are stretched by this much."""
REPORT_SECONDS = 2.0
"""What writing results.json, the leaderboard and the report takes after the export."""
TRIALS_PER_BUDGET = 8
"""With --time-budget, no trial may train for longer than 1/this of the budget."""


@dataclass(frozen=True)
class Budget:
    """When each stage must end under --time-budget (all None without one), and how long
    one trial may train (the shorter of --trial-timeout and a share of the budget)."""

    started: float
    search_deadline: float | None = None
    """No trial trains past this; the search itself ends earlier (`search_end`)."""
    earliest_search_end: float | None = None
    verdict_deadline: float | None = None
    """The latest the verdict's re-training may end, whatever the export needs."""
    ends: float | None = None
    """When the whole run should be done."""
    max_trial_seconds: float | None = None

    @classmethod
    def start(
        cls,
        started: float | None = None,
        *,
        time_budget: float | None = None,
        trial_timeout: float | None = None,
    ) -> Budget:
        """The budget of a run that started at `started` (time.monotonic(); None: now),
        from --time-budget and --trial-timeout in seconds."""
        started = time.monotonic() if started is None else started
        if not time_budget:
            return cls(started, max_trial_seconds=trial_timeout)
        share = time_budget / TRIALS_PER_BUDGET
        earliest, latest = SEARCH_SHARES
        return cls(
            started,
            search_deadline=started + latest * time_budget,
            earliest_search_end=started + earliest * time_budget,
            verdict_deadline=started + VERDICT_END_SHARE * time_budget,
            ends=started + time_budget,
            max_trial_seconds=min(trial_timeout or share, share),
        )

    def verdict_end(self, export_seconds: float) -> float | None:
        """When the verdict's re-training must stop so that an export refit of
        `export_seconds` (estimated) and the report still end within the budget: by
        `VERDICT_END_SHARE` of it, earlier when the refit needs more than the rest."""
        if self.verdict_deadline is None or self.ends is None:  # no --time-budget
            return None
        wanted = self.ends - VERDICT_MARGIN * export_seconds - REPORT_SECONDS
        return max(min(self.verdict_deadline, wanted), self.started)

    def search_end(
        self,
        verdict_seconds: Callable[[list[TrialResult]], float],
        export_seconds: Callable[[list[TrialResult]], float] = lambda finished: 0.0,
    ) -> Deadline:
        """When the search should stop given its finished trials: before the verdict's
        estimated `verdict_seconds` and the export's `export_seconds` (`verdict_end`),
        within `SEARCH_SHARES` of the budget. New trials start until the earliest share
        whatever the estimate (the end is at least that plus the longest trial, which a
        trial needs left to start)."""
        earliest, latest = self.earliest_search_end, self.search_deadline
        if earliest is None or latest is None or self.ends is None:  # no --time-budget
            return None

        def end(finished: list[TrialResult]) -> float:
            verdict_end = self.verdict_end(export_seconds(finished))
            assert verdict_end is not None, "a budget with a search deadline has an end"
            wanted = verdict_end - VERDICT_MARGIN * verdict_seconds(finished)
            longest = max((t.fit_seconds for t in finished), default=0.0)
            return min(max(wanted, earliest + longest), latest)

        return end
