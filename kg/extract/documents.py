"""Component ``fk_documents``: titles in 《…》, with issuer, kind and whether the report's
jurisdiction issued the document itself.

- issuer: agencies or national organs written right before the title, joined by 、和及与
  (中共中央、国务院《…》); found among the ``agency`` candidates already on the Doc, so
  this component runs after ``fk_agencies``.
- kind: the longest suffix of ``ontology/vocab/document_kinds.csv`` the title ends with.
  A title with no document kind (a play, a video) or a newspaper's (《人民法院报》) is
  no document; a title nested in 〈〉 inside another is one of its own.
- relation: the cue of ``ontology/cues/document_verbs.csv`` that decides how the report's
  jurisdiction relates to the document: ``issued`` (制定, 印发, 出台 … before the title),
  ``cites`` (贯彻, 落实, 依据 …) or ``reported_in`` (被《人民法院报》刊发).

Candidate attributes: ``title`` (as written, without 《》), ``kind``, ``relation``,
``issuers`` ((start, end) offsets of the agency candidates), ``self_issued`` (bool).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from kg import vocab as vocabulary
from kg.extract.base import Candidate, candidates, doc_text, set_annotations

TITLE = re.compile(r"《([^《》\n]{1,120})》")
#: characters that may join several issuers (中共中央、国务院) or stand between issuer and title
JOINERS = "、和及与,"
CLAUSE_END = re.compile(r"[。；;,，:：!?！？\n]")


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


#: a title nested in another (《关于学习〈习近平法治思想学习纲要〉的通知》)
NESTED_TITLE = re.compile(r"〈([^〈〉《》\n]{2,100})〉")


def find(text: str, voc: vocabulary.Vocabulary, agencies: Sequence[tuple[int, int]]) -> Iterator[Candidate]:
    for m in TITLE.finditer(text):
        title = m.group(1).strip()
        kind = voc.document_kind_of(title)
        if not title or kind is None or kind.extra["document"] == "no":
            continue  # 《人民法院报》, a play or a video: named in 《》 but no normative document
        for inner in NESTED_TITLE.finditer(text, m.start(1), m.end(1)):
            inner_kind = voc.document_kind_of(inner.group(1))
            if inner_kind is not None and inner_kind.extra["document"] == "yes":
                yield Candidate(
                    "document",
                    inner.start(),
                    inner.end(),
                    None,
                    {"title": inner.group(1), "kind": inner_kind.id, "relation": "cites", "issuers": [], "self_issued": False},
                )
        clause_start = max((c.end() for c in CLAUSE_END.finditer(text, max(0, m.start() - 40), m.start())), default=0)
        before = text[max(clause_start, m.start() - 40) : m.start()]
        after_end = CLAUSE_END.search(text, m.end())
        after = text[m.end() : min(after_end.start() if after_end else len(text), m.end() + 20)]
        relation = voc.document_relation(before, after)
        yield Candidate(
            "document",
            m.start(),
            m.end(),
            None,
            {
                "title": title,
                "kind": kind.id if kind else None,
                "relation": relation.relation if relation else None,
                "issuers": issuers_before(text, m.start(), agencies),
                "self_issued": relation is not None and relation.relation == "issued",
            },
        )


class DocumentMatcher:
    def __init__(self, ontology: str) -> None:
        self.vocabulary = vocabulary.load(Path(ontology))

    def __call__(self, doc: Doc) -> Doc:
        agencies = [(c.start, c.end) for c in candidates(doc) if c.type == "agency"]
        set_annotations(doc, find(doc_text(doc), self.vocabulary, agencies))
        return doc


@Language.factory("fk_documents", default_config={"ontology": ""}, assigns=["doc.spans"], requires=["doc.spans"])
def make_documents(nlp: Language, name: str, ontology: str) -> DocumentMatcher:
    return DocumentMatcher(ontology)
