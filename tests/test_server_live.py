"""The live endpoint, as linked-data tools use it: SPARQLWrapper, rdflib's SPARQLStore, plain HTTP.

One uvicorn server on a free loopback port serves the example store for the whole
session (``live_server`` in tests/conftest_server.py), with a 4 s time limit and a
2,000-row result cap so that both can be seen working.
"""

from __future__ import annotations

import concurrent.futures
import json
import time

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper

from tests.conftest_server import LIVE_RESULT_CAP, LIVE_TIME_LIMIT, Live

pytestmark = pytest.mark.slow

FK = "https://w3id.org/fazhi-kg/ontology#"
REPORTS = f"SELECT ?r ?title WHERE {{ ?r a <{FK}Report> ; <http://purl.org/dc/terms/title> ?title }} ORDER BY ?r"
#: a cross product no one could wait for: stopped at the time limit
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def wrapper(live: Live, fmt: str, method: str = "GET") -> SPARQLWrapper:
    w = SPARQLWrapper(live.url + "/sparql")
    w.setReturnFormat(fmt)
    w.setMethod(method)
    return w


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select_in_json_xml_csv_tsv(live_server: Live, method: str) -> None:
    w = wrapper(live_server, JSON, method)
    w.setQuery(REPORTS)
    bindings = w.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    assert len(bindings) == 5 and {b["title"]["xml:lang"] for b in bindings} == {"zh"}
    w.setReturnFormat(XML)
    doc = w.queryAndConvert()
    assert len(doc.getElementsByTagName("result")) == 5  # type: ignore[union-attr]
    w.setReturnFormat(CSV)
    csv_text = w.queryAndConvert().decode("utf-8")  # type: ignore[union-attr]
    assert csv_text.startswith("r,title\r\n") and "天津市宁河区" in csv_text
    w.setReturnFormat(TSV)
    assert w.queryAndConvert().decode("utf-8").startswith("?r\t?title\n")  # type: ignore[union-attr]


def test_sparqlwrapper_ask_and_construct(live_server: Live) -> None:
    w = wrapper(live_server, JSON)
    w.setQuery(f"ASK {{ ?j <{FK}practises> ?m }}")
    assert w.queryAndConvert()["boolean"] is True  # type: ignore[index]
    w.setQuery(f"CONSTRUCT {{ ?r a <{FK}Report> }} WHERE {{ ?r a <{FK}Report> }}")
    w.setReturnFormat(TURTLE)
    graph = rdflib.Graph().parse(data=w.queryAndConvert(), format="turtle")  # type: ignore[arg-type]
    assert len(graph) == 5


def test_sparqlwrapper_sees_a_syntax_error_as_a_bad_request(live_server: Live) -> None:
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    w = wrapper(live_server, JSON)
    w.setQuery("SELECT * WHERE { ?s ?p ")
    with pytest.raises(QueryBadFormed, match="1:"):
        w.queryAndConvert()


def test_rdflib_sparqlstore_reads_the_graph(live_server: Live) -> None:
    store = SPARQLStore(live_server.url + "/sparql", returnFormat="xml")
    graph = rdflib.Graph(store=store)
    rows = list(graph.query(REPORTS))
    assert len(rows) == 5
    assert {str(r.title) for r in rows} >= {"天津市宁河区人民政府2023年法治政府建设情况报告"}
    report = rdflib.URIRef(str(rows[0].r))
    assert (report, rdflib.RDF.type, rdflib.URIRef(FK + "Report")) in graph
    assert len(list(graph.triples((report, None, None)))) >= 8
    construct = graph.query(f"CONSTRUCT {{ ?r a <{FK}Report> }} WHERE {{ ?r a <{FK}Report> }}")
    assert len(construct.graph) == 5  # type: ignore[arg-type]
    store.close()


def test_rdflib_sparqlstore_uses_the_protocol_dataset_for_a_named_graph(live_server: Live) -> None:
    graphs = httpx.get(live_server.url + "/api/graphs").json()["graphs"]
    report_graph = next(g for g in graphs if "/graph/report/" in g)
    store = SPARQLStore(live_server.url + "/sparql", returnFormat="xml")
    graph = rdflib.Graph(store=store, identifier=rdflib.URIRef(report_graph))
    titles = list(graph.query("SELECT ?t WHERE { ?r <http://purl.org/dc/terms/title> ?t }"))
    assert len(titles) == 1
    store.close()


def test_a_result_over_the_cap_is_cut_and_says_so(live_server: Live) -> None:
    response = httpx.get(
        live_server.url + "/sparql",
        params={"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200
    assert response.headers["x-result-truncated"] == f"true; limit={LIVE_RESULT_CAP}"
    assert len(response.json()["results"]["bindings"]) == LIVE_RESULT_CAP
    small = httpx.get(live_server.url + "/sparql", params={"query": REPORTS})
    assert "x-result-truncated" not in small.headers and small.headers["x-result-rows"] == "5"


def test_a_runaway_query_is_stopped_and_others_are_served_meanwhile(live_server: Live) -> None:
    killed_before = httpx.get(live_server.url + "/api/stats").json()["workers_killed"]
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        started = time.monotonic()
        runaway = pool.submit(httpx.get, live_server.url + "/sparql", params={"query": RUNAWAY}, timeout=60)
        time.sleep(0.5)
        # while it runs: a page, a saved query and another SPARQL query all answer promptly
        for path, params in (("/", {}), ("/queries/reports", {}), ("/sparql", {"query": REPORTS})):
            t = time.monotonic()
            assert httpx.get(live_server.url + path, params=params, timeout=30).status_code == 200, path
            assert time.monotonic() - t < LIVE_TIME_LIMIT, path
        response = runaway.result()
        took = time.monotonic() - started
    assert response.status_code == 503
    assert response.json()["error"] == "timeout" and "time limit" in response.json()["message"]
    assert LIVE_TIME_LIMIT - 0.5 <= took < LIVE_TIME_LIMIT + 10
    assert httpx.get(live_server.url + "/api/stats").json()["workers_killed"] == killed_before + 1
    # the killed worker was replaced: the endpoint still answers
    assert httpx.get(live_server.url + "/sparql", params={"query": "ASK {}"}).json() == {"head": {}, "boolean": True}


def test_service_load_and_remote_from_are_refused_before_the_engine(live_server: Live) -> None:
    for query in (
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * FROM <http://example.org/remote.ttl> WHERE { ?s ?p ?o }",
        "LOAD <file:///etc/passwd>",
    ):
        response = httpx.get(live_server.url + "/sparql", params={"query": query})
        assert response.status_code == 400, query
        assert response.json()["error"] == "refused", query
    remote_dataset = httpx.get(
        live_server.url + "/sparql", params={"query": "ASK {}", "default-graph-uri": "http://example.org/remote"}
    )
    assert remote_dataset.status_code == 400 and remote_dataset.json()["error"] == "refused"


def test_a_read_only_server_refuses_updates(live_server: Live) -> None:
    for headers in ({}, {"Authorization": "Bearer anything-at-all-0123"}):
        response = httpx.post(live_server.url + "/sparql", data={"update": "CLEAR ALL"}, headers=headers)
        assert response.status_code == 403 and response.json()["error"] == "read_only"
    assert httpx.get(live_server.url + "/sparql", params={"query": REPORTS}).headers["x-result-rows"] == "5"


def test_unknown_parameters_are_ignored(live_server: Live) -> None:
    response = httpx.get(
        live_server.url + "/sparql",
        params={"query": "ASK {}", "format": "json", "output": "json", "results": "json", "timeout": "0"},
        headers={"Accept": "application/sparql-results+xml"},
    )
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/sparql-results+xml")


def test_a_body_over_the_limit_is_refused(live_server: Live) -> None:
    big = "ASK {} #" + "x" * (1024 * 1024 + 10)
    response = httpx.post(live_server.url + "/sparql", content=big.encode(), headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 413 and response.json()["error"] == "payload_too_large"

    def chunks() -> object:
        for _ in range(300):
            yield b"y" * 4096

    streamed = httpx.post(
        live_server.url + "/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"}  # type: ignore[arg-type]
    )
    assert streamed.status_code == 413


def test_no_cors_unless_configured(live_server: Live) -> None:
    response = httpx.get(live_server.url + "/sparql", params={"query": "ASK {}"}, headers={"Origin": "http://elsewhere.example"})
    assert "access-control-allow-origin" not in response.headers
    preflight = httpx.options(
        live_server.url + "/sparql",
        headers={"Origin": "http://elsewhere.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_service_description_and_redirect_to_the_query_page(live_server: Live) -> None:
    sd = httpx.get(live_server.url + "/sparql", headers={"Accept": "text/turtle"})
    assert sd.status_code == 200 and sd.headers["content-type"].startswith("text/turtle")
    graph = list(ox.parse(sd.content, ox.RdfFormat.TURTLE))
    assert any(q.object.value.endswith("SPARQL11Query") for q in graph)
    assert not any(q.object.value.endswith("SPARQL11Update") for q in graph)
    browser = httpx.get(live_server.url + "/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert browser.status_code == 303 and browser.headers["location"].endswith("/query")


def test_pages_carry_a_content_security_policy_that_allows_only_this_server(live_server: Live) -> None:
    page = httpx.get(live_server.url + "/")
    csp = page.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "http" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in httpx.get(live_server.url + "/sparql", params={"query": "ASK {}"}).headers


def test_the_json_error_shape_is_the_same_everywhere(live_server: Live) -> None:
    cases = [
        (httpx.get(live_server.url + "/sparql", params={"query": "SELEC"}), 400, "query_syntax"),
        (httpx.put(live_server.url + "/sparql"), 405, "method_not_allowed"),
        (httpx.get(live_server.url + "/api/nothing-here"), 404, "not_found"),
        (httpx.get(live_server.url + "/queries/no-such-query.csv"), 404, "not_found"),
        (httpx.get(live_server.url + "/api/explorer/graph", params={"stance": "loved"}), 400, "bad_request"),
        (httpx.get(live_server.url + "/api/explorer/evidence"), 400, "bad_request"),
        (httpx.get(live_server.url + "/sparql", params={"query": "ASK {}"}, headers={"Accept": "text/csv"}), 406, "not_acceptable"),
        (httpx.post(live_server.url + "/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"}), 415, "unsupported_media_type"),
    ]
    for response, status, code in cases:
        body = response.json()
        assert response.status_code == status, body
        assert response.headers["content-type"] == "application/json"
        assert set(body) == {"ok", "status", "error", "message"}, body
        assert body["ok"] is False and body["status"] == status and body["error"] == code and body["message"]


def test_html_pages_get_their_errors_as_html(live_server: Live) -> None:
    response = httpx.get(live_server.url + "/mechanism/no-such-mechanism", headers={"Accept": "text/html"})
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    assert "not_found" in response.text and "no mechanism" in response.text
    as_json = httpx.get(live_server.url + "/mechanism/no-such-mechanism", headers={"Accept": "application/json"})
    assert json.loads(as_json.text)["error"] == "not_found"
