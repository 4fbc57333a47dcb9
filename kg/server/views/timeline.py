"""The timeline page: per report year, how many jurisdictions report each mechanism.

``/timeline`` shows a table and a line chart (drawn by ``viz/static/timeline.js`` from
the data embedded in the page); ``/timeline.json`` gives the same data.  Both come from
the store index's adoptions (no query per request) and count what
:func:`kg.tables.adoption_by_year` counts: distinct jurisdictions per year and concept
(column ``jurisdictions``), or only those practising it (column ``practising``).

Parameters: ``scheme`` (mechanism, program, all), ``category`` (a category IRI),
``stance`` (``any`` or ``practised``), ``top`` (how many concepts, the most reported
first: by distinct jurisdictions over all years; default 15).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from kg.server.errors import APIError
from kg.server.index import StoreIndex, stance_bit
from kg.server.state import state_of
from kg.server.templating import page_url, render, script_json

router = APIRouter()

SCHEMES: Final = ("mechanism", "program", "all")
STANCE_CHOICES: Final = ("any", "practised")
DEFAULT_TOP: Final = 15
MAX_TOP: Final = 200
#: line colours, one per concept in rank order (cycled past the end)
PALETTE: Final = (
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf", "#393b79", "#ad494a", "#637939", "#8c6d31", "#7b4173", "#3182bd",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class TimelineFilters:
    scheme: str = "mechanism"
    category: str | None = None  #: category IRI
    stance: str = "any"
    top: int = DEFAULT_TOP

    def as_query(self) -> dict[str, str]:
        """The filters as URL parameters (those not at their default)."""
        default = TimelineFilters()
        return {k: str(v) for k, v in asdict(self).items() if v is not None and v != getattr(default, k)}


def parse_filters(params: dict[str, str]) -> TimelineFilters:
    """Filters from URL parameters; empty values mean the default.  ValueError names a bad one."""
    values = {k: v.strip() for k, v in params.items() if v.strip()}
    scheme = values.get("scheme", "mechanism")
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {', '.join(SCHEMES)}, not {scheme!r}")
    stance = values.get("stance", "any")
    if stance not in STANCE_CHOICES:
        raise ValueError(f"stance must be one of {', '.join(STANCE_CHOICES)}, not {stance!r}")
    top = DEFAULT_TOP
    if "top" in values:
        try:
            top = int(values["top"])
        except ValueError:
            raise ValueError(f"top must be a number, not {values['top']!r}") from None
        if not 1 <= top <= MAX_TOP:
            raise ValueError(f"top must be between 1 and {MAX_TOP}, not {top}")
    return TimelineFilters(scheme=scheme, category=values.get("category"), stance=stance, top=top)


def timeline(index: StoreIndex, f: TimelineFilters) -> dict[str, Any]:
    """Per year, the number of jurisdictions reporting each of the ``f.top`` most reported concepts."""
    bit = stance_bit("practised") if f.stance == "practised" else 0
    per_year: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for a in index.adoptions:
        concept = index.concepts.get(a.concept)
        if a.year is None or concept is None:
            continue
        if f.scheme != "all" and concept.scheme != f.scheme:
            continue
        if f.category is not None and concept.category != f.category:
            continue
        if bit and not a.stances & bit:
            continue
        per_year[a.concept][a.year].add(a.place)
    years = sorted({y for by_year in per_year.values() for y in by_year})
    totals = {c: len(set().union(*by_year.values())) for c, by_year in per_year.items()}
    ranked = sorted(per_year, key=lambda c: (-totals[c], -sum(map(len, per_year[c].values())), index.concepts[c].zh, c))
    series = []
    for i, c in enumerate(ranked[: f.top]):
        info = index.concepts[c]
        series.append(
            {
                "concept": c,
                "id": c.rstrip("/").rsplit("/", 1)[-1],
                "label": info.zh,
                "en": info.en,
                "scheme": info.scheme,
                "category": index.categories[info.category][0] if info.category in index.categories else None,
                "url": page_url(c, index.base),
                "color": PALETTE[i % len(PALETTE)],
                "counts": [len(per_year[c].get(y, ())) for y in years],
                "total": totals[c],
            }
        )
    return {
        "filters": f.as_query(),
        "stance": f.stance,
        "years": years,
        "series": series,
        "shown": len(series),
        "available": len(ranked),
    }


def facets(index: StoreIndex, scheme: str = "all") -> dict[str, Any]:
    """The values the filters offer: the categories of the concepts of ``scheme`` that have adoptions."""
    used = {c.category for c in index.concepts.values() if scheme in ("all", c.scheme)}
    categories = [{"value": iri, "label": label} for iri, label in index.used_categories() if iri in used]
    return {"schemes": list(SCHEMES), "stances": list(STANCE_CHOICES), "categories": categories}


def _filters(request: Request) -> TimelineFilters:
    try:
        return parse_filters(dict(request.query_params))
    except ValueError as e:
        raise APIError(400, "bad_request", str(e)) from None


@router.get("/timeline", response_class=HTMLResponse, name="timeline")
async def timeline_page(request: Request) -> HTMLResponse:
    ix = state_of(request).index
    f = _filters(request)
    data = timeline(ix, f)
    context = {
        "title": "年度趋势 Timeline",
        "data": data,
        "f": f,
        "facets": facets(ix, f.scheme),
        "config": script_json(data),
    }
    return render(request, "timeline.html", context)


@router.get("/timeline.json", name="timeline_json")
async def timeline_json(request: Request) -> JSONResponse:
    return JSONResponse(timeline(state_of(request).index, _filters(request)))


__all__ = ["TimelineFilters", "parse_filters", "router", "timeline"]
