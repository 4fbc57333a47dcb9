"""The query page (editor, saved queries, results, downloads) and one URL per saved query.

``/queries/<slug>`` shows a saved query's results as an HTML table (parameters from
the URL, bound by substitution), ``/queries/<slug>.csv``, ``.tsv``, ``.json`` and
``.xml`` give them in the SPARQL result formats, ``/queries/<slug>.rq`` the query.
"""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from kg.errors import QueryError
from kg.server.engine import QueryJob, QueryReply, Term
from kg.server.errors import APIError, query_error
from kg.server.negotiation import RESULT_MEDIA
from kg.server.safety import check_query
from kg.server.saved import SavedQuery
from kg.server.sparql import result_headers
from kg.server.state import State, state_of
from kg.server.templating import render
from kg.server.views.common import shown_rows

router = APIRouter()
DOWNLOADS: Final = {"csv": "csv", "tsv": "tsv", "json": "json", "xml": "xml"}
EXAMPLE: Final = """PREFIX fk: <https://w3id.org/fazhi-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
# mechanisms practised, with the number of jurisdictions practising each
SELECT ?mechanism (COUNT(DISTINCT ?j) AS ?jurisdictions) WHERE {
  ?j fk:practises ?m .
  ?m skos:prefLabel ?mechanism FILTER(lang(?mechanism) = "zh")
}
GROUP BY ?mechanism
ORDER BY DESC(?jurisdictions) ?mechanism
LIMIT 50"""


@router.get("/query", response_class=HTMLResponse, name="query_page")
async def query_page(request: Request, query: str = "") -> HTMLResponse:
    st = state_of(request)
    context = {
        "title": "SPARQL 查询 Query",
        "query": query or EXAMPLE,
        "saved": list(st.saved.values()),
        "cap": st.settings.result_cap,
        "time_limit": st.settings.time_limit,
    }
    return render(request, "query.html", context)


@router.get("/api/queries", name="saved_queries")
async def saved_list(request: Request) -> JSONResponse:
    st = state_of(request)
    return JSONResponse(
        [
            {
                "slug": q.slug,
                "title": q.title,
                "description": q.description,
                "params": [{"name": p.name, "kind": p.kind, "help": p.help} for p in q.params],
                "query": q.text,
                "url": str(request.url_for("saved_query", name=q.slug)),
            }
            for q in st.saved.values()
        ]
    )


@router.get("/queries/{name}", name="saved_query")
async def saved_query(request: Request, name: str) -> Response:
    st = state_of(request)
    slug, _, ext = name.partition(".")
    saved = st.saved.get(slug)
    if saved is None or (ext and ext not in DOWNLOADS and ext != "rq"):
        raise APIError(404, "not_found", f"no saved query {name!r}; /api/queries lists them")
    if ext == "rq":
        return Response(saved.text, media_type="application/sparql-query; charset=utf-8")
    values = {p.name: request.query_params.get(p.name, "") for p in saved.params}
    try:
        bindings = saved.bindings(values)
    except ValueError as e:
        raise APIError(400, "bad_request", str(e)) from None
    fmt = DOWNLOADS.get(ext, "cells")
    reply = await run_saved(st, saved, bindings, fmt)
    if fmt != "cells":
        headers = result_headers(reply, st)
        headers["Content-Disposition"] = f'attachment; filename="{slug}.{ext}"'
        return Response(reply.body, media_type=RESULT_MEDIA[fmt], headers=headers)
    assert reply.table is not None
    suffix = "?" + request.url.query if request.url.query else ""
    context = {
        "title": saved.title,
        "saved": saved,
        "values": values,
        "variables": reply.table.variables,
        "rows": shown_rows(reply.table, st.index),
        "truncated": reply.truncated,
        "cap": st.settings.result_cap,
        "downloads": [(ext, f"/queries/{slug}.{ext}{suffix}") for ext in DOWNLOADS],
        "suffix": suffix,
    }
    return render(request, "saved_query.html", context)


async def run_saved(st: State, saved: SavedQuery, bindings: tuple[tuple[str, Term], ...], fmt: str) -> QueryReply:
    """A saved query's results through the query workers (under the time limit and the cap)."""
    try:
        check_query(saved.text, st.index.graphs)
    except QueryError as e:
        raise query_error(e) from None
    job = QueryJob(
        saved.text,
        result_format=fmt,
        boolean_format="json" if fmt == "cells" else (fmt if fmt in ("json", "xml") else None),
        graph_format="ttl",
        bindings=bindings,
        cap=st.settings.result_cap,
        max_chars=st.settings.result_bytes,
    )
    reply = await st.run("sparql", job)
    assert isinstance(reply, QueryReply)
    if reply.kind != "solutions":
        raise APIError(400, "bad_request", f"saved query {saved.slug!r} is not a SELECT query")
    return reply


__all__ = ["router", "run_saved"]
