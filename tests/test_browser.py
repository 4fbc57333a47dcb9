"""Headless Chromium on every page: nothing fails, nothing is fetched from elsewhere, the explorer works.

Debian's chromium (/usr/bin/chromium, installed by scripts/setup) is driven by
Playwright's Python API.  Every test fails on a console error, an uncaught page
error, or any request to a host other than the test server.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

import pytest

from kg.server.saved import load_saved
from tests.conftest import ROOT
from tests.conftest_server import Live

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BASE = "https://w3id.org/fazhi-kg/"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/setup (it installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Watched:
    """A page that records console errors, page errors and requests leaving the allowed host."""

    def __init__(self, browser: Any, allowed: str | None) -> None:
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("requestfailed", lambda r: self.errors.append(f"request failed: {r.url} {r.failure}"))

        def check(request: Any) -> None:
            url = urlparse(request.url)
            if url.scheme in ("data", "blob", "about"):
                return
            if allowed is None or url.netloc != allowed:
                self.foreign.append(request.url)

        self.page.on("request", check)

    def assert_clean(self) -> None:
        assert not self.errors, self.errors
        assert not self.foreign, f"requests to other hosts: {self.foreign}"


@pytest.fixture
def watched(browser: Any, live_server: Live) -> Iterator[Watched]:
    w = Watched(browser, urlparse(live_server.url).netloc)
    yield w
    w.page.close()
    w.assert_clean()


def pages(built_store: tuple[Any, Any]) -> list[str]:
    store = built_store[1]

    def one(sparql: str) -> str:
        return next(iter(store.query(sparql)))[0].value[len(BASE) :]  # type: ignore[no-any-return]

    report = one(f"SELECT ?r WHERE {{ GRAPH ?g {{ ?r a <{BASE}ontology#Report> }} }} LIMIT 1")
    agency = one(f"SELECT ?a WHERE {{ GRAPH ?g {{ ?a a <{BASE}ontology#Agency> }} FILTER(STRSTARTS(STR(?a), '{BASE}agency/')) }} LIMIT 1")
    honor = one(f"SELECT ?h WHERE {{ GRAPH ?g {{ ?a <{BASE}ontology#honor> ?h }} }} LIMIT 1")
    program = one(f"SELECT ?c WHERE {{ GRAPH ?g {{ ?a <{BASE}ontology#concept> ?c }} FILTER(CONTAINS(STR(?c), '/program/')) }} LIMIT 1")
    saved = sorted(load_saved(ROOT / "queries"))
    return [
        "/",
        "/explorer",
        "/timeline",
        "/map",
        "/map?concept=" + quote("府院联动") + "&from=2022",
        "/query",
        "/reports",
        "/mechanisms",
        "/jurisdictions",
        "/search?q=" + quote("行政复议"),
        "/mechanism/court-government-linkage",
        "/" + program,
        "/" + honor,
        "/jurisdiction/120117",
        "/" + agency,
        "/organ/state-council",
        "/document/" + quote("法治政府建设实施纲要(2021-2025年)", safe=""),
        "/" + report,
        "/resource?iri=" + quote(BASE + "ontology#practised", safe=""),
        *(f"/queries/{slug}" for slug in saved),
    ]


def test_every_page_loads_cleanly(browser: Any, live_server: Live, built_store: tuple[Any, Any]) -> None:
    w = Watched(browser, urlparse(live_server.url).netloc)
    try:
        for path in pages(built_store):
            response = w.page.goto(live_server.url + path, wait_until="load")
            assert response is not None and response.status == 200, path
            assert w.page.locator("header.top").count() == 1, path
            w.assert_clean()
    finally:
        w.page.close()


def wait_laid_out(page: Any) -> None:
    page.wait_for_function("() => window.kgExplorer && window.kgExplorer.laidOut === true", timeout=60_000)


def click_node(page: Any, kind: str) -> str:
    """Click the most connected node of ``kind`` on the canvas; return its id."""
    spot = page.evaluate(
        """(kind) => {
          const s = window.kgExplorer, net = s.network;
          const ids = s.nodes.getIds().filter(id => s.nodes.get(id).kind === kind);
          ids.sort((a, b) => net.getConnectedEdges(b).length - net.getConnectedEdges(a).length);
          net.focus(ids[0], {scale: 1.2, animation: false});
          const p = net.canvasToDOM(net.getPositions([ids[0]])[ids[0]]);
          const r = document.getElementById('canvas').getBoundingClientRect();
          return {x: p.x + r.left, y: p.y + r.top, id: ids[0]};
        }""",
        kind,
    )
    page.mouse.click(spot["x"], spot["y"])
    return str(spot["id"])


def test_the_explorer_draws_and_shows_evidence_for_a_clicked_node(watched: Watched, live_server: Live) -> None:
    page = watched.page
    page.goto(live_server.url + "/explorer")
    wait_laid_out(page)
    drawn = page.evaluate("() => ({nodes: window.kgExplorer.nodes.length, edges: window.kgExplorer.edges.length})")
    assert drawn["nodes"] > 100 and drawn["edges"] > 200
    assert page.locator("#canvas canvas").count() == 1
    assert page.evaluate("() => window.kgExplorer.network.physics.options.enabled") is False  # physics stopped
    assert page.locator("#legend > div").count() >= 9
    node = click_node(page, "mechanism")
    page.wait_for_selector("#evidence blockquote mark", timeout=30_000)
    assert page.locator("#evidence blockquote").count() >= 1
    assert page.locator("#evidence a[href^='/report/']").count() >= 1
    assert page.locator("#panel").inner_text().count("·") >= 1 and node.startswith(BASE)


def test_explorer_filters_redraw_the_network(watched: Watched, live_server: Live) -> None:
    page = watched.page
    page.goto(live_server.url + "/explorer")
    wait_laid_out(page)
    everything = page.evaluate("() => window.kgExplorer.nodes.length")
    page.select_option("select[name=province]", label="浙江省")
    page.wait_for_function(f"() => window.kgExplorer.laidOut && window.kgExplorer.nodes.length < {everything}", timeout=60_000)
    places = page.evaluate("() => window.kgExplorer.nodes.get().filter(n => n.kind === 'jurisdiction').map(n => n.label)")
    assert places == ["宁波市宁海县"]
    assert "province=" in page.url
    page.select_option("select[name=stance]", "planned")
    page.wait_for_function(
        "() => window.kgExplorer.laidOut && window.kgExplorer.edges.get().every(e => e.stance === 'planned')", timeout=60_000
    )
    click_node(page, "jurisdiction")
    page.wait_for_selector("#evidence blockquote", timeout=30_000)
    stances = page.locator("#evidence .pill").all_inner_texts()
    assert stances and set(stances) == {"planned"}
    page.click("#reset")
    page.wait_for_function(f"() => window.kgExplorer.nodes.length === {everything}", timeout=60_000)


def test_the_timeline_draws_its_chart(watched: Watched, live_server: Live) -> None:
    page = watched.page
    page.goto(live_server.url + "/timeline")
    rows = page.locator("#timeline-table tbody tr").count()
    assert rows == 15 and page.evaluate("() => window.kgTimeline.drawn") == rows
    assert page.locator("#timeline-chart svg path").count() == rows
    assert page.locator("#timeline-chart svg circle").count() > rows
    page.select_option("select[name=stance]", "practised")
    page.wait_for_url("**/timeline?*stance=practised*")
    assert page.locator("#timeline-chart svg g.series").count() == page.locator("#timeline-table tbody tr").count() > 0


def test_the_map_draws_every_jurisdiction_and_shows_evidence_for_a_clicked_dot(watched: Watched, live_server: Live) -> None:
    page = watched.page
    page.goto(live_server.url + "/map")
    rows = page.locator("#map-table tbody tr").count()
    assert rows == 5 and page.evaluate("() => window.kgMap.drawn") == rows
    assert page.locator("#map-chart svg circle.dot").count() == rows
    assert page.evaluate("() => window.kgMap.backdrop") > 100  # the coordinate table's positions behind the dots
    boxes = [page.locator(f"#map-chart circle.dot[data-code='{code}']").bounding_box() for code in ("120117", "230108", "330226")]
    assert boxes[0] and boxes[1] and boxes[2]
    assert boxes[1]["y"] < boxes[0]["y"] < boxes[2]["y"]  # 哈尔滨 north of 天津 north of 宁海
    assert boxes[1]["x"] > boxes[0]["x"]  # 哈尔滨 east of 天津
    colours = page.evaluate("() => Array.from(document.querySelectorAll('#map-chart circle.dot')).map(c => c.getAttribute('fill'))")
    assert set(colours) <= {"#2e7d32", "#f0a202", "#c3cad1"}
    page.click("#map-chart circle.dot[data-code='120117']")
    page.wait_for_selector("#map-detail #evidence blockquote mark", timeout=30_000)
    assert "120117" in page.inner_text("#map-detail")
    assert page.locator("#map-detail a[href^='/report/']").count() >= 2  # the report, and the evidence at its mention
    assert page.locator("#map-detail a[href='/jurisdiction/120117']").count() == 1


def test_the_map_follows_the_chosen_mechanism(watched: Watched, live_server: Live, built_store: tuple[Any, Any]) -> None:
    from kg.server.index import build_index
    from kg.server.views.mapview import MapFilters, map_data

    page = watched.page
    page.goto(live_server.url + "/map")
    page.fill("#concept-filter", "府院联动")
    page.select_option("#concept-select", BASE + "mechanism/court-government-linkage")
    page.wait_for_url("**/map?*concept=*")
    expected = map_data(build_index(built_store[1].db, BASE), MapFilters(concept=BASE + "mechanism/court-government-linkage"))
    drawn = page.evaluate(
        "() => Object.fromEntries(Array.from(document.querySelectorAll('#map-chart circle.dot')).map(c => [c.dataset.code, c.getAttribute('class')]))"
    )
    assert drawn == {p["code"]: "dot " + p["class"] for p in expected["points"]}
    assert len(set(drawn.values())) >= 2  # 府院联动 is not practised everywhere
    legend = page.inner_text("#map-legend")
    for c in expected["classes"]:
        assert c["label"] in legend


def test_the_query_page_runs_a_query_and_loads_a_saved_one(watched: Watched, live_server: Live) -> None:
    page = watched.page
    page.goto(live_server.url + "/query")
    page.click("#run")
    page.wait_for_selector("#result-table tbody tr", timeout=30_000)
    assert page.locator("#result-table tbody tr").count() > 10
    assert "row(s)" in page.inner_text("#status")
    page.click("button[data-load=reports]")
    assert "Reports in the store" in page.input_value("#editor") or "fk:Report" in page.input_value("#editor")
    page.click("#run")
    page.wait_for_function("() => document.querySelectorAll('#result-table tbody tr').length === 5", timeout=30_000)
    page.fill("#editor", "SELECT * WHERE {")
    page.click("#run")
    page.wait_for_function("() => document.getElementById('status').className === 'bad'", timeout=30_000)
    assert "query_syntax" in page.inner_text("#status")
    watched.errors = [e for e in watched.errors if "400 (Bad Request)" not in e]  # the 400 itself is expected


def test_the_report_page_toggles_mention_types(watched: Watched, live_server: Live, built_store: tuple[Any, Any]) -> None:
    report = next(iter(built_store[1].query(f"SELECT ?r WHERE {{ GRAPH ?g {{ ?r a <{BASE}ontology#Report> }} }} LIMIT 1")))[0].value
    page = watched.page
    page.goto(live_server.url + "/" + report[len(BASE) :])
    marks = page.locator("#report-text mark.m-mechanism")
    assert marks.count() > 10
    colour = marks.first.evaluate("m => getComputedStyle(m).backgroundColor")
    page.uncheck("#type-key input[data-type=mechanism]")
    assert marks.first.evaluate("m => getComputedStyle(m).backgroundColor") != colour
    marks.first.click()
    page.wait_for_url("**/mechanism/**")


def test_the_standalone_file_of_kg_viz_works_offline(browser: Any, built_store: tuple[Any, Any], tmp_path: Path) -> None:
    from kg.server.standalone import write_standalone

    out = tmp_path / "adoption.html"
    stats = write_standalone(Path(built_store[0].store), BASE, {"province": "330000"}, out)
    assert stats["nodes"] > 10
    w = Watched(browser, allowed=None)  # a file: nothing may be fetched at all
    try:
        w.page.goto(out.as_uri())
        wait_laid_out(w.page)
        assert w.page.evaluate("() => window.kgExplorer.nodes.length") == stats["nodes"]
        click_node(w.page, "mechanism")
        w.page.wait_for_selector("#evidence blockquote mark", timeout=30_000)
        w.page.select_option("select[name=stance]", "planned")
        w.page.wait_for_function("() => window.kgExplorer.edges.get().every(e => e.stances.includes('planned'))")
        w.foreign = [u for u in w.foreign if not u.startswith("file://")]
        w.assert_clean()
    finally:
        w.page.close()
    assert shutil.which("chromium") or Path(CHROMIUM).exists()
