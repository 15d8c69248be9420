"""The search's figures: score by depth, score by size with its Pareto front, the
optimisation history and the hyperparameters' importance, from results.json's trials."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from deepenough.report._plots import (
    DEPTH_CLASS_COLOURS,
    FAMILY_SYMBOLS,
    STATUS_COLOURS,
    Plot,
    figure_plot,
)
from deepenough.results import Results, TrialRecord


def score_by_depth(results: Results) -> Plot:
    metric = results.metric.name
    families = sorted({t.family for t in results.trials})
    symbols = {f: FAMILY_SYMBOLS[i % len(FAMILY_SYMBOLS)] for i, f in enumerate(families)}
    figure = go.Figure()
    for depth_class, colour in DEPTH_CLASS_COLOURS.items():
        for family in families:
            trials = [
                t for t in scored(results) if t.depth_class == depth_class and t.family == family
            ]
            if trials:
                figure.add_trace(
                    go.Scatter(
                        x=[t.depth for t in trials],
                        y=[t.value for t in trials],
                        mode="markers",
                        name=f"{depth_class} · {family}",
                        marker={
                            "color": colour,
                            "symbol": symbols[family],
                            "size": 10,
                            "opacity": 0.8,
                        },
                        customdata=[t.number for t in trials],
                        hovertemplate=f"trial %{{customdata}} · {family}<br>depth %{{x}}<br>"
                        f"{metric} %{{y:.4f}}<extra></extra>",
                    )
                )
    figure.update_xaxes(dtick=1)
    return figure_plot(
        "score-by-depth",
        "Score by depth",
        "Validation score of every complete trial by its number of hidden layers; colour is "
        "the depth class, the marker the family.",
        figure,
        "depth (hidden layers)",
        f"validation {metric}",
        empty="No trial completed.",
    )


def score_by_size(results: Results) -> Plot:
    metric = results.metric
    sized = [t for t in scored(results) if t.n_params]
    figure = go.Figure()
    for depth_class, colour in DEPTH_CLASS_COLOURS.items():
        trials = [t for t in sized if t.depth_class == depth_class]
        if trials:
            figure.add_trace(
                go.Scatter(
                    x=[t.n_params for t in trials],
                    y=[t.value for t in trials],
                    mode="markers",
                    name=depth_class,
                    marker={"color": colour, "size": 9, "opacity": 0.8},
                    customdata=[[t.number, t.family, t.depth] for t in trials],
                    hovertemplate="trial %{customdata[0]} · %{customdata[1]}, depth "
                    "%{customdata[2]}<br>%{x:,} parameters<br>" + metric.name + " %{y:.4f}"
                    "<extra></extra>",
                )
            )
    front = pareto_front(sized, maximize=metric.direction == "maximize")
    if front:
        figure.add_trace(
            go.Scatter(
                x=[t.n_params for t in front],
                y=[t.value for t in front],
                mode="lines",
                line={"color": "#222", "dash": "dot", "shape": "hv"},
                name="Pareto front",
                hoverinfo="skip",
            )
        )
    figure.update_xaxes(type="log")
    return figure_plot(
        "score-by-size",
        "Score by size",
        "Validation score against parameter count (log scale). The dotted line is the "
        "Pareto front: no trial is both smaller and better than a trial on it.",
        figure,
        "parameters",
        f"validation {metric.name}",
        empty="No trial completed.",
    )


def pareto_front(trials: Sequence[TrialRecord], *, maximize: bool) -> list[TrialRecord]:
    """Trials that no other trial beats on both size (fewer parameters) and score; each
    trial must have a parameter count and a score."""
    sign = 1.0 if maximize else -1.0
    front: list[TrialRecord] = []
    for trial in sorted(trials, key=lambda t: (_size(t), -sign * _score(t))):
        if not front or sign * _score(trial) > sign * _score(front[-1]):
            front.append(trial)
    return front


def optimisation_history(results: Results) -> Plot:
    metric = results.metric
    figure = go.Figure()
    for status, colour in STATUS_COLOURS.items():
        trials = [t for t in results.trials if t.status == status and t.value is not None]
        if trials:
            figure.add_trace(
                go.Scatter(
                    x=[t.number for t in trials],
                    y=[t.value for t in trials],
                    mode="markers",
                    name=status,
                    marker={"color": colour, "size": 8},
                    customdata=[t.family for t in trials],
                    hovertemplate="trial %{x} · %{customdata}<br>"
                    + metric.name
                    + " %{y:.4f}<extra></extra>",
                )
            )
    complete = sorted(scored(results), key=lambda t: t.number)
    if complete:
        pick = max if metric.direction == "maximize" else min
        best: list[float] = []
        for trial in complete:
            best.append(_score(trial) if not best else pick(best[-1], _score(trial)))
        figure.add_trace(
            go.Scatter(
                x=[t.number for t in complete],
                y=best,
                mode="lines",
                line={"color": "#222", "shape": "hv"},
                name="best so far",
            )
        )
    return figure_plot(
        "optimisation-history",
        "Optimisation history",
        "Each trial's validation score in the order the search ran them, and the best so far.",
        figure,
        "trial",
        f"validation {metric.name}",
        empty="No trial has a score.",
    )


def importance(results: Results) -> Plot:
    found = results.importance
    title = "Hyperparameter importance"
    if found is None:
        return Plot(
            "importance",
            title,
            "Not computed: it needs at least 5 complete trials whose scores and "
            "hyperparameters varied.",
        )
    names = list(found.importance)[::-1]
    figure = go.Figure(
        go.Bar(
            x=[found.importance[n] for n in names],
            y=names,
            orientation="h",
            marker={"color": "#1f77b4"},
            hovertemplate="%{y}: %{x:.1%}<extra></extra>",
        )
    )
    figure.update_xaxes(tickformat=".0%")
    return figure_plot(
        "importance",
        title,
        f"Share of the validation score's variance each hyperparameter explains, by "
        f"{found.evaluator} over {found.trials} complete trials (hyperparameters "
        "that every trial shares).",
        figure,
        "importance",
        "",
        height=max(220, 60 + 36 * len(names)),
    )


def scored(results: Results) -> list[TrialRecord]:
    """The complete trials that have a validation score."""
    return [t for t in results.trials if t.status == "complete" and t.value is not None]


def _score(trial: TrialRecord) -> float:
    if trial.value is None:
        raise ValueError(f"trial {trial.number} has no score")
    return trial.value


def _size(trial: TrialRecord) -> int:
    if trial.n_params is None:
        raise ValueError(f"trial {trial.number} has no parameter count")
    return trial.n_params
