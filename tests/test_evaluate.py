"""kg.evaluate: gold files, matching rules, the arithmetic of the scores, the examples' gold folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg import config
from kg import vocab as vocabulary
from kg.cli import main
from kg.evaluate import (
    ENTITY_TYPES,
    FIELDS,
    Counts,
    Gold,
    GoldError,
    evaluate,
    load_gold,
    render,
    score_report,
    title_key,
)
from kg.ingest import read
from kg.model import Jurisdiction, Mention, Report

from .conftest import EXAMPLES, ROOT

GOLD = ROOT / "examples" / "gold"
FIELD_VALUES = {
    "jurisdiction": "天津市宁河区",
    "level": "county",
    "report_year": 2023,
    "published": "2024-03-07",
    "doc_type": "government_report",
}
#: the issue's bar on examples/gold (today: documents 1.000, mechanisms 0.965, agencies 1.000,
#: governments 1.000)
F1_FLOORS = {"documents": 0.98, "mechanisms": 0.95, "agencies": 0.90, "governments": 0.95}
#: tests/data/composed: reports the project composed in the style of other provinces and levels.
#: Scored blind first (mechanisms 0.872, agencies 0.863, governments 0.961, documents 1.000);
#: today mechanisms 0.907, agencies 0.954, governments 0.987.  Floors a little below today's.
COMPOSED = ROOT / "tests" / "data" / "composed"
COMPOSED_FLOORS = {"documents": 0.98, "mechanisms": 0.88, "agencies": 0.92, "governments": 0.95}


def gold_json(**changes: Any) -> dict[str, Any]:
    gold: dict[str, Any] = {**FIELD_VALUES, "documents": [], "mechanisms": [], "agencies": [], "governments": []}
    gold.update(changes)
    return {"url": None, "gold": gold}


def write_gold(folder: Path, name: str, data: dict[str, Any] | str, text: str = "报告正文。\n") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    body = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    (folder / f"{name}.json").write_text(body, encoding="utf-8")


def mention(type_: str, text: str, concept: str | None = None, **attrs: Any) -> Mention:
    return Mention(type=type_, start=0, end=len(text), text=text, concept=concept, attrs=attrs)  # type: ignore[arg-type]


def mechanism(voc: vocabulary.Vocabulary, cid: str, text: str) -> Mention:
    c = voc.concept("mechanism", cid)
    return Mention(type="mechanism", start=0, end=len(text), text=text, canonical=c.pref_zh, concept=cid, labels=list(c.labels))


def report_with(mentions: list[Mention], **fields: Any) -> Report:
    r = Report(source="x.txt", text="", norm="")
    r.jurisdiction = Jurisdiction("120117", "宁河区", "天津市宁河区", "county", ("120000",))
    r.report_year, r.published, r.doc_type = 2023, "2024-03-07", "government_report"
    for k, v in fields.items():
        setattr(r, k, v)
    r.mentions = mentions
    return r


def gold_of(**entities: list[str]) -> Gold:
    return Gold("r", Path("r.txt"), None, dict(FIELD_VALUES), {k: tuple(v) for k, v in entities.items()})


@pytest.fixture(scope="module")
def voc() -> vocabulary.Vocabulary:
    return vocabulary.load()


# -- arithmetic --------------------------------------------------------------------------------


def test_counts_give_precision_recall_and_f1_exactly() -> None:
    c = Counts(gold=4, predicted=3, found=2, correct=2)
    assert (c.precision, c.recall) == (2 / 3, 1 / 2)
    assert c.f1 == pytest.approx(4 / 7, abs=1e-12)
    assert Counts(gold=2, predicted=2, found=2, correct=2).f1 == 1.0
    assert Counts(gold=3, predicted=2, found=0, correct=0).f1 == 0.0


def test_empty_sides_are_perfect_by_convention() -> None:
    assert (Counts().precision, Counts().recall, Counts().f1) == (1.0, 1.0, 1.0)
    nothing_found = Counts(gold=2, predicted=0)
    assert (nothing_found.precision, nothing_found.recall, nothing_found.f1) == (1.0, 0.0, 0.0)
    nothing_to_find = Counts(gold=0, predicted=2)
    assert (nothing_to_find.precision, nothing_to_find.recall, nothing_to_find.f1) == (0.0, 1.0, 0.0)


def test_counts_add_up_for_micro_averages() -> None:
    total = Counts(4, 3, 2, 2) + Counts(1, 2, 1, 1)
    assert total == Counts(5, 5, 3, 3)
    assert (total.precision, total.recall) == (3 / 5, 3 / 5)


# -- matching rules ----------------------------------------------------------------------------


def test_titles_match_after_normalising_brackets_dashes_spaces_and_the_state_name() -> None:
    assert title_key("法治政府建设实施纲要（2021—2025年）") == title_key("法治政府建设实施纲要(2021-2025年)")
    assert title_key("《中华人民共和国行政复议法》") == title_key("行政复议法")
    assert title_key("哈尔滨市平房区 哈尔滨经济技术开发区若干政策") == "哈尔滨市平房区哈尔滨经济技术开发区若干政策"
    assert title_key("行政复议法") != title_key("行政诉讼法")


def test_documents_are_scored_by_normalised_title(voc: vocabulary.Vocabulary) -> None:
    found = [
        mention("document", "《法治政府建设实施纲要（2021—2025年）》", title="法治政府建设实施纲要（2021—2025年）"),
        mention("document", "《中华人民共和国行政复议法》", title="中华人民共和国行政复议法"),
        mention("document", "《人民法院报》", title="人民法院报"),
        mention("document", "《行政复议法》", title="行政复议法"),  # the same title again: one prediction
    ]
    gold = gold_of(documents=["法治政府建设实施纲要(2021-2025年)", "行政复议法", "信访工作条例"], mechanisms=[], agencies=[])
    s = score_report(gold, report_with(found), voc)
    assert s.entities["documents"] == Counts(gold=3, predicted=3, found=2, correct=2)
    assert s.false_negatives["documents"] == ["信访工作条例"]
    assert s.false_positives["documents"] == ["人民法院报"]


def test_a_mechanism_is_found_when_any_label_equals_a_gold_name(voc: vocabulary.Vocabulary) -> None:
    found = [
        mechanism(voc, "court-government-linkage", "府院联动机制"),  # gold writes an alias
        mechanism(voc, "one-network", "“一网通办”"),
        mechanism(voc, "one-network", "一网通办"),  # the same concept twice: one prediction
        mechanism(voc, "fengqiao-experience", "枫桥经验"),  # not in the gold file
    ]
    gold = gold_of(documents=[], mechanisms=["府院联动", "“一网通办”", "证照分离", "府院联动"], agencies=[])
    s = score_report(gold, report_with(found), voc)
    # gold: 府院联动, 一网通办 (quotes do not count), 证照分离 (the duplicate collapses)
    assert s.entities["mechanisms"] == Counts(gold=3, predicted=3, found=2, correct=2)
    assert s.false_negatives["mechanisms"] == ["证照分离"]
    assert s.false_positives["mechanisms"] == ["枫桥经验 (枫桥经验)"]


def test_a_mechanism_naming_several_counts_for_each(voc: vocabulary.Vocabulary) -> None:
    both = mechanism(voc, "court-procuratorate-government-linkage", "府院、府检联动")
    s = score_report(gold_of(documents=[], mechanisms=["府院联动", "府检联动"], agencies=[]), report_with([both]), voc)
    assert s.entities["mechanisms"] == Counts(gold=2, predicted=1, found=2, correct=1)


def test_agencies_and_governments_are_matched_as_written_and_kept_apart(voc: vocabulary.Vocabulary) -> None:
    found = [
        mention("agency", "区司法局", "justice-bureau", kind="justice-bureau", relative="区", org_kind="agency"),
        mention("agency", "最高检", "supreme-procuratorate", national="supreme-procuratorate", org_kind="procuratorate"),
        mention("agency", "区政府", "peoples-government", kind="peoples-government", relative="区", org_kind="government"),
        mention("agency", "区委", "party-committee", kind="party-committee", relative="区", org_kind="party-committee"),
        mention("agency", "国务院", "state-council", national="state-council", org_kind="government"),
        mention("agency", "市政府办", "government-office", kind="government-office", relative="市", org_kind="agency"),
    ]
    gold = gold_of(
        documents=[], mechanisms=[], agencies=["区司法局", "最高检", "区人大常委会"], governments=["区政府", "区委", "国务院", "市政府"]
    )
    s = score_report(gold, report_with(found), voc)
    assert s.entities["agencies"] == Counts(gold=3, predicted=3, found=2, correct=2)
    assert s.entities["governments"] == Counts(gold=4, predicted=3, found=3, correct=3)
    assert s.false_positives["agencies"] == ["市政府办"]
    assert s.false_negatives["governments"] == ["市政府"]


def test_without_a_governments_list_governments_are_scored_as_agencies(voc: vocabulary.Vocabulary) -> None:
    found = [
        mention("agency", "区司法局", "justice-bureau", kind="justice-bureau", relative="区"),
        mention("agency", "区政府", "peoples-government", kind="peoples-government", relative="区"),
    ]
    s = score_report(gold_of(documents=[], mechanisms=[], agencies=["区司法局", "区政府"]), report_with(found), voc)
    assert s.entities["agencies"] == Counts(gold=2, predicted=2, found=2, correct=2)
    assert "governments" not in s.entities


def test_report_fields_are_compared_one_by_one(voc: vocabulary.Vocabulary) -> None:
    s = score_report(gold_of(documents=[], mechanisms=[], agencies=[]), report_with([], published="2024-03-08"), voc)
    assert {f: r.ok for f, r in s.fields.items()} == {f: f != "published" for f in FIELDS}
    assert s.fields_correct == 4


# -- evaluate over a folder ---------------------------------------------------------------------


def test_evaluate_micro_averages_over_the_folder(tmp_path: Path, voc: vocabulary.Vocabulary) -> None:
    write_gold(tmp_path, "a", gold_json(mechanisms=["府院联动", "证照分离"], agencies=["区司法局"]))
    write_gold(tmp_path, "b", gold_json(mechanisms=["枫桥经验"], agencies=[], report_year=2022))
    predicted = {
        "a": report_with(
            [
                mechanism(voc, "court-government-linkage", "府院联动"),
                mention("agency", "区司法局", "justice-bureau", kind="justice-bureau"),
            ]
        ),
        "b": report_with([mechanism(voc, "fengqiao-experience", "枫桥经验"), mechanism(voc, "one-network", "一网通办")]),
    }
    scores = evaluate(tmp_path, config.load(environ={}), predict=lambda path: predicted[path.stem])
    totals = scores.totals()
    assert totals["mechanisms"] == Counts(gold=3, predicted=3, found=2, correct=2)
    assert totals["agencies"] == Counts(gold=1, predicted=1, found=1, correct=1)
    assert (scores.field_correct("report_year"), scores.field_accuracy("report_year")) == (1, 0.5)
    assert scores.field_accuracy("jurisdiction") == 1.0
    out = scores.as_json(errors=True)
    assert out["entities"]["mechanisms"]["f1"] == round(2 / 3, 4)
    assert out["per_report"]["b"]["false_positives"]["mechanisms"] == ["一网通办 (一网通办)"]
    assert out["per_report"]["a"]["false_negatives"]["mechanisms"] == ["证照分离"]
    text = render(scores, errors=True)
    assert "report_year         1/2     0.500" in text
    assert "mechanisms FN (1):\n    证照分离" in text


# -- bad gold folders ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ('{"url": null, "gold": {', "a.json:1: not valid JSON"),
        ("[1, 2]", "a.json: expected a JSON object"),
        ({"gold": gold_json()["gold"]}, "a.json: missing key(s) url"),
        ({"url": None, "gold": {**FIELD_VALUES, "documents": [], "agencies": []}}, "'gold' lacks key(s) mechanisms"),
        (gold_json(level="district"), "'gold.level' has value 'district'; expected one of province"),
        (gold_json(report_year="2023"), "'gold.report_year' has value '2023'"),
        (gold_json(published="2024-3-7"), "'gold.published' has value '2024-3-7'"),
        (gold_json(mechanisms="府院联动"), "'gold.mechanisms' must be a list of non-empty strings"),
        (gold_json(agencies=["区司法局", ""]), "'gold.agencies' must be a list of non-empty strings"),
        (gold_json(mechansims=[]), "unknown key(s) mechansims (allowed: jurisdiction"),
    ],
)
def test_a_malformed_gold_file_is_named_with_its_problem(tmp_path: Path, data: Any, problem: str) -> None:
    write_gold(tmp_path, "a", data)
    with pytest.raises(GoldError) as err:
        load_gold(tmp_path)
    assert problem in str(err.value)
    assert str(tmp_path / "a.json") in str(err.value)


def test_a_report_without_its_gold_file_and_a_gold_file_without_its_report(tmp_path: Path) -> None:
    write_gold(tmp_path, "a", gold_json())
    (tmp_path / "b.txt").write_text("报告", encoding="utf-8")
    with pytest.raises(GoldError, match=r"b\.json: missing"):
        load_gold(tmp_path)
    (tmp_path / "b.txt").unlink()
    (tmp_path / "c.json").write_text("{}", encoding="utf-8")
    with pytest.raises(GoldError, match=r"c\.txt: missing"):
        load_gold(tmp_path)


def test_an_empty_or_missing_folder_is_a_bad_gold_folder(tmp_path: Path) -> None:
    with pytest.raises(GoldError, match="no gold files here"):
        load_gold(tmp_path)
    with pytest.raises(GoldError, match="no such folder"):
        load_gold(tmp_path / "nowhere")


def test_unknown_values_may_be_null(tmp_path: Path) -> None:
    write_gold(tmp_path, "a", gold_json(published=None, report_year=None))
    [gold] = load_gold(tmp_path)
    assert gold.fields["published"] is None and gold.fields["report_year"] is None


def test_the_command_exits_2_with_one_line_on_a_bad_gold_folder(tmp_path: Path) -> None:
    write_gold(tmp_path, "a", '{"url": null,')
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert result.output.startswith("kg: bad gold folder: ") and "a.json:1: not valid JSON" in result.output


# -- the examples' gold folder ------------------------------------------------------------------


def test_the_gold_texts_are_the_cleaned_texts_of_the_examples() -> None:
    """Offsets agree: each NAME.txt is what `kg extract examples/reports/NAME.txt --text` prints."""
    golds = load_gold(GOLD)
    assert [g.name for g in golds] == [p.stem for p in sorted(EXAMPLES.glob("*.txt"))]
    for g in golds:
        assert g.path.read_text(encoding="utf-8") == read(EXAMPLES / f"{g.name}.txt").text
        assert g.separate_governments


def test_the_gold_files_use_the_vocabulary_s_preferred_names_where_it_has_one(voc: vocabulary.Vocabulary) -> None:
    """A gold name that is an alias must be there on purpose: a distinct mechanism the vocabulary folds in."""
    folded = {"四个周例会", "军地应急联动", "民营企业法治督察员", "政务公开社会评议", "15分钟医保服务圈", "一歇一开"}
    for g in load_gold(GOLD):
        for name in g.entities["mechanisms"]:
            concept = voc.lookup("mechanism", name)
            assert concept is None or concept.pref_zh == name or name in folded, (g.name, name)
            assert voc.lookup("program", name) is None and voc.lookup("honor", name) is None, (g.name, name)


@pytest.mark.slow
def test_the_examples_gold_folder_scores_above_today_s_floors() -> None:
    result = CliRunner().invoke(main, ["evaluate", str(GOLD), "--json", "--show-errors"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["reports"] == 5
    for f in FIELDS:
        assert scores["fields"][f] == {"correct": 5, "total": 5, "accuracy": 1.0}, f
    for t in ENTITY_TYPES:
        assert scores["entities"][t]["f1"] >= F1_FLOORS[t], (t, scores["entities"][t])
    text = CliRunner().invoke(main, ["evaluate", str(GOLD)]).output
    for f in FIELDS:
        assert f"{f:<14}      5/5     1.000" in text


@pytest.mark.slow
def test_composed_reports_of_other_provinces_and_levels_score_above_their_floors() -> None:
    result = CliRunner().invoke(main, ["evaluate", str(COMPOSED), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["reports"] == len(list(COMPOSED.glob("*.json"))) >= 6
    for f in FIELDS:  # 鼓楼区 among four, 建德市 writing 我市, a township, an autumn inspection
        assert scores["fields"][f]["accuracy"] == 1.0, (f, scores["fields"][f])
    for t in ENTITY_TYPES:
        assert scores["entities"][t]["f1"] >= COMPOSED_FLOORS[t], (t, scores["entities"][t])
