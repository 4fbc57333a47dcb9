"""kg.candidates: shaped terms no vocabulary knows, ranked; a curator's new row is used by the next build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import config
from kg import vocab as vocabulary
from kg.candidates import SHAPES_FILE, Known, collect, find, load_shapes
from kg.cli import main
from kg.errors import DataFileError

from .conftest import EXAMPLES, ROOT

NINGHE = EXAMPLES / "000_232ff2299bc2df5b.txt"
NEW_ROW = "mediation-n-plus-model,矛盾调解“N+”模式,N-plus mediation model,dispute-resolution,“N+”模式,,Ninghe (Tianjin)\n"


@pytest.fixture(scope="module")
def shapes() -> object:
    return load_shapes(ROOT / "ontology")


@pytest.fixture(scope="module")
def known(shapes: object) -> Known:
    return Known(vocabulary.load(), shapes)  # type: ignore[arg-type]


def terms(text: str, shapes: object) -> list[tuple[str, str]]:
    return [(f.kind, f.term) for f in find(text, shapes)]  # type: ignore[arg-type]


def unknown(text: str, shapes: object, known: Known) -> list[str]:
    spans = known.spans(text)
    return [f.term for f in find(text, shapes) if not known(f, spans)]  # type: ignore[arg-type]


def test_quoted_terms_and_suffix_shapes_with_leading_verbs_trimmed(shapes: object) -> None:
    assert terms("创新搭建“暖企云”平台。", shapes) == [("mechanism", "暖企云")]
    assert terms("建立政策解读向下传递机制。", shapes) == [("mechanism", "政策解读向下传递机制")]
    assert terms("三是持续完善培训常态化机制。", shapes) == [("mechanism", "培训常态化机制")]
    assert ("mechanism", "共同化解争议机制") in terms("与区检察院建立共同化解争议机制,", shapes)
    assert terms("区访调委工作法被评为先进。", shapes)[0] == ("mechanism", "区访调委工作法")


def test_n_plus_x_shapes_and_nested_terms(shapes: object) -> None:
    assert terms("通过“3+N+X”机制协调撤诉。", shapes) == [("mechanism", "“3+N+X”机制")]
    # the outer term stands for the quoted one inside it
    assert terms("构建矛盾调解“N+”模式。", shapes) == [("mechanism", "矛盾调解“N+”模式")]
    assert terms("提供“12348”热线", shapes) == []  # a quoted number is no term


def test_agency_shapes(shapes: object) -> None:
    assert ("agency", "区级分中心") in terms("649项事项下沉区级分中心,", shapes)
    assert ("agency", "公安宁河分局") in terms("公安宁河分局俵口派出所被评为", shapes)
    assert terms("在区政府门户网站发布", shapes) == []  # 网站 is no agency
    assert terms("城市智能运营中心建设", shapes) == []  # 城市 is no prefix
    assert terms("制定《平房区灾害事故信息报送暂行办法》", shapes) == []  # 办法 is no 办


def test_known_terms_are_no_candidates(shapes: object, known: Known) -> None:
    text = "健全府院联动机制,深化“证照分离”改革,全面启动“八五”普法,落实约谈通报等工作机制,市委依法治市办督察。"
    assert unknown(text, shapes, known) == []
    assert unknown("创新“法治督查+党委巡察”双察驱动机制。", shapes, known) == []
    assert unknown("采取“一把手述法+书记点评+现场评议”模式。", shapes, known) == ["“一把手述法+书记点评+现场评议”模式"]
    assert unknown("下沉区级分中心。", shapes, known) == ["区级分中心"]


def test_bad_shape_rows_name_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "cues").mkdir()
    path = tmp_path / SHAPES_FILE
    path.write_text("# shapes\nkind,regex,note\nmechanism,“(.+)”,quoted\nplace,x,?\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"candidate_shapes\.csv:4: column 'kind' has value 'place'"):
        load_shapes(tmp_path)
    path.write_text("kind,regex,note\nmechanism,(unclosed,bad\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"candidate_shapes\.csv:2: bad regex"):
        load_shapes(tmp_path)


@pytest.mark.slow
def test_candidates_of_the_examples_are_ranked_with_examples() -> None:
    result = collect([EXAMPLES], config.load(environ={}))
    assert result.reports == 5 and not result.failed
    by_term = {c.term: c for c in result.candidates}
    for term in ("矛盾调解“N+”模式", "区访调委工作法", "“一把手述法+书记点评+现场评议”模式", "公安宁河分局", "区级分中心"):
        assert term in by_term, term
        assert term in by_term[term].example
    assert "府院联动机制" not in by_term and "证照分离" not in by_term
    ranks = [c.rank() for c in result.candidates]
    assert ranks == sorted(ranks)
    top = result.candidates[0]
    assert len(top.reports) >= 2 and len(top.jurisdictions) >= 2
    assert all(len(c.reports) >= 2 for c in collect([EXAMPLES], config.load(environ={}), min_reports=2).candidates)


@pytest.mark.slow
def test_a_curator_s_new_mechanism_is_found_by_the_next_extraction(tmp_path: Path) -> None:
    """Add a candidate to a copy of ontology/: it leaves the candidates and the next extraction finds it."""
    from kg.pipeline import Pipeline

    ontology = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", ontology)
    settings = config.load({"ontology": str(ontology)}, environ={})
    assert "矛盾调解“N+”模式" in {c.term for c in collect([NINGHE], settings).candidates}

    with (ontology / "vocab" / "mechanisms.csv").open("a", encoding="utf-8") as f:
        f.write(NEW_ROW)

    assert "矛盾调解“N+”模式" not in {c.term for c in collect([NINGHE], settings).candidates}
    from_env = config.load(environ={"FAZHI_KG_ONTOLOGY": str(ontology)})
    report = Pipeline(from_env).report(NINGHE)
    found = [m for m in report.mentions if m.concept == "mediation-n-plus-model"]
    assert [(m.type, m.text, m.canonical) for m in found] == [("mechanism", "矛盾调解“N+”模式", "矛盾调解“N+”模式")]
    # the original vocabulary does not know it
    assert vocabulary.load(ROOT / "ontology").lookup("mechanism", "矛盾调解“N+”模式") is None


def test_the_command_prints_json_and_names_unreadable_inputs(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["candidates", str(NINGHE), "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert found["reports"] == 1
    assert {c["term"] for c in found["candidates"]} >= {"矛盾调解“N+”模式", "公安宁河分局"}
    assert all({"kind", "term", "reports", "jurisdictions", "uses", "example"} <= c.keys() for c in found["candidates"])
    assert {tuple(c["jurisdictions"]) for c in found["candidates"]} == {("天津市宁河区",)}

    text = CliRunner().invoke(main, ["candidates", str(NINGHE), "--kind", "agency"]).output
    assert "公安宁河分局" in text and "矛盾调解" not in text

    result = CliRunner().invoke(main, ["candidates", str(NINGHE), str(tmp_path / "missing.txt"), "--limit", "3"])
    assert result.exit_code == 1
    assert "missing.txt" in result.output and "the first 3 shown" in result.output
