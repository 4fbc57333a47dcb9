"""The controlled vocabularies and cue tables of ontology/ and their loader kg.vocab."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from kg import vocab
from kg.errors import DataFileError
from kg.ingest import normalise, read

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology"
EXAMPLES = ROOT / "examples" / "reports"
VOC = vocab.load(ONTOLOGY)
CJK = re.compile(r"[\u4e00-\u9fff]")
OWN_FILES = [ONTOLOGY / name for name in vocab.FILES]


def concept_rows(path: Path) -> list[dict[str, str]]:
    lines = [
        line for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")
    ]
    return list(csv.DictReader(lines))


# -- every file is well formed ---------------------------------------------------------------


@pytest.mark.parametrize("path", OWN_FILES, ids=lambda p: p.name)
def test_every_file_explains_its_columns_in_comment_lines(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#")
    header = next(line for line in lines if not line.startswith("#"))
    comments = "\n".join(line for line in lines if line.startswith("#"))
    for column in header.split(","):
        assert column in comments, f"{path.name}: column {column!r} is not explained"


@pytest.mark.parametrize("scheme", vocab.SCHEMES)
def test_every_concept_has_an_id_chinese_and_english_label_and_category(scheme: str) -> None:
    spec = next(s for s in vocab.SPECS if s.name == scheme)
    concepts = VOC.concepts(scheme)
    assert concepts
    for concept in concepts.values():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", concept.id)
        assert CJK.search(concept.pref_zh), concept.id
        assert concept.pref_en and not CJK.search(concept.pref_en), concept.id
        assert concept.labels[0] == concept.pref_zh
        if spec.has_categories:
            assert concept.category in VOC.categories(scheme), concept.id
        else:
            assert concept.category is None


def test_counts_per_vocabulary() -> None:
    assert len(VOC.concepts("mechanism")) >= 200
    assert len(VOC.concepts("agency_kind")) >= 100
    assert len(VOC.concepts("indicator")) >= 40
    assert len(VOC.concepts("program")) >= 40
    assert len(VOC.concepts("honor")) >= 30
    assert len(VOC.concepts("national_organ")) >= 30
    assert 6 <= len(VOC.categories("mechanism")) <= 12


def test_no_label_is_shared_by_two_concepts() -> None:
    """Recomputed from the files: one owner per normalised label in each label space."""
    for space in {s.label_space for s in vocab.SPECS}:
        owners: dict[str, tuple[str, str]] = {}
        for spec in (s for s in vocab.SPECS if s.label_space == space):
            for row in concept_rows(ONTOLOGY / spec.file):
                labels = [row["pref_zh"], *[a for a in row.get("alt_labels", "").split("|") if a]]
                for label in labels:
                    owner = owners.setdefault(normalise(label), (spec.name, row["id"]))
                    assert owner == (spec.name, row["id"]), f"{label!r}: {owner} and {(spec.name, row['id'])}"


def test_no_label_is_a_width_variant_of_another_label_of_its_concept() -> None:
    for scheme in vocab.SCHEMES:
        for concept in VOC.concepts(scheme).values():
            forms = [vocab.normalise(label) for label in concept.labels]
            assert len(forms) == len(set(forms)), concept.id


@pytest.mark.parametrize("spec", vocab.SPECS, ids=lambda s: s.name)
def test_rows_are_sorted_by_category_then_id(spec: vocab.SchemeSpec) -> None:
    rows = concept_rows(ONTOLOGY / spec.file)
    key = "category" if spec.has_categories else ("kind" if "kind" in spec.required else None)
    order = [(row[key] if key else "", row["id"]) for row in rows]
    assert order == sorted(order)


def test_categories_serve_existing_schemes_and_have_unique_ids() -> None:
    rows = concept_rows(ONTOLOGY / vocab.CATEGORIES_FILE)
    assert len({r["id"] for r in rows}) == len(rows)
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)
    for scheme in ("mechanism", "program", "honor", "agency_kind", "indicator"):
        assert VOC.categories(scheme)
    assert VOC.categories("national_organ") == {}


def test_every_indicator_unit_is_a_unit_and_units_are_well_formed() -> None:
    units = VOC.units()
    for concept in VOC.concepts("indicator").values():
        for unit in concept.extra["unit"].split("|"):
            assert unit in units, (concept.id, unit)
    assert VOC.concept("indicator", "reconsideration-applications").extra["unit"] == "件"
    assert VOC.concept("indicator", "responsible-person-appearance-rate").extra["unit"] == "%"
    assert units["万元"].multiplier == 10000 and units["万元"].base == "元" and units["万元"].kind == "money"
    assert {u.kind for u in units.values()} == set(vocab.UNIT_KINDS)
    for unit in (
        "件",
        "次",
        "人",
        "人次",
        "名",
        "个",
        "项",
        "场",
        "家",
        "批",
        "篇",
        "起",
        "户",
        "%",
        "‰",
        "元",
        "亿元",
        "天",
        "个工作日",
        "分钟",
        "小时",
    ):
        assert unit in units


# -- the names the brief and the design name -------------------------------------------------

MECHANISMS = [
    "枫桥经验",
    "新时代“枫桥经验”",
    "新时代枫桥经验",
    "“枫桥经验”",
    "府院联动",
    "府院联动机制",
    "府院互动",
    "府检联动",
    "一支队伍管执法",
    "证照分离",
    "放管服",
    "“放管服”改革",
    "一网通办",
    "跨省通办",
    "最多跑一次",
    "一件事一次办",
    "告知承诺制",
    "证明事项告知承诺制",
    "双随机、一公开",
    "双随机一公开",
    "行政执法三项制度",
    "行政执法公示制度",
    "谁执法谁普法",
    "“谁执法谁普法”普法责任制",
    "诉源治理",
    "会前学法",
    "包容审慎监管",
    "首违不罚",
    "轻微违法免罚",
    "非接触式执法",
    "以案释法",
    "法律顾问制度",
    "公职律师",
    "合法性审查",
    "重大行政决策程序",
    "行政规范性文件备案审查",
    "负责人出庭应诉",
    "行政复议体制改革",
    "综合行政执法改革",
    "街乡吹哨部门报到",
    "一网统管",
    "网格化管理",
    "多元化解",
    "三调联动",
    "访调对接",
    "诉调对接",
    "警调对接",
    "检调对接",
    "12345热线",
    "好差评",
    "容缺受理",
    "秒批",
    "帮代办",
    "信用修复",
    "府院府检联动",
    "法治副校长",
    "法律明白人",
    "领导干部学法用法",
    "旁听庭审",
    "述职述法",
    "述法",
    "N考合一",
]


@pytest.mark.parametrize("name", MECHANISMS)
def test_every_mechanism_the_brief_names_is_a_mechanism_label(name: str) -> None:
    assert normalise(name) in VOC.label_index("mechanism"), name


@pytest.mark.parametrize(
    ("scheme", "name", "expected"),
    [
        ("honor", "民主法治示范村", "democracy-village"),  # a title; creating them is the program below
        ("program", "民主法治示范村创建", "democracy-village-creation"),
        ("honor", "全国民主法治示范村（社区）", "national-democracy-village"),
        ("program", "一规划两纲要", "one-plan-two-outlines"),
        ("program", "“八五”普法", "eighth-five-year-publicity-plan"),
        ("program", "八五普法", "eighth-five-year-publicity-plan"),
        ("program", "“八五”普法规划", "eighth-five-year-publicity-plan"),
        ("program", "示范创建", "rule-of-law-government-demonstration-creation"),
        ("program", "全国法治政府建设示范市（县）创建", "rule-of-law-government-demonstration-creation"),
        ("program", "提升行政执法质量三年行动计划(2023-2025)", "enforcement-quality-three-year-action"),
        ("honor", "全国“枫桥式公安派出所”", "fengqiao-police-station"),
        ("honor", "枫桥式工作法", "fengqiao-working-method"),
        ("honor", "全国模范调解员", "model-mediator"),
        ("honor", "法治政府建设示范县", "rule-of-law-government-demonstration-locality"),
        ("honor", "全国法治政府建设示范市", "national-rule-of-law-government-demonstration-locality"),
        ("honor", "全国信访工作示范区", "petition-demonstration"),
        ("honor", "法治浙江(法治政府)建设示范县", "zhejiang-demonstration-county"),
        ("agency_kind", "司法厅", "justice-bureau"),
        ("agency_kind", "市场监管局", "market-regulation"),
        ("agency_kind", "人民代表大会常务委员会", "npc-standing-committee"),
        ("agency_kind", "纪委县监委", "discipline-supervision-commission"),
        ("agency_kind", "审信局", "administrative-approval-bureau"),
        ("agency_kind", "依法治区办", "rule-of-law-committee-office"),
        ("agency_kind", "区委依法治区办", "rule-of-law-committee-office"),
        ("agency_kind", "全面依法治县委员会", "rule-of-law-committee"),
        ("agency_kind", "人社局", "human-resources-bureau"),
        ("agency_kind", "卫健委", "health-commission"),
        ("agency_kind", "派出所", "police-station"),
        ("national_organ", "最高检", "supreme-procuratorate"),
        ("national_organ", "中央依法治国办", "central-rule-of-law-office"),
        ("indicator", "出庭应诉率", "responsible-person-appearance-rate"),
        ("indicator", "受理行政复议案件", "reconsideration-applications"),
        ("indicator", "案结事了率", "case-closure-rate"),
    ],
)
def test_named_concepts_sit_in_the_right_vocabulary(scheme: str, name: str, expected: str) -> None:
    found = VOC.lookup(scheme, name)
    assert found is not None and found.id == expected


def test_the_implementation_outline_is_a_document_not_a_program() -> None:
    for scheme in ("mechanism", "program", "honor"):
        assert VOC.lookup(scheme, "法治政府建设实施纲要") is None


def test_agency_kinds_carry_their_organ_kind() -> None:
    kinds = {c.id: c.extra["kind"] for c in VOC.concepts("agency_kind").values()}
    assert set(kinds.values()) <= set(vocab.ORG_KINDS)
    assert kinds["party-committee"] == "party-committee" and VOC.lookup("agency_kind", "区委") is not None
    # a department or office of the Party committee is not the committee
    assert kinds["organization-department"] == kinds["rule-of-law-committee-office"] == "party"
    assert kinds["peoples-government"] == "government"
    assert kinds["court"] == "court" and kinds["procuratorate"] == "procuratorate"
    assert kinds["discipline-supervision-commission"] == "discipline"
    assert kinds["npc-standing-committee"] == "congress" and kinds["cppcc"] == "cppcc"
    assert kinds["justice-office"] == "unit"
    assert VOC.concept("agency_kind", "justice-bureau").labels == ("司法局", "司法厅")


def test_a_combined_name_counts_as_each_mechanism_it_names() -> None:
    assert VOC.counts_as("mechanism", "court-procuratorate-government-linkage") == (
        "court-government-linkage",
        "procuratorate-government-linkage",
    )
    assert VOC.counts_as("mechanism", "fengqiao-experience") == ("fengqiao-experience",)


# -- the five examples -----------------------------------------------------------------------

#: (file prefix, scheme, text as written in the report, concept id)
EXAMPLE_NAMES = [
    ("000", "mechanism", "“N考合一”", "n-assessments-in-one"),
    ("000", "mechanism", "一把手述法", "leaders-report-on-rule-of-law"),
    ("000", "mechanism", "“一件事一次办”", "one-thing-once"),
    ("000", "mechanism", "“证照分离”改革", "permit-separation"),
    ("000", "mechanism", "“企业吹哨 律师报到”", "whistle-lawyer"),
    ("000", "mechanism", "基层“一支队伍管执法”", "one-team-enforcement"),
    ("000", "mechanism", "“法治督查+党委巡察”双察驱动机制", "rule-of-law-inspection-patrol-coordination"),
    ("000", "mechanism", "“三调”联动", "three-mediations-linkage"),
    ("000", "mechanism", "“拘调对接”", "police-mediation"),
    ("000", "mechanism", "行政复议体制改革", "reconsideration-reform"),
    ("000", "program", "法治建设“一规划两纲要”", "one-plan-two-outlines"),
    ("000", "program", "提升行政执法质量三年行动计划(2023-2025)", "enforcement-quality-three-year-action"),
    ("000", "program", "道路交通安全和运输执法领域突出问题专项整治", "road-traffic-enforcement-rectification"),
    ("000", "honor", "“枫桥式公安派出所”", "fengqiao-police-station"),
    ("000", "honor", "“枫桥式工作法”", "fengqiao-working-method"),
    ("000", "honor", "全国模范调解员", "model-mediator"),
    ("000", "honor", "“全国信访工作示范区”", "petition-demonstration"),
    ("001", "mechanism", "府院联动", "court-government-linkage"),
    ("001", "mechanism", "府检联动机制", "procuratorate-government-linkage"),
    ("001", "mechanism", "“放管服”改革", "fang-guan-fu"),
    ("001", "mechanism", "“两所一庭”联合调处机制", "two-offices-one-court"),
    ("001", "mechanism", "“谁执法谁普法”普法责任制", "responsibility-system-publicity"),
    ("001", "mechanism", "“一张清单管抽查”", "one-list-inspections"),
    ("001", "program", "重点领域行政执法突出问题专项整治行动", "key-area-enforcement-rectification"),
    ("001", "honor", "全国法治政府建设示范市", "national-rule-of-law-government-demonstration-locality"),
    ("001", "honor", "全省跨部门综合监管试点市", "cross-department-regulation-pilot"),
    ("002", "mechanism", "府院、府检联动机制", "court-procuratorate-government-linkage"),
    ("002", "mechanism", "“大综合一体化”行政执法改革", "big-integrated-enforcement"),
    ("002", "mechanism", "“百所联百会”", "law-firms-chambers"),
    ("002", "mechanism", "行政执法“三项制度”", "three-enforcement-systems"),
    ("002", "mechanism", "轻微违法行为告知承诺制", "minor-violation-commitment"),
    ("002", "mechanism", "行政争议发案量和败诉率“双下降”", "double-decrease"),
    ("002", "program", "“八五”普法", "eighth-five-year-publicity-plan"),
    ("002", "program", "民主法治示范村(社区)创建", "democracy-village-creation"),
    ("002", "honor", "“法治浙江(法治政府)建设示范县”", "zhejiang-demonstration-county"),
    ("002", "honor", "全国民主法治示范村", "national-democracy-village"),
    ("002", "honor", "省级金牌人民调解工作室", "gold-mediation-studio"),
    ("003", "mechanism", "年终述职述法", "leaders-report-on-rule-of-law"),
    ("003", "mechanism", "政府常务会议会前学法", "executive-meeting-law-study"),
    ("003", "mechanism", "包容审慎监管执法“四张清单”", "inclusive-prudent-regulation"),
    ("003", "mechanism", "信用修复", "credit-repair"),
    ("003", "mechanism", "行政争议诉源治理机制", "source-governance"),
    ("003", "mechanism", "“法律八进”", "law-into-eight"),
    ("003", "mechanism", "法律明白人", "legal-understanding-people"),
    ("003", "program", "法律援助惠民工程", "legal-aid-benefit-project"),
    ("003", "honor", "法治政府建设示范区", "rule-of-law-government-demonstration-locality"),
    ("004", "mechanism", "“一门一窗”", "one-window"),
    ("004", "mechanism", "长三角“一网通办”", "one-network"),
    ("004", "mechanism", "“跨省通办”", "cross-province"),
    ("004", "mechanism", "有件必备、有备必审、有错必纠", "normative-document-filing-review"),
    ("004", "mechanism", "“四治融合”", "three-governance-integration"),
    ("004", "mechanism", "“苏解纷”", "online-dispute-platform"),
    ("004", "program", "“大排查、大调解、促和谐”", "dispute-screening-campaign"),
    ("004", "program", "“信访突出问题攻坚化解年”活动", "petition-tackling-year"),
    ("000", "agency_kind", "依法治区办", "rule-of-law-committee-office"),
    ("000", "agency_kind", "访调委", "petition-mediation-committee"),
    ("001", "agency_kind", "审信局", "administrative-approval-bureau"),
    ("001", "agency_kind", "市场监管综合行政执法支队", "market-enforcement-detachment"),
    ("001", "agency_kind", "视察组", "congress-inspection-group"),
    ("002", "agency_kind", "纪委县监委", "discipline-supervision-commission"),
    ("003", "agency_kind", "铁路运输法院", "railway-court"),
    ("004", "agency_kind", "建设局", "housing-construction-bureau"),
    ("002", "national_organ", "中共中央办公厅", "cpc-general-office"),
    ("000", "indicator", "接收行政复议申请", "reconsideration-applications"),
    ("003", "indicator", "最多跑一次事项", "one-trip-items"),
    ("002", "indicator", "调处成功率", "mediation-success-rate"),
    ("004", "indicator", "行政复议案件直接纠错率", "reconsideration-correction-rate"),
]
_TEXTS = {p.name[:3]: read(p).norm for p in sorted(EXAMPLES.glob("*.txt"))}


@pytest.mark.parametrize(("prefix", "scheme", "text", "expected"), EXAMPLE_NAMES)
def test_names_written_in_the_examples_are_labels(prefix: str, scheme: str, text: str, expected: str) -> None:
    assert normalise(text) in _TEXTS[prefix], "the example does not write it so"
    found = VOC.lookup(scheme, text)
    assert found is not None and found.id == expected


def test_top_level_headings_of_the_examples_get_their_roles() -> None:
    expected = {
        "000": ["practice", "practice", "problem", "plan"],
        "001": ["practice", "problem", "recommendation"],
        "002": ["practice", "plan"],
        "003": ["practice"] * 9 + ["problem", "plan"],
        "004": ["practice"] * 6,
    }
    heading = re.compile(r"^[一二三四五六七八九十]{1,3}、[^。\n]*", re.M)
    for prefix, roles in expected.items():
        found = []
        for m in heading.finditer(_TEXTS[prefix]):
            cue = VOC.section_role(m.group().strip())
            found.append(cue.role if cue else "practice")  # a top-level heading without a cue is practice
        assert found == roles, prefix


@pytest.mark.parametrize(
    ("heading", "role"),
    [
        ("二、党政主要负责人履行推进法治建设第一责任人职责情况", "practice"),
        ("三、2023年度推进法治政府建设存在的不足和原因", "problem"),
        ("四、2024年度推进法治政府建设的主要安排", "plan"),
        ("二、存在的问题和2024年工作打算", "problem"),
        ("三、几点建议", "recommendation"),
        ("(一)持续优化法治营商环境", None),  # inherits from its parent
        ("(二)全面提升工作成效", None),  # a practice cue deep down would override a plan parent
    ],
)
def test_heading_cues(heading: str, role: str | None) -> None:
    cue = VOC.section_role(heading)
    assert (cue.role if cue else None) == role


@pytest.mark.parametrize(
    ("sentence", "role"),
    [
        (
            "2021年,我县法治政府建设取得了显著成绩,但与上级要求和群众期盼还存在一定差距,需要在今后工作中加以解决。",
            "problem",
        ),
        ("2023年,我区将认真落实中央、省、市有关法治政府建设各项决策部署。", "plan"),
        ("2023年,区委将法治建设纳入年度考核。", None),
        ("现将视察情况报告如下:", "background"),
    ],
)
def test_lead_cues(sentence: str, role: str | None) -> None:
    cue = VOC.section_role(sentence, "lead")
    assert (cue.role if cue else None) == role


@pytest.mark.parametrize(
    ("sentence", "role"),
    [
        ("行政复议首选率有待提高。", "problem"),
        ("基层执法人员专业能力相对薄弱。", "problem"),
        ("下一步将持续深化诉源治理。", "plan"),
        ("要严格落实“谁执法谁普法”普法责任制。", "recommendation"),
        ("将法治政府建设相关内容纳入考核评价指标体系。", None),
        ("针对存在的问题逐一整改。", None),
    ],
)
def test_sentence_stance_cues(sentence: str, role: str | None) -> None:
    cue = VOC.stance(sentence)
    assert (cue.role if cue else None) == role


@pytest.mark.parametrize(
    ("before", "after", "relation"),
    [
        ("制定", "", "issued"),
        ("区委、区政府联合印发", "", "issued"),
        ("与哈尔滨铁路运输法院共同签署了", "", "issued"),
        ("制定落实", "", "issued"),
        ("按照要求制定", "", "issued"),
        ("贯彻实施中共中央、国务院", "和省、市关于法治政府建设的总体部署", "cites"),
        ("严格落实中共中央办公厅、国务院办公厅", "", "cites"),
        ("组织新修订的", "的学习培训", "cites"),
        ("将", "纳入学习计划", "cites"),
        ("在", "等行政规范性文件出台前", "issued"),
        ("完成", "修编工作", "issued"),
        ("完成", "后评估", "cites"),
        ("1篇诉源治理工作纪实被", "刊发", "reported_in"),
        ("", "普法视频获全国法治动漫微视频优秀奖", None),
    ],
)
def test_document_relations(before: str, after: str, relation: str | None) -> None:
    verb = VOC.document_relation(before, after)
    assert (verb.relation if verb else None) == relation


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("中华人民共和国行政复议法", "law"),
        ("宁河区行政执法特约监督员管理办法", "rules"),
        ("重大行政决策程序暂行条例", "regulation"),
        ("法治政府建设实施纲要(2021—2025年)", "outline"),
        ("习近平法治思想学习纲要", "study-material"),
        ("锡山区行政规范性文件制定和备案审查管理实施办法(征求意见稿)", "rules"),
        ("宁海县行政争议发案量和败诉率“双下降”工作机制(试行)", "rules"),
        ("天津市宁河区人民政府2023年度重大行政决策事项目录", "list"),
        ("人民法院报", "publication"),
        ("关于废止和宣布失效一批文件的决定", "decision"),
        ("行政争议诉源治理合作备忘录", "agreement"),
        ("白蛇传·小青说亲", None),
    ],
)
def test_document_kinds_by_title_ending(title: str, kind: str | None) -> None:
    found = VOC.document_kind_of(title)
    assert (found.id if found else None) == kind


# -- API -------------------------------------------------------------------------------------


def test_lookups_normalise_width_and_traditional_characters() -> None:
    assert VOC.lookup("mechanism", "證照分離").id == "permit-separation"  # type: ignore[union-attr]
    assert VOC.lookup("mechanism", "１２３４５热线").id == "hotline-12345"  # type: ignore[union-attr]
    assert VOC.lookup("mechanism", "no such thing") is None


def test_unknown_scheme_and_id_raise_key_errors_naming_them() -> None:
    with pytest.raises(KeyError, match="no concept 'nope' in vocabulary 'mechanism'"):
        VOC.concept("mechanism", "nope")
    with pytest.raises(KeyError, match="unknown vocabulary scheme 'mechanisms'"):
        VOC.concepts("mechanisms")


def test_load_is_cached_until_a_file_changes_and_fingerprint_is_stable() -> None:
    assert vocab.load(ONTOLOGY) is VOC
    assert vocab.load(str(ONTOLOGY)) is VOC
    assert re.fullmatch(r"[0-9a-f]{64}", VOC.fingerprint())


# -- a curator's copy of the folder ----------------------------------------------------------


@pytest.fixture
def onto(tmp_path: Path) -> Path:
    folder = tmp_path / "ontology"
    for sub in ("vocab", "cues"):
        shutil.copytree(ONTOLOGY / sub, folder / sub)
    return folder


def append(path: Path, row: str) -> int:
    """Append one line; its line number."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text + row + "\n", encoding="utf-8")
    return len((text + row).splitlines())


def test_a_curators_new_row_is_picked_up(onto: Path) -> None:
    first = vocab.load(onto)
    assert first.lookup("mechanism", "接诉即办") is not None
    assert first.lookup("mechanism", "吹哨即办") is None
    append(
        onto / "vocab/mechanisms.csv",
        "whistle-handling,吹哨即办,Handling upon whistle,grassroots-governance,“吹哨即办”,,",
    )
    second = vocab.load(onto)
    assert second is not first and second.fingerprint() != first.fingerprint()
    assert second.lookup("mechanism", "“吹哨即办”").id == "whistle-handling"  # type: ignore[union-attr]
    assert first.lookup("mechanism", "吹哨即办") is None  # a loaded vocabulary never changes


def test_a_width_variant_of_a_label_of_the_same_concept_adds_nothing(onto: Path) -> None:
    append(
        onto / "vocab/mechanisms.csv",
        "width-test,宽度测试,Width test,grassroots-governance,宽度测试（一）|宽度测试(一),,",
    )
    voc = vocab.load(onto)
    assert voc.lookup("mechanism", "宽度测试(一)").id == "width-test"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("file", "row", "message"),
    [
        (
            "vocab/mechanisms.csv",
            "copy-of-fengqiao,府院联动,Copy,dispute-resolution,,,",
            "label '府院联动' already belongs to mechanism 'court-government-linkage'",
        ),
        (
            "vocab/programs.csv",
            "copy,新项目,Copy,action,府院联动机制,,",
            "label '府院联动机制' already belongs to mechanism",
        ),
        ("vocab/honors.csv", "copy,新称号,Copy,dispute-resolution,“八五”普法,,", "already belongs to program"),
        ("vocab/mechanisms.csv", "new-thing,新机制,New,nonsense,,,", "unknown category 'nonsense' for mechanism"),
        ("vocab/mechanisms.csv", "new-thing,新机制,New,action,,,", "unknown category 'action' for mechanism"),
        (
            "vocab/mechanisms.csv",
            "fengqiao-experience,新机制,New,dispute-resolution,,,",
            "duplicate id 'fengqiao-experience'",
        ),
        ("vocab/mechanisms.csv", "New_Thing,新机制,New,dispute-resolution,,,", "not ASCII kebab-case"),
        ("vocab/mechanisms.csv", "new-thing,新机制,,dispute-resolution,,,", "empty pref_en"),
        ("vocab/mechanisms.csv", "new-thing,,New,dispute-resolution,,,", "empty pref_zh"),
        ("vocab/mechanisms.csv", "new-thing,新机制,New,,,,", "empty category"),
        (
            "vocab/mechanisms.csv",
            "new-thing,新机制,New,dispute-resolution,,nothing-here,",
            "column 'includes' names 'nothing-here'",
        ),
        (
            "vocab/agency_kinds.csv",
            "new-kind,新局,New bureau,government-general,,ministry,",
            "column 'kind' has value 'ministry'",
        ),
        (
            "vocab/national_organs.csv",
            "new-organ,新部,New ministry,司法局,agency,",
            "label '司法局' already belongs to agency_kind 'justice-bureau'",
        ),
        ("vocab/indicators.csv", "new-indicator,新指标,New,supervision,,斤,", "unit '斤' is not a unit"),
        ("vocab/units.csv", "件,items again,count,1,,", "unit '件' is listed twice"),
        ("vocab/units.csv", "斤,jin,weight,1,,", "column 'kind' has value 'weight'"),
        ("vocab/document_kinds.csv", "memo,备忘,Memo,办法,", "suffix '办法' already belongs to document kind 'rules'"),
        ("vocab/categories.csv", "mechanism,new-cat,新类,New,", None),
        ("vocab/categories.csv", "widgets,new-cat,新类,New,", "column 'scheme' has value 'widgets'"),
        ("cues/section_roles.csv", 'problem,heading,"[一二",1.0,broken', "bad regex in column 'pattern'"),
        ("cues/section_roles.csv", "maybe,heading,存在,1.0,", "unknown role 'maybe'"),
        ("cues/section_roles.csv", "problem,footer,存在,1.0,", "column 'where' has value 'footer'"),
        ("cues/section_roles.csv", "problem,heading,存在,heavy,", "column 'weight' has value 'heavy'"),
        ("cues/stance.csv", 'plan,"(将",0.5,', "bad regex in column 'pattern'"),
        ("cues/document_verbs.csv", "adopted,before,采纳$,", "unknown relation 'adopted'"),
        ("cues/document_verbs.csv", 'issued,before,"制定(",', "bad regex"),
    ],
)
def test_malformed_rows_name_file_and_line(onto: Path, file: str, row: str, message: str | None) -> None:
    line = append(onto / file, row)
    if message is None:  # a well-formed row: loads
        vocab.load(onto)
        return
    with pytest.raises(DataFileError, match=re.escape(message)) as info:
        vocab.load(onto)
    assert info.value.path.endswith(file) and info.value.line == line
    assert str(info.value).startswith(f"{onto / file}:{line}: ")


def test_a_missing_column_names_the_header_line(onto: Path) -> None:
    path = onto / "vocab/indicators.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    lines[at] = lines[at].replace(",unit,", ",units,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="missing column") as info:
        vocab.load(onto)
    assert info.value.line == at + 1 and info.value.path.endswith("indicators.csv")


def test_a_missing_file_is_named(onto: Path) -> None:
    (onto / "cues/stance.csv").unlink()
    with pytest.raises(DataFileError, match="stance.csv: no such file"):
        vocab.load(onto)
