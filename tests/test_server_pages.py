"""Every page and JSON call of the app, on the live example server: what each shows."""

from __future__ import annotations

import csv
import io
import re
from typing import Any
from urllib.parse import quote, unquote

import httpx
import pyoxigraph as ox
import pytest

from kg.server.saved import load_saved
from tests.conftest import ROOT
from tests.conftest_server import Live

pytestmark = pytest.mark.slow

BASE = "https://w3id.org/fazhi-kg/"
SAVED = load_saved(ROOT / "queries")


def get(live: Live, path: str, **params: str) -> httpx.Response:
    response = httpx.get(live.url + path, params=params, timeout=60)
    assert response.status_code == 200, (path, response.text[:500])
    return response


def first(built_store: tuple[Any, Any], sparql: str) -> str:
    result = built_store[1].query(sparql)
    return next(iter(result))[0].value  # type: ignore[no-any-return]


def test_home_shows_counts_reports_and_links(live_server: Live) -> None:
    html = get(live_server, "/").text
    assert html.count('href="/report/') >= 5
    for link in ("/explorer", "/query", "/mechanisms", "/jurisdictions", "/reports", "/search", "/sparql"):
        assert f'href="{link}"' in html, link
    assert re.search(r'<div class="n">5</div><div class="what">报告 reports', html)
    assert "天津市宁河区人民政府2023年法治政府建设情况报告" in html
    stats = get(live_server, "/api/stats").json()["counts"]
    assert stats["reports"] == 5 and stats["jurisdictions"] == 5 and stats["adoptions"] > 300


def test_list_pages(live_server: Live) -> None:
    assert get(live_server, "/reports").text.count('href="/report/') == 5
    jurisdictions = get(live_server, "/jurisdictions").text
    for code in ("120117", "411100", "330226", "230108", "320205"):
        assert f'href="/jurisdiction/{code}"' in jurisdictions
    mechanisms = get(live_server, "/mechanisms").text
    assert 'href="/mechanism/court-government-linkage"' in mechanisms and "府院联动" in mechanisms


def test_mechanism_page_lists_jurisdictions_with_marked_evidence(live_server: Live) -> None:
    html = get(live_server, "/mechanism/court-government-linkage").text
    assert "<h1>府院联动" in html and "Government-court linkage" in html
    assert 'href="/jurisdiction/330226"' in html and 'href="/jurisdiction/411100"' in html
    assert re.search(r"<mark>府院联动[^<]*</mark>", html)
    assert re.search(r'href="/report/[0-9a-f]+#mention-\d+-\d+-mechanism"', html)
    assert "/explorer?concept=" in html


def test_program_and_honor_pages(live_server: Live, built_store: tuple[Any, Any]) -> None:
    program = first(built_store, f"SELECT ?c WHERE {{ GRAPH ?g {{ ?a <{BASE}ontology#concept> ?c }} FILTER(CONTAINS(STR(?c), '/program/')) }} LIMIT 1")
    html = get(live_server, "/" + program[len(BASE):]).text
    assert "采用 Jurisdictions" in html and "<mark>" in html
    honor = first(built_store, f"SELECT ?h WHERE {{ GRAPH ?g {{ ?a a <{BASE}ontology#Award> ; <{BASE}ontology#honor> ?h }} }} LIMIT 1")
    html = get(live_server, "/" + honor[len(BASE):]).text
    assert "获得者 Recipients" in html and 'href="/jurisdiction/' in html and "<mark>" in html


def test_jurisdiction_page(live_server: Live) -> None:
    html = get(live_server, "/jurisdiction/120117").text
    assert "<h1>天津市宁河区" in html and 'href="/jurisdiction/120000"' in html
    assert "天津市宁河区人民政府2023年法治政府建设情况报告" in html
    for heading in ("已实施 practised", "机关 Agencies", "自行制定的文件 Documents it issued", "统计数据 Statistics", "荣誉 Honors received"):
        assert heading in html, heading
    assert 'href="/agency/120117/' in html and 'href="/document/' in html
    assert "行政机关负责人出庭应诉率" in html
    province = get(live_server, "/jurisdiction/120000").text
    assert 'href="/jurisdiction/120117"' in province  # the county is listed under its province


def test_agency_and_document_pages(live_server: Live, built_store: tuple[Any, Any]) -> None:
    agency = first(built_store, f"SELECT ?a WHERE {{ GRAPH ?g {{ ?a a <{BASE}ontology#Agency> }} FILTER(STRSTARTS(STR(?a), '{BASE}agency/120117/')) }} LIMIT 1")
    html = get(live_server, "/" + agency[len(BASE):]).text
    assert 'href="/jurisdiction/120117"' in html and "<mark>" in html
    organ = get(live_server, "/organ/state-council").text
    assert "<h1>国务院" in organ and "法治政府建设实施纲要" in organ
    title = "法治政府建设实施纲要(2021-2025年)"
    document = get(live_server, "/document/" + quote(title, safe="")).text
    assert f"《{title}》" in document and 'href="/organ/state-council"' in document and "<mark>" in document


def test_report_page_highlights_every_mention_with_its_type(live_server: Live, built_store: tuple[Any, Any]) -> None:
    rid = first(built_store, f"SELECT ?id WHERE {{ GRAPH ?g {{ ?r a <{BASE}ontology#Report> ; <http://purl.org/dc/terms/identifier> ?id ; <{BASE}ontology#jurisdiction> <{BASE}jurisdiction/120117> }} }}")
    mentions = int(first(built_store, f"SELECT (COUNT(?m) AS ?n) WHERE {{ GRAPH ?g {{ ?m a <{BASE}ontology#Mention> ; <{BASE}ontology#report> <{BASE}report/{rid}> }} }}"))
    html = get(live_server, f"/report/{rid}").text
    marks = re.findall(r'<mark class="m m-(\w+)" id="mention-(\d+)-(\d+)-\w+" data-type="\w+" data-href="([^"]+)" title="([^"]+)"', html)
    assert len(marks) >= mentions * 0.95  # a mention crossing another's end is left out
    assert {m[0] for m in marks} >= {"jurisdiction", "agency", "mechanism", "document", "honor", "metric", "program"}
    assert all(m[3].startswith("/") for m in marks)
    assert any(m[0] == "mechanism" and m[3].startswith("/mechanism/") for m in marks)
    assert html.count('<tr><td>') >= mentions  # the table of all mentions
    assert 'id="section-0"' in html and re.search(r'id="sentence-\d+"', html)
    # the highlighted text is the text of the report, in order
    text = re.sub(r"<[^>]+>", "", html.split('id="report-text" lang="zh">', 1)[1].split("</article>", 1)[0])
    assert "天津市宁河区人民政府2023年法治政府建设情况报告" in unquote(text)


def test_search_finds_names_and_sentences_and_escapes_input(live_server: Live) -> None:
    html = get(live_server, "/search", q="府院联动").text
    assert 'href="/mechanism/court-government-linkage"' in html
    assert html.count('<mark class="hit">府院联动</mark>') >= 2
    assert re.search(r'href="/report/[0-9a-f]+#sentence-\d+"', html)
    agencies = get(live_server, "/search", q="司法局").text
    assert 'href="/agency/' in agencies
    evil = get(live_server, "/search", q='<script>alert("x")</script>').text
    assert "<script>alert" not in evil and "&lt;script&gt;" in evil


def test_resource_page_shows_triples_in_and_out(live_server: Live) -> None:
    html = get(live_server, "/resource", iri=BASE + "ontology#practised").text
    assert "已实施" in html or "practised" in html
    assert "被引用 Referenced by" in html


def test_query_page_lists_every_saved_query(live_server: Live) -> None:
    html = get(live_server, "/query").text
    for slug in SAVED:
        assert f'href="/queries/{slug}"' in html, slug
        assert f'data-load="{slug}"' in html
    assert '<textarea id="editor"' in html
    listed = get(live_server, "/api/queries").json()
    assert {q["slug"] for q in listed} == set(SAVED)


@pytest.mark.parametrize("slug", sorted(SAVED))
def test_every_saved_query_has_its_html_csv_and_json(live_server: Live, slug: str) -> None:
    html = get(live_server, f"/queries/{slug}").text
    assert SAVED[slug].title.replace("'", "&#39;") in html
    rows = html.split('<table class="data" id="result-table">', 1)[1].count("<tr>") - 1
    assert rows >= 1
    table = list(csv.reader(io.StringIO(get(live_server, f"/queries/{slug}.csv").text)))
    assert len(table) - 1 == rows
    data = get(live_server, f"/queries/{slug}.json").json()
    assert len(data["results"]["bindings"]) == rows
    assert get(live_server, f"/queries/{slug}.tsv").text.startswith("?")
    assert "<sparql" in get(live_server, f"/queries/{slug}.xml").text
    assert get(live_server, f"/queries/{slug}.rq").text == SAVED[slug].text


def test_saved_query_parameters_are_bound(live_server: Live) -> None:
    data = get(live_server, "/queries/jurisdictions-practising-mechanism.json", mechanism="府院联动").json()
    names = {b["mechanism"]["value"] for b in data["results"]["bindings"]}
    assert names == {"府院联动"}
    html = get(live_server, "/queries/jurisdictions-practising-mechanism", mechanism="府院联动").text
    assert 'value="府院联动"' in html and "浙江省宁波市宁海县" in html and 'href="/report/' in html
    injected = get(live_server, "/queries/jurisdictions-practising-mechanism.json", mechanism='x" } } SELECT * { ?s ?p ?o } #').json()
    assert injected["results"]["bindings"] == []


def test_explorer_graph_and_filters(live_server: Live) -> None:
    full = get(live_server, "/api/explorer/graph").json()
    assert full["view"] == "jurisdictions" and full["stats"]["places"] == 5 and full["stats"]["concepts"] > 100
    kinds = {n["kind"] for n in full["nodes"]}
    assert kinds == {"jurisdiction", "mechanism"}
    assert {e["stance"] for e in full["edges"]} >= {"practised", "planned", "problem", "recommended"}
    assert full["options"]["physics"]["stabilization"]["enabled"] is True
    zhejiang = get(live_server, "/api/explorer/graph", province=BASE + "jurisdiction/330000").json()
    assert [n["label"] for n in zhejiang["nodes"] if n["kind"] == "jurisdiction"] == ["宁波市宁海县"]  # the province name is left off inside a province
    planned = get(live_server, "/api/explorer/graph", stance="planned").json()
    assert planned["edges"] and {e["stance"] for e in planned["edges"]} == {"planned"}
    year = get(live_server, "/api/explorer/graph", year="2021").json()
    assert {n["label"] for n in year["nodes"] if n["kind"] == "jurisdiction"} == {"宁波市宁海县"}
    one = get(live_server, "/api/explorer/graph", concept=BASE + "mechanism/court-government-linkage").json()
    assert {n["label"] for n in one["nodes"]} == {"府院联动", "宁波市宁海县", "漯河市"}
    category = get(live_server, "/api/explorer/graph", category=BASE + "category/dispute-resolution").json()
    assert 0 < category["stats"]["concepts"] < full["stats"]["concepts"]
    provinces = get(live_server, "/api/explorer/graph", view="provinces").json()
    assert {n["kind"] for n in provinces["nodes"]} == {"province", "mechanism"} and provinces["stats"]["places"] == 5
    programs = get(live_server, "/api/explorer/graph", scheme="program").json()
    assert {n["kind"] for n in programs["nodes"]} == {"jurisdiction", "program"}


def test_explorer_evidence_of_an_edge_and_of_a_node(live_server: Live) -> None:
    edge = get(
        live_server,
        "/api/explorer/evidence",
        place=BASE + "jurisdiction/411100",
        concept=BASE + "mechanism/court-government-linkage",
    ).json()
    assert edge["total"] >= 2 and {i["stance"] for i in edge["items"]} >= {"practised", "recommended"}
    item = edge["items"][0]
    assert item["mention"] in ("府院联动", "府院联动机制", "府院协作") and item["report_url"].startswith("/report/")
    assert item["before"] + item["mention"] + item["after"]
    only = get(
        live_server,
        "/api/explorer/evidence",
        place=BASE + "jurisdiction/411100",
        concept=BASE + "mechanism/court-government-linkage",
        stance="recommended",
    ).json()
    assert 0 < only["total"] < edge["total"] and {i["stance"] for i in only["items"]} == {"recommended"}
    node = get(live_server, "/api/explorer/evidence", concept=BASE + "mechanism/court-government-linkage").json()
    assert {i["place_label"] for i in node["items"]} == {"浙江省宁波市宁海县", "河南省漯河市"}
    province = get(
        live_server, "/api/explorer/evidence", place=BASE + "jurisdiction/410000", view="provinces", concept=BASE + "mechanism/court-government-linkage"
    ).json()
    assert {i["place_label"] for i in province["items"]} == {"河南省漯河市"}
    whole = get(live_server, "/api/explorer/evidence", place=BASE + "jurisdiction/330000", view="provinces").json()
    assert whole["total"] > 10 and {i["place_label"] for i in whole["items"]} == {"浙江省宁波市宁海县"}
    missing = httpx.get(live_server.url + "/api/explorer/evidence", params={"place": BASE + "jurisdiction/999999"})
    assert missing.status_code == 404


def test_explorer_page_embeds_its_configuration_and_loads_only_local_assets(live_server: Live) -> None:
    html = get(live_server, "/explorer", province=BASE + "jurisdiction/330000").text
    assert '<script src="/vendor/vis-network.min.js">' in html and '<script src="/static/explorer.js">' in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    config = html.split('id="explorer-config">', 1)[1].split("</script>", 1)[0]
    assert '"province": "https://w3id.org/fazhi-kg/jurisdiction/330000"' in config
    js = get(live_server, "/vendor/vis-network.min.js")
    assert js.headers["content-type"].startswith("text/javascript") and len(js.content) > 100_000
    assert get(live_server, "/vendor/vis-network.css").headers["content-type"].startswith("text/css")


def test_page_queries_bind_values_rather_than_paste_them(live_server: Live) -> None:
    # a jurisdiction code or report id with SPARQL in it cannot change the query
    for path in ("/jurisdiction/1%3E%20%3Fp%20%3Fo%20%7D%20%23", "/report/x%22%20%7D", "/mechanism/%3E%20%7B"):
        response = httpx.get(live_server.url + path, headers={"Accept": "application/json"})
        assert response.status_code == 404, path
    assert ox.Literal("x")  # substitution carries values as terms (see kg.server.state.State.select)


def test_filter_values_cannot_break_out_of_the_embedded_configuration(live_server: Live) -> None:
    html = get(live_server, "/explorer", concept="</script><script>alert(1)</script>").text
    config = html.split('id="explorer-config">', 1)[1].split("</script>", 1)[0]
    assert "<script>alert" not in html and "\\u003c/script>" in config
