"""Stage: extraction with a spaCy pipeline on ``spacy.blank("zh")`` and components of our own.

The pipeline (:func:`build_nlp`) runs, in order: ``fk_concepts`` (mechanisms, programs,
honors), ``fk_agencies``, ``fk_jurisdictions``, ``fk_documents`` (reads the agencies
for issuers) and ``fk_metrics``.  Each component finds candidates in the Doc's text
(the report's normalised match form) and adds them to ``doc.spans``;
:func:`annotate` turns them into :class:`kg.model.Mention` objects with their
sentence and section role.  Canonical names and IRIs are :mod:`kg.resolve`'s job.

The segmenter is a setting (``char`` by default, which keeps every vocabulary term
matchable; ``pkuseg`` with a spacy-pkuseg model).  Matching works on characters, so a
segmenter never hides a term: spans are widened to token boundaries in ``doc.spans``
while mentions keep exact character offsets.
"""

from __future__ import annotations

import bisect
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from kg.config import Settings
from kg.extract import agencies, concepts, documents, jurisdictions, metrics  # noqa: F401  (registers factories)
from kg.extract.base import Candidate, candidates
from kg.model import Mention, Report

NAME = "extract"
REQUIRES = ("ingest", "structure")

#: the components, in order, and whether each takes the ontology folder
COMPONENTS: tuple[tuple[str, bool], ...] = (
    ("fk_concepts", True),
    ("fk_agencies", True),
    ("fk_jurisdictions", False),
    ("fk_documents", True),
    ("fk_metrics", True),
)
#: a candidate of the key's type lying inside a candidate of one of the listed types is dropped:
#: 宁河区 inside 宁河区司法局 is part of the agency's name, 人民调解 inside 人民调解委员会 too,
#: and 重大行政决策程序 inside 《…重大行政决策程序实施规定》 is part of a title, as is an
#: agency in 《入驻平房区行政审批服务中心事项标准化清单》.  Programs inside
#: titles stay: a plan document named after a program (《提升行政执法质量三年行动计划》) is
#: evidence of the program.
NESTED_DROPPED: dict[str, tuple[str, ...]] = {
    "jurisdiction": ("agency", "document", "mechanism", "program", "honor", "metric"),
    "mechanism": ("agency", "document", "honor"),
    "honor": ("agency", "document"),
    "program": ("agency",),
    "agency": ("document",),
}


def build_nlp(settings: Settings) -> Language:
    return _build_nlp(settings.segmenter, settings.pkuseg_model, str(settings.ontology))


class CharTokenizer:
    """One token per character, whitespace included, so any character span is a token span.

    The ``char`` segmenter.  spaCy's own Chinese ``char`` mode gives the same tokens but
    moves whitespace into ``token.whitespace_`` with a slow alignment pass; building the
    Doc straight from the characters is about seven times faster and the text is the same.
    """

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        doc = Doc(self.vocab, words=list(text), spaces=[False] * len(text))
        doc.user_data["fk_text"] = text  # read by kg.extract.base.doc_text
        return doc


@lru_cache(maxsize=4)
def _build_nlp(segmenter: str, pkuseg_model: str, ontology: str) -> Language:
    if segmenter == "pkuseg":
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "pkuseg"}}})
        nlp.tokenizer.initialize(pkuseg_model=pkuseg_model)  # type: ignore[union-attr]
    else:
        nlp = spacy.blank("zh")
        nlp.tokenizer = CharTokenizer(nlp.vocab)
    for name, takes_ontology in COMPONENTS:
        nlp.add_pipe(name, config={"ontology": ontology} if takes_ontology else {})
    return nlp


def without_nested(found: list[Candidate]) -> list[Candidate]:
    """Drop candidates that lie inside a candidate of a type NESTED_DROPPED names for them."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for c in found:
        spans.setdefault(c.type, []).append((c.start, c.end))
    for v in spans.values():
        v.sort()
    kept: list[Candidate] = []
    for c in found:
        outer = NESTED_DROPPED.get(c.type, ())
        if any(_inside(c.start, c.end, spans.get(t, [])) for t in outer):
            continue
        kept.append(c)
    return kept


#: no mention is longer than this many characters (a 《…》 title is at most 122)
MAX_SPAN = 400


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether [start, end) lies within another span of the sorted ``spans``."""
    i = bisect.bisect_right(spans, (start, end + MAX_SPAN)) - 1
    while i >= 0 and spans[i][0] >= start - MAX_SPAN:
        s, e = spans[i]
        if s <= start and e >= end and (s, e) != (start, end):
            return True
        i -= 1
    return False


def annotate(report: Report, settings: Settings, nlp: Language | None = None) -> Report:
    """Add the mentions found in ``report`` (types, offsets, sentence, section role)."""
    nlp = nlp or build_nlp(settings)
    doc = nlp(report.norm)
    found = sorted(without_nested(candidates(doc)), key=lambda c: (c.start, -c.end, c.type))
    for c in found:
        sentence = report.sentence_at(c.start)
        report.mentions.append(
            Mention(
                type=c.type,  # type: ignore[arg-type]
                start=c.start,
                end=c.end,
                text=report.text[c.start : c.end],
                concept=c.concept,
                sentence=sentence.index if sentence else None,
                section_role=sentence.role if sentence else None,
                attrs=dict(c.attrs),
            )
        )
    report.stages.append(NAME)
    return report
