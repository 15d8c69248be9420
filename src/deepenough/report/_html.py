"""A self-contained HTML report rendered from results.json alone (Plotly inlined once)."""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2
import plotly.graph_objects as go
import plotly.offline

from deepenough.report._leaderboard import leaderboard

PLOT_CONFIG = {"displaylogo": False, "responsive": True}
DEPTH_CLASS_COLOURS = {"linear": "#7f7f7f", "shallow": "#1f77b4", "deep": "#d62728"}


def render_report(results: dict[str, Any]) -> str:
    table = leaderboard(results)
    template = _environment().get_template("report.html.j2")
    return template.render(
        results=results,
        metric=results["metric"],
        columns=[c for c in table.columns if c != "error"] + ["error"],
        rows=table.where(table.notna(), None).to_dict(orient="records"),
        depth_plot=_depth_plot(results),
        plotly_js=plotly.offline.get_plotlyjs(),
    )


def _depth_plot(results: dict[str, Any]) -> str:
    metric = results["metric"]["name"]
    figure = go.Figure()
    for depth_class, colour in DEPTH_CLASS_COLOURS.items():
        trials = [
            t
            for t in results["trials"]
            if t["status"] == "complete" and t.get("depth_class") == depth_class
        ]
        figure.add_trace(
            go.Scatter(
                x=[t["depth"] for t in trials],
                y=[t["value"] for t in trials],
                mode="markers",
                name=depth_class,
                marker={"color": colour, "size": 10, "opacity": 0.8},
                text=[f"trial {t['number']} · {t['family']}" for t in trials],
                hovertemplate="%{text}<br>depth %{x}<br>" + metric + " %{y:.4f}<extra></extra>",
            )
        )
    figure.update_layout(
        xaxis_title="depth (hidden layers)",
        yaxis_title=f"validation {metric}",
        template="plotly_white",
        margin={"l": 60, "r": 20, "t": 20, "b": 50},
        height=380,
    )
    figure.update_xaxes(dtick=1)
    return figure.to_html(
        full_html=False, include_plotlyjs=False, config=PLOT_CONFIG, div_id="score-by-depth"
    )


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("deepenough.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
