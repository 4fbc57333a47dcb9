"""Stage: a resolved report becomes triples for its own named graph.

Everything extracted from one report goes into ``{base}graph/report/<id>`` and
nothing else does, so rebuilding a report replaces exactly its graph.  No blank
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

from pyoxigraph import Literal, NamedNode, Triple

from kg import vocab as vocabulary
from kg.config import Settings
from kg.iris import FK, Minter
from kg.model import STANCE_OF_ROLE, Jurisdiction, Mention, Report

NAME = "rdf"
REQUIRES = ("resolve",)

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
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
ORG_KIND_CLASS = {"government": "Government", "party": "PartyCommittee"}
#: the entity types whose mentions make adoptions
ADOPTED = ("mechanism", "program")


def fk(term: str) -> NamedNode:
    return NamedNode(FK + term)


def _n(iri: str) -> NamedNode:
    return NamedNode(iri)


def _int(value: int) -> Literal:
    return Literal(str(value), datatype=NamedNode(XSD + "integer"))


def _zh(value: str) -> Literal:
    return Literal(value, language="zh")


class ReportGraph:
    """Triples of one report; :meth:`triples` is the whole graph."""

    def __init__(self, report: Report, settings: Settings) -> None:
        self.r = report
        self.mint = Minter(settings.base)
        self.subject = _n(self.mint.report(report.id))
        self.out: list[Triple] = []
        self._seen_places: set[str] = set()

    def add(self, s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> None:
        self.out.append(Triple(s, p, o))

    def triples(self) -> list[Triple]:
        self._report()
        self._structure()
        for m in self.r.mentions:
            self._mention(m)
        self._adoptions()
        return self.out

    # -------------------------------------------------------------- report
    def _report(self) -> None:
        r, s, add = self.r, self.subject, self.add
        add(s, RDF_TYPE, fk("Report"))
        if r.title:
            add(s, _n(DCT + "title"), _zh(r.title))
        if r.jurisdiction:
            add(s, fk("jurisdiction"), self._place(r.jurisdiction))
        if r.report_year is not None:
            add(s, fk("reportYear"), _int(r.report_year))
        if r.published:
            add(s, _n(DCT + "issued"), Literal(r.published, datatype=NamedNode(XSD + "date")))
        add(s, fk("docType"), fk(r.doc_type))
        if r.issuer:
            add(s, fk("issuer"), _zh(r.issuer))
        add(s, fk("sourceFile"), Literal(r.source))
        add(s, fk("encoding"), Literal(r.encoding))
        add(s, _n(DCT + "identifier"), Literal(r.id))
        add(s, fk("text"), _zh(r.text))

    def _place(self, j: Jurisdiction) -> NamedNode:
        """The jurisdiction's node, described once per report (code, level, names, parents)."""
        node = _n(self.mint.jurisdiction(j.code))
        if j.code in self._seen_places:
            return node
        self._seen_places.add(j.code)
        add = self.add
        add(node, RDF_TYPE, fk("Jurisdiction"))
        add(node, _n(RDFS + "label"), _zh(j.full_name))
        add(node, _n(SKOS + "altLabel"), _zh(j.name))
        add(node, fk("fullName"), _zh(j.full_name))
        add(node, fk("code"), Literal(j.code))
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
                add(node, _n(DCT + "isPartOf"), _n(self.mint.in_report(rid, "section", sec.parent)))
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
    def mention_node(self, m: Mention) -> NamedNode:
        return _n(self.mint.in_report(self.r.id, "mention", m.start, m.end, m.type))

    def _mention(self, m: Mention) -> None:
        add, rid = self.add, self.r.id
        node = self.mention_node(m)
        entity = _n(m.iri)
        target = _n(f"{node.value}-target")
        selector = _n(f"{node.value}-selector")
        add(node, RDF_TYPE, fk("Mention"))
        add(node, fk("mentionType"), Literal(m.type))
        add(node, fk("report"), self.subject)
        add(node, _n(OA + "hasBody"), entity)
        add(node, _n(OA + "hasTarget"), target)
        add(node, fk("surface"), _zh(m.text))
        add(node, fk("start"), _int(m.start))
        add(node, fk("end"), _int(m.end))
        if m.section_role:
            add(node, fk("role"), fk(m.section_role))
        if m.sentence is not None:
            add(node, fk("sentence"), _n(self.mint.in_report(rid, "sentence", m.sentence)))
        add(target, _n(OA + "hasSource"), self.subject)
        add(target, _n(OA + "hasSelector"), selector)
        add(selector, RDF_TYPE, _n(OA + "TextPositionSelector"))
        add(selector, _n(OA + "start"), _int(m.start))
        add(selector, _n(OA + "end"), _int(m.end))
        if m.type != "metric":
            add(self.subject, fk("mentions"), entity)
        getattr(self, f"_entity_{m.type}")(m, entity, node)

    def _entity_jurisdiction(self, m: Mention, entity: NamedNode, node: NamedNode) -> None:
        from kg.gazetteer import get_gazetteer

        j = get_gazetteer().by_code(str(m.attrs["code"]))
        if j is not None:
            self._place(j)

    def _entity_agency(self, m: Mention, entity: NamedNode, node: NamedNode) -> None:
        add = self.add
        add(entity, RDF_TYPE, fk("Agency"))
        org_kind = str(m.attrs.get("org_kind", "agency"))
        if org_kind in ORG_KIND_CLASS:
            add(entity, RDF_TYPE, fk(ORG_KIND_CLASS[org_kind]))
        add(entity, RDF_TYPE, _n(ORG + "Organization"))
        add(entity, _n(RDFS + "label"), _zh(m.canonical))
        add(entity, fk("orgKind"), Literal(org_kind))
        if "kind" in m.attrs:
            add(entity, fk("agencyKind"), _n(self.mint.concept("agency_kind", str(m.attrs["kind"]))))
        if "jurisdiction_code" in m.attrs:
            add(entity, fk("jurisdiction"), _n(self.mint.jurisdiction(str(m.attrs["jurisdiction_code"]))))

    def _entity_concept(self, m: Mention, entity: NamedNode, node: NamedNode) -> None:
        self.add(entity, RDF_TYPE, fk(CLASS_OF_TYPE[m.type]))
        self.add(entity, _n(SKOS + "prefLabel"), _zh(m.canonical))

    _entity_mechanism = _entity_program = _entity_honor = _entity_concept

    def _entity_document(self, m: Mention, entity: NamedNode, node: NamedNode) -> None:
        add = self.add
        add(entity, RDF_TYPE, fk("Document"))
        add(entity, _n(DCT + "title"), _zh(m.canonical))
        add(self.subject, _n(DCT + "references"), entity)
        if m.attrs.get("kind"):
            add(entity, fk("documentKind"), _n(self.mint.concept("document_kind", str(m.attrs["kind"]))))
        for issuer in m.attrs.get("issuer_iris", []):
            add(entity, _n(DCT + "creator"), _n(str(issuer)))
        if self.r.jurisdiction:
            place = _n(self.mint.jurisdiction(self.r.jurisdiction.code))
            add(place, fk("issued") if m.attrs.get("self_issued") else fk("cites"), entity)

    def _entity_metric(self, m: Mention, entity: NamedNode, node: NamedNode) -> None:
        add, a = self.add, m.attrs
        add(entity, RDF_TYPE, fk("Observation"))
        add(entity, RDF_TYPE, _n(QB + "Observation"))
        add(entity, _n(QB + "dataSet"), fk("statistics"))
        add(entity, fk("indicator"), _n(str(a["indicator_iri"])))
        value = a["value"]
        datatype = "integer" if isinstance(value, int) else "decimal"
        add(entity, fk("value"), Literal(str(value), datatype=NamedNode(XSD + datatype)))
        add(entity, fk("unit"), _zh(str(a["unit"])))
        add(entity, fk("approximate"), Literal("true" if a.get("approximate") else "false", datatype=NamedNode(XSD + "boolean")))
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
        add = self.add
        for iri, mentions in sorted(grouped.items()):
            scheme, cid = mentions[0].type, str(mentions[0].concept)
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


def report_triples(report: Report, settings: Settings) -> list[Triple]:
    """All triples of ``report``'s named graph."""
    return ReportGraph(report, settings).triples()


def vocabulary_triples(settings: Settings) -> Iterator[Triple]:
    """SKOS triples of every vocabulary in ontology/vocab, for the vocabulary graph."""
    voc = vocabulary.load(settings.ontology)
    mint = Minter(settings.base)
    label, pref, alt = _n(RDFS + "label"), _n(SKOS + "prefLabel"), _n(SKOS + "altLabel")
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
        yield Triple(scheme_node, RDF_TYPE, _n(SKOS + "ConceptScheme"))
        yield Triple(scheme_node, label, Literal(scheme.replace("_", " "), language="en"))
        for concept in voc.concepts(scheme).values():
            node = _n(mint.concept(scheme, concept.id))
            yield Triple(node, RDF_TYPE, _n(SKOS + "Concept"))
            if scheme in concept_class:
                yield Triple(node, RDF_TYPE, fk(concept_class[scheme]))
            yield Triple(node, _n(SKOS + "inScheme"), scheme_node)
            yield Triple(node, _n(SKOS + "notation"), Literal(concept.id))
            yield Triple(node, pref, _zh(concept.pref_zh))
            if concept.pref_en:
                yield Triple(node, pref, Literal(concept.pref_en, language="en"))
            for a in concept.alt_labels:
                yield Triple(node, alt, _zh(a))
            if concept.category:
                yield Triple(node, _n(SKOS + "broader"), _n(mint.concept("category", concept.category)))
        for cat in voc.categories(scheme).values():
            node = _n(mint.concept("category", cat.id))
            yield Triple(node, RDF_TYPE, _n(SKOS + "Concept"))
            yield Triple(node, pref, _zh(cat.pref_zh))
            if cat.pref_en:
                yield Triple(node, pref, Literal(cat.pref_en, language="en"))
            yield Triple(node, _n(SKOS + "topConceptOf"), scheme_node)


def annotate(report: Report, settings: Settings) -> list[Triple]:
    report.stages.append(NAME)
    return report_triples(report, settings)
