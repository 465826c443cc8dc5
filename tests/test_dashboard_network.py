"""The explorable network (issue 17 item 6): the overview's and the warm intros' pictures in dash-cytoscape.

Plain functions first (what a role may see of a tapped person's ties, the elements of a picture of 50, 500 and
600 people, the search), then headless Chromium: tapping a node, adding a person's ties, searching, a resident's
panel, an aggregated picture opened in place.  Taps are real mouse clicks where Cytoscape drew the node.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from playwright.sync_api import Page, expect
from test_dashboard import CY, GI, Console, find, open_page, screenshot, text_of, wait_for_network
from test_dashboard_pages import PASSWORD, add_account

from dashboards.figures import NETWORK_STYLE, network_elements
from graph.access import Role, Viewer
from graph.analytics.layout import network_picture


@pytest.fixture
def ids(dashboard_env: Path) -> dict[str, str]:
    from dashboards.data import views

    with views() as v:
        return {n: v.person_id(n) for n in ("Ana Ruiz", "Ben Okafor", "Frank Lee", "Eli Cohen", "Dev Patel")}


@pytest.fixture
def console(page: Page) -> Console:
    return Console(page)


def as_viewer(viewer: Viewer):  # noqa: ANN201 - a Views
    from dashboards.data import request_store
    from graph.views import Views

    with request_store() as store:
        return Views(store, viewer)


# -- what a tapped person's panel may show, by role ---------------------------------------------------------------


def test_leadership_sees_every_tie_of_anyone_in_full(ids: dict[str, str]) -> None:
    v = as_viewer(Viewer("paul", Role.LEADERSHIP, None))
    seen = v.visible_ties(ids["Ben Okafor"])
    oracle = v.person_ties(ids["Ben Okafor"])  # the person page's table: the same ties, the same figures
    assert seen["full"].all() and list(seen["other"]) == list(oracle["other"])
    assert list(seen["strength"]) == list(oracle["strength"]) and list(seen["reasons"]) == list(oracle["reasons"])
    assert set(seen["tier"]) <= {"strong", "medium", "weak"}


def test_a_resident_sees_others_ties_only_as_their_paths_show_them(ids: dict[str, str]) -> None:
    ana = as_viewer(Viewer("ana", Role.RESIDENT, ids["Ana Ruiz"]))
    intro = ana.intro(ids["Ana Ruiz"], GI)
    frank = ana.visible_ties(ids["Frank Lee"], intro=intro)
    # Frank's ties: only the hop Ben -> Frank of her path, as a tier and a month; no reasons, no count
    assert list(frank["other"]) == [ids["Ben Okafor"]] and not frank["full"].any()
    assert frank["tier"].tolist() == ["weak"] and frank["reasons"].isna().all()
    assert frank["n_interactions"].isna().all() and all(re.fullmatch(r"\d{4}-\d{2}", m) for m in frank["last_contact"])
    assert ana.visible_ties(ids["Frank Lee"]).empty  # without her paths: nothing of theirs at all
    ben = ana.visible_ties(ids["Ben Okafor"], intro=intro)
    own = ben[ben["other"] == ids["Ana Ruiz"]]
    assert own["full"].all() and own["reasons"].notna().all()  # her own tie with Ben, in full
    assert not ben.loc[ben["other"] != ids["Ana Ruiz"], "full"].any()
    mine = ana.visible_ties(ids["Ana Ruiz"])
    assert mine["full"].all() and len(mine) == len(ana.person_ties(ids["Ana Ruiz"]))


def test_a_resident_may_not_open_a_community(ids: dict[str, str]) -> None:
    from dashboards.components import expand
    from graph.access import AccessDenied

    ana = as_viewer(Viewer("ana", Role.RESIDENT, ids["Ana Ruiz"]))
    forged = {"data": {"id": "group:0", "name": "x", "group": True, "community": "0", "colour": "#000", "px": 9}}
    forged["position"] = {"x": 0, "y": 0}
    with pytest.raises(AccessDenied):
        expand(ana, forged["data"], [forged])


def test_the_tapped_panel_links_to_the_page_only_for_who_may_open_it(ids: dict[str, str]) -> None:
    from dashboards.components import tapped

    node = {"id": ids["Frank Lee"], "name": "Frank Lee", "group": False}
    lead, style = tapped(as_viewer(Viewer("paul", Role.LEADERSHIP, None)), node)
    assert f"/person?id={ids['Frank Lee']}" in json.dumps([c.to_plotly_json() for c in lead], default=str)
    assert style == {"display": "inline-block"}
    ana = as_viewer(Viewer("ana", Role.RESIDENT, ids["Ana Ruiz"]))
    panel, _ = tapped(ana, node, intro=ana.intro(ids["Ana Ruiz"], GI))
    shown = text_of(panel)
    assert (
        "Frank Lee" in shown
        and "weak tie · last contact" in shown
        and "/person" not in json.dumps([c.to_plotly_json() for c in panel], default=str)
    )
    assert "contact " not in shown.replace("last contact", "")  # no count of contacts, no reasons


# -- pictures at 50, 500 and 600 people --------------------------------------------------------------------------


def planted(n: int, communities: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n`` people in ``communities`` equal blocks, dense inside, a few ties across; PageRank by degree."""
    rng = np.random.default_rng(seed)
    block = np.arange(n) % communities
    rows = [
        (f"p{i:04d}", f"p{j:04d}", float(rng.uniform(0.05, 0.9)))
        for i in range(n)
        for j in rng.choice(n, size=4, replace=False)
        if j > i and (block[i] == block[j] or rng.random() < 0.05)
    ]
    ties = pd.DataFrame(rows, columns=["a", "b", "strength"]).drop_duplicates(["a", "b"])
    degree = pd.concat([ties["a"], ties["b"]]).value_counts()
    ids = [f"p{i:04d}" for i in range(n)]
    metrics = pd.DataFrame(
        {
            "id": ids,
            "name": [f"Person {i}" for i in range(n)],
            "pagerank": [float(degree.get(i, 0)) / len(ties) for i in ids],
            "betweenness": rng.uniform(0, 1, n),
            "community": block,
        }
    )
    return ties, metrics


def test_above_500_people_the_picture_is_one_node_per_community_with_its_members() -> None:
    ties, metrics = planted(600, 6)
    nodes, edges, aggregated = network_picture(ties, metrics)
    assert aggregated
    els = network_elements(nodes, edges)
    groups = [e["data"] for e in els if "source" not in e["data"]]
    assert len(groups) == 6 and all(g["group"] for g in groups)
    assert sorted(g["size"] for g in groups) == [100] * 6  # every member counted once
    assert {g["name"] for g in groups} == {f"Community {k + 1}: 100 people" for k in range(6)}
    lines = [e["data"] for e in els if "source" in e["data"]]
    across = ties[
        metrics.set_index("id").loc[ties["a"], "community"].to_numpy()
        != metrics.set_index("id").loc[ties["b"], "community"].to_numpy()
    ]
    assert len(lines) == len(
        {
            tuple(sorted(p))
            for p in zip(
                metrics.set_index("id").loc[across["a"], "community"],
                metrics.set_index("id").loc[across["b"], "community"],
                strict=True,
            )
        }
    )  # one line per pair of communities a tie joins


@pytest.mark.parametrize(("n", "named"), [(50, 50), (500, 25)])
def test_50_and_500_people_are_each_drawn_with_few_enough_names_to_read(n: int, named: int) -> None:
    ties, metrics = planted(n, 5)
    nodes, edges, aggregated = network_picture(ties, metrics)
    els = network_elements(nodes, edges)
    dots = [e for e in els if "source" not in e["data"]]
    assert not aggregated and len(dots) == n
    labelled = [e for e in dots if "labelled" in e["classes"]]
    assert len(labelled) == named  # everyone at 50; at 500 the top brokers, the rest once zoomed in
    if named < n:
        top = metrics.nlargest(named, "betweenness")["id"]
        assert {e["data"]["id"] for e in labelled} == set(top)
    xs = [e["position"]["x"] for e in dots]
    assert max(xs) - min(xs) > 20 * max(e["data"]["px"] for e in dots)  # room for the dots
    assert any(s["selector"] == "node" and s["style"]["min-zoomed-font-size"] > 0 for s in NETWORK_STYLE)


def test_search_rings_whole_word_starts_and_falls_back_to_the_community_node() -> None:
    from dashboards.components import found

    def node(i: str, name: str, group: bool = False, community: str = "0") -> dict:
        return {"data": {"id": i, "name": name, "group": group, "community": community}, "position": {"x": 0, "y": 0}}

    els = [node("a", "Ana Ruiz"), node("d", "Dana Ames"), node("group:1", "Community 2: 9 people", True, "1")]
    style, said, hits = found(els, "an")
    assert hits == ["a"] and said == "1 in the picture: Ana Ruiz"  # not Dana: words start with what is typed
    assert style[-1]["selector"] == 'node[id = "a"]'
    people = pd.DataFrame({"id": ["z"], "name": ["Zoe Park"], "community": [1.0]})
    assert found(els, "zoe", people)[2] == ["group:1"]
    assert found(els, "nobody")[1] == "No one called 'nobody' in the picture."
    assert found(els, "  ")[0] == NETWORK_STYLE


# -- in the browser ------------------------------------------------------------------------------------------------


def tap(page: Page, graph: str, node: str) -> None:
    """A mouse click where Cytoscape drew ``node``."""
    page.locator(f"#{graph}").scroll_into_view_if_needed()
    wait_for_network(page, graph)
    cy, at = CY % graph, f"{CY % graph}.getElementById({json.dumps(node)}).renderedPosition()"
    # wait until no callback is in flight (one may redraw the picture) and the node sits still inside the
    # picture (a resize, e.g. after a full-page screenshot, re-fits it)
    page.wait_for_load_state("networkidle")
    page.evaluate("window.__tapLast = null")
    page.wait_for_function(
        f"""() => {{
            const p = {at}, w = {cy}.width(), h = {cy}.height();
            const key = JSON.stringify([Math.round(p.x), Math.round(p.y), w, h]);
            const still = window.__tapLast === key;
            window.__tapLast = key;
            return still && p.x > 0 && p.y > 0 && p.x < w && p.y < h;
        }}""",
        polling=250,
    )
    pos = page.evaluate(at)
    box = page.locator(f"#{graph}").bounding_box()
    assert box is not None and 0 < pos["x"] < box["width"] and 0 < pos["y"] < box["height"]
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])


def count(page: Page, graph: str, what: str = "nodes") -> int:
    return int(page.evaluate(f"{CY % graph}.{what}().length"))


@pytest.mark.browser
def test_tap_a_person_shows_their_ties_and_opens_their_page_in_browser(
    ids: dict[str, str], live_server: str, page: Page, console: Console
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    open_page(page, live_server + "/", "#overview-network canvas", "overview-network")
    tap(page, "overview-network", ids["Ben Okafor"])
    panel = page.locator("#overview-network-panel")
    expect(panel.locator(".network-person-name")).to_have_text("Ben Okafor")
    expect(panel.locator(".network-tie").first).to_be_visible()
    expect(panel).to_contain_text("Ana Ruiz")
    expect(panel).to_contain_text(
        re.compile(r"(weak|medium|strong) tie \(0\.\d\d\) · last contact \d{4}-\d{2}-\d{2} · \d+ contacts?")
    )
    link = panel.locator("a.network-person-link")
    expect(link).to_have_attribute("href", f"/person?id={ids['Ben Okafor']}")
    screenshot(page, "overview-network-tapped")
    link.click()
    expect(page.locator("#person-name")).to_have_text("Ben Okafor")
    console.assert_clean()


@pytest.mark.browser
def test_add_their_ties_draws_a_persons_neighbours_in_browser(
    ids: dict[str, str], live_server: str, page: Page, console: Console
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    url = f"{live_server}/intro-paths?from={ids['Ana Ruiz']}&to={GI.replace(' ', '+')}"
    open_page(page, url, "#intro-paths-graph canvas", "intro-paths-network")
    wait_for_network(page, "intro-paths-graph")
    before = count(page, "intro-paths-graph")
    tap(page, "intro-paths-graph", ids["Ana Ruiz"])
    expect(page.locator("#intro-paths-graph-panel .network-person-name")).to_have_text("Ana Ruiz")
    page.click("#intro-paths-graph-expand")
    expect(page.locator("#intro-paths-graph-added")).to_have_text(re.compile(r"^Added \d+ (person|people)\.$"))
    added = int(re.search(r"\d+", page.locator("#intro-paths-graph-added").inner_text()).group())  # type: ignore[union-attr]
    page.wait_for_function(f"() => {CY % 'intro-paths-graph'}.nodes().length === {before + added}")
    from dashboards.data import views

    with views() as v:
        neighbours = set(v.person_ties(ids["Ana Ruiz"])["other"])
    drawn = set(page.evaluate(f"{CY % 'intro-paths-graph'}.nodes().map(n => n.id())"))
    assert neighbours <= drawn and added > 0  # every tie of hers, now in the picture
    screenshot(page, "intro-paths-network-expanded")
    console.assert_clean()


@pytest.mark.browser
def test_search_rings_and_centres_a_name_in_browser(
    ids: dict[str, str], live_server: str, page: Page, console: Console
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    open_page(page, live_server + "/", "#overview-network canvas", "overview-network-search")
    wait_for_network(page, "overview-network")
    page.fill("#overview-network-search", "eli")
    page.keyboard.press("Enter")
    expect(page.locator("#overview-network-found")).to_have_text("1 in the picture: Eli Cohen")
    eli = f"{CY % 'overview-network'}.getElementById({json.dumps(ids['Eli Cohen'])})"
    page.wait_for_function(f"() => {eli}.style('border-color') === 'rgb(255,191,0)'")
    other = f"{CY % 'overview-network'}.getElementById({json.dumps(ids['Ana Ruiz'])})"
    assert float(page.evaluate(f"{other}.style('opacity')")) < 0.5  # the rest fades
    cy = CY % "overview-network"
    centred = (
        f"() => {{ const p = {eli}.renderedPosition(); "
        f"return Math.abs(p.x - {cy}.width() / 2) < 3 && Math.abs(p.y - {cy}.height() / 2) < 3 }}"
    )
    page.wait_for_function(centred)  # the view pans to the name
    screenshot(page, "overview-network-search")
    console.assert_clean()


@pytest.mark.browser
def test_a_resident_sees_no_reasons_in_the_panel_in_browser(
    ids: dict[str, str], live_server: str, page: Page, console: Console
) -> None:
    add_account("ana", "resident", ids["Ana Ruiz"])
    page.goto(live_server + "/login")
    page.fill("#login-name", "ana")
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")
    expect(page).to_have_url(live_server + "/person")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server}/intro-paths?from={ids['Ana Ruiz']}&to={GI.replace(' ', '+')}")
    tap(page, "intro-paths-graph", ids["Frank Lee"])
    panel = page.locator("#intro-paths-graph-panel")
    expect(panel.locator(".network-person-name")).to_have_text("Frank Lee")
    expect(panel.locator(".network-tie")).to_have_text(
        [re.compile(r"^Ben Okafor weak tie · last contact \d{4}-\d{2}$")]
    )
    expect(panel.locator("a")).to_have_count(0)  # not her page to open
    screenshot(page, "intro-paths-network-resident")
    page.click("#intro-paths-graph-expand")
    expect(page.locator("#intro-paths-graph-added")).to_have_text(re.compile("^No one more to add"))
    tap(page, "intro-paths-graph", ids["Ana Ruiz"])  # her own ties: in full
    expect(panel.locator(".network-person-name")).to_have_text("Ana Ruiz")
    expect(panel.locator(".network-tie").first).to_contain_text(
        re.compile(r"tie \(0\.\d\d\) · last contact \d{4}-\d{2}-\d{2} · \d+ contact")
    )
    console.assert_clean()


@pytest.mark.browser
def test_an_aggregated_picture_opens_a_community_in_place_in_browser(
    ids: dict[str, str], live_server: str, page: Page, console: Console, pages: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages["overview"], "AGGREGATE_ABOVE", 5)  # the 10 people count as a big program
    page.set_viewport_size({"width": 1280, "height": 900})
    open_page(page, live_server + "/", "#overview-network canvas", "overview-network-aggregated")
    wait_for_network(page, "overview-network")
    groups = page.evaluate(f"{CY % 'overview-network'}.nodes('.community').map(n => n.data())")
    assert groups and all(re.fullmatch(r"(Community \d+|No community): \d+ people", g["name"]) for g in groups)
    assert sum(g["size"] for g in groups) == 10 and count(page, "overview-network", "nodes") == len(groups)
    expect(page.locator("#overview-main")).to_contain_text("each box is a community")
    biggest = max(groups, key=lambda g: g["size"])
    screenshot(page, "overview-network-aggregated")
    tap(page, "overview-network", biggest["id"])
    expect(page.locator("#overview-network-added")).to_have_text(
        f"Opened {biggest['name']}: {biggest['size']} people drawn."
    )
    page.wait_for_function(f"() => {CY % 'overview-network'}.nodes('.person').length === {biggest['size']}")
    assert count(page, "overview-network") == len(groups) - 1 + biggest["size"]  # the box gave way to its members
    expect(page.locator("#overview-network-panel")).to_contain_text(f"{biggest['size']} people")
    screenshot(page, "overview-network-opened")
    console.assert_clean()


def test_overview_layout_draws_the_explorer(dashboard_env: Path, pages: dict) -> None:
    page = pages["overview"].layout()
    for id_ in ("overview-network", "overview-network-search", "overview-network-panel", "overview-network-expand"):
        assert find(page, id_) is not None, id_
