"""The SPARQL behind :mod:`kg.tables`, :mod:`kg.projections` and :mod:`kg.stats`.

The graph's layout (:mod:`kg.rdf`): what one report says is in its own graph; the
descriptions of shared entities (jurisdictions, agencies, documents) are once in the
entities graph, and concepts in the vocabulary graph.  So the queries read report
facts inside one report graph at a time (``GRAPH ?g``), touch as few triples per row
as they can, and leave to pandas what it can do from IRIs (a concept's scheme and id,
a jurisdiction's code, a report's id) and the joins with small lookup tables (places,
names, concept labels), each a query of its own.  Grouping is done by the engine.
Written for scale: measured on a store of 800 reports (3.8M quads).
"""

from __future__ import annotations

from typing import Final

PREFIXES: Final = """PREFIX fk: <https://w3id.org/fazhi-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""

#: one row per evidence mention of an adoption (?g is the report's graph)
ADOPTIONS: Final = (
    PREFIXES
    + """SELECT ?g ?adoption ?j ?c ?year ?start ?end ?role ?sentence
WHERE {
  GRAPH ?g {
    ?adoption fk:concept ?c ; fk:jurisdiction ?j ; fk:evidence ?m .
    OPTIONAL { ?adoption fk:year ?year }
    ?m fk:start ?start ; fk:end ?end .
    OPTIONAL { ?m fk:role ?role }
    OPTIONAL { ?m fk:sentence ?s . ?s fk:text ?sentence }
  }
}"""
)

#: distinct (jurisdiction, concept, year) of adoptions with the stance ?stance_node (bound by the caller)
STANCE_YEARS: Final = (
    PREFIXES
    + """SELECT DISTINCT ?j ?c ?year ?stance_node
WHERE { GRAPH ?g { ?a fk:stance ?stance_node ; fk:concept ?c ; fk:jurisdiction ?j ; fk:year ?year } }"""
)

#: the concepts adoptions name, with labels and category from the vocabulary graph
CONCEPTS: Final = (
    PREFIXES
    + """SELECT ?c (SAMPLE(?zh) AS ?label) (SAMPLE(?en) AS ?label_en) (SAMPLE(?b) AS ?category)
       (SAMPLE(?bl) AS ?category_label)
WHERE {
  { SELECT DISTINCT ?c WHERE { GRAPH ?g { ?a fk:concept ?c } } }
  OPTIONAL {
    GRAPH ?vg {
      ?c skos:inScheme ?in .
      OPTIONAL { ?c skos:prefLabel ?zh . FILTER(lang(?zh) = "zh") }
      OPTIONAL { ?c skos:prefLabel ?en . FILTER(lang(?en) = "en") }
      OPTIONAL { ?c skos:broader ?b . OPTIONAL { ?b skos:prefLabel ?bl . FILTER(lang(?bl) = "zh") } }
    }
  }
}
GROUP BY ?c"""
)

#: per year and concept: jurisdictions naming it, and those practising it
ADOPTION_BY_YEAR: Final = (
    PREFIXES
    + """SELECT ?year ?c (COUNT(DISTINCT ?j) AS ?jurisdictions) (COUNT(DISTINCT ?pj) AS ?practising)
WHERE {
  GRAPH ?g {
    ?a fk:concept ?c ; fk:jurisdiction ?j ; fk:year ?year .
    OPTIONAL { ?a fk:stance ?ps . FILTER(?ps = fk:practised) }
  }
  # an unbound ?none makes IF an error, which leaves ?pj unbound and uncounted
  BIND(IF(BOUND(?ps), ?j, ?none) AS ?pj)
}
GROUP BY ?year ?c"""
)

REPORTS: Final = (
    PREFIXES
    + """SELECT ?report ?title ?j ?year ?published ?doc_type ?source
WHERE {
  GRAPH ?g {
    ?r a fk:Report ; dcterms:identifier ?report ; fk:docType ?t .
    OPTIONAL { ?r dcterms:title ?title }
    OPTIONAL { ?r fk:jurisdiction ?j }
    OPTIONAL { ?r fk:reportYear ?year }
    OPTIONAL { ?r dcterms:issued ?published }
    OPTIONAL { ?r fk:sourceFile ?source }
  }
  BIND(STRAFTER(STR(?t), "#") AS ?doc_type)
}"""
)

#: the jurisdictions reports are about
REPORT_PLACES: Final = PREFIXES + "SELECT DISTINCT ?j WHERE { GRAPH ?g { ?r a fk:Report ; fk:jurisdiction ?j } }"

#: every jurisdiction described (in the entities graph): code, names, level, parent
JURISDICTIONS: Final = (
    PREFIXES
    + """SELECT ?j ?code ?name ?short ?level ?parent
WHERE {
  ?j a fk:Jurisdiction .
  OPTIONAL { ?j fk:code ?code }
  OPTIONAL { ?j rdfs:label ?name }
  OPTIONAL { ?j skos:altLabel ?short }
  OPTIONAL { ?j fk:level ?level }
  OPTIONAL { ?j fk:parent ?parent }
}"""
)

#: every jurisdiction described in a report graph: IRI and full name
JURISDICTION_NAMES: Final = (
    PREFIXES + "SELECT DISTINCT ?j ?jurisdiction WHERE { ?j a fk:Jurisdiction ; rdfs:label ?jurisdiction }"
)

STATISTICS: Final = (
    PREFIXES
    + """SELECT ?g ?j ?year ?i ?value ?unit ?approximate ?sentence ?start ?end
WHERE {
  GRAPH ?g {
    ?o fk:indicator ?i ; fk:value ?value ; fk:evidence ?m .
    OPTIONAL { ?o fk:unit ?unit }
    OPTIONAL { ?o fk:approximate ?approximate }
    OPTIONAL { ?o fk:year ?year }
    OPTIONAL { ?o fk:jurisdiction ?j }
    ?m fk:start ?start ; fk:end ?end .
    OPTIONAL { ?m fk:sentence ?s . ?s fk:text ?sentence }
  }
}"""
)

#: the indicators of the vocabulary graph with their Chinese label
INDICATORS: Final = (
    PREFIXES
    + """SELECT ?i ?label WHERE { GRAPH ?vg { ?i a fk:Indicator ; skos:inScheme ?s ; skos:prefLabel ?label .
    FILTER(lang(?label) = "zh") } }"""
)

DOCUMENTS: Final = (
    PREFIXES
    + """SELECT ?report ?j ?year ?document (MAX(?own) AS ?issued)
       (GROUP_CONCAT(DISTINCT STR(?c); separator=" ") AS ?creators) (COUNT(DISTINCT ?m) AS ?mentions)
WHERE {
  GRAPH ?g {
    ?r a fk:Report ; dcterms:identifier ?report ; dcterms:references ?document .
    ?m oa:hasBody ?document .
    OPTIONAL { ?r fk:reportYear ?year }
    OPTIONAL { ?r fk:jurisdiction ?j }
    OPTIONAL { ?j fk:issued ?document . BIND(1 AS ?own) }
    OPTIONAL { ?document dcterms:creator ?c }
  }
}
GROUP BY ?report ?j ?year ?document"""
)

# --- networks -----------------------------------------------------------------------------------

_YEARS: Final = """(MIN(?year) AS ?first_year) (MAX(?year) AS ?last_year)
       (GROUP_CONCAT(DISTINCT STR(?year); separator=";") AS ?years)"""

ADOPTION_EDGES: Final = (
    PREFIXES
    + f"""SELECT ?j ?c (COUNT(DISTINCT ?g) AS ?reports) {_YEARS}
       (GROUP_CONCAT(DISTINCT STR(?stance); separator=";") AS ?stances)
WHERE {{ GRAPH ?g {{ ?a fk:concept ?c ; fk:jurisdiction ?j ; fk:stance ?stance . OPTIONAL {{ ?a fk:year ?year }} }} }}
GROUP BY ?j ?c"""
)

AGENCY_EDGES: Final = (
    PREFIXES
    + f"""SELECT ?j ?agency (COUNT(DISTINCT ?g) AS ?reports) {_YEARS} (COUNT(DISTINCT ?m) AS ?mentions)
WHERE {{
  GRAPH ?g {{
    ?m fk:mentionType "agency" ; oa:hasBody ?agency ; fk:report ?r .
    ?r fk:jurisdiction ?j .
    OPTIONAL {{ ?r fk:reportYear ?year }}
  }}
}}
GROUP BY ?j ?agency"""
)

AGENCIES: Final = (
    PREFIXES
    + """SELECT ?agency (SAMPLE(?name) AS ?label) (SAMPLE(?kind) AS ?agency_kind) (SAMPLE(?ok) AS ?org_kind)
       (SAMPLE(?aj) AS ?home)
WHERE {
  ?agency a fk:Agency .
  OPTIONAL { ?agency rdfs:label ?name }
  OPTIONAL { ?agency fk:agencyKind ?kind }
  OPTIONAL { ?agency fk:orgKind ?ok }
  OPTIONAL { ?agency fk:jurisdiction ?aj }
}
GROUP BY ?agency"""
)

CITATION_EDGES: Final = (
    PREFIXES
    + f"""SELECT ?j ?document (COUNT(DISTINCT ?g) AS ?reports) {_YEARS} (MAX(?own) AS ?issued)
WHERE {{
  GRAPH ?g {{
    ?r a fk:Report ; fk:jurisdiction ?j .
    {{ ?j fk:cites ?document . BIND(0 AS ?own) }} UNION {{ ?j fk:issued ?document . BIND(1 AS ?own) }}
    OPTIONAL {{ ?r fk:reportYear ?year }}
  }}
}}
GROUP BY ?j ?document"""
)

CREATOR_EDGES: Final = (
    PREFIXES
    + """SELECT ?agency ?document (COUNT(DISTINCT ?g) AS ?reports)
WHERE { GRAPH ?g { ?r a fk:Report ; dcterms:references ?document . ?document dcterms:creator ?agency } }
GROUP BY ?agency ?document"""
)

DOCUMENT_NAMES: Final = (
    PREFIXES
    + """SELECT ?document (SAMPLE(?t) AS ?title) (SAMPLE(?k) AS ?kind)
WHERE { ?document a fk:Document ; dcterms:title ?t . OPTIONAL { ?document fk:documentKind ?k } }
GROUP BY ?document"""
)
