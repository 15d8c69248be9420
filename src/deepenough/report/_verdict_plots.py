"""The verdict's and the exported model's figures: the data-size crossover, the finalists'
learning curves, and the exported model on the test set (confusion matrix, or predicted
against actual values and their residuals).

Strings from the data (class labels, the target's name) are HTML-escaped before they
reach Plotly, which reads a few tags.
"""

from __future__ import annotations

import html

import plotly.graph_objects as go

from deepenough.data import NO_TEST_BELOW_ROWS
from deepenough.report._plots import DEPTH_CLASS_COLOURS, Plot, figure_plot
from deepenough.results import Results, TestPredictions


def crossover(results: Results) -> Plot:
    metric = results.metric.name
    title = "Data-size crossover"
    evidence = results.verdict.crossover if results.verdict else None
    if evidence is None or evidence.skipped is not None:
        reason = (evidence and evidence.skipped) or "the run has no shallow and deep finalist"
        return Plot("crossover", title, f"Not measured: {reason}.")
    figure = go.Figure()
    for depth_class, scores in (("shallow", evidence.shallow), ("deep", evidence.deep)):
        figure.add_trace(
            go.Scatter(
                x=list(evidence.rows),
                y=list(scores),
                mode="lines+markers",
                name=f"{depth_class} finalist",
                line={"color": DEPTH_CLASS_COLOURS[depth_class]},
                customdata=[f"{100 * f:.0f}%" for f in evidence.fractions],
                hovertemplate="%{x} training rows (%{customdata})<br>"
                + metric
                + " %{y:.4f}<extra></extra>",
            )
        )
    figure.update_xaxes(type="log")
    overtakes = evidence.deep_overtakes_at
    verdict = (
        f"Deep leads by more than the ROPE from {overtakes:.0%} of the rows on."
        if overtakes is not None
        else "Deep never leads by more than the ROPE from some size on."
    )
    trend = (
        "The trend says more data would favour depth."
        if evidence.more_data_favours_depth
        else "The trend does not say more data would favour depth."
    )
    return figure_plot(
        "crossover",
        title,
        f"Both finalists re-trained on growing shares of the training rows "
        f"(mean over {evidence.folds} folds). {verdict} {trend}",
        figure,
        "training rows",
        f"held-out {metric}",
    )


def learning_curves(results: Results) -> Plot:
    metric = results.metric.name
    verdict = results.verdict
    finalists = {
        depth_class: finalist.trial
        for depth_class in DEPTH_CLASS_COLOURS
        if verdict and (finalist := verdict.finalist(depth_class))
    }
    figure = go.Figure()
    for depth_class, number in finalists.items():
        history = results.trial(number).history
        colour = DEPTH_CLASS_COLOURS[depth_class]
        for split, values, dash in (
            ("train", history.train, "dot"),
            ("validation", history.validation, "solid"),
        ):
            figure.add_trace(
                go.Scatter(
                    x=list(range(1, len(values) + 1)),
                    y=list(values),
                    mode="lines",
                    name=f"{depth_class} (trial {number}) · {split}",
                    line={"color": colour, "dash": dash},
                )
            )
    return figure_plot(
        "learning-curves",
        "Learning curves",
        "Train (dotted) and validation (solid) score per epoch of each finalist during the "
        "search; a wide gap between them is memorisation.",
        figure,
        "epoch",
        metric,
        empty="No finalist was chosen.",
    )


NO_TEST_SET = (
    f"no test set was held out, since fewer than {NO_TEST_BELOW_ROWS} rows were given; every "
    "row trained the model, and the verdict's cross-validated folds estimate its score"
)


def test_set(results: Results) -> Plot:
    found = results.test_predictions
    title = "Exported model on the test set"
    if found is None and results.export is not None and results.data.split.test == 0:
        return Plot("test-set", title, f"Not computed: {NO_TEST_SET}.")
    if found is None:
        return Plot("test-set", title, "Not computed: no model was exported.")
    if found.confusion is not None:
        return _confusion(found, title)
    return _predicted_vs_actual(found, title, results.target)


def residuals(results: Results) -> Plot | None:
    found = results.test_predictions
    if found is None or found.actual is None or found.predicted is None:
        return None
    residual = [a - p for a, p in zip(found.actual, found.predicted, strict=True)]
    figure = go.Figure(
        go.Scatter(
            x=list(found.predicted),
            y=residual,
            mode="markers",
            marker={"size": 6, "opacity": 0.6, "color": "#1f77b4"},
            name="rows",
        )
    )
    figure.add_hline(y=0, line={"color": "#222", "dash": "dot"})
    return figure_plot(
        "residuals",
        "Residuals on the test set",
        "Actual minus predicted value of each test row against the prediction; a pattern "
        "here is structure the model missed.",
        figure,
        "predicted",
        "residual",
    )


def _confusion(found: TestPredictions, title: str) -> Plot:
    labels = [html.escape(str(label)) for label in found.labels or ()]
    matrix = [list(row) for row in found.confusion or ()]
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
    return figure_plot(
        "test-set",
        title,
        "Confusion matrix of the exported model on the held-out test rows: rows are the "
        "actual class, columns the predicted one.",
        figure,
        "predicted",
        "actual",
        height=max(300, 120 + 40 * len(labels)),
    )


def _predicted_vs_actual(found: TestPredictions, title: str, target: str) -> Plot:
    actual, predicted = list(found.actual or ()), list(found.predicted or ())
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
    return figure_plot(
        "test-set",
        title,
        "Predicted against actual value of each held-out test row; the dotted line is a "
        "perfect prediction.",
        figure,
        f"actual {html.escape(target)}",
        "predicted",
    )
