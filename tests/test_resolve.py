"""Canonical entities: relative agency names, places in context, concepts, document titles."""

from __future__ import annotations

from kg import config, ingest
from kg.gazetteer import get_gazetteer
from kg.model import Report
from kg.pipeline import Pipeline
from kg.resolve import canonical_title, relative_unit

SETTINGS = config.load(environ={})


def resolved(text: str, pipeline: Pipeline) -> Report:
    return pipeline.process(ingest.from_bytes(text.encode("utf-8"), "t.txt"))


def agencies(r: Report) -> dict[str, str]:
    return {m.text: m.canonical for m in r.mentions if m.type == "agency"}


NINGHE = "天津市宁河区人民政府2023年法治政府建设情况报告\n" + "2023年,宁河区坚持依法行政,法治政府建设取得新成效。" * 10


def test_relative_agencies_resolve_against_the_report_chain(pipeline: Pipeline) -> None:
    r = resolved(NINGHE + "\n区司法局、市司法局和区市场监管局联合开展督察。\n", pipeline)
    a = agencies(r)
    assert a["区司法局"] == "天津市宁河区司法局"
    assert a["市司法局"] == "天津市司法局"
    assert a["区市场监管局"] == "天津市宁河区市场监督管理局"


def test_same_kind_in_different_places_is_never_merged(pipeline: Pipeline) -> None:
    r = resolved(NINGHE + "\n区司法局会同市司法局开展培训。\n", pipeline)
    iris = {m.text: m.iri for m in r.mentions if m.type == "agency"}
    assert iris["区司法局"] != iris["市司法局"]
    assert iris["区司法局"].endswith("/agency/120117/" + iris["区司法局"].rsplit("/", 1)[1])


def test_prefecture_level_report_resolves_city_and_province(pipeline: Pipeline) -> None:
    text = "哈尔滨市平房区2023年法治政府建设情况报告\n" + "2023年,平房区坚持依法行政,法治政府建设取得新成效。" * 10
    a = agencies(resolved(text + "\n市司法局和省司法厅指导区司法局工作。\n", pipeline))
    assert a["市司法局"] == "黑龙江省哈尔滨市司法局"
    assert a["区司法局"] == "黑龙江省哈尔滨市平房区司法局"
    assert a["省司法厅"].startswith("黑龙江省")


def test_relative_unit_picks_nearest_matching_level() -> None:
    gaz = get_gazetteer()
    pingfang = gaz.by_code("230108")
    assert pingfang is not None
    chain = gaz.chain(pingfang)
    assert relative_unit(chain, "市", ("prefecture", "province", "county")).code == "230100"  # type: ignore[union-attr]
    assert relative_unit(chain, "区", ("county",)).code == "230108"  # type: ignore[union-attr]
    assert relative_unit(chain, "县", ("county",)) is None


def test_places_resolve_with_context_and_ambiguous_ones_are_left_out(pipeline: Pipeline) -> None:
    r = resolved(NINGHE + "\n学习借鉴朝阳区和宁河县的经验。\n", pipeline)
    places = {m.text: m.attrs.get("code") for m in r.mentions if m.type == "jurisdiction"}
    assert places.get("宁河县") == "120117"  # a historical name resolves to today's unit
    assert "朝阳区" not in places
    assert any("朝阳区" in w for w in r.warnings)


def test_concepts_get_preferred_label_all_labels_and_iri(pipeline: Pipeline) -> None:
    r = resolved(NINGHE + "\n坚持和发展新时代“枫桥经验”。\n", pipeline)
    m = next(m for m in r.mentions if m.type == "mechanism")
    assert m.canonical == "枫桥经验"
    assert "新时代“枫桥经验”" in m.labels
    assert m.iri == "https://w3id.org/fazhi-kg/mechanism/fengqiao-experience"


def test_document_title_variants_share_one_canonical_title() -> None:
    assert canonical_title("法治政府建设实施纲要(2021—2025年)") == canonical_title("法治政府建设实施纲要（2021-2025年）")


def test_agency_names_keep_level_variants_and_party_departments(pipeline: Pipeline) -> None:
    a = agencies(resolved(NINGHE + "\n区委依法治区办、区委组织部和区委联合督察。\n", pipeline))
    assert a["区委依法治区办"] == "天津市宁河区委依法治区办"
    assert a["区委组织部"] == "天津市宁河区委组织部"
    assert a["区委"] == "天津市宁河区委"


def to_traditional(text: str) -> str:
    """Simplified -> traditional, one character for one, with jionlp's own table (test helper)."""
    import importlib.util
    import os

    locations = importlib.util.find_spec("jionlp").submodule_search_locations  # type: ignore[union-attr]
    assert locations
    table: dict[int, str] = {}
    path = os.path.join(locations[0], "dictionary", "sim2tra_char.txt")
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    for line in lines:
        simp, trads = line.split("\t")[:2]
        # a simplified character may stand for several traditional ones (干: 乾 幹 榦); take one
        # that reads back as the same simplified character, as 幹部 does for 干部
        fitting = [t for t in trads if len(simp) == 1 and ingest.normalise(t) == simp and t != simp]
        if fitting:
            table.setdefault(ord(simp), fitting[0])
    return text.translate(table)


def test_a_traditional_character_copy_gives_the_same_canonical_results(pipeline: Pipeline) -> None:
    from .conftest import EXAMPLE_FILES

    for path in EXAMPLE_FILES[:3]:
        simp = ingest.read(path)
        trad_text = to_traditional(simp.text)
        assert trad_text != simp.text
        trad = pipeline.process(ingest.from_bytes(trad_text.encode("utf-8"), "trad.txt"))
        simp = pipeline.process(simp)
        assert trad.id == simp.id  # one report, whatever the script
        assert trad.report_json() == simp.report_json() | {"title": trad.title}
        key = lambda r: sorted((m.type, m.start, m.end, m.canonical, m.iri) for m in r.mentions)  # noqa: E731
        assert key(trad) == key(simp), path.name


def test_law_titles_with_and_without_the_national_prefix_are_one_document(pipeline: Pipeline) -> None:
    r = resolved(NINGHE + "\n学习《行政复议法》和《中华人民共和国行政复议法》,制定《宁河区行政执法特约监督员管理办法》。\n", pipeline)
    docs = {m.text: m.iri for m in r.mentions if m.type == "document"}
    assert docs["《行政复议法》"] == docs["《中华人民共和国行政复议法》"]
    assert docs["《宁河区行政执法特约监督员管理办法》"].endswith("%E5%8A%9E%E6%B3%95")  # 办法, not a law


def test_honors_get_recipient_and_awarding_body(pipeline: Pipeline) -> None:
    r = resolved(
        NINGHE + "\n区司法局被司法部评为“全国普法工作先进单位”。区访调委工作法被评为天津市“枫桥式工作法”。"
        "我区连续3年创成“全国信访工作示范区”。\n",
        pipeline,
    )
    honors = [(m.attrs.get("recipient"), m.attrs.get("awarder")) for m in r.mentions if m.type == "honor"]
    assert ("天津市宁河区司法局", "司法部") in honors
    assert ("天津市宁河区访调委", None) in honors
    assert ("天津市宁河区", None) in honors


def test_split_names_and_named_units_under_their_agency(pipeline: Pipeline) -> None:
    text = NINGHE + "\n公安宁河分局俵口派出所被评为全国“枫桥式公安派出所”。\n"
    r = resolved(text, pipeline)
    a = {m.text: m for m in r.mentions if m.type == "agency"}
    unit = a["公安宁河分局俵口派出所"]
    assert unit.canonical == "天津市宁河区公安局俵口派出所"
    # the agency is part of the unit's name as written: its parent, not a mention of its own
    assert "公安宁河分局" not in a
    parent = unit.attrs["parent_agency"]
    assert parent["canonical"] == "天津市宁河区公安局" and parent["iri"].endswith("/agency/120117/public-security-bureau")
    assert unit.iri != parent["iri"] and "/agency/120117/" in unit.iri
    honor = next(m for m in r.mentions if m.type == "honor")
    assert honor.attrs["recipient"] == unit.canonical


def test_a_unit_without_a_name_of_its_own_sits_below_its_agency(pipeline: Pipeline) -> None:
    text = NINGHE + "\n推动区法院非诉分中心高效运行,区法院诉讼服务中心接待群众。区法院审结案件。\n"
    r = resolved(text, pipeline)
    a = {m.text: m for m in r.mentions if m.type == "agency"}
    unit = a["区法院非诉分中心"]
    assert unit.canonical == "天津市宁河区人民法院非诉讼服务中心"
    assert unit.iri.endswith("/agency/120117/court/non-litigation-service-center")
    assert a["区法院诉讼服务中心"].iri.endswith("/agency/120117/court/litigation-service-center")
    assert a["区法院"].iri == unit.attrs["parent_agency"]["iri"]  # standing alone, it is a mention


def test_a_unit_named_after_a_township_of_the_report_s_county(pipeline: Pipeline) -> None:
    text = NINGHE + "\n七里海司法所、东棘坨派出所开展联合调解。加强司法所规范化建设。黄花司法所参加。\n"
    r = resolved(text, pipeline)
    a = agencies(r)
    assert a["七里海司法所"] == "天津市宁河区七里海镇司法所"
    assert a["东棘坨派出所"] == "天津市宁河区东棘坨镇派出所"
    # 黄花镇 is a township of 长沙县, not of 宁河区; 加强 names no township: neither is an agency
    assert not any("黄花" in t or "加强" in t for t in a)
    assert not any("黄花" in w or "加强" in w for w in r.warnings)


def test_words_around_agency_names_that_make_them_something_else(pipeline: Pipeline) -> None:
    text = NINGHE + (
        "\n办理市人大代表建议12件、区政协委员提案9件。在区人民政府网站公开。"
        "社区调解室调解纠纷。区综治中心联合七里海司法所开展排查。"
        "区人大常委会法制工作委员会开展调研。\n"
    )
    a = agencies(resolved(text, pipeline))
    assert "市人大" not in a and "区政协" not in a  # deputies and members are people
    assert not any(t.startswith("区人民政府") for t in a)  # a website
    assert "区调解室" not in a  # 社区调解室: 区 is part of 社区
    assert a["区综治中心"] == "天津市宁河区综治中心"  # a unit does not own the next unit
    assert a["七里海司法所"] == "天津市宁河区七里海镇司法所"
    assert a["区人大常委会法制工作委员会"] == "天津市宁河区人大常委会法工委"
