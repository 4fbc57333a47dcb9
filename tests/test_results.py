"""kg.results: rows, the CJK-aware table and the SPARQL 1.1 result formats."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from decimal import Decimal

import pyoxigraph as ox
import pytest
import rdflib

from kg import results
from kg.results import display_width, format_table, to_rows
from kg.store import Store

EX = "https://example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
SELECT = (
    "SELECT ?s ?label ?n ?x WHERE { ?s <https://example.org/label> ?label "
    "OPTIONAL { ?s <https://example.org/n> ?n } OPTIONAL { ?s <https://example.org/x> ?x } } ORDER BY ?s"  # blank nodes sort before IRIs
)
#: rdflib's JSON-LD parser goes through its own deprecated ConjunctiveGraph
RDFLIB_JSONLD = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")


@pytest.fixture
def store() -> Iterator[Store]:
    s, label, n, x = (ox.NamedNode(EX + k) for k in ("jx/120117", "label", "n", "x"))
    b = ox.BlankNode("b1")
    data = [
        ox.Triple(s, label, ox.Literal("天津市宁河区", language="zh")),
        ox.Triple(s, n, ox.Literal(35)),
        ox.Triple(s, x, ox.Literal("0.97", datatype=ox.NamedNode(XSD + "decimal"))),
        ox.Triple(b, label, ox.Literal('a "quoted", comma')),
        ox.Triple(b, n, ox.Literal(True)),
        ox.Triple(b, x, ox.Literal(2.5)),
    ]
    with Store(None) as st:
        st.replace_graph(EX + "report/1", data)
        yield st


# --- rows -------------------------------------------------------------------------------------


def test_rows_hold_python_values(store: Store) -> None:
    names, rows = to_rows(store.query(SELECT))
    assert names == ["s", "label", "n", "x"]
    by_label = {row[1]: row for row in rows}
    assert by_label["天津市宁河区"] == (EX + "jx/120117", "天津市宁河区", 35, Decimal("0.97"))
    blank = by_label['a "quoted", comma']
    assert isinstance(blank[0], str) and blank[0].startswith("_:")
    assert blank[2] is True and blank[3] == 2.5


def test_unbound_is_none(store: Store) -> None:
    _, rows = to_rows(store.query("SELECT ?s ?missing { ?s ?p ?o OPTIONAL { ?s <urn:none> ?missing } } LIMIT 1"))
    assert rows[0][1] is None


def test_ask_is_one_boolean(store: Store) -> None:
    assert to_rows(store.query("ASK { ?s ?p 35 }")) == (["boolean"], [(True,)])


def test_construct_gives_subject_predicate_object(store: Store) -> None:
    names, rows = to_rows(store.query(f"CONSTRUCT WHERE {{ ?s <{EX}n> ?o }}"))
    assert names == ["subject", "predicate", "object"]
    assert {row[1:] for row in rows} == {(EX + "n", 35), (EX + "n", True)}


def test_an_ill_formed_number_stays_text() -> None:
    assert results.term_value(ox.Literal("abc", datatype=ox.NamedNode(XSD + "integer"))) == "abc"


# --- table ---------------------------------------------------------------------------------------


def test_display_width_counts_cjk_twice() -> None:
    assert display_width("府院联动") == 8
    assert display_width("ab") == 2
    assert display_width("ＡＢ，") == 6  # full-width forms
    assert display_width("e\u0301") == 1  # combining accent


def test_table_columns_line_up_with_chinese() -> None:
    rows = [("宁河区", "府院联动", 12), ("Wuxi Xishan", "一网通办", 3), ("平房区", "x", None)]
    table = format_table(["jurisdiction", "mechanism", "n"], rows)
    lines = table.splitlines()
    assert lines[1] == "-" * 12 + "  " + "-" * 9 + "  " + "--"
    starts = set()
    for line in [lines[0], *lines[2:]]:
        # the second column starts at the same display column on every line
        first = line.split("  ")[0]
        starts.add(
            display_width(first) + display_width(line[len(first) :]) - display_width(line[len(first) :].lstrip())
        )
    assert starts == {14}
    assert lines[2].endswith("12") and lines[3].endswith(" 3")  # numbers right-aligned
    assert lines[4].rstrip() == lines[4]


def test_table_shows_booleans_and_flattens_newlines() -> None:
    table = format_table(["a", "b"], [(True, "line one\nline two")])
    assert table.splitlines()[2] == "true  line one line two"


def test_table_cuts_wide_cells() -> None:
    table = format_table(["t"], [("法治政府建设示范县创建",)], max_width=9)
    assert table.splitlines()[2] == "法治政府…"


def test_render_table_of_a_query(store: Store) -> None:
    text = results.render(store.query(SELECT), "table")
    assert text.endswith("\n")
    assert "天津市宁河区" in text and "0.97" in text


# --- SPARQL result formats -----------------------------------------------------------------------


def test_json_has_the_standard_shape(store: Store) -> None:
    doc = json.loads(results.format_json(store.query(SELECT)))
    assert doc["head"]["vars"] == ["s", "label", "n", "x"]
    bindings = {b["label"]["value"]: b for b in doc["results"]["bindings"]}
    named = bindings["天津市宁河区"]
    assert named["s"] == {"type": "uri", "value": EX + "jx/120117"}
    assert named["label"] == {"type": "literal", "value": "天津市宁河区", "xml:lang": "zh"}
    assert named["n"] == {"type": "literal", "value": "35", "datatype": XSD + "integer"}
    blank = bindings['a "quoted", comma']
    assert blank["s"]["type"] == "bnode"
    assert blank["n"] == {"type": "literal", "value": "true", "datatype": XSD + "boolean"}


def test_json_of_ask_is_a_boolean(store: Store) -> None:
    assert json.loads(results.format_json(store.query("ASK { ?s ?p 36 }"))) == {"head": {}, "boolean": False}


def test_csv_is_sparql_csv(store: Store) -> None:
    text = results.format_csv(store.query(SELECT))
    assert text.startswith("s,label,n,x\r\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[1][0].startswith("_:")
    assert rows[1][1:3] == ['a "quoted", comma', "true"]
    assert float(rows[1][3]) == 2.5
    assert rows[2] == [EX + "jx/120117", "天津市宁河区", "35", "0.97"]


def test_tsv_writes_terms_in_n_triples_syntax_and_reads_back(store: Store) -> None:
    text = results.format_tsv(store.query(SELECT))
    lines = text.splitlines()
    assert lines[0] == "?s\t?label\t?n\t?x"
    assert lines[1].startswith("_:")
    assert lines[2].split("\t")[:2] == [f"<{EX}jx/120117>", '"天津市宁河区"@zh']
    parsed = ox.parse_query_results(text, ox.QueryResultsFormat.TSV)
    assert isinstance(parsed, ox.QuerySolutions)
    again = [tuple(s) for s in parsed]
    original = [tuple(s) for s in store.query(SELECT)]  # type: ignore[union-attr]
    assert again[1] == original[1]
    assert again[0][1:] == original[0][1:]  # a blank node reads back as a new one


def test_xml_has_the_sparql_results_namespace(store: Store) -> None:
    root = ET.fromstring(results.format_xml(store.query(SELECT)))
    ns = "{http://www.w3.org/2005/sparql-results#}"
    assert root.tag == ns + "sparql"
    assert [v.get("name") for v in root.iter(ns + "variable")] == ["s", "label", "n", "x"]


# --- triples -----------------------------------------------------------------------------------------


def test_construct_as_n_triples_and_turtle(store: Store) -> None:
    q = f"CONSTRUCT {{ ?s <{EX}label> ?l }} WHERE {{ ?s <{EX}label> ?l }}"
    nt = results.render(store.query(q), "nt")
    assert f'<{EX}jx/120117> <{EX}label> "天津市宁河区"@zh .' in nt.splitlines()
    ttl = results.format_graph(store.query(q), "ttl", prefixes={"ex": EX})  # type: ignore[arg-type]
    graph = rdflib.Graph().parse(data=ttl, format="turtle")
    assert len(graph) == 2


@RDFLIB_JSONLD
def test_construct_as_json_is_json_ld(store: Store) -> None:
    text = results.render(store.query(f"CONSTRUCT WHERE {{ ?s <{EX}n> ?o }}"), "json")
    assert len(rdflib.Graph().parse(data=text, format="json-ld")) == 2


def test_construct_as_csv_and_tsv(store: Store) -> None:
    q = f"CONSTRUCT WHERE {{ <{EX}jx/120117> <{EX}label> ?o }}"
    assert (
        results.render(store.query(q), "csv") == f"subject,predicate,object\r\n{EX}jx/120117,{EX}label,天津市宁河区\r\n"
    )
    tsv = results.render(store.query(q), "tsv")
    assert tsv == f'?subject\t?predicate\t?object\n<{EX}jx/120117>\t<{EX}label>\t"天津市宁河区"@zh\n'


def test_unknown_formats_are_named(store: Store) -> None:
    with pytest.raises(ValueError, match="known formats: table, csv, tsv, json, xml"):
        results.render(store.query(SELECT), "ttl")
    with pytest.raises(ValueError, match="for triples"):
        results.render(store.query("CONSTRUCT WHERE { ?s ?p ?o }"), "yaml")
