"""The map page: jurisdictions at their coordinates, coloured by their stance on one mechanism.

``/map`` draws every jurisdiction with a report in the store as a dot at its longitude and
latitude (an inline SVG drawn by ``viz/static/map.js``: our own equirectangular projection
fitted to the dots, with the cpca table's county positions as a faint backdrop; no tiles, no
library, nothing fetched from elsewhere), coloured by what its reports say of the chosen
mechanism: practised, only another stance (planned, a problem, recommended, mentioned), or
not reported.  ``/map.json`` gives the same data.  Both read the store index's adoptions and
reports (no query per request); clicking a dot fetches its evidence sentences from the
explorer's ``/api/explorer/evidence``.

Coordinates come from :mod:`kg.coordinates`; a jurisdiction placed by an enclosing unit's
position, or left off for want of any, is listed in a note under the map.

Parameters: ``concept`` (the IRI of a mechanism or program, or its id such as
``court-government-linkage``, or its Chinese label; default the mechanism most
jurisdictions practise), ``from`` and ``to`` (report years, inclusive; an adoption without a
year then does not count).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from kg.coordinates import Coordinates, get_coordinates
from kg.server.errors import APIError
from kg.server.explorer import STANCE_COLORS
from kg.server.index import STANCE_LABELS, StoreIndex, stance_bit, stances_of
from kg.server.state import state_of
from kg.server.templating import page_url, render, script_json

router = APIRouter()

#: the classes a jurisdiction's dot can fall in, in drawing order (the last on top)
CLASSES: Final = ("none", "other", "practised")
CLASS_LABELS: Final = {
    "practised": "已实施 practised",
    "other": "仅计划或其他立场 only planned or another stance",
    "none": "未报告 not reported",
}
CLASS_COLORS: Final = {"practised": STANCE_COLORS["practised"], "other": "#f0a202", "none": "#c3cad1"}
SOURCE_LABELS: Final = {
    "exact": "本级坐标 its own coordinates",
    "historical": "原区划代码的坐标 coordinates of its former code",
    "parent": "上级区划的坐标 its parent's coordinates",
}
_PRACTISED: Final = stance_bit("practised")


@dataclass(frozen=True, slots=True)
class MapFilters:
    concept: str | None = None  #: as given: IRI, id or label; None: the most practised mechanism
    start: int | None = None  #: first report year
    end: int | None = None  #: last report year

    def as_query(self) -> dict[str, str]:
        """The filters as URL parameters (those set)."""
        out = {"concept": self.concept, "from": self.start, "to": self.end}
        return {k: str(v) for k, v in out.items() if v is not None}


def parse_filters(params: dict[str, str]) -> MapFilters:
    """Filters from URL parameters; empty values mean the default.  ValueError names a bad one."""
    values = {k: v.strip() for k, v in params.items() if v.strip()}
    years: dict[str, int | None] = {"from": None, "to": None}
    for key in years:
        if key in values:
            try:
                years[key] = int(values[key])
            except ValueError:
                raise ValueError(f"{key} must be a year, not {values[key]!r}") from None
    start, end = years["from"], years["to"]
    if start is not None and end is not None and start > end:
        raise ValueError(f"from ({start}) is after to ({end})")
    return MapFilters(concept=values.get("concept"), start=start, end=end)


def ranked_concepts(index: StoreIndex) -> list[dict[str, Any]]:
    """Concepts with adoptions, mechanisms first, each by the jurisdictions practising it (then
    taking any stance on it), with those numbers."""
    practising: dict[str, set[str]] = defaultdict(set)
    naming: dict[str, set[str]] = defaultdict(set)
    for a in index.adoptions:
        if a.concept not in index.concepts:
            continue
        naming[a.concept].add(a.place)
        if a.stances & _PRACTISED:
            practising[a.concept].add(a.place)
    order = {"mechanism": 0, "program": 1}

    def key(c: str) -> tuple[int, int, int, str, str]:
        info = index.concepts[c]
        return (order.get(info.scheme, 2), -len(practising[c]), -len(naming[c]), info.zh, c)

    return [
        {
            "value": c,
            "label": index.concepts[c].zh,
            "scheme": index.concepts[c].scheme,
            "practising": len(practising[c]),
            "naming": len(naming[c]),
        }
        for c in sorted(naming, key=key)
    ]


def resolve_concept(index: StoreIndex, value: str | None, ranked: list[dict[str, Any]]) -> str | None:
    """The IRI of the concept ``value`` names (IRI, ``scheme/id``, id, Chinese or English label);
    the first of ``ranked`` when ``value`` is None; None when the store has no adoption at all.
    ValueError when nothing matches."""
    if value is None:
        return str(ranked[0]["value"]) if ranked else None
    candidates = [value, index.base + value, *(index.base + s + "/" + value for s in ("mechanism", "program"))]
    for c in candidates:
        if c in index.concepts:
            return c
    for c, info in sorted(index.concepts.items(), key=lambda kv: (kv[1].scheme != "mechanism", kv[0])):
        if value in (info.zh, info.en):
            return c
    raise ValueError(f"no mechanism or program {value!r} in the store")


def _within(year: int | None, start: int | None, end: int | None) -> bool:
    """Whether ``year`` lies in ``start``..``end`` (inclusive; None: open); an unknown year does not."""
    return year is not None and (start is None or year >= start) and (end is None or year <= end)


def map_data(index: StoreIndex, f: MapFilters, coordinates: Coordinates | None = None) -> dict[str, Any]:
    """Every jurisdiction with a report, located, with its class for the chosen concept."""
    where = coordinates or get_coordinates()
    ranked = ranked_concepts(index)
    concept = resolve_concept(index, f.concept, ranked)
    stances: dict[str, int] = defaultdict(int)
    years: dict[str, set[int]] = defaultdict(set)
    reports: dict[str, set[str]] = defaultdict(set)
    for a in index.adoptions:
        if a.concept != concept:
            continue
        if (f.start is not None or f.end is not None) and not _within(a.year, f.start, f.end):
            continue
        stances[a.place] |= a.stances
        if a.year is not None:
            years[a.place].add(a.year)
        reports[a.place].add(a.report)
    report_info = {r.iri: r for r in index.reports}
    points: list[dict[str, Any]] = []
    missing: list[dict[str, Any]] = []
    counts = dict.fromkeys(CLASSES, 0)
    for place in sorted(index.report_places(), key=lambda p: index.places[p].code if p in index.places else p):
        info = index.places.get(place)
        code = info.code if info else place.rsplit("/", 1)[-1]
        bits = stances.get(place, 0)
        kind = "practised" if bits & _PRACTISED else "other" if place in stances else "none"
        counts[kind] += 1
        point: dict[str, Any] = {
            "place": place,
            "code": code,
            "name": index.name_of(place),
            "level": info.level if info else None,
            "url": page_url(place, index.base),
            "class": kind,
            "stances": stances_of(bits),
            "years": sorted(years.get(place, ())),
            "reports": [
                {
                    "url": page_url(r, index.base),
                    "title": report_info[r].title
                    if r in report_info and report_info[r].title
                    else r.rsplit("/", 1)[-1],
                    "year": report_info[r].year if r in report_info else None,
                }
                for r in sorted(reports.get(place, ()))
            ],
        }
        at = where.locate(code)
        if at is None:
            missing.append(point)
            continue
        via = where.gazetteer.by_code(at.via)
        point.update(
            lon=at.longitude,
            lat=at.latitude,
            source=at.source,
            via=at.via,
            via_name=via.full_name if via else at.via,
        )
        points.append(point)
    chosen = index.concepts.get(concept) if concept else None
    return {
        "filters": f.as_query(),
        "concept": None
        if chosen is None
        else {
            "iri": chosen.iri,
            "id": chosen.iri.rstrip("/").rsplit("/", 1)[-1],
            "label": chosen.zh,
            "en": chosen.en,
            "scheme": chosen.scheme,
            "url": page_url(chosen.iri, index.base),
        },
        "classes": [
            {"value": k, "label": CLASS_LABELS[k], "color": CLASS_COLORS[k], "n": counts[k]} for k in reversed(CLASSES)
        ],
        "points": points,
        "approximate": [_slim(p) for p in points if p["source"] == "parent"],
        "historical": [_slim(p) for p in points if p["source"] == "historical"],
        "missing": missing,
    }


def _slim(point: dict[str, Any]) -> dict[str, Any]:
    """What the note under the map says of a point: name, code, link, and whose position it took."""
    keys = ("code", "name", "url", "class", "via", "via_name")
    return {k: point[k] for k in keys if k in point}


def facets(index: StoreIndex) -> dict[str, Any]:
    """What the form offers: the concepts (mechanisms first, most practised first) and the years."""
    return {"concepts": ranked_concepts(index), "years": index.years()}


def backdrop(coordinates: Coordinates | None = None) -> list[list[float]]:
    """Every position of the coordinate table (rounded), drawn faintly behind the dots."""
    where = coordinates or get_coordinates()
    return [list(p) for p in sorted({(round(p.longitude, 2), round(p.latitude, 2)) for p in where.places.values()})]


async def _data(request: Request) -> dict[str, Any]:
    ix = state_of(request).index
    try:
        f = parse_filters(dict(request.query_params))
    except ValueError as e:
        raise APIError(400, "bad_request", str(e)) from None
    where = await run_in_threadpool(get_coordinates)  # the first call reads the files (a fraction of a second)
    try:
        return map_data(ix, f, where)
    except ValueError as e:
        raise APIError(404, "not_found", str(e)) from None


@router.get("/map", response_class=HTMLResponse, name="map")
async def map_page(request: Request) -> HTMLResponse:
    ix = state_of(request).index
    data = await _data(request)
    config = {"evidence": str(request.url_for("explorer_evidence")), "sources": SOURCE_LABELS}
    context = {
        "title": "地图 Map",
        "data": data,
        "facets": facets(ix),
        "stance_labels": STANCE_LABELS,
        "source_labels": SOURCE_LABELS,
        "map_json": script_json(data),
        "config": script_json(config),
        "backdrop": script_json(backdrop()),
    }
    return render(request, "map.html", context)


@router.get("/map.json", name="map_json")
async def map_json(request: Request) -> JSONResponse:
    return JSONResponse(await _data(request))


__all__ = [
    "CLASSES",
    "MapFilters",
    "backdrop",
    "facets",
    "map_data",
    "parse_filters",
    "ranked_concepts",
    "resolve_concept",
]
