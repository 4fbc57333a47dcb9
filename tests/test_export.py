"""kg.export: RDF exports read back by rdflib unchanged; graphs kept or merged as each format says."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from kg.errors import StoreError
from kg.export import FORMATS, export, format_for_path
from kg.store import Store

EX = "https://example.org/"
G1, G2 = EX + "report/1", EX + "report/2"
#: rdflib 7 calls its own deprecated APIs (Dataset.default_context, ConjunctiveGraph) when parsing datasets
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")


def t(s: str, p: str, o: ox.NamedNode | ox.Literal) -> ox.Triple:
    return ox.Triple(ox.NamedNode(EX + s), ox.NamedNode(EX + p), o)


SHARED = t("jx/120117", "label", ox.Literal("天津市宁河区", language="zh"))
GRAPH1 = [SHARED, t("m/1", "text", ox.Literal('府院联动 "机制"\n第二行')), t("m/1", "start", ox.Literal(17))]
GRAPH2 = [SHARED, t("m/2", "concept", ox.NamedNode(EX + "concept/fengqiao")), t("m/2", "year", ox.Literal(2023))]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "store") as st:
        st.replace_graph(G1, GRAPH1)
        st.replace_graph(G2, GRAPH2)
        yield st


def expected_quads() -> set[str]:
    return {str(ox.Quad(*x, ox.NamedNode(g))) for g, graph in ((G1, GRAPH1), (G2, GRAPH2)) for x in graph}


def expected_union() -> set[str]:
    return {str(x) for x in GRAPH1 + GRAPH2}


def canonical(data: bytes, rdf_format: ox.RdfFormat) -> set[str]:
    """Lines of pyoxigraph's N-Quads for what rdflib serialised, so escaping is compared fairly."""
    return {str(q) for q in ox.parse(data, rdf_format)}


def read_dataset(data: bytes, fmt: str) -> set[str]:
    ds = rdflib.Dataset()
    ds.parse(data=data, format=fmt)
    return canonical(ds.serialize(format="nquads", encoding="utf-8"), ox.RdfFormat.N_QUADS)


def read_graph(data: bytes, fmt: str) -> set[str]:
    graph = rdflib.Graph().parse(data=data, format=fmt)
    return canonical(graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)


def exported(store: Store, fmt: str, **kwargs: object) -> bytes:
    out = io.BytesIO()
    export(store, fmt, out, **kwargs)  # type: ignore[arg-type]
    return out.getvalue()


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("nq", "nquads"), ("trig", "trig"), ("jsonld", "json-ld")])
def test_dataset_formats_keep_the_named_graphs(store: Store, fmt: str, rdflib_format: str) -> None:
    assert read_dataset(exported(store, fmt), rdflib_format) == expected_quads()


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("nt", "nt"), ("ttl", "turtle"), ("xml", "xml")])
def test_graph_formats_hold_the_union(store: Store, fmt: str, rdflib_format: str) -> None:
    data = exported(store, fmt)
    assert read_graph(data, rdflib_format) == expected_union()
    if fmt == "nt":
        assert len(data.splitlines()) == 5  # the triple in both graphs is written once


def test_turtle_uses_the_standard_prefixes(store: Store) -> None:
    assert b"@prefix xsd: <http://www.w3.org/2001/XMLSchema#> ." in exported(store, "ttl")
    assert b"@prefix ex: <https://example.org/> ." in exported(store, "ttl", prefixes={"ex": EX})


def test_one_graph_alone(store: Store) -> None:
    assert read_graph(exported(store, "nt", graph=G2), "nt") == {str(x) for x in GRAPH2}


def test_export_to_a_file_leaves_no_temporary_file(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "out" / "kg.trig"
    target.parent.mkdir()
    export(store, "trig", target)
    assert read_dataset(target.read_bytes(), "trig") == expected_quads()
    assert [p.name for p in target.parent.iterdir()] == ["kg.trig"]


def test_a_failed_export_leaves_no_file(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "kg.nt"
    store.close()
    with pytest.raises(StoreError, match="closed"):
        export(store, "nt", target)
    assert list(tmp_path.iterdir()) == [tmp_path / "store"]


@pytest.mark.parametrize("out", [None, "-"])
def test_export_to_stdout(store: Store, capsysbinary: pytest.CaptureFixture[bytes], out: str | None) -> None:
    export(store, "nq", out)
    assert canonical(capsysbinary.readouterr().out, ox.RdfFormat.N_QUADS) == expected_quads()


def test_an_unknown_format_lists_the_known_ones(store: Store) -> None:
    with pytest.raises(ValueError, match="unknown export format 'rdf'; known formats: nt, nq, ttl, trig, jsonld, xml"):
        export(store, "rdf", io.BytesIO())


def test_the_format_table() -> None:
    assert FORMATS["ttl"].media_type == "text/turtle"
    assert FORMATS["jsonld"].suffix == ".jsonld"
    assert FORMATS["nq"].media_type == "application/n-quads"
    assert format_for_path("graph.TTL") == "ttl"
    assert format_for_path("graph.rdf") == "xml"
    assert format_for_path("graph.txt") is None
