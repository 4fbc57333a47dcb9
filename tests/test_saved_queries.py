"""Every saved query in queries/ runs on the example store and gives the rows it promises."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from kg import results
from kg.server.saved import Param, load_saved, parse_saved

ROOT = Path(__file__).resolve().parent.parent
SAVED = load_saved(ROOT / "queries")
CODES = {"120117", "411100", "330226", "230108", "320205"}


@pytest.fixture(scope="module")
def run(built_store: tuple[Any, Any]) -> Any:
    store = built_store[1]

    def rows(slug: str, **params: str) -> list[dict[str, Any]]:
        saved = SAVED[slug]
        result = store.query(saved.text, bindings=dict(saved.bindings(params)))
        names, values = results.to_rows(result)
        return [dict(zip(names, row, strict=True)) for row in values]

    return rows


def test_there_are_at_least_fifteen_saved_queries_each_with_a_title_and_description() -> None:
    assert len(SAVED) >= 15
    for q in SAVED.values():
        assert q.title and q.description and q.text.lstrip().startswith("# title:")


@pytest.mark.parametrize("slug", sorted(SAVED))
def test_every_saved_query_runs_and_gives_rows(run: Any, slug: str) -> None:
    rows = run(slug)
    assert rows, f"{slug} gave no rows on the example store"
    assert all(any(v is not None for v in row.values()) for row in rows)


def test_reports(run: Any) -> None:
    rows = run("reports")
    assert {r["code"] for r in rows} == CODES and len(rows) == 5


def test_mechanisms_practised_per_jurisdiction(run: Any) -> None:
    rows = run("mechanisms-practised-by-jurisdiction")
    assert {r["code"] for r in rows} == CODES
    assert all(r["evidence"] and r["mechanism"] for r in rows)


def test_jurisdictions_practising_a_given_mechanism_with_evidence(run: Any) -> None:
    rows = run("jurisdictions-practising-mechanism", mechanism="府院联动")
    assert {r["mechanism"] for r in rows} == {"府院联动"}
    assert {"330226", "411100"} <= {r["code"] for r in rows}
    assert all("府院" in r["evidence"] and r["report"].startswith("https://w3id.org/fazhi-kg/report/") for r in rows)
    everything = run("jurisdictions-practising-mechanism")
    assert len({r["mechanism"] for r in everything}) > 50


def test_co_adoption_pairs(run: Any) -> None:
    rows = run("co-adoption-pairs")
    counts = [r["jurisdictions"] for r in rows]
    assert counts == sorted(counts, reverse=True) and counts[-1] >= 2 and counts[0] == 5
    top = rows[0]
    assert top["mechanism_a"] != top["mechanism_b"] and len(top["where_both"].split("、")) == 5


def test_first_year_each_jurisdiction_reports_a_mechanism(run: Any) -> None:
    rows = run("first-year-reported")
    assert {r["code"] for r in rows} == CODES
    assert all(2021 <= r["first_year"] <= r["last_year"] <= 2023 for r in rows)
    assert {r["first_year"] for r in rows if r["code"] == "330226"} == {2021}


def test_problems_plans_and_recommendations(run: Any) -> None:
    problems = run("problems-reported")
    assert problems and all(r["evidence"] for r in problems)
    plans = run("plans")
    assert "120117" in {r["code"] for r in plans}
    recommended = run("recommendations")
    assert {r["code"] for r in recommended} == {"411100"}  # only the congress inspection report recommends


def test_most_cited_documents_and_their_issuers(run: Any) -> None:
    rows = run("most-cited-documents")
    assert [r["reports"] for r in rows] == sorted((r["reports"] for r in rows), reverse=True)
    outline = next(r for r in rows if r["document"] == "法治政府建设实施纲要(2021-2025年)")
    assert outline["reports"] >= 2 and "国务院" in outline["issuers"] and "中共中央" in outline["issuers"]


def test_documents_jurisdictions_issued_themselves(run: Any) -> None:
    rows = run("documents-issued-by-jurisdictions")
    assert {"120117", "230108", "320205"} <= {r["code"] for r in rows}
    assert any(r["document"] == "宁河区行政诉讼败诉案件追责办法" for r in rows)


def test_agencies_of_a_jurisdiction(run: Any) -> None:
    rows = run("agencies-of-jurisdiction", jurisdiction="天津市宁河区")
    assert {r["jurisdiction"] for r in rows} == {"天津市宁河区"}
    assert "天津市宁河区人民政府" in {r["agency"] for r in rows}
    assert all(r["mentions"] >= 1 and r["reports"] == 1 for r in rows)


def test_honors_and_recipients(run: Any) -> None:
    rows = run("honors-and-recipients")
    assert all(r["recipient"] and r["evidence"] for r in rows)
    assert any("枫桥式公安派出所" in r["honor"] for r in rows)
    assert any(r["recipient"] != r["jurisdiction"] for r in rows)  # some go to a named agency


def test_one_statistic_across_jurisdictions(run: Any) -> None:
    rows = run("statistic-across-jurisdictions", indicator="行政机关负责人出庭应诉率")
    assert {r["indicator"] for r in rows} == {"行政机关负责人出庭应诉率"}
    assert len({r["code"] for r in rows}) >= 3
    assert all(r["unit"] == "%" and 0 <= r["value"] <= 100 for r in rows)
    indicators = {r["indicator"] for r in run("indicators-reported")}
    assert {"行政机关负责人出庭应诉率", "行政复议申请"} <= indicators


def test_reports_per_province_and_year(run: Any) -> None:
    rows = run("reports-per-province-and-year")
    assert {r["province"] for r in rows} == {"天津市", "河南省", "浙江省", "黑龙江省", "江苏省"}
    assert sum(r["reports"] for r in rows) == 5


def test_categories_programs_and_mentions(run: Any) -> None:
    categories = run("mechanism-categories")
    assert any(r["category"] == "矛盾纠纷化解" and r["stance"] == "practised" and r["jurisdictions"] == 5 for r in categories)
    assert run("programs-and-campaigns")
    mentions = run("mentions-per-report")
    assert len({r["title"] for r in mentions}) == 5 and "mechanism" in {r["type"] for r in mentions}


def test_a_bad_header_names_the_file_and_line(tmp_path: Path) -> None:
    from kg.errors import DataFileError

    with pytest.raises(DataFileError, match="x.rq: no '# description:'"):
        parse_saved("# title: t\nSELECT * {}", tmp_path / "x.rq")
    with pytest.raises(DataFileError, match=r"y.rq:3: a param line"):
        parse_saved("# title: t\n# description: d\n# param: x blob help\nSELECT * {}", tmp_path / "y.rq")


def test_parameters_bind_terms_of_their_kind() -> None:
    assert Param("m", "zh", "").term("府院联动") == ox.Literal("府院联动", language="zh")
    assert Param("y", "integer", "").term("2023") == ox.Literal("2023", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    assert Param("i", "iri", "").term("http://x/") == ox.NamedNode("http://x/")
    with pytest.raises(ValueError, match="'y' takes an integer"):
        Param("y", "integer", "").term("twenty")
    with pytest.raises(ValueError, match="'i' takes an IRI"):
        Param("i", "iri", "").term("not an iri")
