"""The section tree, section roles and sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import ingest, structure
from kg.config import load
from kg.errors import DataFileError
from kg.model import Report

from .conftest import EXAMPLES

ONTOLOGY = load(environ={}).ontology


def built(name: str) -> Report:
    return structure.annotate(ingest.read(EXAMPLES / name), ONTOLOGY)


def report_of(text: str) -> Report:
    return structure.annotate(Report(source="t.txt", text=text, norm=ingest.normalise(text)), ONTOLOGY)


def top_sections(report: Report) -> list[tuple[str, str]]:
    return [(s.heading, s.role) for s in report.sections if s.parent is None]


def test_government_report_sections_and_roles() -> None:
    r = built("000_232ff2299bc2df5b.txt")
    assert top_sections(r) == [
        ("一、切实履行推进法治建设第一责任人职责", "practice"),
        ("二、主要举措和成效", "practice"),
        ("三、存在的不足和原因", "problem"),
        ("四、2024年度工作安排", "plan"),
    ]


def test_congress_report_roles() -> None:
    r = built("001_e10a0e56933b9f5e.txt")
    assert [role for _, role in top_sections(r)] == ["practice", "problem", "recommendation"]


def test_subsections_inherit_and_heading_stops_at_first_full_stop() -> None:
    r = built("000_232ff2299bc2df5b.txt")
    sub = next(s for s in r.sections if s.heading.startswith("(一)坚持党的全面领导"))
    assert sub.heading == "(一)坚持党的全面领导这一“根本保证”"
    assert sub.level == 2 and sub.parent == 0 and sub.role == "practice"
    plan = next(s for s in r.sections if s.heading == "四、2024年度工作安排")
    plan_items = [s for s in r.sections if s.parent == plan.index]
    assert plan_items and all(s.role == "plan" for s in plan_items)


def test_lead_paragraph_cues_override_the_section_role() -> None:
    # 004 closes its last practice section with a problems paragraph and a plans paragraph,
    # followed by plan items (一)…(五) that have no heading of their own
    r = built("004_ab064c072fb254ba.txt")
    problem = next(s for s in r.sentences if "仍然存在一定的差距" in r.text[s.start : s.end])
    plan = next(s for s in r.sentences if "我区将认真落实" in r.text[s.start : s.end])
    assert problem.role == "problem"
    assert plan.role == "plan"
    last = r.sections[-1]
    assert last.heading.startswith("(五)营造浓厚法治社会氛围") and last.role == "plan"


def test_text_before_the_first_heading_is_background() -> None:
    r = built("002_b8d8df5b3e13fe6a.txt")
    first = r.sentences[0]
    assert first.section is None and first.role == "background"


def test_sentences_cover_the_text_with_exact_offsets() -> None:
    r = built("003_f5c466d3cd50af3f.txt")
    assert r.sentences
    for a, b in zip(r.sentences, r.sentences[1:], strict=False):
        assert a.end <= b.start
    for s in r.sentences:
        piece = r.text[s.start : s.end]
        assert piece == piece.lstrip() and piece
        assert "\n" not in piece
    middle = r.sentences[len(r.sentences) // 2]
    assert r.sentence_at(middle.start) is middle
    assert r.sentence_at(middle.end - 1) is middle


def test_composed_report_with_numbered_and_yishi_levels() -> None:
    text = (
        "某某镇2023年法治政府建设工作情况报告\n"
        "一、主要工作\n"
        "1.强化组织领导。我镇成立工作专班。\n"
        "一是健全制度。二是加强培训。\n"
        "二、存在问题\n"
        "基层法治力量薄弱。\n"
        "三、下一步工作计划\n"
        "(1)深化诉源治理。\n"
    )
    r = report_of(text)
    assert [(s.heading, s.level, s.role) for s in r.sections] == [
        ("一、主要工作", 1, "practice"),
        ("1.强化组织领导", 3, "practice"),
        ("一是健全制度", 5, "practice"),
        ("二、存在问题", 1, "problem"),
        ("三、下一步工作计划", 1, "plan"),
        ("(1)深化诉源治理", 4, "plan"),
    ]
    assert r.sections[2].parent == 1 and r.sections[5].parent == 4


def test_bad_heading_pattern_names_file_and_line(tmp_path: Path) -> None:
    onto = tmp_path / "ontology"
    (onto / "cues").mkdir(parents=True)
    (onto / "cues" / "headings.csv").write_text("# c\nlevel,pattern,note\n1,\"[一二\",broken\n", encoding="utf-8")
    (onto / "cues" / "section_roles.csv").write_text("role,where,pattern,weight,note\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"headings\.csv:3: bad regex"):
        structure.load_headings(onto)
