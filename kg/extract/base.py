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

from spacy.tokens import Doc

USER_DATA_KEY = "fk"


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


def set_annotations(doc: Doc, found: Iterable[Candidate]) -> None:
    """Add candidates to ``doc.user_data`` and to the span group of their type."""
    store = candidates(doc)
    for cand in found:
        span = doc.char_span(cand.start, cand.end, label=cand.type, kb_id=cand.concept or "", alignment_mode="expand")
        if span is None:  # only when the offsets fall outside the text
            continue
        if cand.type not in doc.spans:
            doc.spans[cand.type] = []
        doc.spans[cand.type].append(span)
        store.append(cand)
