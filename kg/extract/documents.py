"""Component ``fk_documents``: titles in 《…》, with issuer, kind and whether the report's
jurisdiction issued the document itself.

- issuer: agencies or national organs written right before the title, joined by 、和及与
  (中共中央、国务院《…》); found among the ``agency`` candidates already on the Doc, so
  this component runs after ``fk_agencies``.
- kind: the longest suffix of ``ontology/vocab/document_kinds.csv`` the title ends with.
- self-issued: a cue of ``ontology/cues/document_verbs.csv`` (制定, 印发, 出台 …) in
  the clause before the title.

Candidate attributes: ``title`` (as written, without 《》), ``kind``, ``issuers``
(candidate indexes are not stable, so issuers are (start, end) offsets),
``self_issued`` (bool).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from kg import vocab as vocabulary
from kg.datafiles import read_csv
from kg.extract.base import Candidate, candidates, set_annotations

TITLE = re.compile(r"《([^《》\n]{1,120})》")
#: characters that may join several issuers (中共中央、国务院) or stand between issuer and title
JOINERS = "、和及与,"
CLAUSE_END = re.compile(r"[。；;,，:：!?！？\n]")


@dataclass(frozen=True, slots=True)
class DocumentRules:
    kinds: tuple[tuple[str, str], ...]  # (suffix, kind id), longest suffix first
    issued: tuple[re.Pattern[str], ...]  # cues before the title meaning "issued it"


@lru_cache(maxsize=8)
def load_rules(ontology: Path) -> DocumentRules:
    voc = vocabulary.load(ontology)
    kinds = sorted(
        ((suffix, c.id) for c in voc.concepts("document_kind").values() for suffix in _split(c.extra.get("suffixes", ""))),
        key=lambda pair: len(pair[0]),
        reverse=True,
    )
    issued = tuple(
        row.regex("pattern")
        for row in read_csv(ontology / "cues" / "document_verbs.csv", ("relation", "pattern"))
        if row["relation"] == "issued"
    )
    return DocumentRules(tuple(kinds), issued)


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]


def kind_of(title: str, rules: DocumentRules) -> str | None:
    core = re.sub(r"[(（][^()（）]*[)）]$", "", title)  # 纲要(2021-2025年) -> 纲要
    return next((kid for suffix, kid in rules.kinds if core.endswith(suffix)), None)


def issuers_before(text: str, start: int, agencies: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Agency spans chained right before ``start`` (allowing one joiner between them)."""
    ends = {e: (s, e) for s, e in agencies}
    found: list[tuple[int, int]] = []
    pos = start
    while True:
        span = ends.get(pos)
        if span is None and pos > 0 and text[pos - 1] in JOINERS:
            span = ends.get(pos - 1)
        if span is None:
            return list(reversed(found))
        found.append(span)
        pos = span[0]


def find(text: str, rules: DocumentRules, agencies: Sequence[tuple[int, int]]) -> Iterator[Candidate]:
    for m in TITLE.finditer(text):
        title = m.group(1).strip()
        if not title:
            continue
        clause_start = max((c.end() for c in CLAUSE_END.finditer(text, max(0, m.start() - 40), m.start())), default=0)
        clause = text[max(clause_start, m.start() - 40) : m.start()]
        yield Candidate(
            "document",
            m.start(),
            m.end(),
            None,
            {
                "title": title,
                "kind": kind_of(title, rules),
                "issuers": issuers_before(text, m.start(), agencies),
                "self_issued": any(p.search(clause) for p in rules.issued),
            },
        )


class DocumentMatcher:
    def __init__(self, ontology: str) -> None:
        self.rules = load_rules(Path(ontology))

    def __call__(self, doc: Doc) -> Doc:
        agencies = [(c.start, c.end) for c in candidates(doc) if c.type == "agency"]
        set_annotations(doc, find(doc.text, self.rules, agencies))
        return doc


@Language.factory("fk_documents", default_config={"ontology": ""}, assigns=["doc.spans"], requires=["doc.spans"])
def make_documents(nlp: Language, name: str, ontology: str) -> DocumentMatcher:
    return DocumentMatcher(ontology)
