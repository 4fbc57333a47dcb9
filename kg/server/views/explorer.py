"""The mechanism-adoption explorer page and the two JSON calls its script makes.

``/api/explorer/graph?…filters`` gives the network to draw (:func:`kg.server.explorer.payload`,
from the store index, no query); ``/api/explorer/evidence?place=…&concept=…`` gives
the evidence sentences of a clicked edge or node (one query, values bound).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pyoxigraph import NamedNode

from kg.server import explorer as graph
from kg.server.errors import APIError
from kg.server.evidence import EVIDENCE_OF_PLACE, evidence_query, items, keep_filter
from kg.server.state import state_of
from kg.server.templating import page_url, render, script_json
from kg.server.views.common import label_of

router = APIRouter()
EVIDENCE_SHOWN = 60
PLACES_SHOWN = 12  #: jurisdictions whose evidence a clicked province node shows


def _filters(request: Request) -> graph.Filters:
    try:
        return graph.parse_filters(request.query_params.multi_items())
    except ValueError as e:
        raise APIError(400, "bad_request", str(e)) from None


@router.get("/explorer", response_class=HTMLResponse, name="explorer")
async def explorer_page(request: Request) -> HTMLResponse:
    st = state_of(request)
    f = _filters(request)
    config = {
        "mode": "server",
        "graph": str(request.url_for("explorer_graph")),
        "evidence": str(request.url_for("explorer_evidence")),
        "filters": f.as_query(),
        "facets": graph.facets(st.index),
    }
    context = {"title": "机制采用图 Mechanism adoption explorer", "config": script_json(config)}
    return render(request, "explorer.html", context)


@router.get("/api/explorer/graph", name="explorer_graph")
async def explorer_graph(request: Request) -> JSONResponse:
    st = state_of(request)
    return JSONResponse(graph.payload(st.index, _filters(request), st.settings.explorer_max_nodes))


@router.get("/api/explorer/evidence", name="explorer_evidence")
async def explorer_evidence(request: Request) -> JSONResponse:
    """Evidence of one edge (``place`` and ``concept``) or one node (either), under the filters."""
    st = state_of(request)
    ix = st.index
    f = _filters(request)
    place = request.query_params.get("place") or None
    concept = request.query_params.get("concept") or None
    province = f.province
    if place is not None and place not in ix.places:
        raise APIError(404, "not_found", f"no jurisdiction <{place}> in the store")
    if concept is not None and concept not in ix.concepts:
        raise APIError(404, "not_found", f"no mechanism or program <{concept}> in the store")
    if place is None and concept is None:
        raise APIError(400, "bad_request", "give place=, concept= or both")
    bindings: dict[str, Any] = {}
    if place is not None and ix.places[place].level == "province" and request.query_params.get("view") == "provinces":
        province = place  # a province node of the aggregated view stands for its jurisdictions
        place = None
    keep = keep_filter(ix, year=f.year, stance=f.stance, province=province)
    if place is None and concept is None:  # a province node: the evidence of its first jurisdictions
        shown, total = [], 0
        scope = replace(f, place=None, province=province)  # ``place`` named the clicked node, not a filter
        for member in sorted({a.place for a in graph.select(ix, scope)})[:PLACES_SHOWN]:
            found, n = items(await st.select(EVIDENCE_OF_PLACE, {"j": NamedNode(member)}), ix, keep=keep, limit=5)
            shown += found
            total += n
    else:
        if place is not None:
            bindings["j"] = NamedNode(place)
        if concept is not None:
            bindings["c"] = NamedNode(concept)
        table = await st.select(evidence_query(place_bound="j" in bindings and "c" not in bindings), bindings)
        shown, total = items(table, ix, keep=keep, limit=EVIDENCE_SHOWN)
    title = " — ".join(label_of(x, ix) for x in (place or province, concept) if x)
    links = [{"label": label_of(x, ix), "url": page_url(x, ix.base)} for x in (place or province, concept) if x]
    return JSONResponse({"title": title, "items": shown, "total": total, "links": links})


__all__ = ["router"]
