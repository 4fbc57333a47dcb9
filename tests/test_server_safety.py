"""What a request must pass before an engine sees its SPARQL."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.errors import QueryError
from kg.server.safety import Refused, authorized, check_query, check_update, dataset_iris, with_using

GRAPHS = frozenset({"http://g/1", "http://g/2"})


@pytest.mark.parametrize(
    "sparql",
    [
        "SELECT * WHERE { SERVICE <http://evil.example/sparql> { ?s ?p ?o } }",
        "select * where { service silent <http://x/> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o } # fine\n; LOAD <file:///etc/passwd>",
        "INSERT DATA { <a:b> <a:c> <a:d> }",
        "DELETE WHERE { ?s ?p ?o }",
        "DROP ALL",
        "SELECT * FROM <http://remote.example/data.ttl> WHERE { ?s ?p ?o }",
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        "PREFIX r: <http://remote.example/> SELECT * FROM NAMED r:x WHERE { GRAPH ?g { ?s ?p ?o } }",
        "BASE <http://remote.example/> SELECT * FROM <x> WHERE { ?s ?p ?o }",
    ],
)
def test_remote_access_and_updates_are_refused_in_queries(sparql: str) -> None:
    with pytest.raises(Refused):
        check_query(sparql, GRAPHS)


@pytest.mark.parametrize(
    "sparql",
    [
        'SELECT * WHERE { ?s ?p "SERVICE <http://x/> LOAD" }',
        "SELECT ?service ?load WHERE { ?service <http://x/LOAD> ?load } # SERVICE",
        "PREFIX service: <http://x/> SELECT * WHERE { service:a ?p ?o }",
        "SELECT * FROM <http://g/1> FROM NAMED <http://g/2> WHERE { ?s ?p ?o }",
        "PREFIX g: <http://g/> SELECT * FROM g:1 WHERE { ?s ?p ?o }",
        "BASE <http://g/> SELECT * FROM <1> WHERE { ?s ?p ?o }",
    ],
)
def test_harmless_queries_pass(sparql: str) -> None:
    check_query(sparql, GRAPHS)


def test_protocol_graphs_must_be_graphs_of_the_store() -> None:
    check_query("ASK {}", GRAPHS, default_graphs=["http://g/1"], named_graphs=["http://g/2"])
    with pytest.raises(Refused, match="default-graph-uri <http://remote/>"):
        check_query("ASK {}", GRAPHS, default_graphs=["http://remote/"])
    with pytest.raises(Refused, match="named-graph-uri"):
        check_query("ASK {}", GRAPHS, named_graphs=["file:///etc/passwd"])


def test_a_relative_from_resolves_against_the_endpoint() -> None:
    assert dataset_iris("SELECT * FROM <data> {}", "http://h/sparql") == ["http://h/data"]
    assert dataset_iris("SELECT * FROM NAMED <urn:x> {}", "http://h/sparql") == ["urn:x"]
    with pytest.raises(QueryError, match="prefix 'nope'"):
        dataset_iris("SELECT * FROM nope:x {}")


def test_updates_refuse_service_and_load() -> None:
    with pytest.raises(Refused):
        check_update("LOAD <file:///etc/passwd> INTO GRAPH <http://g/1>")
    with pytest.raises(Refused):
        check_update("INSERT { ?s ?p ?o } WHERE { SERVICE <http://x/> { ?s ?p ?o } }")
    assert check_update("CLEAR ALL") == "CLEAR ALL"


def test_using_parameters_conflict_with_using_or_with_in_the_update() -> None:
    with pytest.raises(QueryError, match="cannot be combined"):
        check_update("WITH <http://g/1> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", using_named=["http://g/2"])
    with pytest.raises(QueryError, match="cannot be combined"):
        check_update("DELETE { ?s ?p ?o } USING <http://g/1> WHERE { ?s ?p ?o }", using=["http://g/2"])


def test_using_clauses_go_before_each_top_level_where() -> None:
    update = (
        "PREFIX ex: <http://ex/> CLEAR ALL ; INSERT DATA { GRAPH <http://g/1> { ex:a ex:b 'WHERE {' } } ;\n"
        "INSERT { GRAPH <http://out/> { ?s a ex:T } } WHERE { { SELECT ?s WHERE { ?s ?p ?o } } }"
    )
    rewritten = with_using(update, ["http://g/1"], ["http://g/2"])
    assert rewritten.count("USING <http://g/1> USING NAMED <http://g/2> WHERE") == 1
    assert "'WHERE {'" in rewritten and "SELECT ?s WHERE { ?s ?p ?o }" in rewritten


def test_using_iris_are_checked_so_nothing_is_smuggled_into_the_update() -> None:
    with pytest.raises(QueryError, match="not a valid IRI"):
        check_update("INSERT { ?s ?p ?o } WHERE { ?s ?p ?o }", ["http://x> } ; DROP ALL ; INSERT DATA { <a:b"])


def test_delete_where_becomes_a_delete_with_using_and_the_same_pattern() -> None:
    store = ox.Store()
    g1, g2 = ox.NamedNode("http://g/1"), ox.NamedNode("http://g/2")
    for g in (g1, g2):
        store.add(ox.Quad(ox.NamedNode("http://s"), ox.NamedNode("http://p"), ox.Literal("o"), g))
    rewritten = with_using("DELETE WHERE { GRAPH <http://g/1> { ?s ?p ?o } }", [], ["http://g/1"])
    assert rewritten.startswith("DELETE { GRAPH <http://g/1> { ?s ?p ?o } } USING NAMED <http://g/1> WHERE {")
    store.update(rewritten)
    assert list(store.quads_for_pattern(None, None, None, g2)) and not list(store.quads_for_pattern(None, None, None, g1))


def test_using_graph_uri_scopes_the_where_clause() -> None:
    store = ox.Store()
    for name in ("1", "2"):
        g = ox.NamedNode(f"http://g/{name}")
        store.add(ox.Quad(ox.NamedNode(f"http://d/{name}"), ox.NamedNode("http://p"), ox.Literal(name), g))
    store.update(check_update("INSERT { GRAPH <http://out/> { ?s <http://seen> ?o } } WHERE { ?s ?p ?o }", ["http://g/1"]))
    out = list(store.quads_for_pattern(None, None, None, ox.NamedNode("http://out/")))
    assert [q.subject.value for q in out] == ["http://d/1"]


@pytest.mark.parametrize(
    ("header", "token", "ok"),
    [
        ("Bearer s3cret-token-0123456789", "s3cret-token-0123456789", True),
        ("bearer   s3cret-token-0123456789", "s3cret-token-0123456789", True),
        ("Bearer wrong", "s3cret-token-0123456789", False),
        ("Basic czNjcmV0", "s3cret-token-0123456789", False),
        (None, "s3cret-token-0123456789", False),
        ("Bearer ", "", False),
        ("Bearer anything", "", False),
    ],
)
def test_authorized_needs_the_exact_bearer_token(header: str | None, token: str, ok: bool) -> None:
    assert authorized(header, token) is ok
