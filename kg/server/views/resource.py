"""``/resource?iri=…``: any IRI of the store without a page of its own, as its triples in and out."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pyoxigraph import NamedNode

from kg.server.errors import APIError
from kg.server.state import state_of
from kg.server.templating import render
from kg.server.views.common import DESCRIBE, INCOMING, label_of, show

router = APIRouter()


@router.get("/resource", response_class=HTMLResponse, name="resource")
async def resource(request: Request, iri: str) -> HTMLResponse:
    st = state_of(request)
    try:
        node = NamedNode(iri)
    except ValueError as e:
        raise APIError(400, "bad_request", f"not an IRI: {iri!r} ({e})") from None
    out = (await st.select(DESCRIBE, {"e": node})).dicts()
    incoming = (await st.select(INCOMING, {"e": node})).dicts()
    if not out and not incoming:
        raise APIError(404, "not_found", f"<{iri}> is not in the store")
    ix = st.index
    context = {
        "title": label_of(iri, ix),
        "iri": iri,
        "out": [(show(r["p"], ix), show(r["o"], ix)) for r in out],
        "incoming": [(show(r["s"], ix), show(r["p"], ix)) for r in incoming],
    }
    return render(request, "resource.html", context)


__all__ = ["router"]
