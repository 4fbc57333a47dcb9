"""Component ``fk_concepts``: mechanisms, programs and honors named by a vocabulary label.

Every label of ``ontology/vocab/{mechanisms,programs,honors}.csv`` goes into one
phrase index, so where labels nest (全国“枫桥式公安派出所” holds 枫桥) the longest,
leftmost one wins, whatever its vocabulary.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from kg import vocab as vocabulary
from kg.extract.base import Candidate, doc_text, set_annotations
from kg.matcher import PhraseIndex

#: vocabulary scheme -> entity type of its mentions
SCHEMES: dict[str, str] = {"mechanism": "mechanism", "program": "program", "honor": "honor"}


def build_index(voc: vocabulary.Vocabulary) -> PhraseIndex[tuple[str, str]]:
    labels: dict[str, tuple[str, str]] = {}
    for scheme, etype in SCHEMES.items():
        for label, concept in voc.label_index(scheme).items():
            labels.setdefault(label, (etype, concept.id))
    return PhraseIndex(labels)


def find(text: str, index: PhraseIndex[tuple[str, str]]) -> Iterator[Candidate]:
    for m in index.find(text):
        etype, cid = m.payload
        yield Candidate(etype, m.start, m.end, cid)


class ConceptMatcher:
    def __init__(self, ontology: str) -> None:
        self.index = build_index(vocabulary.load(Path(ontology)))

    def __call__(self, doc: Doc) -> Doc:
        set_annotations(doc, find(doc_text(doc), self.index))
        return doc


@Language.factory("fk_concepts", default_config={"ontology": ""}, assigns=["doc.spans"])
def make_concepts(nlp: Language, name: str, ontology: str) -> ConceptMatcher:
    return ConceptMatcher(ontology)
