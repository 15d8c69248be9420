"""What every figure of the report shares: the `Plot` it becomes, the colours, and the
layout a Plotly figure gets before it is rendered to a div.

The figures themselves live by what they show: the search's (`_search_plots`) and the
verdict's and exported model's (`_verdict_plots`).
"""

from __future__ import annotations

from dataclasses import dataclass

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


def figure_plot(
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
    """`figure` laid out and rendered as a div (no Plotly bundle: the page inlines it once);
    a `Plot` with the `empty` note instead when `empty` is given and nothing was drawn."""
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
