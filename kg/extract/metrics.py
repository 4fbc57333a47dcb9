"""Component ``fk_metrics``: statistics as indicator, value and unit.

A statistic is a number with a unit of ``ontology/vocab/units.csv`` (35件, 100%, 1.2万元,
两千余件, 近百次) tied to the nearest indicator label of
``ontology/vocab/indicators.csv`` in the same clause: before it (行政复议申请35件,
出庭应诉率100%) or right after it (649项政务服务事项).  A number with no indicator in
its clause is not a statistic we can name, and is left out.

Chinese numerals are read by :func:`kg.numerals.chinese_number`; approximations (余, 多, 近, 约,
超过 …, from ``ontology/cues/approximation.csv``) set ``approximate``.

Candidate attributes: ``indicator`` (id), ``value`` (int or float), ``unit``,
``approximate`` (bool).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from kg import vocab as vocabulary
from kg.datafiles import read_csv
from kg.extract.base import Candidate, doc_text, set_annotations
from kg.matcher import PhraseIndex
from kg.numerals import NUMERAL_CHARS, chinese_number

CLAUSE_END = re.compile(r"[,，;；。:：!?！？\n]")
#: numbers before 年 in this range are calendar years, not durations
YEARS = (1949, 2100)
#: how far after the unit an indicator may start (649项政务服务事项)
AFTER_GAP = 2


@dataclass(frozen=True, slots=True)
class MetricRules:
    number: re.Pattern[str]
    units: dict[str, str]  # unit as written -> unit as stored
    indicators: PhraseIndex[str]


@lru_cache(maxsize=8)
def load_rules(ontology: Path) -> MetricRules:
    voc = vocabulary.load(ontology)
    units = {u: u for u in voc.units()}
    cues: dict[str, list[str]] = {"before": [], "after": [], "after_unit": []}
    for row in read_csv(ontology / "cues" / "approximation.csv", ("position", "pattern")):
        if row["position"] not in cues:
            raise row.error(f"column 'position' has value {row['position']!r} (allowed: {', '.join(cues)})")
        row.regex("pattern")
        cues[row["position"]].append(row["pattern"])
    unit_alt = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    number = re.compile(
        rf"(?P<pre>{'|'.join(cues['before']) or '(?!)'})?"
        rf"(?P<num>\d+(?:\.\d+)?|[{NUMERAL_CHARS}]+)"
        rf"(?P<post>{'|'.join(cues['after']) or '(?!)'})?"
        rf"(?P<unit>{unit_alt})"
        rf"(?P<tail>{'|'.join(cues['after_unit']) or '(?!)'})?"
    )
    indicators = PhraseIndex({label: c.id for label, c in voc.label_index("indicator").items()})
    return MetricRules(number, units, indicators)


def _value(num: str) -> int | float | None:
    if num[0].isdigit():
        return float(num) if "." in num else int(num)
    return chinese_number(num)


def find(text: str, rules: MetricRules) -> Iterator[Candidate]:
    for m in rules.number.finditer(text):
        num = m.group("num")
        approx = bool(m.group("pre") or m.group("post") or m.group("tail"))
        if not num[0].isdigit() and len(num) < 2 and not approx:
            continue  # 一件事一次办, 一支队伍: a lone Chinese numeral is not a statistic
        if m.start("num") > 0 and text[m.start("num") - 1].isdigit():
            continue
        value = _value(num)
        if value is None:
            continue
        if m.group("unit") == "年" and YEARS[0] <= value <= YEARS[1] and num[0].isdigit():
            continue  # 2023年 is a date, not three thousand years
        c_start = max((c.end() for c in CLAUSE_END.finditer(text, max(0, m.start() - 60), m.start())), default=0)
        c_start = max(c_start, m.start() - 60)
        after_end = CLAUSE_END.search(text, m.end())
        c_end = after_end.start() if after_end else len(text)
        before = [i for i in rules.indicators.find(text[c_start : m.start()])]
        indicator = None
        if before:
            indicator = before[-1].payload
        else:
            nxt = next(iter(rules.indicators.find(text[m.end() : c_end])), None)
            if nxt is not None and nxt.start <= AFTER_GAP:
                indicator = nxt.payload
        if indicator is None:
            continue
        yield Candidate(
            "metric",
            m.start("num") if not m.group("pre") else m.start(),
            m.end(),
            indicator,
            {"indicator": indicator, "value": value, "unit": rules.units[m.group("unit")], "approximate": approx},
        )


class MetricMatcher:
    def __init__(self, ontology: str) -> None:
        self.rules = load_rules(Path(ontology))

    def __call__(self, doc: Doc) -> Doc:
        set_annotations(doc, find(doc_text(doc), self.rules))
        return doc


@Language.factory("fk_metrics", default_config={"ontology": ""}, assigns=["doc.spans"])
def make_metrics(nlp: Language, name: str, ontology: str) -> MetricMatcher:
    return MetricMatcher(ontology)
