"""Tests of kg.metadata: the five example reports, composed reports of other places and levels,
and each find_* helper alone.

Reports are built here without kg.ingest: ``text`` is the page as scraped (boilerplate included, which
the stage must survive) and ``norm`` its full-width -> half-width form, the same length.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import metadata as md
from kg.errors import DataFileError
from kg.gazetteer import Gazetteer, get_gazetteer
from kg.model import Report

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "reports"
_HALF = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def make(text: str, norm: str | None = None) -> Report:
    return Report(source="test", text=text, norm=norm if norm is not None else text.translate(_HALF))


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return get_gazetteer()


def run(text: str, gaz: Gazetteer, norm: str | None = None) -> Report:
    return md.annotate(make(text, norm), gaz)


def place(r: Report) -> tuple[str, str, str] | None:
    j = r.jurisdiction
    return (j.full_name, j.code, j.level) if j else None


# --------------------------------------------------------------------------- the five examples

FIVE = {
    "000_232ff2299bc2df5b.txt": (
        "天津市宁河区人民政府2023年法治政府建设情况报告",
        ("天津市宁河区", "120117", "county"),
        2023,
        "2024-03-07",
        "government_report",
        "天津市宁河区人民政府",
        "天津市宁河区人民政府",
    ),
    "001_e10a0e56933b9f5e.txt": (
        "关于全市2023年法治政府建设情况的视察报告",
        ("河南省漯河市", "411100", "prefecture"),
        2023,
        "2024-03-01",
        "congress_inspection",
        "市人大常委会视察组",
        None,
    ),
    "002_b8d8df5b3e13fe6a.txt": (
        "2021年宁海县人民政府法治政府建设工作报告",
        ("浙江省宁波市宁海县", "330226", "county"),
        2021,
        "2022-03-31",
        "government_report",
        "宁海县人民政府",
        "宁海县人民政府",
    ),
    "003_f5c466d3cd50af3f.txt": (
        "平房区2023年法治政府建设情况报告",  # the 【年度报告】 column tag is stripped
        ("黑龙江省哈尔滨市平房区", "230108", "county"),
        2023,
        "2024-02-28",  # the header's 时间 wins over the signature's 2024年2月27日
        "government_report",
        "哈尔滨市平房区人民政府",  # the signing body; the publisher is the source label
        "平房区司法局",
    ),
    "004_ab064c072fb254ba.txt": (
        "无锡市锡山区人民政府2022年法治政府建设工作报告",
        ("江苏省无锡市锡山区", "320205", "county"),  # not 无锡市 of the 无锡市司法局 footer
        2022,
        "2023-02-08",
        "government_report",
        "无锡市锡山区人民政府",
        None,
    ),
}


@pytest.mark.parametrize("name", sorted(FIVE))
def test_example_report(name: str, gaz: Gazetteer) -> None:
    title, where, year, published, doc_type, issuer, source = FIVE[name]
    r = run((EXAMPLES / name).read_text(encoding="utf-8"), gaz)
    assert r.title == title
    assert place(r) == where
    assert r.report_year == year
    assert r.published == published
    assert r.doc_type == doc_type
    assert r.issuer == issuer
    assert r.source_label == source
    assert r.stages == ["metadata"]
    assert not [w for w in r.warnings if "jurisdiction" in w]


@pytest.mark.parametrize("name", sorted(FIVE))
def test_example_report_after_ingest(name: str, gaz: Gazetteer) -> None:
    from kg import ingest

    r = md.annotate(ingest.read(EXAMPLES / name), gaz)
    title, where, year, published, doc_type, _, _ = FIVE[name]
    assert (r.title, place(r), r.report_year, r.published, r.doc_type) == (title, where, year, published, doc_type)


def test_report_json_of_an_example(gaz: Gazetteer) -> None:
    r = run((EXAMPLES / "000_232ff2299bc2df5b.txt").read_text(encoding="utf-8"), gaz)
    assert r.report_json()["jurisdiction"] == {"name": "天津市宁河区", "code": "120117", "level": "county"}


# --------------------------------------------------------------------------- composed reports

TOWNSHIP = """华亭镇2023年法治政府建设工作情况报告
发布时间：2024-01-25
2023年，华亭镇在嘉定区委、区政府的坚强领导下，深入学习贯彻习近平法治思想，全面推进依法行政，我镇法治政府建设取得新进展。现将有关情况报告如下：
一、主要举措和成效
（一）加强组织领导。镇党委、镇政府主要负责人切实履行推进法治建设第一责任人职责，全镇各村居法律顾问实现全覆盖。我镇组织开展学法活动12次。
（二）推进综合执法。落实嘉定区“一支队伍管执法”改革要求，全年办理行政处罚案件36件。
二、存在的不足
基层执法力量仍显薄弱。
三、下一步工作打算
2024年，我镇将持续深化法治建设。
华亭镇人民政府
2024年1月20日
"""

COUNTY_CITY = """建德市人民政府关于2022年法治政府建设情况的报告
来源：建德市司法局　　发布时间：2023-03-28 16:02
2022年，在杭州市委、市政府和建德市委的坚强领导下，我市深入贯彻习近平法治思想，全面推进法治政府建设，全市法治政府建设工作取得明显成效。现将有关情况报告如下：
一、2022年法治政府建设主要举措和成效
（一）深化“放管服”改革。我市持续推进“最多跑一次”改革，政务服务事项全部实现网上可办。
二、存在的问题
法治宣传的针对性有待加强。
三、2023年工作安排
我市将继续深化法治政府建设。
建德市人民政府
2023年3月20日
"""

DEPARTMENT = """杭州市司法局2023年度法治政府建设情况报告
发布日期：2024-02-26
2023年，市司法局在市委、市政府和省司法厅的坚强领导下，坚持以习近平法治思想为指导，我局法治政府建设各项工作扎实推进。现将有关情况报告如下：
一、主要工作
（一）履行法治建设第一责任人职责。局党委将法治建设纳入年度工作要点，全市司法行政系统深化行政复议体制改革。
（二）严格规范公正文明执法。我局全年办理行政许可事项120件。
二、存在的不足
执法监督信息化水平有待提升。
杭州市司法局
2024年2月26日
"""

BANNER = """宁波市人民政府门户网站
2019年5月6日 星期一
首页 > 政务公开 > 法治政府建设
余姚市人民政府关于2023年法治政府建设情况的报告
发布时间：2024-03-20 09:30　　信息来源：余姚市司法局
2023年，我市在宁波市委、市政府的坚强领导下，深入贯彻落实习近平法治思想，全面推进法治政府建设。现将有关情况报告如下：
一、主要举措和成效
（一）优化法治化营商环境。我市深入推进“放管服”改革，宁波市营商环境评价中我市位列前茅。
二、存在的不足
部分单位依法行政意识有待增强。
主办：宁波市人民政府办公厅 版权所有
浙ICP备05003204号
"""

SIGNATURE_ONLY = """关于2023年度法治政府建设情况的报告
2023年，在市委、市政府和县委的坚强领导下，我县深入学习贯彻习近平法治思想，全面推进依法行政，全县法治政府建设取得积极成效。现将有关情况报告如下：
一、主要举措和成效
（一）加强党对法治政府建设的领导。我县将法治政府建设纳入全县经济社会发展总体规划。
二、存在的不足
乡镇合法性审查力量不足。
景宁畲族自治县人民政府
二〇二四年一月三十一日
"""

COUNTY_CONGRESS = """【人大视察】
关于全县2023年法治政府建设情况的调研报告
——2024年4月25日在德清县第十八届人民代表大会常务委员会第十五次会议上
县人大常委会调研组
县人大常委会：
根据县人大常委会2024年工作要点，4月上旬，县人大常委会调研组对全县2023年法治政府建设情况开展专题调研。现将调研情况报告如下：
一、基本情况
全县法治政府建设扎实推进。
"""

PREFECTURE_TITLE_COUNTY_SIGNATURE = """无锡市2022年法治政府建设工作报告
2022年，在区委的坚强领导下，我区深入推进法治政府建设，全区各项工作取得新成效。现将有关情况报告如下：
一、主要举措
我区深化“放管服”改革，在全市率先推出企业开办“一件事”。
无锡市锡山区人民政府
2023年2月8日
"""

AMBIGUOUS = """鼓楼区2023年法治政府建设情况报告
发布时间：2024-03-01
2023年，我区坚持以习近平新时代中国特色社会主义思想为指导，全面推进法治政府建设，全区各项工作取得新成效。现将有关情况报告如下：
一、主要举措和成效
我区深入推进依法行政，与秦淮区签订协作协议。
"""


def test_township_report(gaz: Gazetteer) -> None:
    r = run(TOWNSHIP, gaz)
    # 华亭镇 is also in 福建 莆田; 嘉定区 in the body decides
    assert place(r) == ("上海市嘉定区华亭镇", "310114:华亭镇", "township")
    assert r.jurisdiction.parents == ("310000", "310114")  # type: ignore[union-attr]
    assert (r.title, r.report_year, r.published) == ("华亭镇2023年法治政府建设工作情况报告", 2023, "2024-01-25")
    assert (r.doc_type, r.issuer) == ("government_report", "华亭镇人民政府")


def test_county_level_city_report(gaz: Gazetteer) -> None:
    r = run(COUNTY_CITY, gaz)
    assert place(r) == ("浙江省杭州市建德市", "330182", "county")
    assert (r.report_year, r.published, r.doc_type) == (2022, "2023-03-28", "government_report")
    assert (r.issuer, r.source_label) == ("建德市人民政府", "建德市司法局")


def test_department_report(gaz: Gazetteer) -> None:
    r = run(DEPARTMENT, gaz)
    assert r.doc_type == "department_report"
    assert place(r) == ("浙江省杭州市", "330100", "prefecture")
    assert (r.report_year, r.published, r.issuer) == (2023, "2024-02-26", "杭州市司法局")


def test_banner_of_another_city_and_stale_date_lose(gaz: Gazetteer) -> None:
    r = run(BANNER, gaz)
    assert r.title == "余姚市人民政府关于2023年法治政府建设情况的报告"
    assert place(r) == ("浙江省宁波市余姚市", "330281", "county")
    assert r.published == "2024-03-20"
    assert r.source_label == "余姚市司法局"


def test_jurisdiction_and_date_from_the_signature(gaz: Gazetteer) -> None:
    r = run(SIGNATURE_ONLY, gaz)
    assert place(r) == ("浙江省丽水市景宁畲族自治县", "331127", "county")
    assert r.published == "2024-01-31"
    assert (r.report_year, r.doc_type, r.issuer) == (2023, "government_report", "景宁畲族自治县人民政府")


def test_county_congress_inspection(gaz: Gazetteer) -> None:
    r = run(COUNTY_CONGRESS, gaz)
    assert r.title == "关于全县2023年法治政府建设情况的调研报告"
    assert place(r) == ("浙江省湖州市德清县", "330521", "county")
    assert (r.doc_type, r.issuer, r.report_year) == ("congress_inspection", "县人大常委会调研组", 2023)
    assert r.published is None  # a meeting date is no publication date
    assert any("publication date" in w for w in r.warnings)


def test_self_reference_prefers_the_county_inside_the_named_prefecture(gaz: Gazetteer) -> None:
    r = run(PREFECTURE_TITLE_COUNTY_SIGNATURE, gaz)
    assert place(r) == ("江苏省无锡市锡山区", "320205", "county")


def test_ambiguous_name_is_not_guessed(gaz: Gazetteer) -> None:
    r = run(AMBIGUOUS, gaz)
    # 秦淮区 is in 南京, so context makes it 南京's 鼓楼区
    assert place(r) == ("江苏省南京市鼓楼区", "320106", "county")
    bare = run(AMBIGUOUS.replace("，与秦淮区签订协作协议", ""), gaz)
    assert bare.jurisdiction is None
    assert any("鼓楼区" in w and "ambiguous" in w for w in bare.warnings)


def test_title_as_written_matching_on_norm(gaz: Gazetteer) -> None:
    text = "天津市寧河區人民政府2023年法治政府建設情況報告\n發布時間：2024-03-07\n2023年，寧河區堅持依法行政。\n"
    norm = "天津市宁河区人民政府2023年法治政府建设情况报告\n发布时间:2024-03-07\n2023年,宁河区坚持依法行政。\n"
    assert len(text) == len(norm)
    r = run(text, gaz, norm)
    assert r.title == "天津市寧河區人民政府2023年法治政府建設情況報告"
    assert place(r) == ("天津市宁河区", "120117", "county")
    assert r.published == "2024-03-07"


def test_nothing_found_warns(gaz: Gazetteer) -> None:
    r = run("一些与报告无关的文字。\n另一行文字。\n", gaz)
    assert (r.title, r.jurisdiction, r.published, r.report_year, r.doc_type) == (None, None, None, None, "other")
    assert len(r.warnings) >= 4
    assert r.stages == ["metadata"]


# --------------------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2024-03-07 10:11", "2024-03-07"),
        ("2024年3月7日", "2024-03-07"),
        ("2024/3/7", "2024-03-07"),
        ("2024.03.07", "2024-03-07"),
        ("二〇二四年二月二十七日", "2024-02-27"),
        ("二〇二三年十二月十日", "2023-12-10"),
        ("2024-02-30", None),
        ("无日期", None),
    ],
)
def test_parse_date(text: str, date: str | None) -> None:
    assert md.parse_date(text) == date


def test_title_skips_breadcrumbs_and_strips_the_tag() -> None:
    norm = "当前位置:首页 > 政务公开 > 法治政府建设情况报告\n【年度报告】XX区2023年法治政府建设情况报告\n正文。"
    title = md.find_title(norm)
    assert title is not None
    assert title.text == "XX区2023年法治政府建设情况报告"
    assert norm[title.start : title.end] == title.text


def test_title_split_over_two_lines_is_joined() -> None:
    title = md.find_title("天津市宁河区人民政府\n2023年法治政府建设情况报告\n正文。")
    assert title is not None
    assert title.text == "天津市宁河区人民政府2023年法治政府建设情况报告"


def test_title_prefers_a_dated_candidate() -> None:
    title = md.find_title("法治政府建设年度报告\nXX县人民政府关于2023年法治政府建设情况的报告\n正文。")
    assert title is not None and title.text.startswith("XX县")


def test_published_label_weights() -> None:
    norm = "XX县2023年法治政府建设情况报告\n成文日期:2024-01-02 发布日期:2024-01-05\n正文很长很长。"
    assert md.find_published(norm) == "2024-01-05"


def test_published_header_beats_signature() -> None:
    norm = (
        "XX区2023年法治政府建设情况报告\n来源:XX区司法局时间:2024-02-28\n"
        + "正文。" * 30
        + "\nXX区人民政府\n2024年2月27日\n"
    )
    assert md.find_published(norm) == "2024-02-28"
    assert md.find_published(norm.replace("时间:2024-02-28", "")) == "2024-02-27"


def test_report_year_sources() -> None:
    assert md.find_report_year("关于全市2023年法治政府建设情况的视察报告", "", None) == (2023, "title")
    assert md.find_report_year("二〇二二年度法治政府建设报告", "", None) == (2022, "title")
    assert md.find_report_year("法治政府建设情况报告", "前言。2022年,我县坚持依法行政。", None) == (2022, "body")
    assert md.find_report_year("法治政府建设情况报告", "没有年份。", "2024-03-01") == (2023, "published")
    assert md.find_report_year(None, "", None) == (None, "")
    # an inspection of the year under way, delivered in autumn: the publication year itself
    body = "根据常委会监督工作计划,视察组对全市法治政府建设情况进行了视察。今年以来,市政府坚持依法行政。"
    assert md.find_report_year("关于全市法治政府建设情况的视察报告", body, "2023-11-03") == (2023, "published")


def test_year_fallback_warns(gaz: Gazetteer) -> None:
    r = run("XX镇法治政府建设情况报告\n发布时间:2024-03-01\n我镇坚持依法行政。\n", gaz)
    assert r.report_year == 2023
    assert any("publication year" in w for w in r.warnings)


def test_self_reference() -> None:
    assert md.self_reference("我区坚持。全区推进。在全市率先。") == "区"
    assert md.self_reference("全县推进。我县落实。") == "县"
    assert md.self_reference("区委领导下。") is None


def test_doc_type_cues() -> None:
    assert md.find_doc_type("关于全市2023年法治政府建设情况的视察报告\n市人大常委会视察组\n正文。") == (
        "congress_inspection"
    )
    assert md.find_doc_type("XX区市场监管局2023年度法治政府建设年度报告\n正文。我局依法行政。") == "department_report"
    assert md.find_doc_type("XX县人民政府2023年法治政府建设情况报告\n正文。") == "government_report"
    assert md.find_doc_type("一则通知\n正文。") == "other"


def test_issuer_sources() -> None:
    assert md.find_issuer("2021年宁海县人民政府法治政府建设工作报告\n正文。") == "宁海县人民政府"
    assert md.find_issuer("XX区2023年法治政府建设情况报告\n" + "正文。" * 30 + "\nXX区人民政府\n2024年1月2日") == (
        "XX区人民政府"
    )


def test_zones_of_a_page() -> None:
    norm = (
        "网站首页\nXX区2023年法治政府建设情况报告\n发布时间:2024-01-01\n"
        + "正文。" * 30
        + "\nXX区人民政府\n2024年1月1日\n上一篇:YY市2022年法治政府建设情况报告\n版权所有"
    )
    z = md.find_zones(norm)
    assert [s.text for s in z.banner] == ["网站首页"]
    assert [s.text for s in z.header] == ["发布时间:2024-01-01"]
    assert [s.text for s in z.signature] == ["XX区人民政府", "2024年1月1日"]
    assert [s.text for s in z.footer] == ["上一篇:YY市2022年法治政府建设情况报告", "版权所有"]
    assert z.body.text.startswith("正文。")


def test_bad_cue_file_names_file_and_line(tmp_path: Path) -> None:
    cues = tmp_path / "cues"
    cues.mkdir()
    (cues / "metadata_lines.csv").write_text(
        "# c\nkind,where,pattern,weight\ntitle,,报告,1\ntitel,,x,1\n", encoding="utf-8"
    )
    (cues / "doc_types.csv").write_text("doc_type,where,pattern,weight\n", encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        md.load_cues(tmp_path)
    assert f"{cues / 'metadata_lines.csv'}:4" in str(err.value)
    (cues / "metadata_lines.csv").write_text("kind,where,pattern,weight\ntitle,,(报告,1\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="bad regex"):
        md.load_cues(tmp_path)
