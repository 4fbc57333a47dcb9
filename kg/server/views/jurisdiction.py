"""A page per jurisdiction, ``/jurisdiction/<code>``: its reports, the mechanisms it takes a
stance on (by stance, with first year and evidence), its agencies, the documents it
issued or cites, and its statistics."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Final
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pyoxigraph import NamedNode

from kg.iris import Minter
from kg.server.errors import APIError
from kg.server.evidence import EVIDENCE_OF_PLACE, items
from kg.server.index import STANCE_LABELS, STANCES, stances_of
from kg.server.state import state_of
from kg.server.templating import render
from kg.server.views.common import PREFIXES, as_int, label_of

router = APIRouter()

# Facts sit in report graphs, descriptions in the entities and vocabulary graphs: each lookup is
# a GRAPH block nested before any OPTIONAL (see kg.server.evidence for why).
AWARDS: Final = (
    PREFIXES
    + """SELECT DISTINCT ?j ?h ?honor ?who ?recipient ?year WHERE {
  GRAPH ?g {
    ?award a fk:Award ; fk:honor ?h ; fk:recipient ?who .
    GRAPH ?e { ?who fk:jurisdiction? ?j }
    GRAPH ?v { ?h skos:prefLabel ?honor FILTER(lang(?honor) = "zh") }
    GRAPH ?e2 { ?who rdfs:label ?recipient }
    OPTIONAL { ?award fk:year ?year }
  }
}
ORDER BY ?year ?honor"""
)

AGENCIES: Final = (
    PREFIXES
    + """SELECT DISTINCT ?j ?a ?label ?kind WHERE {
  GRAPH ?g {
    ?a fk:jurisdiction ?j ; a fk:Agency ; rdfs:label ?label .
    OPTIONAL { ?a fk:agencyKind ?kind_node }
    BIND(COALESCE(?kind_node, <urn:fazhi-kg:none>) AS ?k)
    OPTIONAL { GRAPH ?v { ?k skos:prefLabel ?kind FILTER(lang(?kind) = "zh") } }
  }
}
ORDER BY ?label"""
)
DOCUMENTS: Final = (
    PREFIXES
    + """SELECT DISTINCT ?j ?d ?title ?rel WHERE {
  VALUES ?rel { fk:issued fk:cites }
  GRAPH ?g { ?j ?rel ?d . GRAPH ?e { ?d dcterms:title ?title } }
}
ORDER BY ?rel ?title"""
)
STATISTICS: Final = (
    PREFIXES
    + """SELECT DISTINCT ?j ?o ?indicator ?value ?unit ?year ?approximate WHERE {
  GRAPH ?g {
    ?o a fk:Observation ; fk:jurisdiction ?j ; fk:indicator ?i ; fk:value ?value ; fk:unit ?unit .
    GRAPH ?v { ?i skos:prefLabel ?indicator FILTER(lang(?indicator) = "zh") }
    OPTIONAL { ?o fk:year ?year }
    OPTIONAL { ?o fk:approximate ?approximate }
  }
}
ORDER BY ?indicator ?year"""
)


@router.get("/jurisdiction/{code}", response_class=HTMLResponse, name="jurisdiction")
async def jurisdiction(request: Request, code: str) -> HTMLResponse:
    st = state_of(request)
    ix = st.index
    iri = Minter(st.base).jurisdiction(code)
    place = ix.places.get(iri)
    if place is None:
        raise APIError(404, "not_found", f"no jurisdiction with code {code!r} in the store")
    bound = {"j": NamedNode(iri)}
    evidence, _ = items(await st.select(EVIDENCE_OF_PLACE, bound), ix, limit=5000)
    by_concept: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in evidence:
        by_concept[item["concept"]].append(item)
    adoptions: dict[str, list[dict[str, Any]]] = {s: [] for s in STANCES}
    years: dict[str, set[int]] = defaultdict(set)
    bits: dict[str, int] = defaultdict(int)
    for a in ix.adoptions:
        if a.place == iri:
            bits[a.concept] |= a.stances
            if a.year is not None:
                years[a.concept].add(a.year)
    for concept, b in bits.items():
        info = ix.concepts.get(concept)
        row = {
            "concept": concept,
            "label": info.zh if info else label_of(concept, ix),
            "scheme": info.scheme if info else "mechanism",
            "years": sorted(years[concept]),
            "evidence": by_concept.get(concept, []),
        }
        for s in stances_of(b):
            adoptions[s].append(row)
    for rows in adoptions.values():
        rows.sort(key=lambda r: (r["years"][0] if r["years"] else 9999, r["label"]))
    documents = (await st.select(DOCUMENTS, bound)).values()
    context = {
        "title": place.name,
        "place": place,
        "iri": iri,
        "parent": ix.places.get(place.parent or ""),
        "province": ix.places.get(ix.province_of(iri) or ""),
        "children": sorted((p for p in ix.places.values() if p.parent == iri), key=lambda p: p.code),
        "reports": sorted((r for r in ix.reports if r.place == iri), key=lambda r: (r.year or 0, r.id)),
        "adoptions": adoptions,
        "stance_labels": STANCE_LABELS,
        "agencies": (await st.select(AGENCIES, bound)).values(),
        "issued": [d for d in documents if (d["rel"] or "").endswith("#issued")],
        "cited": [d for d in documents if (d["rel"] or "").endswith("#cites")],
        "statistics": [
            {**s, "year": as_int(s["year"]), "approximate": s["approximate"] == "true"}
            for s in (await st.select(STATISTICS, bound)).values()
        ],
        "awards": (await st.select(AWARDS, bound)).values(),
        "explorer": "/explorer?" + urlencode({"place": iri, "scheme": "all"}),
    }
    return render(request, "jurisdiction.html", context)


__all__ = ["AGENCIES", "AWARDS", "DOCUMENTS", "STATISTICS", "router"]
