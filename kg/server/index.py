"""What the pages need from the store, computed once per store open.

A :class:`StoreIndex` holds the counts, the reports, the jurisdictions and their
parents, the mechanism and program concepts with their categories, and one compact
row per adoption (jurisdiction, concept, year, stances, report).  The explorer and
the list pages read it instead of running a GROUP BY or a self-join per request;
pages that show evidence ask the store with bound values.

:func:`build_index` runs in a worker process (:mod:`kg.server.workers`) and returns
plain picklable data; the server rebuilds the index after every update.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Final, NamedTuple

import pyoxigraph as ox

from kg.iris import FK

#: stance names, in the order of their bits in :attr:`Adoption.stances` and of precedence
STANCES: Final = ("practised", "problem", "planned", "recommended", "mentioned")
#: the ontology individual of each stance
STANCE_TERMS: Final = {
    "practised": "practised",
    "problem": "problematic",
    "planned": "planned",
    "recommended": "recommended",
    "mentioned": "mentioned",
}
STANCE_LABELS: Final = {
    "practised": "已实施 practised",
    "problem": "存在问题 problem",
    "planned": "计划实施 planned",
    "recommended": "建议实施 recommended",
    "mentioned": "提及 mentioned",
}
_BIT_OF_TERM: Final = {FK + term: 1 << i for i, term in enumerate(STANCE_TERMS[s] for s in STANCES)}
_LEVELS: Final = ("province", "prefecture", "county", "township")


def stance_bit(stance: str) -> int:
    return 1 << STANCES.index(stance)


def stances_of(bits: int) -> list[str]:
    """The stance names in a bit set, by precedence."""
    return [s for i, s in enumerate(STANCES) if bits & (1 << i)]


class Place(NamedTuple):
    iri: str
    code: str
    name: str
    level: str | None
    parent: str | None  #: IRI of the parent jurisdiction


class Concept(NamedTuple):
    iri: str
    scheme: str  #: mechanism or program
    zh: str
    en: str | None
    category: str | None  #: IRI of the category


class ReportInfo(NamedTuple):
    iri: str
    id: str
    title: str | None
    place: str | None
    year: int | None
    published: str | None
    doc_type: str


class Adoption(NamedTuple):
    place: str
    concept: str
    year: int | None
    stances: int  #: bit set over :data:`STANCES`
    report: str


@dataclass
class StoreIndex:
    base: str
    graphs: frozenset[str] = frozenset()
    counts: dict[str, int] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    concepts: dict[str, Concept] = field(default_factory=dict)
    categories: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    reports: list[ReportInfo] = field(default_factory=list)
    adoptions: list[Adoption] = field(default_factory=list)
    _province: dict[str, str | None] = field(default_factory=dict, repr=False)

    # --- derived lookups, computed on first use in the server's process ---------------------

    def province_of(self, place: str) -> str | None:
        """IRI of the province a jurisdiction lies in (itself for a province), None if unknown."""
        if place not in self._province:
            seen: set[str] = set()
            current: str | None = place
            found: str | None = None
            while current is not None and current not in seen:
                seen.add(current)
                info = self.places.get(current)
                if info is None:
                    break
                if info.level == "province":
                    found = current
                    break
                current = info.parent
            if found is None:  # fall back on the GB/T 2260 code: the province is NN0000
                code = self.places[place].code if place in self.places else place.rsplit("/", 1)[-1]
                candidate = self.base + "jurisdiction/" + code[:2] + "0000"
                found = candidate if candidate in self.places else None
            self._province[place] = found
        return self._province[place]

    def name_of(self, iri: str) -> str:
        if iri in self.places:
            return self.places[iri].name
        if iri in self.concepts:
            return self.concepts[iri].zh
        if iri in self.categories:
            return self.categories[iri][0]
        return iri.rsplit("/", 1)[-1]

    def report_places(self) -> set[str]:
        return {r.place for r in self.reports if r.place}

    def provinces(self) -> list[Place]:
        """Provinces that hold a reporting jurisdiction, by code."""
        found = {self.province_of(p) for p in self.report_places()}
        return sorted((self.places[p] for p in found if p), key=lambda p: p.code)

    def years(self) -> list[int]:
        return sorted({a.year for a in self.adoptions if a.year is not None})

    def used_categories(self) -> list[tuple[str, str]]:
        used = {self.concepts[a.concept].category for a in self.adoptions if a.concept in self.concepts}
        return sorted(((c, self.categories.get(c, (c, None))[0]) for c in used if c), key=lambda x: x[1])


# --- building -------------------------------------------------------------------------------------

_PREFIXES = """PREFIX fk: <https://w3id.org/fazhi-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
Q_PLACES: Final = (
    _PREFIXES
    + """SELECT DISTINCT ?j ?code ?name ?level ?parent WHERE { GRAPH ?g {
  ?j a fk:Jurisdiction ; fk:code ?code .
  OPTIONAL { ?j rdfs:label ?name }
  OPTIONAL { ?j fk:level ?level }
  OPTIONAL { ?j fk:parent ?parent }
} }"""
)
Q_CONCEPTS: Final = (
    _PREFIXES
    + """SELECT DISTINCT ?c ?type ?zh ?en ?cat WHERE { GRAPH ?g {
  VALUES ?type { fk:Mechanism fk:Program }
  ?c a ?type .
  OPTIONAL { ?c skos:prefLabel ?zh FILTER(lang(?zh) = "zh") }
  OPTIONAL { ?c skos:prefLabel ?en FILTER(lang(?en) = "en") }
  OPTIONAL { ?c skos:broader ?cat }
} }"""
)
Q_CATEGORIES: Final = (
    _PREFIXES
    + """SELECT DISTINCT ?cat ?zh ?en WHERE { GRAPH ?g {
  ?cat skos:topConceptOf ?scheme ; skos:prefLabel ?zh FILTER(lang(?zh) = "zh")
  OPTIONAL { ?cat skos:prefLabel ?en FILTER(lang(?en) = "en") }
} }"""
)
Q_REPORTS: Final = (
    _PREFIXES
    + """SELECT DISTINCT ?r ?id ?title ?j ?year ?published ?type WHERE { GRAPH ?g {
  ?r a fk:Report ; dcterms:identifier ?id ; fk:docType ?type .
  OPTIONAL { ?r dcterms:title ?title }
  OPTIONAL { ?r fk:jurisdiction ?j }
  OPTIONAL { ?r fk:reportYear ?year }
  OPTIONAL { ?r dcterms:issued ?published }
} }"""
)
Q_ADOPTIONS: Final = (
    _PREFIXES
    + """SELECT ?j ?c ?year ?stance ?r WHERE { GRAPH ?g {
  ?a a fk:Adoption ; fk:jurisdiction ?j ; fk:concept ?c ; fk:report ?r ; fk:stance ?stance .
  OPTIONAL { ?a fk:year ?year }
} }"""
)
Q_COUNTS: Final = {
    "documents": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { GRAPH ?g { ?x a fk:Document } }",
    "agencies": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { GRAPH ?g { ?x a fk:Agency } }",
    "mentions": "SELECT (COUNT(?x) AS ?n) WHERE { GRAPH ?g { ?x a fk:Mention } }",
    "statistics": "SELECT (COUNT(?x) AS ?n) WHERE { GRAPH ?g { ?x a fk:Observation } }",
}


def _rows(db: ox.Store, sparql: str) -> list[list[str | None]]:
    result = db.query(sparql, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    width = len(result.variables)
    out = []
    for solution in result:
        out.append([None if solution[i] is None else sys.intern(solution[i].value) for i in range(width)])
    return out


def _int(value: str | None) -> int | None:
    try:
        return None if value is None else int(value)
    except ValueError:
        return None


def _local(iri: str | None) -> str | None:
    return None if iri is None else iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def build_index(db: ox.Store, base: str) -> StoreIndex:
    """Read everything the pages need from ``db`` (a few queries, one pass each)."""
    index = StoreIndex(base=base)
    index.graphs = frozenset(g.value for g in db.named_graphs() if isinstance(g, ox.NamedNode))
    for j, code, name, level, parent in _rows(db, Q_PLACES):
        assert j is not None and code is not None
        old = index.places.get(j)
        lvl = _local(level)
        if old is None or (old.parent is None and parent) or (old.name == old.code and name):
            index.places[j] = Place(j, code, name or code, lvl if lvl in _LEVELS else None, parent)
    for cat, zh, en in _rows(db, Q_CATEGORIES):
        assert cat is not None and zh is not None
        index.categories.setdefault(cat, (zh, en))
    for c, kind, zh, en, cat in sorted(_rows(db, Q_CONCEPTS), key=lambda r: tuple(x or "" for x in r)):
        assert c is not None and kind is not None
        if c not in index.concepts:
            scheme = "program" if kind.endswith("Program") else "mechanism"
            index.concepts[c] = Concept(c, scheme, zh or _local(c) or c, en, cat)
    for r, rid, title, j, year, published, doc_type in sorted(_rows(db, Q_REPORTS), key=lambda r: r[1] or ""):
        assert r is not None and rid is not None
        if not index.reports or index.reports[-1].iri != r:
            index.reports.append(ReportInfo(r, rid, title, j, _int(year), published, _local(doc_type) or "other"))
    stances: dict[tuple[str, str, str], int] = defaultdict(int)
    years: dict[tuple[str, str, str], int | None] = {}
    for j, c, year, stance, r in _rows(db, Q_ADOPTIONS):
        assert j is not None and c is not None and stance is not None and r is not None
        key = (j, c, r)
        stances[key] |= _BIT_OF_TERM.get(stance, 0)
        years[key] = _int(year)
    index.adoptions = [Adoption(j, c, years[(j, c, r)], bits, r) for (j, c, r), bits in sorted(stances.items())]
    counts = {name: int(_rows(db, _PREFIXES + q)[0][0] or 0) for name, q in Q_COUNTS.items()}
    counts["quads"] = len(db)
    counts["graphs"] = len(index.graphs)
    counts["reports"] = len(index.reports)
    counts["jurisdictions"] = len(index.report_places())
    counts["adoptions"] = len(index.adoptions)
    counts["mechanisms"] = len({a.concept for a in index.adoptions if _scheme(index, a.concept) == "mechanism"})
    counts["programs"] = len({a.concept for a in index.adoptions if _scheme(index, a.concept) == "program"})
    index.counts = counts
    return index


def _scheme(index: StoreIndex, concept: str) -> str | None:
    info = index.concepts.get(concept)
    return info.scheme if info else None


__all__ = [
    "STANCES",
    "STANCE_LABELS",
    "STANCE_TERMS",
    "Adoption",
    "Concept",
    "Place",
    "ReportInfo",
    "StoreIndex",
    "build_index",
    "stance_bit",
    "stances_of",
]
