"""Component ``fk_agencies``: agencies, people's governments, party and congress bodies.

An agency name is a place part and a kind part (区 + 司法局, 哈尔滨市 + 司法局,
漯河市 + 人大常委会).  The kind part comes from ``ontology/vocab/agency_kinds.csv``;
the place part is either a place name from the gazetteer written just before it, or
a relative prefix of ``ontology/cues/relative_prefixes.csv`` (区, 市, 省 …) that
:mod:`kg.resolve` later resolves against the report's own jurisdiction.  National
organs (司法部, 最高检 …) stand alone.

Candidate attributes: ``kind`` (agency-kind id), ``kind_label`` (the label matched),
``org_kind`` (agency, government, party-committee, party, congress, court, …), and either
``place`` (the place name as written) or ``relative`` (the prefix), or ``national`` (organ id).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from kg import vocab as vocabulary
from kg.datafiles import read_csv
from kg.extract.base import Candidate, doc_text, set_annotations
from kg.extract.jurisdictions import place_names, township_stems
from kg.matcher import Match, PhraseIndex

#: longest place name looked for before a kind (黑龙江省哈尔滨市平房区 is 11)
MAX_PLACE = 14


@dataclass(frozen=True, slots=True)
class AgencyRules:
    prefixes: tuple[str, ...]  # longest first
    exclude_before: tuple[re.Pattern[str], ...]
    exclude_after: tuple[re.Pattern[str], ...] = ()
    infix: tuple[re.Pattern[str], ...] = ()
    named_unit: tuple[tuple[re.Pattern[str], frozenset[str]], ...] = ()
    split_name: tuple[tuple[re.Pattern[str], str], ...] = ()


@lru_cache(maxsize=8)
def load_rules(ontology: Path) -> AgencyRules:
    prefixes = sorted(
        (row["prefix"] for row in read_csv(ontology / "cues" / "relative_prefixes.csv", ("prefix", "levels"))),
        key=len,
        reverse=True,
    )
    rules: dict[str, list[re.Pattern[str]]] = {"exclude_before": [], "exclude_after": [], "infix": []}
    named: list[tuple[re.Pattern[str], frozenset[str]]] = []
    split: list[tuple[re.Pattern[str], str]] = []
    for row in read_csv(ontology / "cues" / "agency_rules.csv", ("rule", "pattern")):
        if row["rule"] == "named_unit":
            named.append((row.regex("pattern"), frozenset(row.multi("kinds"))))
        elif row["rule"] == "split_name":
            kinds = row.multi("kinds")
            if len(kinds) != 1 or "place" not in row.regex("pattern").groupindex:
                raise row.error("a split_name rule needs one kind and a (?P<place>…) group")
            split.append((row.regex("pattern"), kinds[0]))
        elif row["rule"] in rules:
            rules[row["rule"]].append(row.regex("pattern"))
        else:
            allowed = ", ".join([*rules, "named_unit", "split_name"])
            raise row.error(f"unknown rule {row['rule']!r} (allowed: {allowed})")
    return AgencyRules(
        tuple(prefixes),
        tuple(rules["exclude_before"]),
        tuple(rules["exclude_after"]),
        tuple(rules["infix"]),
        tuple(named),
        tuple(split),
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
    org_kinds: Mapping[str, str] | None = None,
    is_township_stem: Callable[[str], bool] | None = None,
) -> Iterator[Candidate]:
    """Agency candidates in text order: names found by the kind index, split names (公安宁河分局)
    and named units written after their agency (…分局俵口派出所)."""
    split = list(_split_names(text, rules, org_kinds or {}))
    found_all = sorted([*split, *_by_kind(text, index, rules, is_place)], key=lambda c: (c.start, -c.end))
    ends: dict[int, Candidate] = {}
    kept: list[Candidate] = []
    for cand in found_all:
        if kept and cand.start < kept[-1].end:
            continue  # inside or across an agency already taken (a split name wins over its parts)
        parent = _named_unit_parent(text, cand, rules, ends)
        if parent is None and cand.attrs.get("bare") and is_township_stem is not None:
            cand = _township_unit(text, cand, is_township_stem, kept[-1].end if kept else 0)
        if parent is not None:
            name = text[parent.end : cand.start]
            attrs = {k: v for k, v in cand.attrs.items() if k != "bare"}
            attrs.update({"unit_name": name, "parent": dict(parent.attrs)})
            cand = Candidate("agency", parent.start, cand.end, cand.concept, attrs)
            kept = [k for k in kept if k is not parent]  # the agency is part of the unit's name as written
        kept.append(cand)
        ends[cand.end] = cand
    return iter(kept)


def _split_names(text: str, rules: AgencyRules, org_kinds: Mapping[str, str]) -> Iterator[Candidate]:
    for pattern, kind in rules.split_name:
        for m in pattern.finditer(text):
            attrs = {"kind": kind, "org_kind": org_kinds.get(kind, "agency"), "kind_label": "", "place": m.group("place")}
            yield Candidate("agency", m.start(), m.end(), kind, attrs)


def _township_unit(text: str, cand: Candidate, is_township_stem: Callable[[str], bool], floor: int) -> Candidate:
    """A unit named after a township (黄花司法所): resolution ties it to the township of that
    name in the report's county, or drops it."""
    for size in (4, 3, 2):
        start = cand.start - size
        if start >= floor and is_township_stem(text[start : cand.start]):
            attrs = {k: v for k, v in cand.attrs.items() if k != "bare"}
            attrs["township"] = text[start : cand.start]
            return Candidate("agency", start, cand.end, cand.concept, attrs)
    return cand


def _named_unit_parent(text: str, cand: Candidate, rules: AgencyRules, ends: Mapping[int, Candidate]) -> Candidate | None:
    """The agency a unit with its own name belongs to (公安宁河分局 for 俵口派出所), if written just before."""
    if "relative" in cand.attrs or "place" in cand.attrs or "national" in cand.attrs:
        return None
    for pattern, kinds in rules.named_unit:
        if cand.concept not in kinds:
            continue
        for size in (0, 2, 3, 4):  # a name of its own has 2-4 characters; some units have none
            parent = ends.get(cand.start - size)
            if (
                parent is not None
                and parent.attrs.get("org_kind") != "unit"  # units belong to agencies, not to units
                and pattern.fullmatch(text, cand.start - size, cand.start)
            ):
                return parent
    return None


def _by_kind(
    text: str,
    index: PhraseIndex[tuple[str, str, str]],
    rules: AgencyRules,
    is_place: Callable[[str], bool],
) -> Iterator[Candidate]:
    named_kinds = frozenset().union(*(kinds for _, kinds in rules.named_unit)) if rules.named_unit else frozenset()
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
                if cid in named_kinds:  # a candidate for a named unit; kept only with its parent agency
                    yield Candidate("agency", m.start, m.end, cid, {**attrs, "bare": "1"})
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
        self.is_township_stem: Callable[[str], bool] = township_stems().__contains__
        self.org_kinds = {c.id: c.extra.get("kind", "agency") or "agency" for c in vocabulary.load(path).concepts("agency_kind").values()}

    def __call__(self, doc: Doc) -> Doc:
        found = find(doc_text(doc), self.index, self.rules, self.is_place, self.org_kinds, self.is_township_stem)
        set_annotations(doc, (c for c in found if c.attrs.get("bare") != "1"))
        return doc


@Language.factory("fk_agencies", default_config={"ontology": ""}, assigns=["doc.spans"])
def make_agencies(nlp: Language, name: str, ontology: str) -> AgencyMatcher:
    return AgencyMatcher(ontology)
