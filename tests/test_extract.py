"""The spaCy pipeline and its components."""

from __future__ import annotations

from pathlib import Path

from kg import config, extract, ingest, structure
from kg.extract import documents
from kg.extract.base import Candidate
from kg.matcher import PhraseIndex
from kg.model import Report

from .conftest import EXAMPLES

SETTINGS = config.load(environ={})


def run(text: str) -> Report:
    r = Report(source="t.txt", text=text, norm=ingest.normalise(text))
    structure.annotate(r, SETTINGS.ontology)
    return extract.annotate(r, SETTINGS)


def of_type(r: Report, etype: str) -> list[str]:
    return [m.text for m in r.mentions if m.type == etype]


def test_pipeline_is_spacy_blank_zh_with_our_components() -> None:
    nlp = extract.build_nlp(SETTINGS)
    assert nlp.lang == "zh"
    assert nlp.pipe_names == [name for name, _ in extract.COMPONENTS]


def test_phrase_index_prefers_leftmost_longest() -> None:
    idx = PhraseIndex({"枫桥经验": 1, "新时代“枫桥经验”": 2, "经验": 3})
    assert [(m.start, m.end, m.payload) for m in idx.find("坚持新时代“枫桥经验”")] == [(2, 11, 2)]


def test_mechanisms_programs_and_honors_from_the_vocabularies() -> None:
    r = run("一、主要举措\n坚持和发展新时代“枫桥经验”,深化府院联动机制,推行证照分离改革。深入开展“八五”普法。\n")
    mechs = {m.concept for m in r.mentions if m.type == "mechanism"}
    assert len(mechs) >= 3
    texts = of_type(r, "mechanism")
    assert any("枫桥经验" in t for t in texts)
    assert any("府院联动" in t for t in texts)
    assert of_type(r, "program")


def test_traditional_characters_match_the_same_concepts() -> None:
    simp = run("一、主要举措\n推行证照分离改革,深化府院联动。\n")
    trad = run("一、主要舉措\n推行證照分離改革,深化府院聯動。\n")
    assert {m.concept for m in simp.mentions} == {m.concept for m in trad.mentions}
    assert of_type(trad, "mechanism")[0] in trad.text


def test_agencies_with_relative_prefix_and_place_names() -> None:
    r = run("区司法局会同市人大常委会、哈尔滨市司法局开展督察。全市法院参加。\n")
    agencies = {m.text: m.attrs for m in r.mentions if m.type == "agency"}
    assert agencies["区司法局"]["relative"] == "区"
    assert agencies["市人大常委会"]["relative"] == "市"
    assert agencies["哈尔滨市司法局"]["place"] == "哈尔滨市"
    assert not any("全市法院" in t for t in agencies)


def test_documents_with_issuers_kind_and_self_issued() -> None:
    text = "贯彻中共中央、国务院《法治政府建设实施纲要(2021—2025年)》,印发《锡山区2022年法治政府建设工作计划》。\n"
    r = run(text)
    docs = {str(m.attrs["title"]): m.attrs for m in r.mentions if m.type == "document"}
    outline = docs["法治政府建设实施纲要(2021—2025年)"]
    assert len(outline["issuers"]) == 2 and outline["self_issued"] is False
    assert docs["锡山区2022年法治政府建设工作计划"]["self_issued"] is True
    assert outline["kind"] and docs["锡山区2022年法治政府建设工作计划"]["kind"]


def test_issuers_before_chains_agencies_with_joiners() -> None:
    text = "中共中央、国务院《纲要》"
    assert documents.issuers_before(text, 7, [(0, 4), (5, 8)]) == []
    assert documents.issuers_before(text, 7, [(0, 4), (5, 7)]) == [(0, 4), (5, 7)]


def test_statistics_with_indicator_value_unit_and_approximation() -> None:
    r = run("一、主要举措\n全年接收行政复议申请35件,行政机关负责人出庭应诉率100%。办理法律援助案件两千余件。\n")
    stats = {(m.attrs["indicator"], m.attrs["value"], m.attrs["unit"], m.attrs["approximate"]) for m in r.mentions if m.type == "metric"}
    values = {(v, u, a) for _, v, u, a in stats}
    assert (35, "件", False) in values
    assert (100, "%", False) in values
    assert (2000, "件", True) in values


def test_lone_chinese_numeral_is_not_a_statistic() -> None:
    r = run("推行一件事一次办,一支队伍管执法。\n")
    assert not of_type(r, "metric")


def test_mentions_carry_sentence_and_section_role() -> None:
    r = run("一、主要举措\n深化府院联动。\n二、存在的不足\n诉源治理不够深入。\n三、下一步工作打算\n推行首违不罚。\n")
    roles = {m.text: m.section_role for m in r.mentions if m.type == "mechanism"}
    assert roles.get("府院联动") == "practice"
    assert roles.get("诉源治理") == "problem"
    assert roles.get("首违不罚") == "plan"
    for m in r.mentions:
        assert m.sentence is not None
        s = r.sentences[m.sentence]
        assert s.start <= m.start < m.end <= s.end


def test_jurisdiction_inside_an_agency_name_is_not_a_mention_of_its_own() -> None:
    kept = extract.without_nested(
        [Candidate("agency", 0, 7, "k"), Candidate("jurisdiction", 0, 4), Candidate("jurisdiction", 10, 13)]
    )
    assert [(c.type, c.start) for c in kept] == [("agency", 0), ("jurisdiction", 10)]


def test_every_example_yields_mentions_of_each_core_type() -> None:
    for path in sorted(EXAMPLES.glob("*.txt")):
        r = ingest.read(path)
        structure.annotate(r, SETTINGS.ontology)
        extract.annotate(r, SETTINGS)
        types = {m.type for m in r.mentions}
        assert {"mechanism", "document", "agency"} <= types, path.name


def test_pkuseg_segmenter_keeps_every_term(tmp_path: Path) -> None:
    import spacy_pkuseg

    train = tmp_path / "train.txt"
    test = tmp_path / "test.txt"
    lines = ["坚持 府院 联动 机制 , 推行 证照 分离 改革 。", "区 司法局 开展 行政 复议 工作 。"] * 30
    train.write_text("\n".join(lines) + "\n", encoding="utf-8")
    test.write_text("\n".join(lines[:4]) + "\n", encoding="utf-8")
    model = tmp_path / "model"
    spacy_pkuseg.train(str(train), str(test), str(model), train_iter=1)
    pk = SETTINGS.with_(segmenter="pkuseg", pkuseg_model=str(model))
    nlp = extract.build_nlp(pk)
    doc = nlp("坚持府院联动机制,推行证照分离改革。")
    assert len(doc) < len(doc.text)  # words, not characters
    r = Report(source="t.txt", text=doc.text, norm=doc.text)
    structure.annotate(r, pk.ontology)
    extract.annotate(r, pk, nlp)
    char = run(doc.text)
    assert {(m.start, m.end, m.concept) for m in r.mentions} == {(m.start, m.end, m.concept) for m in char.mentions}


def test_concepts_inside_agency_names_and_titles_are_dropped() -> None:
    kept = extract.without_nested(
        [
            Candidate("agency", 0, 7, "k"),
            Candidate("mechanism", 2, 6, "m"),
            Candidate("document", 10, 30),
            Candidate("mechanism", 12, 20, "m"),
            Candidate("program", 12, 20, "p"),
            Candidate("mechanism", 40, 45, "m"),
        ]
    )
    assert [(c.type, c.start) for c in kept] == [("agency", 0), ("document", 10), ("program", 12), ("mechanism", 40)]


def test_a_calendar_year_is_not_a_duration() -> None:
    r = run("一、主要举措\n审议2023年度重大行政决策事项目录,确定重大行政决策事项10件。\n")
    values = [m.attrs["value"] for m in r.mentions if m.type == "metric"]
    assert values == [10]


def test_newspapers_and_works_in_titles_are_not_documents_but_nested_titles_are() -> None:
    r = run("经验做法被《法治日报》刊发,排演普法剧《守护》。印发《关于学习〈中华人民共和国行政复议法〉的通知》。\n")
    titles = sorted(str(m.attrs["title"]) for m in r.mentions if m.type == "document")
    assert titles == ["中华人民共和国行政复议法", "关于学习〈中华人民共和国行政复议法〉的通知"]


def test_agency_rules_for_session_numbers_the_verb_banli_and_titles() -> None:
    r = run("广州市第十六届人民代表大会常务委员会听取报告。协助市政府办理事项。制定《入驻区政务服务中心事项清单》。\n")
    agencies = {m.text: m.attrs for m in r.mentions if m.type == "agency"}
    assert agencies["广州市第十六届人民代表大会常务委员会"]["place"] == "广州市"
    assert "市政府办" not in agencies and "市政府" in agencies
    assert not any("政务服务中心" in t for t in agencies)


# ------------------------------------------------------------------- coordinated names


def concepts_of(text: str) -> dict[str, str]:
    """concept id -> the text of its first mechanism mention."""
    found: dict[str, str] = {}
    for m in run("一、主要举措\n" + text + "\n").mentions:
        if m.type == "mechanism" and m.concept:
            found.setdefault(m.concept, m.text)
    return found


def test_coordinated_names_share_a_head_written_once() -> None:
    # three lists under one head, past a counted gap (“三张 …”)
    found = concepts_of("全面推行行政许可事项、证明事项、工程建设项目审批事项“三张清单”管理。")
    assert {"licensing-item-list", "certification-item-list", "construction-approval-item-list"} <= set(found)
    assert found["certification-item-list"] == "证明事项、工程建设项目审批事项“三张清单"
    # groups' law study past 等重点对象, and a list joined by 和 with the head right after it
    found = concepts_of("抓好领导干部、青少年、企业经营管理人员等重点对象学法用法。")
    assert {"leading-cadres-law-study", "youth-legal-education", "business-managers-law-study"} <= set(found)
    assert "npc-supervision" in concepts_of("主动接受人大和政协监督。")


def test_a_head_that_belongs_to_the_last_conjunct_alone_is_not_shared() -> None:
    # 调解 completes 人民调解 only: 律师、公证 are services of their own, not 律师调解
    assert "lawyer-mediation" not in concepts_of("整合律师、公证、人民调解等法律服务资源。")
    # the head must follow the list or an allowed gap: 等各类监督的贯通协调 is neither
    found = concepts_of("推动审计监督与纪检监督、司法监督、统计监督、财会监督等各类监督的贯通协调。")
    assert {"audit-supervision", "judicial-supervision", "financial-supervision"} <= set(found)
    assert all("贯通协调" not in text for cid, text in found.items() if cid != "supervision-integration")
    # one conjunct completing is no evidence of a shared head
    assert "certification-item-list" not in concepts_of("推进证明事项、办税事项清单化。")


def test_a_coordinated_name_covered_by_a_label_is_that_label() -> None:
    found = concepts_of("邀请人大代表和政协委员列席政府常务会议。")
    assert "deputies-attend-meetings" in found
    assert "npc-supervision" not in found


def test_labels_match_with_the_level_written_in() -> None:
    for level in ("区", "县", "市"):
        assert "legal-affairs-attendance" in concepts_of(f"法制机构全程列席{level}政府常务会议。")
    assert "rule-of-law-in-cadre-training" in concepts_of("将习近平法治思想列入县委党校主体班次。")


def test_coordination_cues_with_a_bad_row_name_file_and_line(tmp_path: Path) -> None:
    import shutil

    from kg.errors import DataFileError
    from kg.extract import coordination

    onto = tmp_path / "ontology"
    shutil.copytree(SETTINGS.ontology, onto)
    path = onto / "cues" / "coordination.csv"
    path.write_text(path.read_text(encoding="utf-8") + "gap,“[一二三,broken\n", encoding="utf-8")
    try:
        coordination.load_rules(onto)
    except DataFileError as exc:
        assert "coordination.csv" in str(exc) and "bad regex" in str(exc)
        assert f":{len(path.read_text(encoding='utf-8').splitlines())}" in str(exc)
    else:
        raise AssertionError("a bad regex was accepted")
    path.write_text("kind,pattern\nlist,、\n", encoding="utf-8")
    try:
        coordination.load_rules(onto)
    except DataFileError as exc:
        assert "coordination.csv:2" in str(exc) and "'list'" in str(exc)
    else:
        raise AssertionError("an unknown kind was accepted")
