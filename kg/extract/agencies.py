"""Component ``fk_agencies``: agencies, people's governments, party and congress bodies.

An agency name is a place part and a kind part (区 + 司法局, 哈尔滨市 + 司法局,
漯河市 + 人大常委会).  The kind part comes from ``ontology/vocab/agency_kinds.csv``;
the place part is either a place name from the gazetteer written just before it, or
a relative prefix of ``ontology/cues/relative_prefixes.csv`` (区, 市, 省 …) that
:mod:`kg.resolve` later resolves against the report's own jurisdiction.  National
organs (司法部, 最高检 …) stand alone.

Candidate attributes: ``kind`` (agency-kind id), ``kind_label`` (the label matched),
``org_kind`` (agency, government, party, congress, court, procuratorate, …), and either
``place`` (the place name as written) or ``relative`` (the prefix), or ``national`` (organ id).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from kg import vocab as vocabulary
from kg.datafiles import read_csv
from kg.extract.base import Candidate, doc_text, set_annotations
from kg.extract.jurisdictions import place_names
from kg.extract.matcher import Match, PhraseIndex

#: longest place name looked for before a kind (黑龙江省哈尔滨市平房区 is 11)
MAX_PLACE = 14


@dataclass(frozen=True, slots=True)
class AgencyRules:
    prefixes: tuple[str, ...]  # longest first
    exclude_before: tuple[re.Pattern[str], ...]
    exclude_after: tuple[re.Pattern[str], ...] = ()
    infix: tuple[re.Pattern[str], ...] = ()


@lru_cache(maxsize=8)
def load_rules(ontology: Path) -> AgencyRules:
    prefixes = sorted(
        (row["prefix"] for row in read_csv(ontology / "cues" / "relative_prefixes.csv", ("prefix", "levels"))),
        key=len,
        reverse=True,
    )
    rules: dict[str, list[re.Pattern[str]]] = {"exclude_before": [], "exclude_after": [], "infix": []}
    for row in read_csv(ontology / "cues" / "agency_rules.csv", ("rule", "pattern")):
        if row["rule"] not in rules:
            raise row.error(f"unknown rule {row['rule']!r} (allowed: {', '.join(rules)})")
        rules[row["rule"]].append(row.regex("pattern"))
    return AgencyRules(
        tuple(prefixes), tuple(rules["exclude_before"]), tuple(rules["exclude_after"]), tuple(rules["infix"])
    )


def build_index(voc: vocabulary.Vocabulary) -> PhraseIndex[tuple[str, str, str]]:
    """label -> (scheme, id, org kind) for agency kinds and national organs."""
    labels: dict[str, tuple[str, str, str]] = {}
    for scheme in ("national_organ", "agency_kind"):
        for label, concept in voc.label_index(scheme).items():
            labels.setdefault(label, (scheme, concept.id, concept.extra.get("kind", "agency") or "agency"))
    return PhraseIndex(labels)


def place_before(text: str, end: int, is_place: Callable[[str], bool]) -> int:
    """Start of the longest run of place names ending at ``end`` (``end`` when there is none)."""
    start = end
    while True:
        found = None
        for n in range(min(MAX_PLACE, start), 1, -1):
            if is_place(text[start - n : start]):
                found = start - n
                break
        if found is None:
            return start
        start = found


def find(
    text: str,
    index: PhraseIndex[tuple[str, str, str]],
    rules: AgencyRules,
    is_place: Callable[[str], bool],
) -> Iterator[Candidate]:
    for found in index.find(text):
        m: Match[tuple[str, str, str]] | None = found
        while m is not None and any(p.search(text[m.end - 1 : m.end + 3]) for p in rules.exclude_after):
            m = index.shorter(text, m)  # 市政府办|理 -> 市政府
        if m is None:
            continue
        scheme, cid, org_kind = m.payload
        if scheme == "national_organ":
            yield Candidate("agency", m.start, m.end, cid, {"org_kind": org_kind, "national": cid})
            continue
        attrs: dict[str, str] = {"kind": cid, "org_kind": org_kind, "kind_label": m.label}
        head = m.start
        for p in rules.infix:
            between = p.search(text, max(0, m.start - 12), m.start)
            if between and between.end() == m.start:
                head = between.start()
                break
        start = place_before(text, head, is_place)
        if start < head:
            attrs["place"] = text[start:head]
            yield Candidate("agency", start, m.end, cid, attrs)
            continue
        prefix = next((p for p in rules.prefixes if text.startswith(p, m.start - len(p))), None)
        if prefix is None:
            # the label itself may start with the prefix (区委, 县政府 written as one label)
            prefix = next((p for p in rules.prefixes if m.label.startswith(p) and len(m.label) > len(p)), None)
            if prefix is None:
                continue
            start = m.start
        else:
            start = m.start - len(prefix)
        before = text[max(0, start - 4) : start]
        if any(p.search(before) for p in rules.exclude_before):
            continue
        attrs["relative"] = prefix
        yield Candidate("agency", start, m.end, cid, attrs)


class AgencyMatcher:
    def __init__(self, ontology: str) -> None:
        path = Path(ontology)
        self.index = build_index(vocabulary.load(path))
        self.rules = load_rules(path)
        self.is_place: Callable[[str], bool] = place_names().__contains__

    def __call__(self, doc: Doc) -> Doc:
        set_annotations(doc, find(doc_text(doc), self.index, self.rules, self.is_place))
        return doc


@Language.factory("fk_agencies", default_config={"ontology": ""}, assigns=["doc.spans"])
def make_agencies(nlp: Language, name: str, ontology: str) -> AgencyMatcher:
    return AgencyMatcher(ontology)
