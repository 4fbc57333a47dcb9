"""A page per vocabulary concept: ``/mechanism/<id>``, ``/program/<id>``, ``/honor/<id>``.

Mechanisms and programs list every jurisdiction whose reports take a stance on them,
with the first year, the stances and the evidence sentences; honors list the
sentences that name them, with the jurisdiction of the report.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Final
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pyoxigraph import NamedNode

from kg.iris import Minter
from kg.server.errors import APIError
from kg.server.evidence import EVIDENCE, items
from kg.server.index import STANCE_LABELS, STANCES
from kg.server.state import state_of
from kg.server.templating import render
from kg.server.views.common import (
    DESCRIBE,
    MENTIONS,
    PREFIXES,
    first_literal,
    label_of,
    mention_items,
    properties,
)

router = APIRouter()
SKOS = "http://www.w3.org/2004/02/skos/core#"
RECIPIENTS: Final = (
    PREFIXES
    + """SELECT DISTINCT ?h ?who ?recipient ?year ?r ?title WHERE {
  GRAPH ?g {
    ?award a fk:Award ; fk:honor ?h ; fk:recipient ?who ; fk:report ?r .
    GRAPH ?e { ?who rdfs:label ?recipient }
    OPTIONAL { ?award fk:year ?year }
    OPTIONAL { ?r dcterms:title ?title }
  }
}
ORDER BY ?year ?recipient"""
)


@router.get("/mechanism/{cid}", response_class=HTMLResponse, name="mechanism")
async def mechanism(request: Request, cid: str) -> HTMLResponse:
    return await concept_page(request, "mechanism", cid)


@router.get("/program/{cid}", response_class=HTMLResponse, name="program")
async def program(request: Request, cid: str) -> HTMLResponse:
    return await concept_page(request, "program", cid)


@router.get("/honor/{cid}", response_class=HTMLResponse, name="honor")
async def honor(request: Request, cid: str) -> HTMLResponse:
    return await concept_page(request, "honor", cid)


async def concept_page(request: Request, scheme: str, cid: str) -> HTMLResponse:
    st = state_of(request)
    ix = st.index
    iri = Minter(st.base).concept(scheme, cid)
    props = properties(await st.select(DESCRIBE, {"e": NamedNode(iri)}))
    if not props:
        raise APIError(404, "not_found", f"no {scheme} {cid!r} in the store")
    category = next((c[1] for c in props.get(SKOS + "broader", [])), None)
    context: dict[str, Any] = {
        "title": first_literal(props, SKOS + "prefLabel", "zh") or cid,
        "iri": iri,
        "scheme": scheme,
        "en": first_literal(props, SKOS + "prefLabel", "en"),
        "alt": sorted({c[1] for c in props.get(SKOS + "altLabel", []) if c[0] == "literal"}),
        "category": (category, label_of(category, ix)) if category else None,
        "adoptions": [],
        "mentions": [],
        "recipients": [],
        "stance_labels": STANCE_LABELS,
    }
    if scheme in ("mechanism", "program"):
        table = await st.select(EVIDENCE, {"c": NamedNode(iri)})
        evidence, total = items(table, ix, limit=3000)
        by_place: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for item in evidence:
            by_place[item["place"]].append(item)
        rows: list[dict[str, Any]] = []
        for place, found in by_place.items():
            years = sorted({i["year"] for i in found if i["year"] is not None})
            stances = [s for s in STANCES if any(i["stance"] == s for i in found)]
            rows.append(
                {
                    "place": place,
                    "label": label_of(place, ix),
                    "code": ix.places[place].code if place in ix.places else "",
                    "first_year": years[0] if years else None,
                    "years": years,
                    "stances": stances,
                    "evidence": found,
                }
            )
        rows.sort(key=lambda r: (r["first_year"] or 9999, r["code"]))
        context["adoptions"] = rows
        context["evidence_total"] = total
        context["stance_counts"] = {s: sum(1 for r in rows if s in r["stances"]) for s in STANCES}
        context["explorer"] = "/explorer?" + urlencode({"concept": iri, "scheme": "all"})
    else:
        context["mentions"] = mention_items(await st.select(MENTIONS, {"e": NamedNode(iri)}), ix)
        context["recipients"] = (await st.select(RECIPIENTS, {"h": NamedNode(iri)})).values()
    return render(request, "concept.html", context)


__all__ = ["router"]
