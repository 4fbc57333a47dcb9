"""Home page (counts, reports, links to everything) and the list pages: reports, mechanisms, jurisdictions."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from kg.server.index import STANCE_LABELS, STANCES, stances_of
from kg.server.state import state_of
from kg.server.templating import render

router = APIRouter()
PAGE_SIZE = 100


@router.get("/", response_class=HTMLResponse, name="home")
async def home(request: Request) -> HTMLResponse:
    st = state_of(request)
    ix = st.index
    reports = sorted(ix.reports, key=lambda r: (-(r.year or 0), r.place or "", r.id))
    used = Counter(a.concept for a in {(a.place, a.concept): a for a in ix.adoptions}.values())
    top = [(ix.concepts[c], n) for c, n in used.most_common(12) if c in ix.concepts]
    context = {
        "title": "fazhi-kg",
        "reports": reports[:20],
        "more_reports": max(len(reports) - 20, 0),
        "places": ix.places,
        "top": top,
        "saved": list(st.saved.values()),
        "updates": st.settings.updates_enabled,
    }
    return render(request, "home.html", context)


@router.get("/reports", response_class=HTMLResponse, name="reports")
async def reports(request: Request, page: int = 1) -> HTMLResponse:
    ix = state_of(request).index
    rows = sorted(ix.reports, key=lambda r: (ix.places[r.place].code if r.place in ix.places else "", r.year or 0, r.id))
    return render(request, "reports.html", {"title": "报告 Reports", **_page(rows, page), "places": ix.places})


@router.get("/mechanisms", response_class=HTMLResponse, name="mechanisms")
async def mechanisms(request: Request) -> HTMLResponse:
    ix = state_of(request).index
    per: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for a in ix.adoptions:
        for s in stances_of(a.stances):
            per[a.concept][s].add(a.place)
    rows: list[dict[str, Any]] = []
    for c, by in per.items():
        info = ix.concepts.get(c)
        if info is None:
            continue
        rows.append(
            {
                "concept": info,
                "category": ix.categories.get(info.category or "", ("", None))[0],
                "counts": [len(by.get(s, ())) for s in STANCES],
                "places": len(set().union(*by.values())),
            }
        )
    rows.sort(key=lambda r: (-r["places"], r["concept"].zh))
    context = {"title": "机制 Mechanisms and programs", "rows": rows, "stances": [STANCE_LABELS[s] for s in STANCES]}
    return render(request, "mechanisms.html", context)


@router.get("/jurisdictions", response_class=HTMLResponse, name="jurisdictions")
async def jurisdictions(request: Request, page: int = 1) -> HTMLResponse:
    ix = state_of(request).index
    reports = Counter(r.place for r in ix.reports if r.place)
    concepts: dict[str, set[str]] = defaultdict(set)
    for a in ix.adoptions:
        concepts[a.place].add(a.concept)
    places = sorted((ix.places[p] for p in reports if p in ix.places), key=lambda p: p.code)
    rows = [
        {"place": p, "province": ix.province_of(p.iri), "reports": reports[p.iri], "concepts": len(concepts.get(p.iri, ()))}
        for p in places
    ]
    return render(request, "jurisdictions.html", {"title": "行政区划 Jurisdictions", **_page(rows, page), "places": ix.places})


@router.get("/api/graphs", name="graphs")
async def graphs(request: Request) -> JSONResponse:
    """The named graphs of the store (the only ones a dataset may name)."""
    return JSONResponse({"graphs": sorted(state_of(request).index.graphs)})


@router.get("/api/stats", name="stats")
async def stats(request: Request) -> JSONResponse:
    st = state_of(request)
    return JSONResponse({"counts": st.index.counts, "workers_killed": st.pool.killed})


def _page(rows: list[Any], page: int) -> dict[str, Any]:
    pages = max((len(rows) + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page = min(max(page, 1), pages)
    return {"rows": rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE], "page_no": page, "pages": pages, "total": len(rows)}


__all__ = ["router"]
