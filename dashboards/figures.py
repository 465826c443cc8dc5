"""Figure builders: the one place a chart is made, so a page and the exported report show the same figures.

Plain words on every axis; every bar is labelled (the chart grows with the
number of bars so that each category's name fits).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

__all__ = [
    "NOT_RECORDED",
    "SPECIALTY_COLOURS",
    "alumni_by_institution",
    "alumni_by_year",
    "program_reach",
]

SPECIALTY_COLOURS = [
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
]
NOT_RECORDED = "not recorded"
ROW_PX = 26
"""Height of one horizontal bar: enough for its label at 12 px."""


def _height(n: int) -> int:
    return 140 + ROW_PX * max(n, 1)


def alumni_by_institution(alumni: pd.DataFrame, top: int = 25) -> go.Figure:
    """Alumni per institution (the most at the top), each bar split by specialty, its total written at its end."""
    counts = (
        alumni.assign(
            institution=alumni["institution"].fillna(NOT_RECORDED), specialty=alumni["specialty"].fillna(NOT_RECORDED)
        )
        .groupby(["institution", "specialty"])
        .size()
        .rename("alumni")
        .reset_index()
    )
    totals = counts.groupby("institution")["alumni"].sum().sort_values(ascending=False).head(top)
    counts = counts[counts["institution"].isin(totals.index)]
    order = list(totals.index[::-1])
    specialties = counts.groupby("specialty")["alumni"].sum().sort_values(ascending=False).index
    fig = go.Figure(
        [
            go.Bar(
                y=counts.loc[counts["specialty"] == s, "institution"],
                x=counts.loc[counts["specialty"] == s, "alumni"],
                name=s,
                orientation="h",
                marker_color=SPECIALTY_COLOURS[i % len(SPECIALTY_COLOURS)] if s != NOT_RECORDED else "#cccccc",
                hovertemplate="%{y}<br>" + s + ": %{x}<extra></extra>",
            )
            for i, s in enumerate(specialties)
        ]
    )
    fig.update_layout(
        barmode="stack",
        height=_height(len(order)),
        margin={"l": 10, "r": 30, "t": 30, "b": 40},
        plot_bgcolor="white",
        title={"text": f"Where our alumni work (the {len(order)} institutions with the most)", "x": 0},
        xaxis={"title": {"text": "Number of alumni"}, "gridcolor": "#eee"},
        yaxis={"title": {"text": ""}, "categoryorder": "array", "categoryarray": order, "automargin": True, "dtick": 1},
        legend={"title": {"text": "Specialty"}},
        annotations=[
            {"x": n, "y": inst, "text": str(n), "showarrow": False, "xanchor": "left", "xshift": 4}
            for inst, n in totals.items()
        ],
    )
    return fig


def alumni_by_year(by_year: pd.DataFrame) -> go.Figure:
    """Alumni per graduating class, each bar labelled with its count."""
    fig = go.Figure(
        go.Bar(
            x=by_year["grad_year"].astype(int).astype(str),
            y=by_year["alumni"],
            text=by_year["alumni"],
            textposition="outside",
            marker_color="#1f77b4",
            hovertemplate="Class of %{x}: %{y}<extra></extra>",
        )
    )
    fig.update_layout(
        height=360,
        margin={"l": 10, "r": 10, "t": 40, "b": 40},
        plot_bgcolor="white",
        title={"text": "Alumni by graduating class", "x": 0},
        xaxis={"title": {"text": "Class of"}, "type": "category"},
        yaxis={"title": {"text": "Number of alumni"}, "gridcolor": "#eee"},
    )
    return fig


def program_reach(programs: pd.DataFrame, level: float, top: int = 25) -> go.Figure:
    """Fellowship programs by how many residents reach them warmly (best path at least ``level``), labelled."""
    p = programs.sort_values(["residents_reach", "median_reach"], ascending=False).head(top).iloc[::-1]
    fig = go.Figure(
        go.Bar(
            y=p["program"],
            x=p["residents_reach"],
            orientation="h",
            text=[f"{n} (median {m:.2f})" for n, m in zip(p["residents_reach"], p["median_reach"], strict=True)],
            textposition="outside",
            marker_color="#2ca02c",
            hovertemplate="%{y}<br>%{x} residents<extra></extra>",
        )
    )
    fig.update_layout(
        height=_height(len(p)),
        margin={"l": 10, "r": 60, "t": 30, "b": 40},
        plot_bgcolor="white",
        title={"text": f"Residents with an introduction path of at least {level:.0%} chance", "x": 0},
        xaxis={"title": {"text": "Number of residents"}, "gridcolor": "#eee"},
        yaxis={"title": {"text": ""}, "automargin": True, "dtick": 1},
    )
    return fig
