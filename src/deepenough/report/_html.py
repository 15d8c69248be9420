"""A self-contained HTML report rendered from the results records alone (Plotly inlined
once), with the figures in page order."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import jinja2
import pandas as pd
import plotly.offline

from deepenough.report import _search_plots, _verdict_plots
from deepenough.report._leaderboard import leaderboard
from deepenough.report._plots import Plot
from deepenough.results import ClassCost, DataProfile, Finalist, FitGap, Results, VerdictEvidence

LOAD_SNIPPET = """\
import keras, pandas as pd
model, rows = keras.saving.load_model("best_model.keras"), pd.read_csv("new.csv")
outputs = model.predict({name: rows[name].fillna("").astype(str).to_numpy() if tensor.dtype == "string" else rows[name].to_numpy("float32") for name, tensor in model.input.items()}, verbose=0)"""  # noqa: E501

LEADING_COLUMNS = (
    "rank",
    "trial",
    "status",
    "family",
    "depth",
    "depth_class",
    "width",
    "learning_rate",
)
TRAILING_COLUMNS = ("n_params", "fit_seconds", "best_epoch", "reason")
TEXT_COLUMNS = {"status", "family", "depth_class", "reason"}

BUILDERS: tuple[Callable[[Results], Plot | None], ...] = (
    _search_plots.score_by_depth,
    _search_plots.score_by_size,
    _verdict_plots.crossover,
    _verdict_plots.learning_curves,
    _search_plots.optimisation_history,
    _search_plots.importance,
    _verdict_plots.test_set,
    _verdict_plots.residuals,
)
"""The report's figures in page order; a builder returns None for a figure the run's
kind has no use for (residuals of a classifier)."""


@dataclass(frozen=True)
class FinalistRow:
    """A row of the verdict's finalists table."""

    depth_class: str
    finalist: Finalist
    cost: ClassCost | None = None
    memorisation: FitGap | None = None


def render_report(results: Results) -> str:
    template = _environment().get_template("report.html.j2")
    return template.render(
        results=results,
        metric=results.metric,
        verdict=results.verdict,
        finalists=_finalist_rows(results.verdict),
        leaderboard=_leaderboard_view(results),
        families=_family_legend(results),
        plots=all_plots(results),
        classes=_class_balance(results.data),
        load_snippet=LOAD_SNIPPET,
        plotly_js=plotly.offline.get_plotlyjs(),
    )


def all_plots(results: Results) -> list[Plot]:
    return [plot for builder in BUILDERS if (plot := builder(results)) is not None]


def _finalist_rows(verdict: VerdictEvidence | None) -> list[FinalistRow]:
    """Linear, shallow and deep finalists, each with its cost and memorisation gap (these
    are measured for shallow and deep only)."""
    if verdict is None:
        return []
    cost, gaps = verdict.cost, verdict.memorisation
    candidates = (
        ("linear", verdict.linear, None, None),
        (
            "shallow",
            verdict.shallow,
            cost.shallow if cost else None,
            gaps.shallow if gaps else None,
        ),
        ("deep", verdict.deep, cost.deep if cost else None, gaps.deep if gaps else None),
    )
    return [
        FinalistRow(depth_class, finalist, class_cost, gap)
        for depth_class, finalist, class_cost, gap in candidates
        if finalist is not None
    ]


def _leaderboard_view(results: Results) -> dict[str, Any]:
    """Columns in reading order, and rows whose cells carry a sortable value and a text."""
    table = leaderboard(results)
    metric = results.metric.name
    paired = "paired_mean" in table.columns
    scores = (metric, "paired") if paired else (metric,)
    rest = [
        c
        for c in table.columns
        if c not in (*LEADING_COLUMNS, *TRAILING_COLUMNS, metric, "paired_mean", "paired_sd")
        and c != "validation_loss"
    ]
    columns = [c for c in LEADING_COLUMNS if c in table.columns] + list(scores)
    columns += ["validation_loss", *(c for c in TRAILING_COLUMNS if c in table.columns), *rest]
    rows = []
    for record in table.to_dict(orient="records"):
        record = {k: None if _missing(v) else v for k, v in record.items()}
        cells = []
        for column in columns:
            if column == "paired":
                cells.append(_paired_cell(record["paired_mean"], record["paired_sd"]))
            else:
                cells.append(_cell(record.get(column)))
        rows.append({"status": record["status"], "cells": cells})
    texts = [
        c in TEXT_COLUMNS or any(isinstance(v, str) for v in table.get(c, pd.Series()).tolist())
        for c in columns
    ]
    return {
        "columns": [{"name": c, "text": t} for c, t in zip(columns, texts, strict=True)],
        "rows": rows,
        "metric": metric,
    }


def _family_legend(results: Results) -> list[dict[str, Any]]:
    """Each family of the space: its classic architecture type and how many of its trials
    ran and completed."""
    space = results.space
    if space is None:
        return []
    return [
        {
            "family": name,
            "type": space.architecture_types.get(name, ""),
            "trials": sum(t.family == name for t in results.trials),
            "complete": sum(t.family == name and t.status == "complete" for t in results.trials),
        }
        for name in space.families
    ]


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _cell(value: Any) -> dict[str, Any]:
    """What a cell shows, and the value its column sorts by (numbers as numbers)."""
    if value is None:
        return {"text": "", "sort": ""}
    if isinstance(value, bool):
        return {"text": str(value).lower(), "sort": str(value).lower()}
    if isinstance(value, float):
        return {"text": f"{value:.4g}", "sort": repr(value)}
    if isinstance(value, int):
        return {"text": f"{value:,}" if abs(value) >= 10_000 else str(value), "sort": str(value)}
    return {"text": str(value), "sort": str(value)}


def _paired_cell(mean: float | None, sd: float | None) -> dict[str, Any]:
    if mean is None:
        return {"text": "", "sort": ""}
    text = f"{mean:.4f}" + (f" ± {sd:.4f}" if sd is not None else "")
    return {"text": text, "sort": repr(mean)}


def _class_balance(data: DataProfile) -> list[dict[str, Any]]:
    counts = data.classes or {}
    total = sum(counts.values())
    return [
        {"label": label, "rows": n, "share": n / total if total else 0.0}
        for label, n in counts.items()
    ]


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("deepenough.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
