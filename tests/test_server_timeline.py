"""The timeline page: per year, the jurisdictions reporting each mechanism, as kg.tables counts them."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from kg import tables
from kg.server.index import StoreIndex
from kg.server.views.timeline import DEFAULT_TOP, TimelineFilters, facets, parse_filters, timeline
from tests.conftest_server import Live

pytestmark = pytest.mark.slow

BASE = "https://w3id.org/fazhi-kg/"


@pytest.fixture(scope="module")
def examples(built_store: tuple[Any, Any]) -> StoreIndex:
    from kg.server.index import build_index

    return build_index(built_store[1].db, BASE)


def get(live: Live, path: str, **params: str) -> httpx.Response:
    response = httpx.get(live.url + path, params=params, timeout=60)
    assert response.status_code == 200, (path, response.text[:500])
    return response


def counts_of(data: dict[str, Any]) -> dict[tuple[int, str], int]:
    """(year, concept id) -> jurisdictions, leaving out the zeros."""
    return {(y, s["id"]): n for s in data["series"] for y, n in zip(data["years"], s["counts"], strict=True) if n}


@pytest.mark.parametrize("scheme", ["mechanism", "program"])
@pytest.mark.parametrize(("stance", "column"), [("any", "jurisdictions"), ("practised", "practising")])
def test_counts_match_the_adoption_by_year_table(
    examples: StoreIndex, built_store: tuple[Any, Any], scheme: str, stance: str, column: str
) -> None:
    table = tables.adoption_by_year(built_store[1], scheme=scheme)
    expected = {(int(r.year), str(r.concept)): int(getattr(r, column)) for r in table.itertuples()}
    expected = {k: n for k, n in expected.items() if n}
    data = timeline(examples, TimelineFilters(scheme=scheme, stance=stance, top=1000))
    assert counts_of(data) == expected and expected
    assert data["years"] == sorted({y for y, _ in expected})
    assert data["shown"] == data["available"] == len({c for _, c in expected})


def test_top_keeps_the_most_reported(examples: StoreIndex) -> None:
    everything = timeline(examples, TimelineFilters(top=1000))
    data = timeline(examples, TimelineFilters())
    assert data["shown"] == DEFAULT_TOP < everything["available"]
    totals = [s["total"] for s in everything["series"]]
    assert totals == sorted(totals, reverse=True)
    assert [s["concept"] for s in data["series"]] == [s["concept"] for s in everything["series"][:DEFAULT_TOP]]
    for s in data["series"]:  # a jurisdiction counted in several years counts once in the total
        assert max(s["counts"]) <= s["total"] <= sum(s["counts"])


def test_category_filter(examples: StoreIndex) -> None:
    category = examples.concepts[timeline(examples, TimelineFilters())["series"][0]["concept"]].category
    assert category is not None and category in {c["value"] for c in facets(examples, "mechanism")["categories"]}
    data = timeline(examples, TimelineFilters(category=category, top=1000))
    assert data["series"]
    assert all(examples.concepts[s["concept"]].category == category for s in data["series"])
    assert data["available"] < timeline(examples, TimelineFilters(top=1000))["available"]


def test_filters_are_validated() -> None:
    assert parse_filters({"stance": "practised", "top": "5", "category": " "}) == TimelineFilters(
        stance="practised", top=5
    )
    for bad in ({"stance": "planned"}, {"top": "x"}, {"top": "0"}, {"scheme": "honor"}):
        with pytest.raises(ValueError):
            parse_filters(bad)


def test_the_json_and_the_page(live_server: Live, examples: StoreIndex) -> None:
    data = get(live_server, "/timeline.json").json()
    assert data == timeline(examples, TimelineFilters())
    html = get(live_server, "/timeline").text
    assert '<a href="/timeline" aria-current="page">' in html
    for s in data["series"]:
        assert f'<a href="{s["url"]}">{s["label"]}</a>' in html
    assert "合法性审查" in html and 'href="/mechanism/legality-review"' in html
    assert '<script src="/static/timeline.js"></script>' in html and "timeline-data" in html
    for y in data["years"]:
        assert f'<th class="num">{y}</th>' in html


def test_the_page_filters(live_server: Live, examples: StoreIndex) -> None:
    practised = get(live_server, "/timeline.json", stance="practised", top="3").json()
    assert practised == timeline(examples, TimelineFilters(stance="practised", top=3))
    assert practised["shown"] == 3 and practised["filters"] == {"stance": "practised", "top": "3"}
    html = get(live_server, "/timeline", stance="practised", top="3").text
    assert len(re.findall(r"<tr>\s*<td><span", html)) == 3
    assert '<option value="practised" selected>' in html
    category = examples.concepts[practised["series"][0]["concept"]].category
    assert category is not None
    by_category = get(live_server, "/timeline.json", category=category).json()
    assert by_category["series"]
    assert all(examples.concepts[s["concept"]].category == category for s in by_category["series"])
    bad = httpx.get(live_server.url + "/timeline.json", params={"top": "many"}, timeout=60)
    assert bad.status_code == 400 and "top" in bad.text
    assert get(live_server, "/").text.count('href="/timeline"') >= 1
