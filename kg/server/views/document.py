"""A page per document, ``/document/<title>``: kind, issuers, the jurisdictions that issued or
cite it, and every sentence that names it."""

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
DCT = "http://purl.org/dc/terms/"
FK = "https://w3id.org/fazhi-kg/ontology#"
ISSUERS: Final = (
    PREFIXES
    + """SELECT DISTINCT ?e ?issuer ?label WHERE {
  GRAPH ?g { ?e dcterms:creator ?issuer OPTIONAL { GRAPH ?h { ?issuer rdfs:label ?label } } }
}"""
)
HOLDERS: Final = (
    PREFIXES
    + """SELECT DISTINCT ?e ?j ?rel WHERE { VALUES ?rel { fk:issued fk:cites } GRAPH ?g { ?j ?rel ?e } } ORDER BY ?rel ?j"""
)
KIND_LABEL: Final = PREFIXES + """SELECT DISTINCT ?k ?label WHERE { GRAPH ?g { ?k skos:prefLabel ?label FILTER(lang(?label) = "zh") } }"""


@router.get("/document/{title:path}", response_class=HTMLResponse, name="document")
async def document(request: Request, title: str) -> HTMLResponse:
    st = state_of(request)
    ix = st.index
    iri = Minter(st.base).document(title)
    bound = {"e": NamedNode(iri)}
    props = properties(await st.select(DESCRIBE, bound))
    if not props:
        raise APIError(404, "not_found", f"no document 《{title}》 in the store")
    kind = next((c[1] for c in props.get(FK + "documentKind", [])), None)
    kind_label = None
    if kind:
        rows = (await st.select(KIND_LABEL, {"k": NamedNode(kind)})).values()
        kind_label = rows[0]["label"] if rows else label_of(kind, ix)
    holders = (await st.select(HOLDERS, bound)).values()
    context = {
        "title": first_literal(props, DCT + "title") or title,
        "iri": iri,
        "kind": kind_label,
        "issuers": (await st.select(ISSUERS, bound)).values(),
        "issued_by": [h["j"] for h in holders if (h["rel"] or "").endswith("#issued")],
        "cited_by": [h["j"] for h in holders if (h["rel"] or "").endswith("#cites")],
        "mentions": mention_items(await st.select(MENTIONS, bound), ix),
    }
    return render(request, "document.html", context)


__all__ = ["router"]
