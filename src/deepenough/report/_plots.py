"""The report's interactive figures, each built from results.json alone.

Every builder returns a `Plot`: a rendered Plotly div, or a note saying why the run
has nothing to draw (a single trial, a skipped crossover, no test set). Strings from the
data (class labels) are HTML-escaped before they reach Plotly, which reads a few tags.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

PLOT_CONFIG = {"displaylogo": False, "responsive": True}
DEPTH_CLASS_COLOURS = {"linear": "#7f7f7f", "shallow": "#1f77b4", "deep": "#d62728"}
FAMILY_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "cross", "star", "x")
STATUS_COLOURS = {"complete": "#1f77b4", "pruned": "#bbbbbb", "failed": "#d62728"}


@dataclass(frozen=True)
class Plot:
    id: str
    title: str
    caption: str
    html: str | None = None
    """The figure's div; None when there is nothing to draw, and `caption` says why."""


def all_plots(results: dict[str, Any]) -> list[Plot]:
    return [plot for builder in BUILDERS if (plot := builder(results)) is not None]


def score_by_depth(results: dict[str, Any]) -> Plot:
    metric = results["metric"]["name"]
    families = sorted({t["family"] for t in results["trials"]})
    symbols = {f: FAMILY_SYMBOLS[i % len(FAMILY_SYMBOLS)] for i, f in enumerate(families)}
    figure = go.Figure()
    for depth_class, colour in DEPTH_CLASS_COLOURS.items():
        for family in families:
            trials = [
                t
                for t in _scored(results)
                if t.get("depth_class") == depth_class and t["family"] == family
            ]
            if trials:
                figure.add_trace(
                    go.Scatter(
                        x=[t["depth"] for t in trials],
                        y=[t["value"] for t in trials],
                        mode="markers",
                        name=f"{depth_class} · {family}",
                        marker={
                            "color": colour,
                            "symbol": symbols[family],
                            "size": 10,
                            "opacity": 0.8,
                        },
                        customdata=[t["number"] for t in trials],
                        hovertemplate=f"trial %{{customdata}} · {family}<br>depth %{{x}}<br>"
                        f"{metric} %{{y:.4f}}<extra></extra>",
                    )
                )
    figure.update_xaxes(dtick=1)
    return _plot(
        "score-by-depth",
        "Score by depth",
        "Validation score of every complete trial by its number of hidden layers; colour is "
        "the depth class, the marker the family.",
        figure,
        "depth (hidden layers)",
        f"validation {metric}",
        empty="No trial completed.",
    )


def score_by_size(results: dict[str, Any]) -> Plot:
    metric = results["metric"]
    scored = [t for t in _scored(results) if t.get("n_params")]
    figure = go.Figure()
    for depth_class, colour in DEPTH_CLASS_COLOURS.items():
        trials = [t for t in scored if t.get("depth_class") == depth_class]
        if trials:
            figure.add_trace(
                go.Scatter(
                    x=[t["n_params"] for t in trials],
                    y=[t["value"] for t in trials],
                    mode="markers",
                    name=depth_class,
                    marker={"color": colour, "size": 9, "opacity": 0.8},
                    customdata=[[t["number"], t["family"], t["depth"]] for t in trials],
                    hovertemplate="trial %{customdata[0]} · %{customdata[1]}, depth "
                    "%{customdata[2]}<br>%{x:,} parameters<br>" + metric["name"] + " %{y:.4f}"
                    "<extra></extra>",
                )
            )
    front = pareto_front(scored, maximize=metric["direction"] == "maximize")
    if front:
        figure.add_trace(
            go.Scatter(
                x=[t["n_params"] for t in front],
                y=[t["value"] for t in front],
                mode="lines",
                line={"color": "#222", "dash": "dot", "shape": "hv"},
                name="Pareto front",
                hoverinfo="skip",
            )
        )
    figure.update_xaxes(type="log")
    return _plot(
        "score-by-size",
        "Score by size",
        "Validation score against parameter count (log scale). The dotted line is the "
        "Pareto front: no trial is both smaller and better than a trial on it.",
        figure,
        "parameters",
        f"validation {metric['name']}",
        empty="No trial completed.",
    )


def pareto_front(trials: list[dict[str, Any]], *, maximize: bool) -> list[dict[str, Any]]:
    """Trials that no other trial beats on both size (fewer parameters) and score."""
    sign = 1.0 if maximize else -1.0
    front: list[dict[str, Any]] = []
    for trial in sorted(trials, key=lambda t: (t["n_params"], -sign * t["value"])):
        if not front or sign * trial["value"] > sign * front[-1]["value"]:
            front.append(trial)
    return front


def crossover(results: dict[str, Any]) -> Plot:
    metric = results["metric"]["name"]
    title = "Data-size crossover"
    evidence = (results.get("verdict") or {}).get("crossover")
    if not evidence or "skipped" in evidence:
        reason = (evidence or {}).get("skipped", "the run has no shallow and deep finalist")
        return Plot("crossover", title, f"Not measured: {reason}.")
    figure = go.Figure()
    for depth_class in ("shallow", "deep"):
        figure.add_trace(
            go.Scatter(
                x=evidence["rows"],
                y=evidence[depth_class],
                mode="lines+markers",
                name=f"{depth_class} finalist",
                line={"color": DEPTH_CLASS_COLOURS[depth_class]},
                customdata=[f"{100 * f:.0f}%" for f in evidence["fractions"]],
                hovertemplate="%{x} training rows (%{customdata})<br>"
                + metric
                + " %{y:.4f}<extra></extra>",
            )
        )
    figure.update_xaxes(type="log")
    overtakes = evidence.get("deep_overtakes_at")
    verdict = (
        f"Deep leads by more than the ROPE from {overtakes:.0%} of the rows on."
        if overtakes is not None
        else "Deep never leads by more than the ROPE from some size on."
    )
    trend = (
        "The trend says more data would favour depth."
        if evidence.get("more_data_favours_depth")
        else "The trend does not say more data would favour depth."
    )
    return _plot(
        "crossover",
        title,
        f"Both finalists re-trained on growing shares of the training rows "
        f"(mean over {evidence['folds']} folds). {verdict} {trend}",
        figure,
        "training rows",
        f"held-out {metric}",
    )


def learning_curves(results: dict[str, Any]) -> Plot:
    metric = results["metric"]["name"]
    verdict = results.get("verdict") or {}
    finalists = {c: verdict[c]["trial"] for c in DEPTH_CLASS_COLOURS if verdict.get(c)}
    by_number = {t["number"]: t for t in results["trials"]}
    figure = go.Figure()
    for depth_class, number in finalists.items():
        history = by_number[number]["history"]
        colour = DEPTH_CLASS_COLOURS[depth_class]
        for split, dash in (("train", "dot"), ("validation", "solid")):
            values = history.get(split) or []
            figure.add_trace(
                go.Scatter(
                    x=list(range(1, len(values) + 1)),
                    y=values,
                    mode="lines",
                    name=f"{depth_class} (trial {number}) · {split}",
                    line={"color": colour, "dash": dash},
                )
            )
    return _plot(
        "learning-curves",
        "Learning curves",
        "Train (dotted) and validation (solid) score per epoch of each finalist during the "
        "search; a wide gap between them is memorisation.",
        figure,
        "epoch",
        metric,
        empty="No finalist was chosen.",
    )


def optimisation_history(results: dict[str, Any]) -> Plot:
    metric = results["metric"]
    figure = go.Figure()
    for status, colour in STATUS_COLOURS.items():
        trials = [t for t in results["trials"] if t["status"] == status and t["value"] is not None]
        if trials:
            figure.add_trace(
                go.Scatter(
                    x=[t["number"] for t in trials],
                    y=[t["value"] for t in trials],
                    mode="markers",
                    name=status,
                    marker={"color": colour, "size": 8},
                    customdata=[t["family"] for t in trials],
                    hovertemplate="trial %{x} · %{customdata}<br>"
                    + metric["name"]
                    + " %{y:.4f}<extra></extra>",
                )
            )
    complete = sorted(_scored(results), key=lambda t: t["number"])
    if complete:
        pick = max if metric["direction"] == "maximize" else min
        best, running = [], None
        for trial in complete:
            running = trial["value"] if running is None else pick(running, trial["value"])
            best.append(running)
        figure.add_trace(
            go.Scatter(
                x=[t["number"] for t in complete],
                y=best,
                mode="lines",
                line={"color": "#222", "shape": "hv"},
                name="best so far",
            )
        )
    return _plot(
        "optimisation-history",
        "Optimisation history",
        "Each trial's validation score in the order the search ran them, and the best so far.",
        figure,
        "trial",
        f"validation {metric['name']}",
        empty="No trial has a score.",
    )


def importance(results: dict[str, Any]) -> Plot:
    found = results.get("importance")
    title = "Hyperparameter importance"
    if not found:
        return Plot(
            "importance",
            title,
            "Not computed: it needs at least 5 complete trials whose scores and "
            "hyperparameters varied.",
        )
    names = list(found["importance"])[::-1]
    figure = go.Figure(
        go.Bar(
            x=[found["importance"][n] for n in names],
            y=names,
            orientation="h",
            marker={"color": "#1f77b4"},
            hovertemplate="%{y}: %{x:.1%}<extra></extra>",
        )
    )
    figure.update_xaxes(tickformat=".0%")
    return _plot(
        "importance",
        title,
        f"Share of the validation score's variance each hyperparameter explains, by "
        f"{found['evaluator']} over {found['trials']} complete trials (hyperparameters "
        "that every trial shares).",
        figure,
        "importance",
        "",
        height=max(220, 60 + 36 * len(names)),
    )


def test_set(results: dict[str, Any]) -> Plot:
    found = results.get("test_predictions")
    title = "Exported model on the test set"
    if not found:
        return Plot("test-set", title, "Not computed: no model was exported.")
    if "confusion" in found:
        return _confusion(found, title)
    return _predicted_vs_actual(found, title, results["target"])


def residuals(results: dict[str, Any]) -> Plot | None:
    found = results.get("test_predictions")
    if not found or "actual" not in found:
        return None
    residual = [a - p for a, p in zip(found["actual"], found["predicted"], strict=True)]
    figure = go.Figure(
        go.Scatter(
            x=found["predicted"],
            y=residual,
            mode="markers",
            marker={"size": 6, "opacity": 0.6, "color": "#1f77b4"},
            name="rows",
        )
    )
    figure.add_hline(y=0, line={"color": "#222", "dash": "dot"})
    return _plot(
        "residuals",
        "Residuals on the test set",
        "Actual minus predicted value of each test row against the prediction; a pattern "
        "here is structure the model missed.",
        figure,
        "predicted",
        "residual",
    )


def _confusion(found: dict[str, Any], title: str) -> Plot:
    labels = [html.escape(str(label)) for label in found["labels"]]
    matrix = found["confusion"]
    figure = go.Figure(
        go.Heatmap(
            z=matrix,
            x=labels,
            y=labels,
            colorscale="Blues",
            text=[[str(v) for v in row] for row in matrix],
            texttemplate="%{text}",
            hovertemplate="actual %{y}<br>predicted %{x}<br>%{z} rows<extra></extra>",
            showscale=False,
        )
    )
    figure.update_xaxes(type="category", side="top")
    figure.update_yaxes(type="category", autorange="reversed")
    return _plot(
        "test-set",
        title,
        "Confusion matrix of the exported model on the held-out test rows: rows are the "
        "actual class, columns the predicted one.",
        figure,
        "predicted",
        "actual",
        height=max(300, 120 + 40 * len(labels)),
    )


def _predicted_vs_actual(found: dict[str, Any], title: str, target: str) -> Plot:
    actual, predicted = found["actual"], found["predicted"]
    low, high = min(actual + predicted), max(actual + predicted)
    figure = go.Figure(
        go.Scatter(
            x=actual,
            y=predicted,
            mode="markers",
            marker={"size": 6, "opacity": 0.6, "color": "#1f77b4"},
            name="rows",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=[low, high],
            y=[low, high],
            mode="lines",
            line={"color": "#222", "dash": "dot"},
            name="perfect",
        )
    )
    return _plot(
        "test-set",
        title,
        "Predicted against actual value of each held-out test row; the dotted line is a "
        "perfect prediction.",
        figure,
        f"actual {html.escape(target)}",
        "predicted",
    )


def _scored(results: dict[str, Any]) -> list[dict[str, Any]]:
    return [t for t in results["trials"] if t["status"] == "complete" and t["value"] is not None]


def _plot(
    plot_id: str,
    title: str,
    caption: str,
    figure: go.Figure,
    x_title: str,
    y_title: str,
    *,
    empty: str | None = None,
    height: int = 380,
) -> Plot:
    if empty is not None and not figure.data:
        return Plot(plot_id, title, empty)
    figure.update_layout(
        xaxis_title=x_title,
        yaxis_title=y_title,
        template="plotly_white",
        margin={"l": 60, "r": 20, "t": 30, "b": 50},
        height=height,
    )
    div = figure.to_html(
        full_html=False, include_plotlyjs=False, config=PLOT_CONFIG, div_id=f"plot-{plot_id}"
    )
    return Plot(plot_id, title, caption, div)


BUILDERS: tuple[Callable[[dict[str, Any]], Plot | None], ...] = (
    score_by_depth,
    score_by_size,
    crossover,
    learning_curves,
    optimisation_history,
    importance,
    test_set,
    residuals,
)
