"""What every extraction component shares: the candidate record and how it lands on a Doc.

A component is a callable ``Doc -> Doc``.  Its pure ``find(text, ...)`` returns
:class:`Candidate` records and ``set_annotations`` adds them to the Doc: to
``doc.spans[type]`` (a SpanGroup per entity type, label = type, ``kb_id`` = the
vocabulary id) and to ``doc.user_data["fk"]`` (the candidates with their attributes,
read back by :func:`kg.extract.annotate`).

The Doc's text is the report's normalised match form (same length as the original
text), so candidate offsets are report offsets.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy
from spacy.attrs import IDX
from spacy.tokens import Doc, Span

USER_DATA_KEY = "fk"
_IDX_KEY = "fk_token_offsets"
_TEXT_KEY = "fk_text"


@dataclass(slots=True)
class Candidate:
    type: str
    start: int
    end: int
    concept: str | None = None  # vocabulary id, when the span names a vocabulary concept
    attrs: dict[str, Any] = field(default_factory=dict)


def candidates(doc: Doc) -> list[Candidate]:
    found: list[Candidate] = doc.user_data.setdefault(USER_DATA_KEY, [])
    return found


def doc_text(doc: Doc) -> str:
    """The Doc's text, computed once: ``Doc.text`` joins every token on each access."""
    text: str | None = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.text
        doc.user_data[_TEXT_KEY] = text
    return text


def token_bounds(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token indexes (start, end) of the smallest token span covering characters [start, end).

    ``Doc.char_span(alignment_mode="expand")`` walks every token of the Doc on each call;
    this looks the tokens' character offsets up once per Doc and bisects.
    """
    idx: numpy.ndarray[Any, Any] | None = doc.user_data.get(_IDX_KEY)
    if idx is None:
        idx = doc.to_array(IDX) if len(doc) else numpy.zeros(0, dtype="uint64")
        doc.user_data[_IDX_KEY] = idx
    first = int(numpy.searchsorted(idx, start, side="right")) - 1
    last = int(numpy.searchsorted(idx, end, side="left"))
    return max(first, 0), max(last, first + 1)


def set_annotations(doc: Doc, found: Iterable[Candidate]) -> None:
    """Add candidates to ``doc.user_data`` and to the span group of their type."""
    store = candidates(doc)
    size = len(doc_text(doc))
    for cand in found:
        if not 0 <= cand.start < cand.end <= size:
            continue
        first, last = token_bounds(doc, cand.start, cand.end)
        if cand.type not in doc.spans:
            doc.spans[cand.type] = []
        doc.spans[cand.type].append(Span(doc, first, last, label=cand.type, kb_id=cand.concept or ""))
        store.append(cand)
