"""Component ``fk_jurisdictions``: place names from the gazetteer (:mod:`kg.gazetteer`).

Every name the gazetteer offers for matching (official names, full chains such as
天津市宁河区, safe short names) goes into one phrase index.  Which unit a name means
is decided later by :mod:`kg.resolve`, with the report's own jurisdiction as context.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.base import Candidate, doc_text, set_annotations
from kg.matcher import PhraseIndex


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Every surface the gazetteer offers for running text, plus predicted former names (宁河县)."""
    from kg.gazetteer import get_gazetteer

    gaz = get_gazetteer()
    names = {name for name, _ in gaz.names(chains=False)}
    names.update(old for old, _ in gaz.guessed_historical_names())
    return frozenset(names)


def township_stems() -> frozenset[str]:
    """Township names without their level ending (黄花 of 黄花镇): how a unit named after its
    township is written (黄花司法所, 城关派出所).  Two characters at least."""
    from kg.gazetteer import get_gazetteer

    gaz = get_gazetteer()
    stems = (gaz.township_stem(j) for j in gaz)
    return frozenset(s for s in stems if s)


def build_index() -> PhraseIndex[str]:
    return PhraseIndex({name: name for name in sorted(place_names())})


def find(text: str, index: PhraseIndex[str]) -> Iterator[Candidate]:
    for m in index.find(text):
        yield Candidate("jurisdiction", m.start, m.end, None, {"name": m.payload})


class JurisdictionMatcher:
    def __init__(self) -> None:
        self.index = build_index()

    def __call__(self, doc: Doc) -> Doc:
        set_annotations(doc, find(doc_text(doc), self.index))
        return doc


@Language.factory("fk_jurisdictions", default_config={}, assigns=["doc.spans"])
def make_jurisdictions(nlp: Language, name: str) -> JurisdictionMatcher:
    return JurisdictionMatcher()
