"""The explorer's network: filters, views, aggregation at national size, the pyvis network, kg viz."""

from __future__ import annotations

import json
import random
import re
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg.server import explorer
from kg.server.explorer import Filters, adoption_graph, payload, select
from kg.server.index import STANCES, Adoption, Concept, Place, ReportInfo, StoreIndex, stance_bit

BASE = "https://w3id.org/fazhi-kg/"


def synthetic(places: int, concepts: int = 80, provinces: int = 31, seed: int = 7) -> StoreIndex:
    """An index of ``places`` counties in ``provinces`` provinces, each taking stances on some of ``concepts``."""
    rng = random.Random(seed)
    ix = StoreIndex(base=BASE)
    ix.categories = {f"{BASE}category/c{i}": (f"类别{i}", f"category {i}") for i in range(5)}
    for p in range(provinces):
        code = f"{11 + p:02d}0000"
        ix.places[f"{BASE}jurisdiction/{code}"] = Place(f"{BASE}jurisdiction/{code}", code, f"省{p}", "province", None)
    for c in range(concepts):
        iri = f"{BASE}mechanism/m{c}"
        ix.concepts[iri] = Concept(iri, "mechanism", f"机制{c}", f"mechanism {c}", f"{BASE}category/c{c % 5}")
    weights = [1 / (c + 1) for c in range(concepts)]  # a few mechanisms are everywhere, most are rare
    for i in range(places):
        prov = f"{11 + i % provinces:02d}0000"
        code = f"{prov[:2]}{(i // provinces) % 100:02d}{i % 97:02d}"
        iri = f"{BASE}jurisdiction/{code}-{i}"
        ix.places[iri] = Place(iri, code, f"县{i}", "county", f"{BASE}jurisdiction/{prov}")
        report = f"{BASE}report/r{i}"
        year = 2021 + i % 3
        ix.reports.append(ReportInfo(report, f"r{i}", f"报告{i}", iri, year, None, "government_report"))
        for c in set(rng.choices(range(concepts), weights, k=25)):
            stance = rng.choices(STANCES, [8, 1, 3, 1, 1])[0]
            ix.adoptions.append(Adoption(iri, f"{BASE}mechanism/m{c}", year, stance_bit(stance), report))
    return ix


@pytest.fixture(scope="module")
def national() -> StoreIndex:
    return synthetic(3000)


@pytest.fixture(scope="module")
def examples(built_store: tuple[Any, Any]) -> StoreIndex:
    from kg.server.index import build_index

    return build_index(built_store[1].db, BASE)


def test_the_index_of_the_examples(examples: StoreIndex) -> None:
    assert examples.counts["reports"] == 5 and examples.counts["jurisdictions"] == 5
    assert {p.name for p in examples.provinces()} == {"天津市", "河南省", "浙江省", "黑龙江省", "江苏省"}
    assert examples.province_of(BASE + "jurisdiction/120117") == BASE + "jurisdiction/120000"
    assert examples.years() == [2021, 2022, 2023]
    assert BASE + "mechanism/court-government-linkage" in examples.concepts
    assert len(examples.graphs) >= 7 and examples.counts["adoptions"] == len(examples.adoptions)


def test_select_applies_every_filter(examples: StoreIndex) -> None:
    everything = select(examples, Filters(scheme="all"))
    assert len(everything) == len(examples.adoptions)
    mechanisms = select(examples, Filters())
    assert 0 < len(mechanisms) < len(everything)
    planned = select(examples, Filters(stance="planned"))
    assert planned and all(a.stances == stance_bit("planned") for a in planned)
    zhejiang = select(examples, Filters(province=BASE + "jurisdiction/330000"))
    assert {a.place for a in zhejiang} == {BASE + "jurisdiction/330226"}
    assert {a.year for a in select(examples, Filters(year=2022))} == {2022}
    cat = BASE + "category/dispute-resolution"
    assert all(examples.concepts[a.concept].category == cat for a in select(examples, Filters(category=cat)))


def test_filters_are_validated_and_read_from_parameters() -> None:
    with pytest.raises(ValueError, match="stance must be one of"):
        Filters(stance="loved")
    with pytest.raises(ValueError, match="year must be a number"):
        explorer.parse_filters([("year", "last")])
    f = explorer.parse_filters([("year", "2023"), ("stance", "practised"), ("province", ""), ("view", "provinces")])
    assert f == Filters(year=2023, stance="practised", view="provinces")
    assert f.as_query() == {"year": "2023", "stance": "practised", "view": "provinces"}


def test_the_example_graph_is_bipartite_and_coloured_by_stance(examples: StoreIndex) -> None:
    g, view, notices = adoption_graph(examples, Filters())
    assert view == "jurisdictions" and not notices
    kinds = {d["kind"] for _, d in g.nodes(data=True)}
    assert kinds == {"jurisdiction", "mechanism"}
    assert all({g.nodes[u]["kind"], g.nodes[v]["kind"]} == {"jurisdiction", "mechanism"} for u, v in g.edges)
    data = payload(examples, Filters())
    colours = {e["stance"]: e["color"]["color"] for e in data["edges"]}
    assert all(explorer.STANCE_COLORS[s] == c for s, c in colours.items())
    assert [item["label"] for item in data["legend"]][:5] == [explorer.STANCE_LABELS[s] for s in STANCES]  # type: ignore[attr-defined]


def test_national_size_opens_on_provinces(national: StoreIndex) -> None:
    started = time.perf_counter()
    data = payload(national, Filters(), max_nodes=600)
    took = time.perf_counter() - started
    assert data["view"] == "provinces"
    assert data["stats"]["places"] == 31 and data["stats"]["nodes"] <= 600
    assert any("provinces are shown" in n for n in data["notices"])
    assert took < 5, took
    # the edge of a province counts its jurisdictions
    counts = [int(re.search(r"(\d+) jurisdictions", e["title"]).group(1)) for e in data["edges"]]  # type: ignore[union-attr]
    assert max(counts) > 50


def test_a_province_or_a_mechanism_at_national_size(national: StoreIndex) -> None:
    province = BASE + "jurisdiction/110000"
    one = payload(national, Filters(province=province), max_nodes=600)
    assert one["view"] == "jurisdictions" and 0 < one["stats"]["places"] <= 100
    assert all(n["province"] == province for n in one["nodes"] if n["kind"] == "jurisdiction")
    rare = BASE + "mechanism/m70"
    few = payload(national, Filters(concept=rare), max_nodes=600)
    assert few["view"] == "jurisdictions" and few["stats"]["concepts"] == 1
    common = payload(national, Filters(concept=BASE + "mechanism/m0"), max_nodes=600)
    assert common["view"] == "provinces" and common["stats"]["concepts"] == 1  # thousands of places: aggregated


def test_too_many_mechanisms_keep_the_most_adopted(national: StoreIndex) -> None:
    data = payload(national, Filters(view="provinces"), max_nodes=50, max_edges=10**6)
    assert data["stats"]["nodes"] <= 50 and data["stats"]["concepts"] == 50 - 31
    assert any("taken up by most jurisdictions" in n for n in data["notices"])
    kept = {n["label"] for n in data["nodes"] if n["kind"] == "mechanism"}
    assert "机制0" in kept and "机制79" not in kept
    by_edges = payload(national, Filters(view="provinces"), max_nodes=600, max_edges=300)
    assert by_edges["stats"]["edges"] <= 330 and by_edges["stats"]["concepts"] < 80
    assert any("taken up by most jurisdictions" in n for n in by_edges["notices"])


def test_pyvis_network_is_filled_directly_and_fast(national: StoreIndex) -> None:
    g, _, _ = adoption_graph(national, Filters(view="jurisdictions"), max_nodes=10_000)
    assert g.number_of_nodes() > 3000 and g.number_of_edges() > 30_000
    started = time.perf_counter()
    net = explorer.network(g, BASE)
    assert time.perf_counter() - started < 5
    assert len(net.nodes) == g.number_of_nodes() and len(net.edges) == g.number_of_edges()
    assert net.node_map[next(iter(g.nodes))]["id"] == next(iter(g.nodes))
    nodes, edges, *_rest, options = net.get_network_data()
    assert json.loads(options)["physics"]["stabilization"]["enabled"] is True


def test_kg_viz_writes_a_standalone_file(built_store: tuple[Any, Any], tmp_path: Path) -> None:
    from kg.cli import main

    out = tmp_path / "view.html"
    store = str(built_store[0].store)
    result = CliRunner().invoke(main, ["viz", "--store", store, "-o", str(out), "--mechanism", "府院联动", "--scheme", "all"])
    assert result.exit_code == 0, result.output
    assert "3 nodes, 2 edges (jurisdictions view)" in result.output
    html = out.read_text(encoding="utf-8")
    assert not re.search(r'<(script|link)[^>]+(src|href)=', html)  # everything inline
    assert "vis.Network" in html and "府院联动" in html
    config = json.loads(html.split('id="explorer-config">', 1)[1].split("</script>", 1)[0])
    assert config["mode"] == "embedded"
    assert all(items and items[0]["mention"] for items in config["data"]["evidence"].values())
    assert len(config["data"]["evidence"]) == 2


def test_kg_viz_names_what_it_cannot_find(built_store: tuple[Any, Any], tmp_path: Path) -> None:
    from kg.cli import main

    store = str(built_store[0].store)
    bad = CliRunner().invoke(main, ["viz", "--store", store, "-o", str(tmp_path / "x.html"), "--province", "火星省"])
    assert bad.exit_code == 2 and "no province '火星省'" in bad.output
    missing = CliRunner().invoke(main, ["viz", "--store", str(tmp_path / "none"), "-o", str(tmp_path / "x.html")])
    assert missing.exit_code == 1 and "no store here" in missing.output
    assert not (tmp_path / "x.html").exists()


def test_kg_viz_resolves_names_codes_and_iris(examples: StoreIndex) -> None:
    from kg.server.standalone import resolve_filters

    f = resolve_filters(examples, province="浙江", concept="Government-court linkage", category="矛盾纠纷化解", year="2021")
    assert f.province == BASE + "jurisdiction/330000"
    assert f.concept == BASE + "mechanism/court-government-linkage"
    assert f.category == BASE + "category/dispute-resolution" and f.year == 2021
    assert resolve_filters(examples, place="120117").place == BASE + "jurisdiction/120117"
