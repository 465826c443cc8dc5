"""Figure builders: the one place a chart is made, so a page and the exported report show the same figures.

Plain words on every axis; every bar is labelled (the chart grows with the
number of bars so that each category's name fits).  The network pictures are
Cytoscape.js graphs (dash-cytoscape) whose positions come from
:mod:`graph.analytics.layout` (the ``preset`` layout: no physics in the
browser, the same picture on every visit): :func:`network_elements`,
:func:`path_elements` and :func:`network_graph`.
"""

from __future__ import annotations

import json
import math

import dash_cytoscape as cyto
import pandas as pd
import plotly.graph_objects as go

from graph.views import IntroAnswer

__all__ = [
    "COMMUNITY_COLOURS",
    "MAX_EDGES",
    "NETWORK_STYLE",
    "NOT_RECORDED",
    "SPECIALTY_COLOURS",
    "alumni_by_institution",
    "alumni_by_year",
    "edge_elements",
    "highlight_style",
    "network_elements",
    "network_graph",
    "node_element",
    "community_key",
    "path_elements",
    "program_reach",
    "spread",
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


# -- the explorable network (dash-cytoscape) ----------------------------------------------------------------------
COMMUNITY_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
OTHER_COLOUR = "#999999"
MAX_EDGES = 2000
"""Most lines a network picture draws at first, the strongest (more is a grey blur and a slow page)."""
SOURCE_COLOUR, TARGET_COLOUR, WEAK_COLOUR = "#2ca02c", "#9467bd", "#d62728"
NETWORK_STYLE: list[dict] = [
    {
        "selector": "node",
        "style": {
            "width": "data(px)",
            "height": "data(px)",
            "background-color": "data(colour)",
            "border-width": 0.5,
            "border-color": "#ffffff",
            "label": "data(name)",
            "font-size": "data(font)",
            "min-zoomed-font-size": 12,  # names of the unlabelled appear once zoomed in enough to read them
            "text-valign": "top",
            "text-margin-y": -2,
            "text-background-color": "#ffffff",
            "text-background-opacity": 0.8,
            "text-background-padding": 1,
            "color": "#222222",
        },
    },
    {"selector": "node.labelled", "style": {"min-zoomed-font-size": 0, "font-weight": "bold"}},
    {
        "selector": "node.community",
        "style": {"opacity": 0.75, "shape": "round-rectangle", "min-zoomed-font-size": 0},
    },
    {
        "selector": "edge",
        "style": {"width": "data(px)", "line-color": "#888888", "opacity": "data(opacity)", "curve-style": "haystack"},
    },
    {"selector": "edge.weakest", "style": {"line-color": WEAK_COLOUR, "line-style": "dashed", "opacity": 0.9}},
    {"selector": "edge.path", "style": {"curve-style": "straight"}},
    {"selector": "node:selected", "style": {"border-width": 3, "border-color": "#000000"}},
]


def community_key(c: object) -> str:
    """A community as the pictures name it: its number, ``-1`` for none, or ``others``."""
    if isinstance(c, str):
        return c
    return "-1" if c is None or pd.isna(c) else str(int(c))  # type: ignore[call-overload, arg-type]


def spread(n: int) -> float:
    """Pixels from the centre to the edge of a layout's [-1, 1] box: more room per person as the picture grows."""
    return max(260.0, 28.0 * math.sqrt(max(n, 1)))


def node_element(row: dict, x: float, y: float, colour: str, px: float, font: float = 10) -> dict:
    """One Cytoscape node: a person (``id``, ``name``) or a community (``group`` true, ``size`` members)."""
    group = bool(row.get("group"))
    classes = "community" if group else "person" + (" labelled" if row.get("label") else "")
    data = {"id": str(row["id"]), "name": str(row["name"]), "colour": colour, "px": round(px, 1), "group": group}
    data["font"] = round(font, 1)
    if group:
        data["size"] = int(row["size"])
        data["community"] = community_key(row["community"])
    return {"data": data, "position": {"x": round(x, 1), "y": round(y, 1)}, "classes": classes}


def edge_elements(edges: pd.DataFrame, *, top: int = MAX_EDGES, grow: float = 1.0) -> list[dict]:
    """Lines between drawn nodes, the ``top`` strongest; width by strength (a folded line by the ties it sums).

    ``grow`` widens every line, for a big picture seen from farther.
    """
    e = edges.nlargest(top, "strength") if len(edges) > top else edges
    faint = 0.6 if len(e) < 200 else 0.4
    return [
        {
            "data": {
                "id": f"{a}|{b}",
                "source": str(a),
                "target": str(b),
                "px": round(grow * min(8.0, 0.6 + 2.5 * min(float(s), 1.0) + math.log1p(int(t) - 1)), 2),
                "opacity": faint,
            }
        }
        for a, b, s, t in e[["a", "b", "strength", "ties"]].itertuples(index=False)
    ]


def network_elements(nodes: pd.DataFrame, edges: pd.DataFrame) -> list[dict]:
    """The picture :func:`graph.analytics.layout.network_picture` laid out, as Cytoscape elements.

    People are sized by reach (PageRank) and coloured by community (the eight
    largest drawn; the rest grey); a community node is sized by its members.
    Named are the nodes whose ``label`` is set (everyone up to 50 people, else
    the top brokers); the others' names appear when one zooms in.  The layout's
    y axis points up, the screen's down.
    """
    if nodes.empty:
        return []
    scale = spread(len(nodes))
    grow = max(1.0, scale / 300)  # a bigger picture is seen from farther: names grow so that they stay legible
    people = nodes[~nodes["group"].astype(bool)]
    top = float(people["pagerank"].max()) if len(people) else 1.0
    keys = nodes["community"].map(community_key)
    counts = nodes.groupby(keys)["size"].sum().sort_values(ascending=False)
    colour = dict(zip(counts.index[: len(COMMUNITY_COLOURS)], COMMUNITY_COLOURS, strict=False))
    out = []
    for row in nodes.to_dict("records"):
        if row["group"]:
            px = min(60.0, 14 + 2.5 * math.sqrt(float(row["size"])))
        else:
            px = 8 + 16 * math.sqrt(max(float(row["pagerank"]), 0.0) / (top or 1.0))
        c = colour.get(community_key(row["community"]), OTHER_COLOUR)
        font = (12 if row["group"] else 10) * grow
        out.append(node_element(row, float(row["x"]) * scale, -float(row["y"]) * scale, c, px, font))
    return out + edge_elements(edges, grow=grow)


def path_elements(answer: IntroAnswer) -> list[dict]:
    """Warm intro paths (:class:`graph.views.IntroAnswer`) as Cytoscape elements: columns by hop, you on the left.

    Everyone on a path is named; the weakest link of each path is red and
    dashed; a thicker line is a stronger tie.
    """
    n = answer.names
    column: dict[str, int] = {}
    for p in answer.paths:
        for i, who in enumerate(p.people):
            column[who] = min(column.get(who, i), i)
    rows: dict[int, list[str]] = {}
    for who, col in column.items():
        rows.setdefault(col, []).append(who)
    depth = max(len(r) for r in rows.values())
    out = []
    for col, people in rows.items():
        for i, who in enumerate(people):
            colour = (
                SOURCE_COLOUR if who == answer.source else TARGET_COLOUR if who in answer.target.members else "#555555"
            )
            row = {"id": who, "name": n[who], "label": n[who]}
            out.append(node_element(row, 200.0 * col, 90.0 * (i - (depth - 1) / 2), colour, 18))
    hops: dict[tuple[str, str], tuple[float, bool]] = {}
    for p in answer.paths:
        for h in p.hops:
            key = (h.source, h.target)
            hops[key] = (h.strength, hops.get(key, (0.0, False))[1] or h is p.weakest)
    for (a, b), (strength, weak) in hops.items():
        data = {"id": f"{a}|{b}", "source": a, "target": b, "px": round(1.5 + 6 * strength, 2), "opacity": 0.8}
        out.append({"data": data, "classes": "path weakest" if weak else "path"})
    return out


def highlight_style(ids: list[str]) -> list[dict]:
    """:data:`NETWORK_STYLE` with ``ids`` ringed and named and everything else faded (a search's hits)."""
    if not ids:
        return NETWORK_STYLE
    hits = ", ".join(f"node[id = {json.dumps(i)}]" for i in ids)
    return [
        *NETWORK_STYLE,
        {"selector": "node, edge", "style": {"opacity": 0.2}},
        {
            "selector": hits,
            "style": {
                "opacity": 1,
                "border-width": 4,
                "border-color": "#ffbf00",
                "min-zoomed-font-size": 0,
                "z-index": 10,
            },
        },
    ]


def network_graph(id_: str, elements: list[dict], *, height: int = 560) -> cyto.Cytoscape:
    """A network picture laid out where :mod:`graph.analytics.layout` put it; pan, zoom, tap a node to explore."""
    return cyto.Cytoscape(
        id=id_,
        elements=elements,
        layout={"name": "preset", "fit": True, "padding": 30, "animate": False},
        stylesheet=NETWORK_STYLE,
        style={"width": "100%", "height": f"{height}px"},
        minZoom=0.05,
        maxZoom=6,
        boxSelectionEnabled=False,
        autoungrabify=True,  # a tap selects; nobody drags nodes out of the layout by mistake
        responsive=True,
    )
