"""The map page: every jurisdiction with a report, located, coloured by its stance on one mechanism.

The classes are checked against an independent computation from kg.tables (the adoptions
table's evidence rows and the jurisdictions table), the positions against kg.coordinates.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import httpx
import pandas as pd
import pytest

from kg import tables
from kg.coordinates import Coordinates, get_coordinates
from kg.gazetteer import get_gazetteer
from kg.server.index import StoreIndex
from kg.server.views import mapview
from kg.server.views.mapview import MapFilters, map_data, parse_filters, ranked_concepts, resolve_concept
from tests.conftest_server import Live

pytestmark = pytest.mark.slow

BASE = "https://w3id.org/fazhi-kg/"


@pytest.fixture(scope="module")
def examples(built_store: tuple[Any, Any]) -> StoreIndex:
    from kg.server.index import build_index

    return build_index(built_store[1].db, BASE)


@pytest.fixture(scope="module")
def evidence_rows(built_store: tuple[Any, Any]) -> pd.DataFrame:
    return tables.adoptions(built_store[1], scheme=None)


@pytest.fixture(scope="module")
def reporting(built_store: tuple[Any, Any]) -> pd.DataFrame:
    return tables.jurisdictions(built_store[1])


def expected_classes(
    rows: pd.DataFrame, reporting: pd.DataFrame, concept: str, start: int | None = None, end: int | None = None
) -> dict[str, str]:
    """code -> practised / other / none, from the adoptions table's evidence rows (one per mention)."""
    scheme, _, cid = concept[len(BASE) :].partition("/")
    mine = rows[(rows["scheme"] == scheme) & (rows["concept"] == cid)]
    if start is not None:
        mine = mine[mine["year"] >= start]
    if end is not None:
        mine = mine[mine["year"] <= end]
    stances: dict[str, set[str]] = defaultdict(set)
    for code, stance in zip(mine["code"], mine["stance"], strict=True):
        stances[str(code)].add(str(stance))
    out = {}
    for code in reporting["code"]:
        found = stances.get(str(code))
        out[str(code)] = "none" if not found else "practised" if "practised" in found else "other"
    return out


def classes_of(data: dict[str, Any]) -> dict[str, str]:
    return {p["code"]: p["class"] for p in [*data["points"], *data["missing"]]}


def test_every_concepts_classes_match_the_adoptions_table(
    examples: StoreIndex, evidence_rows: pd.DataFrame, reporting: pd.DataFrame
) -> None:
    concepts = [c["value"] for c in ranked_concepts(examples)]
    assert len(concepts) > 20 and {examples.concepts[c].scheme for c in concepts} == {"mechanism", "program"}
    seen = set()
    for concept in concepts:
        data = map_data(examples, MapFilters(concept=concept))
        expected = expected_classes(evidence_rows, reporting, concept)
        assert classes_of(data) == expected, concept
        assert {c["value"]: c["n"] for c in data["classes"]} == {
            k: list(expected.values()).count(k) for k in ("practised", "other", "none")
        }
        seen |= set(expected.values())
    assert seen == {"practised", "other", "none"}  # the examples show all three somewhere


def test_a_year_range_counts_only_its_reports(
    examples: StoreIndex, evidence_rows: pd.DataFrame, reporting: pd.DataFrame
) -> None:
    years = examples.years()
    assert len(years) >= 2
    for concept in [c["value"] for c in ranked_concepts(examples)[:10]]:
        for start, end in ((years[0], years[0]), (years[1], None), (None, years[-2])):
            data = map_data(examples, MapFilters(concept=concept, start=start, end=end))
            assert classes_of(data) == expected_classes(evidence_rows, reporting, concept, start, end), (
                concept,
                start,
                end,
            )
            assert all(start is None or y >= start for p in data["points"] for y in p["years"])


def test_the_default_is_the_mechanism_most_jurisdictions_practise(
    examples: StoreIndex, evidence_rows: pd.DataFrame
) -> None:
    practised = evidence_rows[(evidence_rows["stance"] == "practised") & (evidence_rows["scheme"] == "mechanism")]
    most = practised.groupby("concept")["code"].nunique().max()
    data = map_data(examples, MapFilters())
    assert data["concept"]["scheme"] == "mechanism"
    assert practised[practised["concept"] == data["concept"]["id"]]["code"].nunique() == most
    assert data["filters"] == {}


def test_every_reporting_jurisdiction_is_drawn_where_kg_coordinates_puts_it(
    examples: StoreIndex, reporting: pd.DataFrame
) -> None:
    data = map_data(examples, MapFilters())
    assert sorted(p["code"] for p in data["points"]) == sorted(reporting["code"]) and not data["missing"]
    where = get_coordinates()
    table = reporting.set_index("code")
    for p in data["points"]:
        at = where.locate(p["code"])
        assert at is not None and (p["lon"], p["lat"], p["source"], p["via"]) == tuple(at)
        assert (table.loc[p["code"], "longitude"], table.loc[p["code"], "latitude"]) == (p["lon"], p["lat"])
        assert p["url"] == "/jurisdiction/" + p["code"]
        assert all(r["url"].startswith("/report/") for r in p["reports"])
        assert bool(p["reports"]) == (p["class"] != "none")


def partial_coordinates() -> Coordinates:
    """Coordinates that know 宁河区's province only, 宁海县 itself, and nothing of the others' provinces."""
    full = get_coordinates().places
    keep = {"120000", "330226", "230000", "320000"}
    return Coordinates({c: p for c, p in full.items() if c in keep}, get_gazetteer())


def test_dots_placed_by_a_parent_or_left_off_are_listed(examples: StoreIndex) -> None:
    data = map_data(examples, MapFilters(), partial_coordinates())
    by_code = {p["code"]: p for p in data["points"]}
    assert by_code["330226"]["source"] == "exact"
    assert (by_code["120117"]["source"], by_code["120117"]["via"], by_code["120117"]["via_name"]) == (
        "parent",
        "120000",
        "天津市",
    )
    assert [p["code"] for p in data["approximate"]] == ["120117", "230108", "320205"]
    assert [p["code"] for p in data["missing"]] == ["411100"]  # neither 漯河市 nor 河南省
    assert data["missing"][0]["name"] == "河南省漯河市" and "lon" not in data["missing"][0]


def test_resolving_the_concept(examples: StoreIndex) -> None:
    ranked = ranked_concepts(examples)
    iri = BASE + "mechanism/court-government-linkage"
    for value in (iri, "court-government-linkage", "mechanism/court-government-linkage", "府院联动"):
        assert resolve_concept(examples, value, ranked) == iri
    assert resolve_concept(examples, None, ranked) == ranked[0]["value"]
    with pytest.raises(ValueError, match="no mechanism or program"):
        resolve_concept(examples, "no-such-thing", ranked)
    mechanisms = [c for c in ranked if c["scheme"] == "mechanism"]
    assert ranked[: len(mechanisms)] == mechanisms  # mechanisms first, most practised first
    assert [c["practising"] for c in mechanisms] == sorted((c["practising"] for c in mechanisms), reverse=True)


def test_filters_are_validated() -> None:
    assert parse_filters({"from": "2021", "to": " ", "concept": "府院联动"}) == MapFilters(
        concept="府院联动", start=2021
    )
    assert MapFilters(concept="x", start=2021, end=2023).as_query() == {"concept": "x", "from": "2021", "to": "2023"}
    for bad in ({"from": "x"}, {"to": "2O23"}, {"from": "2023", "to": "2021"}):
        with pytest.raises(ValueError):
            parse_filters(bad)


def get(live: Live, path: str, **params: str) -> httpx.Response:
    response = httpx.get(live.url + path, params=params, timeout=60)
    assert response.status_code == 200, (path, response.text[:500])
    return response


def test_the_json_and_the_page(live_server: Live, examples: StoreIndex) -> None:
    data = get(live_server, "/map.json").json()
    assert data == map_data(examples, MapFilters())
    html = get(live_server, "/map").text
    assert '<a href="/map" aria-current="page">' in html
    assert '<script src="/static/map.js"></script>' in html and 'id="map-data"' in html and 'id="map-backdrop"' in html
    assert f'<option value="{data["concept"]["iri"]}" selected>' in html
    for p in data["points"]:
        assert f'<tr data-code="{p["code"]}" data-class="{p["class"]}">' in html
        assert f'<a href="{p["url"]}">{p["name"]}</a>' in html
    assert 'id="map-note"' not in html  # every example has its own coordinates
    assert get(live_server, "/").text.count('href="/map"') >= 1


def test_the_page_filters(live_server: Live, examples: StoreIndex) -> None:
    years = examples.years()
    params = {"concept": "府院联动", "from": str(years[-1])}
    data = get(live_server, "/map.json", **params).json()
    assert data == map_data(examples, MapFilters(concept="府院联动", start=years[-1]))
    assert data["concept"]["id"] == "court-government-linkage" and data["filters"] == params
    html = get(live_server, "/map", **params).text
    assert f'<option value="{years[-1]}" selected>' in html and "府院联动" in html
    bad = httpx.get(live_server.url + "/map.json", params={"from": "soon"}, timeout=60)
    assert bad.status_code == 400 and "from" in bad.json()["message"]
    unknown = httpx.get(live_server.url + "/map", params={"concept": "no-such-thing"}, timeout=60)
    assert unknown.status_code == 404 and "no-such-thing" in unknown.text


def test_the_page_lists_what_a_parent_placed_or_what_was_left_off(
    live_server: Live, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mapview, "get_coordinates", partial_coordinates)
    html = get(live_server, "/map").text
    note = html.split('id="map-note"', 1)[1].split("</div>", 1)[0]
    assert "Placed at a parent's coordinates (3)" in note and "(120117 → 天津市, 120000)" in note
    assert "Left off, no coordinates (1)" in note and '<a href="/jurisdiction/411100">河南省漯河市</a>' in note
    assert '<tr data-code="411100"' in html  # still in the table
