"""A page per agency, ``/agency/<code>/<kind>`` (local) and ``/organ/<id>`` (national): its
name, kind and jurisdiction, the documents it issued, and every sentence naming it."""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pyoxigraph import NamedNode

from kg.iris import Minter
from kg.server.errors import APIError
from kg.server.state import state_of
from kg.server.templating import render
from kg.server.views.common import DESCRIBE, MENTIONS, PREFIXES, first_literal, label_of, mention_items, properties

router = APIRouter()
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
FK = "https://w3id.org/fazhi-kg/ontology#"
CREATED: Final = (
    PREFIXES
    + """SELECT DISTINCT ?e ?d ?title WHERE { GRAPH ?g { ?d dcterms:creator ?e . GRAPH ?x { ?d dcterms:title ?title } } } ORDER BY ?title"""
)
KIND_LABEL: Final = PREFIXES + """SELECT DISTINCT ?k ?label WHERE { GRAPH ?g { ?k skos:prefLabel ?label FILTER(lang(?label) = "zh") } }"""


@router.get("/agency/{code}/{kind}", response_class=HTMLResponse, name="agency")
async def agency(request: Request, code: str, kind: str) -> HTMLResponse:
    return await agency_page(request, Minter(state_of(request).base).agency(code, kind))


@router.get("/organ/{cid}", response_class=HTMLResponse, name="organ")
async def organ(request: Request, cid: str) -> HTMLResponse:
    return await agency_page(request, Minter(state_of(request).base).organ(cid))


async def agency_page(request: Request, iri: str) -> HTMLResponse:
    st = state_of(request)
    ix = st.index
    bound = {"e": NamedNode(iri)}
    props = properties(await st.select(DESCRIBE, bound))
    if not props:
        raise APIError(404, "not_found", f"no agency <{iri}> in the store")
    kind = next((c[1] for c in props.get(FK + "agencyKind", [])), None)
    kind_label = None
    if kind:
        rows = (await st.select(KIND_LABEL, {"k": NamedNode(kind)})).values()
        kind_label = rows[0]["label"] if rows else label_of(kind, ix)
    place = next((c[1] for c in props.get(FK + "jurisdiction", [])), None)
    context = {
        "title": first_literal(props, RDFS + "label") or label_of(iri, ix),
        "iri": iri,
        "kind": kind_label,
        "org_kind": first_literal(props, FK + "orgKind"),
        "place": (place, label_of(place, ix)) if place else None,
        "documents": (await st.select(CREATED, bound)).values(),
        "mentions": mention_items(await st.select(MENTIONS, bound), ix),
    }
    return render(request, "agency.html", context)


__all__ = ["router"]
