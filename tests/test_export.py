"""kg.export: RDF exports read back by rdflib unchanged; graphs kept or merged as each format says."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

from kg import tables
from kg.cli import main
from kg.dataset import describe_dataset
from kg.errors import StoreError
from kg.export import FORMATS, dictionary_path, export, format_for_path
from kg.projections import to_networkx
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


# --- exports of a built store: RDF with its description, networks, tables ----------------------------


@pytest.fixture(scope="module")
def one_report(built_store: tuple[Any, Store]) -> Iterator[tuple[Any, Store]]:
    """An in-memory copy of the smallest example report's graph, the entities and the ontology graphs."""
    settings, built = built_store
    sizes = {g: built.count(g) for g in built.graphs() if "/graph/report/" in g}
    keep = [min(sizes, key=sizes.__getitem__), settings.base + "graph/entities", settings.base + "graph/ontology"]
    st = Store(None)
    for name in keep:
        st.db.extend(built.db.quads_for_pattern(None, None, None, ox.NamedNode(name)))
    yield settings, st
    st.close()


@pytest.mark.parametrize(
    ("fmt", "rdflib_format"), [("nq", "nquads"), ("trig", "trig"), ("jsonld", "json-ld"), ("ttl", "turtle"), ("nt", "nt")]
)
def test_rdf_exports_round_trip_to_the_same_quads_with_their_description(
    one_report: tuple[Any, Store], fmt: str, rdflib_format: str
) -> None:
    settings, st = one_report
    description = describe_dataset(st, settings)
    data = exported(st, fmt, description=description)
    quads = {str(q) for q in st.db} | {str(q) for q in description}
    if FORMATS[fmt].name in ("nq", "trig", "jsonld"):
        assert read_dataset(data, rdflib_format) == quads
    else:
        assert read_graph(data, rdflib_format) == {str(q.triple) for q in st.db} | {str(q.triple) for q in description}


def test_the_cli_exports_the_description_unless_told_not_to(built_store: tuple[Any, Store], tmp_path: Path) -> None:
    settings, _ = built_store
    with_it, without = tmp_path / "a.nq", tmp_path / "b.nq"
    assert CliRunner().invoke(main, ["export", "--store", str(settings.store), "-o", str(with_it)]).exit_code == 0
    args = ["export", "--store", str(settings.store), "--format", "nq", "--no-description", "-o", str(without)]
    assert CliRunner().invoke(main, args).exit_code == 0
    dataset = f"<{settings.base}graph/dataset>"
    assert dataset.encode() in with_it.read_bytes() and dataset.encode() not in without.read_bytes()
    assert len(with_it.read_bytes().splitlines()) > len(without.read_bytes().splitlines())


@pytest.mark.parametrize("view", ["adoption", "co-adoption", "agency", "citation"])
def test_graphml_reads_back_with_networkx_unchanged(built_store: tuple[Any, Store], tmp_path: Path, view: str) -> None:
    _, st = built_store
    original = to_networkx(st, view)
    path = tmp_path / f"{view}.graphml"
    export(st, "graphml", path, view=view)
    back = nx.read_graphml(path)
    assert back.is_directed() == original.is_directed()
    assert dict(back.nodes(data=True)) == dict(original.nodes(data=True))
    assert {(u, v): d for u, v, d in back.edges(data=True)} == {(u, v): d for u, v, d in original.edges(data=True)}


def test_gexf_carries_years_as_spells(built_store: tuple[Any, Store], tmp_path: Path) -> None:
    _, st = built_store
    path = tmp_path / "adoption.gexf"
    export(st, "gexf", path, view="adoption")
    text = path.read_text(encoding="utf-8")
    assert 'mode="dynamic"' in text and 'timeformat="date"' in text
    back = nx.read_gexf(path)
    original = to_networkx(st, "adoption")
    assert set(back.nodes) == set(original.nodes) and back.number_of_edges() == original.number_of_edges()
    county = back.nodes["jurisdiction/120117"]
    assert county["label"] == "天津市宁河区" and county["spells"] == [("2023-01-01", "2023-12-31")]
    u, v, data = next(iter(back.edges(data=True)))
    assert data["spells"] and all(start.endswith("-01-01") and end.endswith("-12-31") for start, end in data["spells"])


@pytest.mark.parametrize("table", ["adoptions", "matrix", "statistics", "event-history"])
@pytest.mark.parametrize("bom", [False, True])
def test_csv_reads_back_with_pandas_using_its_dictionary(
    built_store: tuple[Any, Store], tmp_path: Path, table: str, bom: bool
) -> None:
    _, st = built_store
    path = tmp_path / f"{table}.csv"
    written = export(st, "csv", path, table=table, bom=bom)
    assert written == tmp_path / f"{table}.dictionary.csv" == dictionary_path(path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == bom
    dictionary = pd.read_csv(written, encoding="utf-8-sig", dtype=str)
    assert list(dictionary.columns) == ["column", "type", "meaning"]
    dtypes = {c: {"string": "string", "integer": "Int64", "decimal": "Float64"}[t] for c, t in zip(dictionary["column"], dictionary["type"], strict=True)}
    back = pd.read_csv(path, encoding="utf-8-sig", dtype=dtypes, keep_default_na=False, na_values=[""])
    expected = tables.build(st, table)
    assert list(back.columns) == list(dictionary["column"]) == list(expected.columns)
    pd.testing.assert_frame_equal(back, expected, check_exact=False)


def test_csv_to_stdout_notes_that_the_dictionary_needs_a_file(built_store: tuple[Any, Store]) -> None:
    settings, _ = built_store
    result = CliRunner().invoke(main, ["export", "--store", str(settings.store), "--format", "csv", "--table", "reports"])
    assert result.exit_code == 0
    assert result.stdout.startswith("report,title,jurisdiction,code,level,province,prefecture,year")
    assert "data dictionary" in result.stderr


def test_the_cli_refuses_options_that_do_nothing(built_store: tuple[Any, Store], tmp_path: Path) -> None:
    settings, _ = built_store
    store = str(settings.store)
    result = CliRunner().invoke(main, ["export", "--store", store, "--format", "csv", "--view", "agency"])
    assert result.exit_code == 2 and "--view goes with --format graphml or gexf, not csv" in result.stderr
    result = CliRunner().invoke(main, ["export", "--store", store, "--format", "nq", "--bom"])
    assert result.exit_code == 2 and "--bom goes with --format csv" in result.stderr
    out = tmp_path / "x.gexf"
    result = CliRunner().invoke(main, ["export", "--store", store, "--view", "citation", "-o", str(out)])
    assert result.exit_code == 0 and nx.read_gexf(out).is_directed()


def test_export_format_names_and_suffixes() -> None:
    assert format_for_path("net.graphml") == "graphml" and format_for_path("net.GEXF") == "gexf"
    assert format_for_path("table.csv") == "csv"
    assert dictionary_path("out/a.csv") == Path("out/a.dictionary.csv")
    assert dictionary_path("a.txt") == Path("a.txt.dictionary.csv")
    with pytest.raises(ValueError, match="known formats: nt, nq, ttl, trig, jsonld, xml, graphml, gexf, csv"):
        export(Store(None), "rdf", io.BytesIO())


def test_the_cli_lists_every_view_and_table() -> None:
    from kg import cli, projections

    assert tuple(projections.VIEWS) == cli.VIEWS
    assert tuple(tables.TABLES) == cli.TABLES


def test_the_cli_writes_jurisdictions_with_coordinates(built_store: tuple[Any, Store], tmp_path: Path) -> None:
    settings, _ = built_store
    coordinates = tmp_path / "adcodes.csv"
    coordinates.write_text("adcode,name,longitude,latitude\n120117000000,宁河区,117.826724,39.330087\n", encoding="utf-8")
    out = tmp_path / "places.csv"
    args = ["export", "--store", str(settings.store), "--format", "csv", "--table", "jurisdictions"]
    result = CliRunner().invoke(main, [*args, "--coordinates", str(coordinates), "-o", str(out)])
    assert result.exit_code == 0, result.output
    places = pd.read_csv(out, dtype={"code": str}).set_index("code")
    assert places.loc["120117", "longitude"] == 117.826724 and pd.isna(places.loc["330226", "longitude"])
    result = CliRunner().invoke(main, [*args[:-1], "reports", "--coordinates", str(coordinates)])
    assert result.exit_code == 2 and "--coordinates goes with --table jurisdictions" in result.stderr
