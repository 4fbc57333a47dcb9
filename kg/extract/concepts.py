"""Component ``fk_concepts``: mechanisms, programs and honors named by a vocabulary label.

Every label of ``ontology/vocab/{mechanisms,programs,honors}.csv`` goes into one
phrase index, so where labels nest (全国“枫桥式公安派出所” holds 枫桥) the longest,
leftmost one wins, whatever its vocabulary.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from kg import vocab as vocabulary
from kg.datafiles import read_csv
from kg.extract import coordination
from kg.extract.base import Candidate, doc_text, set_annotations
from kg.ingest import normalise
from kg.matcher import PhraseIndex

#: vocabulary scheme -> entity type of its mentions
SCHEMES: dict[str, str] = {"mechanism": "mechanism", "program": "program", "honor": "honor"}


def labels(voc: vocabulary.Vocabulary, slots: Mapping[str, tuple[str, ...]] | None = None) -> dict[str, tuple[str, str]]:
    """Normalised label -> (entity type, concept id), over every scheme of SCHEMES.

    ``slots`` (word -> the forms it may take, from :func:`level_slots`) add variants with a
    level written in: 法制机构列席政府常务会议 also as 法制机构列席区政府常务会议.  A variant
    never takes a label another concept has.
    """
    found: dict[str, tuple[str, str]] = {}
    for scheme, etype in SCHEMES.items():
        for label, concept in voc.label_index(scheme).items():
            found.setdefault(label, (etype, concept.id))
    variants: dict[str, tuple[str, str]] = {}
    for label, payload in found.items():
        for word, forms in (slots or {}).items():
            at = label.find(word)
            if at >= 0 and not any(label[: at + len(word)].endswith(f) for f in forms):
                for form in forms:
                    variants.setdefault(label.replace(word, form, 1), payload)
    for label, payload in variants.items():
        found.setdefault(label, payload)
    return found


def level_slots(ontology: Path) -> dict[str, tuple[str, ...]]:
    """word -> forms, from ``cues/level_slots.csv`` with ``{level}`` spelled out."""
    levels = [row["prefix"] for row in read_csv(ontology / "cues" / "relative_prefixes.csv", ("prefix",))]
    slots: dict[str, tuple[str, ...]] = {}
    for row in read_csv(ontology / "cues" / "level_slots.csv", ("word", "forms")):
        forms = row.multi("forms")
        if not row["word"] or not forms or any("{level}" not in f for f in forms):
            raise row.error("needs a word and forms that each contain {level}")
        slots[normalise(row["word"])] = tuple(normalise(f.replace("{level}", p)) for f in forms for p in levels)
    return slots


def find(
    text: str,
    index: PhraseIndex[tuple[str, str]],
    heads: coordination.Heads[tuple[str, str]] | None = None,
    rules: coordination.Rules | None = None,
) -> Iterator[Candidate]:
    """Labels found in ``text``, then the coordinated names a shared head completes.

    A coordinated candidate is kept unless a label match covers its span (人大代表和政协委员
    列席政府常务会议 is one name) or names the same concept within it.
    """
    plain = [Candidate(m.payload[0], m.start, m.end, m.payload[1]) for m in index.find(text)]
    yield from plain
    if heads is None or rules is None:
        return
    for start, end, label, (etype, cid) in coordination.expand(text, heads, rules):
        if any(
            (c.start <= start and end <= c.end) or (c.concept == cid and c.start < end and start < c.end)
            for c in plain
            if c.start < end and start < c.end
        ):
            continue
        yield Candidate(etype, start, end, cid, {"coordinated": label})


class ConceptMatcher:
    def __init__(self, ontology: str) -> None:
        found = labels(vocabulary.load(Path(ontology)), level_slots(Path(ontology)))
        self.index = PhraseIndex(found)
        self.heads = coordination.Heads(found)
        self.rules = coordination.load_rules(Path(ontology))

    def __call__(self, doc: Doc) -> Doc:
        set_annotations(doc, find(doc_text(doc), self.index, self.heads, self.rules))
        return doc


@Language.factory("fk_concepts", default_config={"ontology": ""}, assigns=["doc.spans"])
def make_concepts(nlp: Language, name: str, ontology: str) -> ConceptMatcher:
    return ConceptMatcher(ontology)
