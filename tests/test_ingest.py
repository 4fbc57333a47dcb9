"""Tests of kg.ingest: reading, decoding, HTML, boilerplate, the normalised match form."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import ingest
from kg.config import ROOT
from kg.errors import DataFileError, InputError

EXAMPLES = ROOT / "examples" / "reports"

# (file, first line = the title, the header line the metadata stage reads)
EXAMPLE_HEADS = [
    (
        "000_232ff2299bc2df5b.txt",
        "天津市宁河区人民政府2023年法治政府建设情况报告",
        "来源:\xa0 天津市宁河区人民政府 发布时间:\xa02024-03-07 10:11",
    ),
    ("001_e10a0e56933b9f5e.txt", "关于全市2023年法治政府建设情况的视察报告", "时间:2024-03-01来源:"),
    (
        "002_b8d8df5b3e13fe6a.txt",
        "2021年宁海县人民政府法治政府建设工作报告",
        "发布时间:2022-03-31 10:02:41 信息来源:宁海县人民政府",
    ),
    ("003_f5c466d3cd50af3f.txt", "平房区2023年法治政府建设情况报告", "来源:平房区司法局时间:2024-02-28"),
    ("004_ab064c072fb254ba.txt", "无锡市锡山区人民政府2022年法治政府建设工作报告", "发布时间:2023-02-08"),
]
BOILERPLATE = [
    "分享到",
    "当前位置",
    "ICP备",
    "网站标识码",
    "打印页面",
    "关闭页面",
    "版权所有",
    "网站地图",
    "浏览次数",
    "字号",
    "老年模式",
    "IE版本",
    "【年度报告】",
]

# A report in traditional characters that Big5 can encode, and the same in simplified ones.
TRAD = """臺北市政府2023年法治政府建設情況報告

發佈時間：2024年3月1日

2023年，本市堅持以法治思維和法治方式推進各項工作，全面推進依法行政，法治政府建設取得顯著成效。現將有關情況報告如下：

一、加強黨的領導，健全法治建設工作機制

市政府主要負責同志切實履行推進法治建設第一責任人職責，召開常務會議專題研究法治政府建設工作，組織領導幹部學法用法，全年開展專題學法十二次，實現全覆蓋。

二、深化行政執法體制改革

全面推行行政執法公示制度、執法全過程記錄制度和重大執法決定法制審核制度，嚴格規範公正文明執法，行政執法質量和效能顯著提高。

三、依法化解社會矛盾糾紛

堅持和發展新時代「楓橋經驗」，健全行政複議、行政調解、人民調解相銜接的多元化解機制，全年辦理行政複議案件三十五件，辦結率百分之百。"""
SIMP = """台北市政府2023年法治政府建设情况报告

发布时间：2024年3月1日

2023年，本市坚持以法治思维和法治方式推进各项工作，全面推进依法行政，法治政府建设取得显著成效。现将有关情况报告如下：

一、加强党的领导，健全法治建设工作机制

市政府主要负责同志切实履行推进法治建设第一责任人职责，召开常务会议专题研究法治政府建设工作，组织领导干部学法用法，全年开展专题学法十二次，实现全覆盖。

二、深化行政执法体制改革

全面推行行政执法公示制度、执法全过程记录制度和重大执法决定法制审核制度，严格规范公正文明执法，行政执法质量和效能显著提高。

三、依法化解社会矛盾纠纷

坚持和发展新时代“枫桥经验”，健全行政复议、行政调解、人民调解相衔接的多元化解机制，全年办理行政复议案件三十五件，办结率百分之百。"""


def example_text(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


def last_paragraph(raw: str) -> str:
    return [line.strip() for line in raw.split("\n") if len(line.strip()) >= 100][-1]


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def error_of(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        ingest.read(path)
    assert caught.value.path == str(path)
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)
    return caught.value


# --------------------------------------------------------------------------- the examples


@pytest.mark.parametrize(("name", "title", "header"), EXAMPLE_HEADS)
def test_example_starts_with_title_and_header(name: str, title: str, header: str) -> None:
    report = ingest.read(EXAMPLES / name)
    lines = [line for line in report.text.split("\n") if line]
    assert lines[0] == title
    assert lines[1] == header


@pytest.mark.parametrize(("name", "title", "header"), EXAMPLE_HEADS)
def test_example_loses_boilerplate_and_keeps_body(name: str, title: str, header: str) -> None:
    raw = example_text(name)
    report = ingest.read(EXAMPLES / name)
    for chrome in BOILERPLATE:
        assert chrome not in report.text, chrome
    assert last_paragraph(raw) in report.text
    if not name.startswith("003"):  # 003 ends with its signature and date, tested below
        assert report.text.endswith(last_paragraph(raw))
    body = [line.strip() for line in raw.split("\n") if len(line.strip()) >= 40 and "。" in line]
    assert all(line in report.text for line in body)


def test_example_keeps_signature_and_date() -> None:
    text = ingest.read(EXAMPLES / "003_f5c466d3cd50af3f.txt").text
    assert text.endswith("哈尔滨市平房区人民政府\n\n2024年2月27日")


@pytest.mark.parametrize(("name", "title", "header"), EXAMPLE_HEADS)
def test_example_report_fields(name: str, title: str, header: str) -> None:
    report = ingest.read(EXAMPLES / name)
    assert report.source == str(EXAMPLES / name)
    assert report.encoding == "utf-8"
    assert report.stages == ["ingest"]
    assert len(report.norm) == len(report.text)
    assert report.id == ingest.report_id(report.norm)
    assert len(report.id) == 16
    assert int(report.id, 16) >= 0
    assert report.warnings == []
    assert "\n\n\n" not in report.text
    assert all(line == line.strip() for line in report.text.split("\n"))


def test_cleaned_text_cleans_to_itself() -> None:
    text = ingest.read(EXAMPLES / "000_232ff2299bc2df5b.txt").text
    assert ingest.clean(text) == text


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("codec", "expected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),
        ("gb18030", "gb18030"),
        ("gbk", "gb18030"),
    ],
)
def test_encodings_decode_to_the_same_report(tmp_path: Path, codec: str, expected: str) -> None:
    raw = example_text("002_b8d8df5b3e13fe6a.txt")
    reference = ingest.read(EXAMPLES / "002_b8d8df5b3e13fe6a.txt")
    report = ingest.read(write(tmp_path, f"r.{codec}.txt", raw.encode(codec)))
    assert report.encoding == expected
    assert report.text == reference.text
    assert report.id == reference.id


def test_gb2312_text_decodes_as_gb18030(tmp_path: Path) -> None:
    report = ingest.read(write(tmp_path, "r.txt", SIMP.encode("gb2312")))
    assert report.encoding == "gb18030"
    assert report.text == ingest.clean(SIMP)


def test_big5_traditional_report(tmp_path: Path) -> None:
    as_utf8 = ingest.read(write(tmp_path, "a.txt", TRAD.encode("utf-8")))
    as_big5 = ingest.read(write(tmp_path, "b.txt", TRAD.encode("big5")))
    assert as_big5.encoding == "big5"
    assert as_big5.text == as_utf8.text == ingest.clean(TRAD)


def test_traditional_and_simplified_report_share_an_id(tmp_path: Path) -> None:
    traditional = ingest.read(write(tmp_path, "t.txt", TRAD.encode("big5")))
    simplified = ingest.read(write(tmp_path, "s.txt", SIMP.encode("gbk")))
    assert traditional.text != simplified.text
    assert traditional.norm == simplified.norm
    assert traditional.id == simplified.id


def test_same_report_saved_twice_has_one_id(tmp_path: Path) -> None:
    raw = example_text("001_e10a0e56933b9f5e.txt")
    first = ingest.read(write(tmp_path, "one.txt", raw.encode("utf-8")))
    second = ingest.read(write(tmp_path, "two.txt", raw.replace("\n", "\r\n").encode("gb18030")))
    assert first.id == second.id
    assert first.source != second.source


def test_utf16_without_bom(tmp_path: Path) -> None:
    report = ingest.read(write(tmp_path, "r.txt", SIMP.encode("utf-16-le")))
    assert report.encoding == "utf-16-le"
    assert report.text == ingest.clean(SIMP)


def test_a_few_bad_bytes_are_replaced_with_a_warning(tmp_path: Path) -> None:
    data = example_text("001_e10a0e56933b9f5e.txt").encode("utf-8")
    middle = len(data) // 2
    data = data[:middle] + b"\xff" + data[middle:]
    report = ingest.read(write(tmp_path, "r.txt", data))
    assert report.encoding == "utf-8"
    assert report.text.count("\ufffd") >= 1
    assert report.warnings and "U+FFFD" in report.warnings[0]


def test_decode_returns_text_and_encoding() -> None:
    assert ingest.decode("法治政府".encode("gb18030"), "x.txt")[1] == "gb18030"
    assert ingest.decode(b"\xef\xbb\xbf" + "法治".encode(), "x.txt") == ("法治", "utf-8-sig")


# --------------------------------------------------------------------------- HTML

BODY_HTML = "\n".join(
    f"<p>{line}</p>"
    for line in SIMP.split("\n")[4:]
    if line  # the numbered headings and paragraphs of SIMP
)


def test_html_page_decodes_to_its_body(tmp_path: Path) -> None:
    page = f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>台北市政府2023年法治政府建设情况报告_台北市人民政府</title>
<script>var share = "分享到"; document.write("<p>脚本</p>");</script>
<style>p {{ color: red }}</style></head>
<body>
<div class="ie">IE版本小于11,为了不影响您的浏览效果,请升级IE版本!</div>
<header><a href="/">台北市人民政府门户网站</a></header>
<nav><ul><li>首页</li><li>政务公开</li><li>办事服务</li></ul></nav>
<div class="crumb">当前位置：<a>首页</a> &gt; <a>政务公开</a> &gt; <a>通知公告</a></div>
<div class="article">
<h1>台北市政府2023年法治政府建设情况报告</h1>
<div class="info">发布时间：2024年3月1日&nbsp;&nbsp;浏览次数：12 <span>【字号：大 中 小】</span></div>
<p>2023年，本市坚持以法治思维和法治方式推进各项工作，全面推进依法行政，法治
政府建设取得显著成效。现将有关情况报告如下：</p>
{BODY_HTML}
<p style="display: none">隐藏的文字</p>
</div>
<div class="share">分享到：<a>微信</a><a>微博</a></div>
<div class="tools">【打印页面】【关闭页面】</div>
<footer><p>版权所有：台北市人民政府办公厅 京ICP备12345678号</p></footer>
</body></html>"""
    report = ingest.read(write(tmp_path, "page.html", page.encode("gbk")))
    assert report.encoding == "gb18030"
    lines = [line for line in report.text.split("\n") if line]
    assert lines[0] == "台北市政府2023年法治政府建设情况报告"
    assert lines[1].startswith("发布时间：2024年3月1日")
    assert "法治政府建设取得显著成效" in report.text  # a source line break between Han characters joined
    assert lines[-1] == SIMP.split("\n")[-1]
    for chrome in [
        "var share",
        "脚本",
        "color",
        "首页",
        "政务公开",
        "门户网站",
        "隐藏",
        "微信",
        "ICP备",
        "浏览次数",
        "字号",
    ]:
        assert chrome not in report.text, chrome


def test_html_title_is_used_when_the_body_has_none(tmp_path: Path) -> None:
    page = (
        f"<html><head><title>某区2023年法治政府建设情况报告 - 某区政府网</title></head><body>{BODY_HTML}</body></html>"
    )
    report = ingest.read(write(tmp_path, "page.htm", page.encode("utf-8")))
    assert report.text.split("\n")[0] == "某区2023年法治政府建设情况报告"


def test_html_by_content_in_a_txt_file(tmp_path: Path) -> None:
    page = f"<!doctype html><html><body><nav>首页</nav><br>{BODY_HTML}</body></html>"
    report = ingest.read(write(tmp_path, "saved.txt", page.encode("utf-8")))
    assert "<p>" not in report.text
    assert "首页" not in report.text
    assert report.text.startswith("2023年，本市坚持")


def test_html_meta_big5(tmp_path: Path) -> None:
    body = "".join(f"<p>{line}</p>" for line in TRAD.split("\n") if line)
    page = f'<html><head><meta charset="big5"><title>報告</title></head><body>{body}</body></html>'
    report = ingest.read(write(tmp_path, "big5.html", page.encode("big5")))
    assert report.encoding == "big5"
    assert report.text == ingest.clean(TRAD)


def test_html_big5_without_meta_and_a_long_head(tmp_path: Path) -> None:
    body = "".join(f"<p>{line}</p>" for line in TRAD.split("\n") if line)
    script = "<script>" + "var a = 1;\n" * 400 + "</script>"
    page = f"<html><head>{script}</head><body>{body}</body></html>"
    report = ingest.read(write(tmp_path, "big5.htm", page.encode("big5")))
    assert report.encoding == "big5"
    assert report.text == ingest.clean(TRAD)


def test_html_to_text_entities_and_breaks() -> None:
    body, title = ingest.html_to_text(
        "<title>标题</title><p>甲&amp;乙<br>丙&nbsp;丁</p><table><tr><td>一</td><td>二</td></tr></table>"
    )
    assert title == "标题"
    assert [line.strip() for line in body.split("\n") if line.strip()] == ["甲&乙", "丙\xa0丁", "一 二"]


def test_boilerplate_before_the_body_is_dropped_and_the_body_kept() -> None:
    paragraphs = SIMP.split("\n")
    page = "\n".join([paragraphs[0], "分享到：", "【打印页面】", *paragraphs[1:]])
    assert ingest.clean(page) == SIMP


def test_rules_leave_the_body_alone() -> None:
    paragraphs = SIMP.split("\n")
    page = "\n".join([*paragraphs[:8], "首页", *paragraphs[8:]])  # a menu word between two paragraphs
    assert "\n首页\n" in ingest.clean(page)


def test_a_header_line_ending_in_page_tools_keeps_its_labels() -> None:
    page = "XX区2023年法治政府建设年度报告\n\n来源:XX区司法局 发布时间:2024-03-28 16:42 字号:大 中 小 【打印】\n\n" + SIMP
    cleaned = ingest.clean(page)
    assert "来源:XX区司法局 发布时间:2024-03-28 16:42\n" in cleaned and "打印" not in cleaned
    assert "【打印】" not in ingest.clean("XX区2023年法治政府建设年度报告\n【打印】 【关闭】\n" + SIMP)


def test_tail_cuts_everything_after_the_last_paragraph() -> None:
    page = SIMP + "\n\n相关链接：\n国务院\n省政府\n扫一扫在手机打开当前页"
    assert ingest.clean(page) == SIMP


def test_module_doctests() -> None:
    import doctest

    assert doctest.testmod(ingest).failed == 0


# --------------------------------------------------------------------------- bad inputs


def test_empty_file(tmp_path: Path) -> None:
    assert error_of(write(tmp_path, "empty.txt", b"")).reason == "empty file"


def test_png_renamed_txt(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)) * 4
    assert error_of(write(tmp_path, "picture.txt", png)).reason == "binary file (PNG image), not text"


def test_pdf_renamed_txt(tmp_path: Path) -> None:
    assert "PDF document" in error_of(write(tmp_path, "doc.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")).reason


def test_binary_with_nul_bytes(tmp_path: Path) -> None:
    data = bytes(range(256)) * 20
    assert error_of(write(tmp_path, "blob.txt", data)).reason == "binary file (contains NUL bytes), not text"


def test_mojibake_utf8_read_as_latin1(tmp_path: Path) -> None:
    raw = example_text("000_232ff2299bc2df5b.txt")
    garbled = raw.encode("utf-8").decode("latin-1").encode("utf-8")
    assert "mojibake" in error_of(write(tmp_path, "latin1.txt", garbled)).reason


def test_mojibake_utf8_read_as_cp1252(tmp_path: Path) -> None:
    raw = example_text("000_232ff2299bc2df5b.txt")
    garbled = raw.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8")
    assert "mojibake" in error_of(write(tmp_path, "cp1252.txt", garbled)).reason


def test_mojibake_utf8_read_as_gbk(tmp_path: Path) -> None:
    raw = example_text("002_b8d8df5b3e13fe6a.txt")
    garbled = raw.encode("utf-8").decode("gb18030", errors="replace").replace("\ufffd", "").encode("utf-8")
    reason = error_of(write(tmp_path, "gbk.txt", garbled)).reason
    assert "mojibake" in reason
    assert "common" in reason


def test_mojibake_gbk_read_as_utf8(tmp_path: Path) -> None:
    raw = example_text("002_b8d8df5b3e13fe6a.txt")
    garbled = raw.encode("gbk").decode("utf-8", errors="replace").encode("utf-8")
    assert "mojibake" in error_of(write(tmp_path, "lost.txt", garbled)).reason


def test_random_bytes_read_as_gb18030(tmp_path: Path) -> None:
    import random

    rng = random.Random(7)
    data = bytes(rng.randrange(0x81, 0xFF) for _ in range(6000))
    assert "mojibake" in error_of(write(tmp_path, "noise.txt", data)).reason


def test_english_page(tmp_path: Path) -> None:
    page = "Annual report on the rule of law. " * 200
    reason = error_of(write(tmp_path, "english.txt", page.encode("cp1252"))).reason
    assert reason.startswith("does not look like a report: 0 Chinese characters")


def test_too_little_chinese(tmp_path: Path) -> None:
    page = "当前位置：首页\n法治政府建设情况报告\n发布时间：2024-03-07\n本页内容已删除。\n分享到"
    assert error_of(write(tmp_path, "short.txt", page.encode("utf-8"))).reason.startswith("does not look like a report")


def test_missing_file(tmp_path: Path) -> None:
    assert error_of(tmp_path / "nothing.txt").reason == "no such file or directory"


def test_directory_named_txt(tmp_path: Path) -> None:
    folder = tmp_path / "x.txt"
    folder.mkdir()
    assert error_of(folder).reason == "is a directory, not a file"


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "secret.txt", SIMP.encode("utf-8"))

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert error_of(path).reason == "permission denied"


# --------------------------------------------------------------------------- iter_inputs


def test_iter_inputs_walks_folders_sorted(tmp_path: Path) -> None:
    for name in ["b/2.txt", "b/1.HTM", "a.txt", "c.html", "notes.md", ".hidden/x.txt", "b/.y.txt", "b/c/3.Txt"]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    found = list(ingest.iter_inputs([tmp_path, tmp_path / "a.txt"]))
    assert found == [
        tmp_path / "a.txt",
        tmp_path / "b/1.HTM",
        tmp_path / "b/2.txt",
        tmp_path / "b/c/3.Txt",
        tmp_path / "c.html",
    ]


def test_iter_inputs_reports_bad_paths_and_goes_on(tmp_path: Path) -> None:
    good = write(tmp_path, "good.txt", b"x")
    other = write(tmp_path, "table.xyz", b"x")
    empty = tmp_path / "empty"
    empty.mkdir()
    found = list(ingest.iter_inputs([tmp_path / "missing.txt", other, good, empty]))
    assert len(found) == 4
    missing, unsupported, path, nothing = found
    assert isinstance(missing, InputError)
    assert missing.path == str(tmp_path / "missing.txt")
    assert missing.reason == "no such file or directory"
    assert isinstance(unsupported, InputError)
    assert unsupported.reason == "unsupported file type .xyz (supported: .htm, .html, .txt)"
    assert path == good
    assert isinstance(nothing, InputError)
    assert "no report files" in nothing.reason


def test_iter_inputs_accepts_strings(tmp_path: Path) -> None:
    good = write(tmp_path, "good.txt", b"x")
    assert list(ingest.iter_inputs([str(good)])) == [good]


# --------------------------------------------------------------------------- normalise


def test_normalise_full_width_and_traditional() -> None:
    assert ingest.normalise("ＡＢ１２３（）") == "AB123()"
    assert ingest.normalise("區縣") == "区县"
    assert ingest.normalise("臺灣　於是") == "台湾 于是"


def test_normalise_keeps_chinese_punctuation_and_simplified_text() -> None:
    kept = "、。“”‘’《》〈〉【】——〇"
    assert ingest.normalise(kept) == kept
    assert ingest.normalise("，：；（）！？") == ",:;()!?"
    for simplified in ["显著", "全覆盖", "乾坤", "慰藉", "哪吒"]:
        assert ingest.normalise(simplified) == simplified


def test_normalise_fixes_bad_table_rows() -> None:
    assert ingest.normalise("餘鍾鐘") == "余钟钟"
    assert ingest.normalise("委託剪綵") == "委托剪彩"


def test_normalise_variants() -> None:
    assert ingest.normalise("「楓橋經驗」") == "“枫桥经验”"
    assert ingest.normalise("二○二三年") == "二〇二三年"
    assert ingest.normalise("｢法治｣､") == "“法治”、"
    assert ingest.normalise("⾏政\u00a0执法") == "行政 执法"  # a Kangxi radical, a no-break space


def test_offsets_carry_over() -> None:
    report = ingest.read(EXAMPLES / "000_232ff2299bc2df5b.txt")
    for i, char in enumerate(report.text):
        assert report.norm[i] == ingest.normalise(char)
    text = "ＡＢ１２３（區縣）　法治"
    norm = ingest.normalise(text)
    for i, char in enumerate(text):
        assert norm[i] == char or norm[i] == ingest.normalise(char)


@settings(max_examples=300)
@given(st.text())
def test_normalise_keeps_length(text: str) -> None:
    norm = ingest.normalise(text)
    assert len(norm) == len(text)
    assert ingest.normalise(norm) == norm


HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x62FF)


@settings(max_examples=50)
@given(st.lists(st.text(HAN, min_size=40, max_size=120).map(lambda s: s + "。"), min_size=1, max_size=8))
def test_clean_never_drops_a_paragraph(paragraphs: list[str]) -> None:
    page = "\n".join(["当前位置：首页 > 政务公开", "首页", *paragraphs, "分享到：", "版权所有"])
    assert ingest.clean(page) == "\n".join(paragraphs)


# --------------------------------------------------------------------------- data files


def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    ontology = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology" / "ingest", ontology / "ingest")
    monkeypatch.setenv("FAZHI_KG_ONTOLOGY", str(ontology))
    return ontology / "ingest"


def test_boilerplate_rules_are_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = data_copy(tmp_path, monkeypatch)
    with (folder / "boilerplate.tsv").open("a", encoding="utf-8") as rules:
        rules.write("line\t^本页责任编辑\tan editor credit\n")
        rules.write("line\t^校对：|审核：.+$\ta top-level | is searched on the whole line\n")
    page = SIMP + "\n本页责任编辑：张三\n校对：李四\n编辑 审核：王五"
    assert ingest.clean(page) == SIMP


def test_bad_boilerplate_rule_names_file_and_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = data_copy(tmp_path, monkeypatch)
    (folder / "boilerplate.tsv").write_text("# header\nline\t^首页$\tok\nstrip\t^x\tbad kind\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        ingest.clean(SIMP)
    assert str(caught.value).startswith(f"{folder / 'boilerplate.tsv'}:3: unknown kind 'strip'")


def test_bad_override_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = data_copy(tmp_path, monkeypatch)
    (folder / "t2s_overrides.tsv").write_text("著\t着着\ttwo characters\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="t2s_overrides.tsv:1"):
        ingest.normalise("著")
