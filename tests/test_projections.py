"""kg.projections: networkx views with stable, non-empty ids and scalar attributes only."""

from __future__ import annotations

import networkx as nx
import pytest

from kg import projections, tables
from kg.store import Store

SCALARS = (str, int, float, bool)


def assert_scalar_attributes(graph: nx.Graph) -> None:
    for node, data in graph.nodes(data=True):
        assert isinstance(node, str) and node.strip() == node and node, repr(node)
        assert data["kind"] and data["label"], node
        for key, value in data.items():
            assert isinstance(value, SCALARS) and value is not None, (node, key, value)
    for u, v, data in graph.edges(data=True):
        for key, value in data.items():
            assert isinstance(value, SCALARS), (u, v, key, value)


@pytest.mark.parametrize("view", sorted(projections.VIEWS))
def test_every_view_has_scalar_attributes_and_stable_ids(examples: Store, view: str) -> None:
    graph = projections.to_networkx(examples, view)
    assert graph.number_of_nodes() > 10 and graph.number_of_edges() > 10
    assert_scalar_attributes(graph)
    again = projections.to_networkx(examples, view)
    assert sorted(again.nodes) == sorted(graph.nodes) and sorted(again.edges) == sorted(graph.edges)
    assert graph.graph["view"] == view


def test_an_unknown_view_lists_the_views(examples: Store) -> None:
    with pytest.raises(ValueError, match="unknown view 'x'; known views: adoption, co-adoption, agency, citation"):
        projections.to_networkx(examples, "x")


def test_node_ids_are_iris_relative_to_the_base() -> None:
    assert projections.node_id("https://w3id.org/fazhi-kg/jurisdiction/120117") == "jurisdiction/120117"
    assert projections.node_id("https://w3id.org/fazhi-kg/document/%E7%BA%B2%20%E8%A6%81") == "document/%E7%BA%B2%20%E8%A6%81"
    assert projections.node_id("https://example.org/x") == "https://example.org/x"
    assert projections.node_id("https://w3id.org/fazhi-kg/") == "https://w3id.org/fazhi-kg/"


def test_adoption_view(diffusion: Store) -> None:
    graph = projections.to_networkx(diffusion, "adoption")
    assert nx.is_bipartite(graph)
    edge = graph.edges["jurisdiction/330226", "mechanism/court-government-linkage"]
    assert edge == {
        "reports": 3,
        "weight": 3,
        "first_year": 2020,
        "last_year": 2022,
        "years": "2020;2021;2022",
        "stance": "planned;practised",
        "practised": True,
    }
    county = graph.nodes["jurisdiction/330226"]
    assert (county["kind"], county["label"], county["prefecture"]) == ("jurisdiction", "浙江省宁波市宁海县", "宁波市")
    assert (county["years"], county["reports"], county["bipartite"]) == ("2020;2021;2022", 3, 0)
    concept = graph.nodes["mechanism/court-government-linkage"]
    assert (concept["kind"], concept["label"], concept["bipartite"], concept["jurisdictions"]) == ("mechanism", "府院联动", 1, 2)
    assert "program/eighth-five-year-legal-publicity" not in graph
    assert "program/eighth-five-year-legal-publicity" in projections.to_networkx(diffusion, "adoption", scheme=None)


def test_adoption_view_on_the_examples_has_an_edge_per_adoption_pair(examples: Store) -> None:
    graph = projections.to_networkx(examples, "adoption")
    pairs = tables.adoptions(examples)[["code", "concept"]].drop_duplicates()
    assert graph.number_of_edges() == len(pairs)
    practised = {
        (f"jurisdiction/{c}", f"mechanism/{m}")
        for c, m in tables.adoptions(examples).query("stance == 'practised'")[["code", "concept"]].itertuples(index=False)
    }
    assert {(u, v) if u.startswith("jurisdiction/") else (v, u) for u, v, p in graph.edges(data="practised") if p} == practised


def test_co_adoption_weights_count_jurisdictions_practising_both(diffusion: Store, examples: Store) -> None:
    graph = projections.to_networkx(diffusion, "co-adoption")
    assert list(graph.edges(data=True)) == [
        (
            "mechanism/court-government-linkage",
            "mechanism/fengqiao-experience",
            {"weight": 1, "years": "2022", "first_year": 2022, "last_year": 2022},
        )
    ]
    assert graph.nodes["mechanism/court-government-linkage"]["adopters"] == 2
    matrix = tables.matrix(examples).set_index("code").iloc[:, 4:].notna()
    big = projections.to_networkx(examples, "co-adoption")
    for u, v, weight in list(big.edges(data="weight"))[:200]:
        assert weight == int((matrix[u.split("/")[1]] & matrix[v.split("/")[1]]).sum())


def test_agency_view_marks_a_jurisdictions_own_agencies(examples: Store) -> None:
    graph = projections.to_networkx(examples, "agency")
    edge = graph.edges["jurisdiction/120117", "agency/120117/peoples-government"]
    assert edge["own"] is True and edge["mentions"] >= 1 and edge["reports"] == 1
    agency = graph.nodes["agency/120117/peoples-government"]
    assert (agency["kind"], agency["jurisdiction"], agency["agency_kind"]) == ("agency", "jurisdiction/120117", "peoples-government")


def test_citation_view_is_directed_from_citer_and_issuer_to_document(examples: Store) -> None:
    graph = projections.to_networkx(examples, "citation")
    assert graph.is_directed()
    assert graph.edges["jurisdiction/120117", "document/宁河区行政诉讼败诉案件追责办法"]["relation"] == "issued"
    outline = "document/法治政府建设实施纲要(2021-2025年)"
    assert graph.edges["organ/state-council", outline]["relation"] == "creator"
    assert graph.nodes[outline]["kind"] == "document" and graph.nodes[outline]["label"] == outline.split("/", 1)[1]
    assert all(graph.nodes[v]["kind"] == "document" for _, v in graph.edges)


def test_spells_merge_consecutive_years() -> None:
    assert projections.spells("2023;2021;2020") == [("2020-01-01", "2021-12-31"), ("2023-01-01", "2023-12-31")]
    graph = nx.Graph()
    graph.add_node("a", years="2020")
    graph.add_edge("a", "b", years="2020;2021")
    dynamic = projections.with_spells(graph)
    assert dynamic.nodes["a"]["spells"] == [("2020-01-01", "2020-12-31")]
    assert dynamic.edges["a", "b"]["spells"] == [("2020-01-01", "2021-12-31")]
    assert "spells" not in graph.nodes["a"] and "spells" not in dynamic.nodes["b"]
