"""Stage: a resolved report becomes triples for its own named graph.

Everything extracted from one report goes into ``{base}graph/report/<id>``, so
rebuilding a report replaces exactly its graph.  Descriptions of shared entities
(a jurisdiction's code, level, names and parents; an agency's kind and jurisdiction; a
document's title and kind) are the same whichever report names them and go once into
the entities graph ``{base}graph/entities``; concepts are described in the vocabulary
graph.  Repeating them in every report graph would make every join over the union of
graphs multiply by the number of reports.  No blank
nodes: every node has an IRI derived from the report id and offsets, so the same
input gives the same triples (sorted N-Triples diff line by line).

What a report graph holds (terms of ``ontology/fk.ttl``):

- the report: type, title, jurisdiction, year, date, type, issuer, source, text;
- its sections (heading, depth, role, parent) and sentences (text, offsets, section);
- one ``fk:Mention`` per extracted span, an ``oa:Annotation`` whose body is the entity
  and whose target selects the characters (``oa:TextPositionSelector``) of the report,
  with the sentence, section role and surface text;
- the entities as the report describes them: jurisdictions with code, level and
  parents; agencies with kind and jurisdiction; documents with kind and issuers;
- one ``fk:Adoption`` per jurisdiction, concept (mechanism or program) and report,
  with year, every stance the report takes and its evidence mentions, plus the
  shortcut triples ``jurisdiction fk:practises concept`` (``fk:plans``,
  ``fk:reportsProblemWith``, ``fk:isRecommended``, ``fk:mentionsConcept``);
- statistics as RDF Data Cube observations in ``fk:statistics``.

Vocabularies and the ontology go to their own graphs (:func:`vocabulary_triples`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pyoxigraph
from pyoxigraph import Triple

from kg import vocab as vocabulary
from kg.config import Settings
from kg.iris import FK, Minter
from kg.model import STANCE_OF_ROLE, Jurisdiction, Mention, Report

NAME = "rdf"
REQUIRES = ("resolve",)

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
OA = "http://www.w3.org/ns/oa#"
PROV = "http://www.w3.org/ns/prov#"
QB = "http://purl.org/linked-data/cube#"
ORG = "http://www.w3.org/ns/org#"
XSD = "http://www.w3.org/2001/XMLSchema#"

#: stance -> (stance individual, shortcut property)
STANCES: dict[str, tuple[str, str]] = {
    "practised": ("practised", "practises"),
    "planned": ("planned", "plans"),
    "problem": ("problematic", "reportsProblemWith"),
    "recommended": ("recommended", "isRecommended"),
    "mentioned": ("mentioned", "mentionsConcept"),
}
#: entity type -> class of the entity
CLASS_OF_TYPE = {
    "jurisdiction": "Jurisdiction",
    "agency": "Agency",
    "mechanism": "Mechanism",
    "program": "Program",
    "honor": "Honor",
    "document": "Document",
    "metric": "Observation",
}
ORG_KIND_CLASS = {"government": "Government", "party-committee": "PartyCommittee"}
#: the entity types whose mentions make adoptions
ADOPTED = ("mechanism", "program")


# Terms are written as N-Triples text straight away: building millions of pyoxigraph
# Triple objects in Python costs more than the whole extraction, while the store parses
# N-Triples in Rust.  Minted IRIs never need escaping (kg.iris percent-encodes them).
Term = str
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


@lru_cache(maxsize=512)
def fk(term: str) -> Term:
    return f"<{FK}{term}>"


@lru_cache(maxsize=512)
def _term(iri: str) -> Term:
    """A vocabulary term (predicate or class) outside fk:, made once."""
    return f"<{iri}>"


def _n(iri: str) -> Term:
    return f"<{iri}>"


def _iri(node: Term) -> str:
    return node[1:-1]


def _lit(value: str, datatype: str | None = None, language: str | None = None) -> Term:
    quoted = f'"{value.translate(_ESCAPES)}"'
    if language:
        return f"{quoted}@{language}"
    if datatype:
        return f"{quoted}^^<{XSD}{datatype}>"
    return quoted


@lru_cache(maxsize=65536)
def _int(value: int) -> Term:
    return f'"{value}"^^<{XSD}integer>'


def _zh(value: str) -> Term:
    return _lit(value, language="zh")


class ReportGraph:
    """Triples of one report; :meth:`triples` is the whole graph."""

    def __init__(self, report: Report, settings: Settings) -> None:
        self.r = report
        self.mint = Minter(settings.base)
        self.subject = _n(self.mint.report(report.id))
        self.rbase = _iri(self.subject)  # in-report IRIs: offsets and ASCII kinds need no escaping
        self.out: list[str] = []
        self.shared: list[str] = []
        self._seen_places: set[str] = set()
        self._described: set[str] = set()

    def add(self, s: Term, p: Term, o: Term) -> None:
        self.out.append(_line(s, p, o))

    def share(self, s: Term, p: Term, o: Term) -> None:
        """A triple describing a shared entity (jurisdiction, agency, document): entities graph."""
        self.shared.append(_line(s, p, o))

    def ntriples(self) -> Graphs:
        self._report()
        self._structure()
        for m in self.r.mentions:
            self._mention(m)
            if m.type == "honor":
                self._award(m)
        self._adoptions()
        return Graphs(_join(self.out), _join(self.shared))

    # -------------------------------------------------------------- report
    def _report(self) -> None:
        r, s, add = self.r, self.subject, self.add
        add(s, RDF_TYPE, fk("Report"))
        if r.title:
            add(s, _term(DCT + "title"), _zh(r.title))
        if r.jurisdiction:
            add(s, fk("jurisdiction"), self._place(r.jurisdiction))
        if r.report_year is not None:
            add(s, fk("reportYear"), _int(r.report_year))
        if r.published:
            add(s, _term(DCT + "issued"), _lit(r.published, "date"))
        add(s, fk("docType"), fk(r.doc_type))
        if r.issuer:
            add(s, fk("issuer"), _zh(r.issuer))
        add(s, fk("sourceFile"), _lit(r.source))
        add(s, fk("encoding"), _lit(r.encoding))
        add(s, _term(DCT + "identifier"), _lit(r.id))
        add(s, fk("text"), _zh(r.text))

    def _place(self, j: Jurisdiction) -> Term:
        """The jurisdiction's node, described once per report (code, level, names, parents)."""
        node = _n(self.mint.jurisdiction(j.code))
        if j.code in self._seen_places:
            return node
        self._seen_places.add(j.code)
        add = self.share
        add(node, RDF_TYPE, fk("Jurisdiction"))
        add(node, _term(RDFS + "label"), _zh(j.full_name))
        add(node, _term(SKOS + "altLabel"), _zh(j.name))
        add(node, fk("fullName"), _zh(j.full_name))
        add(node, fk("code"), _lit(j.code))
        add(node, fk("level"), fk(j.level))
        if j.parents:
            add(node, fk("parent"), _n(self.mint.jurisdiction(j.parents[-1])))
        from kg.gazetteer import get_gazetteer

        gaz = get_gazetteer()
        for code in j.parents:
            parent = gaz.by_code(code)
            if parent is not None:
                self._place(parent)
        return node

    def _structure(self) -> None:
        add, rid = self.add, self.r.id
        for sec in self.r.sections:
            node = _n(self.mint.in_report(rid, "section", sec.index))
            add(node, RDF_TYPE, fk("Section"))
            add(node, fk("report"), self.subject)
            add(node, fk("heading"), _zh(sec.heading))
            add(node, fk("depth"), _int(sec.level))
            add(node, fk("index"), _int(sec.index))
            add(node, fk("role"), fk(sec.role))
            add(node, fk("start"), _int(sec.start))
            add(node, fk("end"), _int(sec.end))
            if sec.parent is not None:
                add(node, _term(DCT + "isPartOf"), _n(self.mint.in_report(rid, "section", sec.parent)))
        used = {m.sentence for m in self.r.mentions if m.sentence is not None}
        for sent in self.r.sentences:
            if sent.index not in used:  # only evidence sentences: the full text is on the report
                continue
            node = _n(self.mint.in_report(rid, "sentence", sent.index))
            add(node, RDF_TYPE, fk("Sentence"))
            add(node, fk("report"), self.subject)
            add(node, fk("text"), _zh(self.r.text[sent.start : sent.end]))
            add(node, fk("index"), _int(sent.index))
            add(node, fk("start"), _int(sent.start))
            add(node, fk("end"), _int(sent.end))
            if sent.role:
                add(node, fk("role"), fk(sent.role))
            if sent.section is not None:
                add(node, fk("section"), _n(self.mint.in_report(rid, "section", sent.section)))

    # -------------------------------------------------------------- mentions
    def mention_node(self, m: Mention) -> Term:
        return _n(f"{self.rbase}/mention/{m.start}-{m.end}-{m.type}")

    def _mention(self, m: Mention) -> None:
        add = self.add
        node = self.mention_node(m)
        entity = _n(m.iri)
        target = _n(f"{_iri(node)}-target")
        selector = _n(f"{_iri(node)}-selector")
        add(node, RDF_TYPE, fk("Mention"))
        add(node, fk("mentionType"), _lit(m.type))
        add(node, fk("report"), self.subject)
        add(node, _term(OA + "hasBody"), entity)
        add(node, _term(OA + "hasTarget"), target)
        add(node, fk("surface"), _zh(m.text))
        add(node, fk("start"), _int(m.start))
        add(node, fk("end"), _int(m.end))
        if m.section_role:
            add(node, fk("role"), fk(m.section_role))
        if m.sentence is not None:
            add(node, fk("sentence"), _n(f"{self.rbase}/sentence/{m.sentence}"))
        add(target, _term(OA + "hasSource"), self.subject)
        add(target, _term(OA + "hasSelector"), selector)
        add(selector, RDF_TYPE, _term(OA + "TextPositionSelector"))
        add(selector, _term(OA + "start"), _int(m.start))
        add(selector, _term(OA + "end"), _int(m.end))
        if m.type == "metric" or m.iri not in self._described:
            self._described.add(m.iri)
            if m.type != "metric":
                add(self.subject, fk("mentions"), entity)
            getattr(self, f"_entity_{m.type}")(m, entity, node)

    def _entity_jurisdiction(self, m: Mention, entity: Term, node: Term) -> None:
        from kg.gazetteer import get_gazetteer

        j = get_gazetteer().by_code(str(m.attrs["code"]))
        if j is not None:
            self._place(j)

    def _entity_agency(self, m: Mention, entity: Term, node: Term) -> None:
        self._agency(entity, m.canonical, m.attrs)

    def _agency(self, entity: Term, canonical: str | None, attrs: dict[str, Any]) -> None:
        """An agency's shared description; a unit's parent agency is described too."""
        add = self.share
        add(entity, RDF_TYPE, fk("Agency"))
        org_kind = str(attrs.get("org_kind", "agency"))
        if org_kind in ORG_KIND_CLASS:
            add(entity, RDF_TYPE, fk(ORG_KIND_CLASS[org_kind]))
        add(entity, RDF_TYPE, _term(ORG + "Organization"))
        add(entity, _term(RDFS + "label"), _zh(str(canonical)))
        add(entity, fk("orgKind"), _lit(org_kind))
        if "kind" in attrs:
            add(entity, fk("agencyKind"), _n(self.mint.concept("agency_kind", str(attrs["kind"]))))
        if "jurisdiction_code" in attrs:
            add(entity, fk("jurisdiction"), _n(self.mint.jurisdiction(str(attrs["jurisdiction_code"]))))
        parent = attrs.get("parent_agency")
        if isinstance(parent, dict):  # 公安宁河分局 of 公安宁河分局俵口派出所: named only as part of the unit
            owner = _n(str(parent["iri"]))
            add(entity, _term(ORG + "subOrganizationOf"), owner)
            self._agency(owner, str(parent["canonical"]), parent)

    def _entity_concept(self, m: Mention, entity: Term, node: Term) -> None:
        """Concepts are described once, in the vocabulary graph."""

    _entity_mechanism = _entity_program = _entity_concept

    def _entity_honor(self, m: Mention, entity: Term, node: Term) -> None:
        """An award: who received the honor, who gave it, when, with the mention as evidence."""

    def _award(self, m: Mention) -> None:
        recipient = m.attrs.get("recipient_iri")
        if not recipient:
            return
        add = self.add
        award = _n(f"{self.rbase}/award/{m.start}-{m.end}")
        add(award, RDF_TYPE, fk("Award"))
        add(award, fk("honor"), _n(m.iri))
        add(award, fk("recipient"), _n(str(recipient)))
        if m.attrs.get("awarder_iri"):
            add(award, fk("awardedBy"), _n(str(m.attrs["awarder_iri"])))
        if self.r.report_year is not None:
            add(award, fk("year"), _int(self.r.report_year))
        add(award, fk("evidence"), self.mention_node(m))
        add(award, fk("report"), self.subject)
        add(_n(str(recipient)), fk("received"), _n(m.iri))

    def _entity_document(self, m: Mention, entity: Term, node: Term) -> None:
        add, share = self.add, self.share
        share(entity, RDF_TYPE, fk("Document"))
        share(entity, _term(DCT + "title"), _zh(m.canonical))
        add(self.subject, _term(DCT + "references"), entity)
        if m.attrs.get("kind"):
            share(entity, fk("documentKind"), _n(self.mint.concept("document_kind", str(m.attrs["kind"]))))
        for issuer in m.attrs.get("issuer_iris", []):
            add(entity, _term(DCT + "creator"), _n(str(issuer)))
        if self.r.jurisdiction:
            place = _n(self.mint.jurisdiction(self.r.jurisdiction.code))
            add(place, fk("issued") if m.attrs.get("self_issued") else fk("cites"), entity)

    def _entity_metric(self, m: Mention, entity: Term, node: Term) -> None:
        add, a = self.add, m.attrs
        add(entity, RDF_TYPE, fk("Observation"))
        add(entity, RDF_TYPE, _term(QB + "Observation"))
        add(entity, _term(QB + "dataSet"), fk("statistics"))
        add(entity, fk("indicator"), _n(str(a["indicator_iri"])))
        value = a["value"]
        datatype = "integer" if isinstance(value, int) else "decimal"
        add(entity, fk("value"), _lit(str(value), datatype))
        add(entity, fk("unit"), _zh(str(a["unit"])))
        add(entity, fk("approximate"), _lit("true" if a.get("approximate") else "false", "boolean"))
        if a.get("year") is not None:
            add(entity, fk("year"), _int(int(a["year"])))
        if a.get("jurisdiction_code"):
            add(entity, fk("jurisdiction"), _n(self.mint.jurisdiction(str(a["jurisdiction_code"]))))
        add(entity, fk("evidence"), node)
        add(entity, fk("report"), self.subject)

    # -------------------------------------------------------------- adoptions
    def _adoptions(self) -> None:
        j = self.r.jurisdiction
        if j is None:
            return
        place = _n(self.mint.jurisdiction(j.code))
        grouped: dict[str, list[Mention]] = defaultdict(list)
        for m in self.r.mentions:
            if m.type in ADOPTED:
                grouped[m.iri].append(m)
                for part in m.attrs.get("includes", ()):  # 府院府检联动 is evidence of 府院联动 too
                    grouped[str(part)].append(m)
        add = self.add
        for iri, mentions in sorted(grouped.items()):
            scheme, cid = mentions[0].type, iri.rsplit("/", 1)[1]
            node = _n(self.mint.adoption(self.r.id, j.code, scheme, cid))
            add(node, RDF_TYPE, fk("Adoption"))
            add(node, fk("jurisdiction"), place)
            add(node, fk("concept"), _n(iri))
            add(node, fk("report"), self.subject)
            if self.r.report_year is not None:
                add(node, fk("year"), _int(self.r.report_year))
            add(place, fk("adoption"), node)
            stances = sorted({STANCE_OF_ROLE[m.section_role or "background"] for m in mentions})
            for stance in stances:
                individual, shortcut = STANCES[stance]
                add(node, fk("stance"), fk(individual))
                add(place, fk(shortcut), _n(iri))
            for m in mentions:
                add(node, fk("evidence"), self.mention_node(m))


@dataclass(frozen=True, slots=True)
class Graphs:
    """What one report contributes, as N-Triples: its own graph and shared entity descriptions."""

    report: bytes
    entities: bytes


def _join(lines: list[str]) -> bytes:
    return "".join(dict.fromkeys(lines)).encode("utf-8")


def report_ntriples(report: Report, settings: Settings) -> Graphs:
    """``report``'s named graph, and the entity descriptions it adds, as N-Triples (each triple once)."""
    return ReportGraph(report, settings).ntriples()


def report_triples(report: Report, settings: Settings) -> list[Triple]:
    """``report``'s named graph as pyoxigraph triples (parsed from :func:`report_ntriples`)."""
    return parse_ntriples(report_ntriples(report, settings).report)


def parse_ntriples(data: bytes) -> list[Triple]:
    return [q.triple for q in pyoxigraph.parse(data, pyoxigraph.RdfFormat.N_TRIPLES)]


def _line(s: Term, p: Term, o: Term) -> str:
    return f"{s} {p} {o} .\n"


def vocabulary_ntriples(settings: Settings) -> bytes:
    """SKOS triples of every vocabulary in ontology/vocab, for the vocabulary graph."""
    return "".join(dict.fromkeys(_vocabulary_lines(settings))).encode("utf-8")


def vocabulary_triples(settings: Settings) -> list[Triple]:
    return parse_ntriples(vocabulary_ntriples(settings))


def _vocabulary_lines(settings: Settings) -> Iterator[str]:
    voc = vocabulary.load(settings.ontology)
    mint = Minter(settings.base)
    label, pref, alt = _term(RDFS + "label"), _term(SKOS + "prefLabel"), _term(SKOS + "altLabel")
    concept_class = {
        "mechanism": "Mechanism",
        "program": "Program",
        "honor": "Honor",
        "agency_kind": "AgencyKind",
        "indicator": "Indicator",
        "document_kind": "DocumentKind",
    }
    for scheme in voc.schemes:
        scheme_node = _n(mint.scheme(scheme))
        yield _line(scheme_node, RDF_TYPE, _term(SKOS + "ConceptScheme"))
        yield _line(scheme_node, label, _lit(scheme.replace("_", " "), language="en"))
        for concept in voc.concepts(scheme).values():
            node = _n(mint.concept(scheme, concept.id))
            yield _line(node, RDF_TYPE, _term(SKOS + "Concept"))
            if scheme in concept_class:
                yield _line(node, RDF_TYPE, fk(concept_class[scheme]))
            yield _line(node, _term(SKOS + "inScheme"), scheme_node)
            yield _line(node, _term(SKOS + "notation"), _lit(concept.id))
            yield _line(node, pref, _zh(concept.pref_zh))
            if concept.pref_en:
                yield _line(node, pref, _lit(concept.pref_en, language="en"))
            for a in concept.alt_labels:
                yield _line(node, alt, _zh(a))
            if concept.category:
                yield _line(node, _term(SKOS + "broader"), _n(mint.concept("category", concept.category)))
            if concept.extra.get("includes"):
                for part in voc.counts_as(scheme, concept.id):
                    yield _line(node, fk("includes"), _n(mint.concept(scheme, part)))
        for cat in voc.categories(scheme).values():
            node = _n(mint.concept("category", cat.id))
            yield _line(node, RDF_TYPE, _term(SKOS + "Concept"))
            yield _line(node, pref, _zh(cat.pref_zh))
            if cat.pref_en:
                yield _line(node, pref, _lit(cat.pref_en, language="en"))
            yield _line(node, _term(SKOS + "topConceptOf"), scheme_node)


def annotate(report: Report, settings: Settings) -> Graphs:
    """The report's graphs as N-Triples; the stage's output goes to the store, not to the Report."""
    report.stages.append(NAME)
    return report_ntriples(report, settings)
