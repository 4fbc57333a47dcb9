"""The workers' query runner: its SPARQL result writers agree with pyoxigraph's, and results are capped."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from kg.errors import QueryError
from kg.server.engine import QueryJob, QueryReply, cell, nt, run_query, term, write_boolean

EX = "http://example.org/"
TRICKY = [
    ox.Literal("府院联动"),
    ox.Literal("府院联动", language="zh"),
    ox.Literal("a\tb\nc \"quoted\", comma", language="en"),
    ox.Literal("42", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
    ox.Literal("0.5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")),
    ox.Literal("<tag> & 'amp'"),
    ox.NamedNode(EX + "天津?x=1&y=2"),
    ox.BlankNode("b0"),
]
SELECT_ALL = "SELECT ?s ?o ?missing WHERE { ?s <http://example.org/p> ?o OPTIONAL { ?s <http://example.org/none> ?missing } } ORDER BY ?o"


@pytest.fixture(scope="module")
def db() -> ox.Store:
    store = ox.Store()
    for i, obj in enumerate(TRICKY):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(EX + "p"), obj, ox.NamedNode(EX + "g")))
    return store


def solutions_of(fmt: ox.QueryResultsFormat, body: bytes) -> list[tuple[object, ...]]:
    parsed = ox.parse_query_results(body, fmt)
    assert isinstance(parsed, ox.QuerySolutions)
    width = len(parsed.variables)
    return [tuple(s[i] for i in range(width)) for s in parsed]


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("json", ox.QueryResultsFormat.JSON), ("xml", ox.QueryResultsFormat.XML), ("tsv", ox.QueryResultsFormat.TSV)],
)
def test_written_results_read_back_as_pyoxigraph_writes_them(db: ox.Store, name: str, fmt: ox.QueryResultsFormat) -> None:
    ours = run_query(db, QueryJob(SELECT_ALL, result_format=name, union_default=True))
    theirs = db.query(SELECT_ALL, use_default_graph_as_union=True)
    assert isinstance(theirs, ox.QuerySolutions)
    reference = theirs.serialize(format=fmt)
    assert reference is not None
    assert ours.kind == "solutions" and ours.rows == len(TRICKY) and not ours.truncated
    mine, expected = solutions_of(fmt, ours.body), solutions_of(fmt, reference)
    assert [tuple(str(t) for t in row) for row in mine] == [tuple(str(t) for t in row) for row in expected]


def test_csv_is_plain_values_with_crlf(db: ox.Store) -> None:
    reply = run_query(db, QueryJob("SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o", result_format="csv"))
    text = reply.body.decode("utf-8")
    assert text.startswith("o\r\n")
    assert '"a\tb\nc ""quoted"", comma"\r\n' in text
    assert "\r\n府院联动\r\n" in text and "\r\n42\r\n" in text and "_:b0" in text


def test_json_has_types_languages_and_datatypes(db: ox.Store) -> None:
    body = json.loads(run_query(db, QueryJob(SELECT_ALL, result_format="json")).body)
    assert body["head"]["vars"] == ["s", "o", "missing"]
    objects = [b["o"] for b in body["results"]["bindings"]]
    assert {"type": "literal", "value": "府院联动", "xml:lang": "zh"} in objects
    assert {"type": "literal", "value": "府院联动"} in objects
    assert {"type": "literal", "value": "42", "datatype": "http://www.w3.org/2001/XMLSchema#integer"} in objects
    assert all("missing" not in b for b in body["results"]["bindings"])


def test_a_result_over_the_cap_is_cut_and_says_so(db: ox.Store) -> None:
    reply = run_query(db, QueryJob(SELECT_ALL, result_format="json", cap=3))
    assert reply.truncated and reply.rows == 3
    assert len(json.loads(reply.body)["results"]["bindings"]) == 3
    exact = run_query(db, QueryJob(SELECT_ALL, result_format="json", cap=len(TRICKY)))
    assert not exact.truncated and exact.rows == len(TRICKY)


def test_a_result_over_the_character_cap_is_cut(db: ox.Store) -> None:
    reply = run_query(db, QueryJob(SELECT_ALL, result_format="json", max_chars=5))
    assert reply.truncated and 0 < reply.rows < len(TRICKY)


def test_construct_is_written_as_the_chosen_rdf_format_and_capped(db: ox.Store) -> None:
    q = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    for fmt, rdf in [("ttl", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES), ("xml", ox.RdfFormat.RDF_XML), ("jsonld", ox.RdfFormat.JSON_LD)]:
        reply = run_query(db, QueryJob(q, graph_format=fmt))
        assert reply.kind == "graph" and reply.format == fmt
        assert len(list(ox.parse(reply.body, rdf))) == len(TRICKY)
    capped = run_query(db, QueryJob(q, graph_format="nt", cap=2))
    assert capped.truncated and len(capped.body.splitlines()) == 2


def test_a_kind_the_client_does_not_accept_comes_back_without_a_body(db: ox.Store) -> None:
    reply = run_query(db, QueryJob("ASK {}", boolean_format=None))
    assert reply.format is None and reply.boolean is True
    assert run_query(db, QueryJob("CONSTRUCT WHERE { ?s ?p ?o }", graph_format=None)).format is None


def test_booleans_in_json_and_xml() -> None:
    assert json.loads(write_boolean(True, "json")) == {"head": {}, "boolean": True}
    parsed = ox.parse_query_results(write_boolean(False, "xml"), ox.QueryResultsFormat.XML)
    assert isinstance(parsed, ox.QueryBoolean) and not bool(parsed)
    with pytest.raises(ValueError, match="json or xml"):
        write_boolean(True, "csv")


def test_cells_for_pages_and_bindings_by_substitution(db: ox.Store) -> None:
    job = QueryJob(
        "SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o }",
        result_format="cells",
        bindings=(("o", ox.Literal("府院联动", language="zh")),),
    )
    reply = run_query(db, job)
    assert isinstance(reply, QueryReply) and reply.table is not None
    assert reply.table.values() == [{"s": EX + "s1", "o": "府院联动"}]
    assert reply.table.dicts()[0]["o"] == ("literal", "府院联动", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString", "zh")


def test_the_dataset_of_the_protocol_replaces_the_union(db: ox.Store) -> None:
    q = "ASK { ?s ?p ?o }"
    assert run_query(db, QueryJob(q)).boolean is True
    assert run_query(db, QueryJob(q, default_graphs=(), named_graphs=(EX + "g",))).boolean is False
    assert run_query(db, QueryJob(q, default_graphs=(EX + "g",), named_graphs=())).boolean is True


def test_a_syntax_error_is_a_query_error_with_the_parser_position(db: ox.Store) -> None:
    with pytest.raises(QueryError, match=r"1:\d+"):
        run_query(db, QueryJob("SELECT * WHERE { ?s ?p "))


def test_relative_iris_resolve_against_the_base(db: ox.Store) -> None:
    reply = run_query(db, QueryJob("CONSTRUCT { <s> <p> 1 } WHERE {}", graph_format="nt", base_iri="http://h/sparql"))
    assert b"<http://h/s> <http://h/p>" in reply.body


@pytest.mark.parametrize("t", TRICKY)
def test_cells_round_trip_to_terms(t: ox.NamedNode | ox.BlankNode | ox.Literal) -> None:
    assert term(cell(t)) == t
    assert nt(cell(t)) == str(t)
