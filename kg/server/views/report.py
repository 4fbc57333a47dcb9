"""A page per report, ``/report/<id>``: its fields, its outline, and its text with every extracted
mention highlighted and typed (each a link to its entity's page, anchored ``#mention-<start>-<end>-<type>``)."""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape
from pyoxigraph import NamedNode

from kg.iris import Minter
from kg.server.errors import APIError
from kg.server.state import state_of
from kg.server.templating import page_url, render
from kg.server.views.common import (
    DESCRIBE,
    PREFIXES,
    TYPE_LABELS,
    as_int,
    first_literal,
    label_of,
    properties,
    stance_of_role,
)

router = APIRouter()
FK = "https://w3id.org/fazhi-kg/ontology#"
DCT = "http://purl.org/dc/terms/"
MENTIONS_OF_REPORT: Final = (
    PREFIXES
    + """SELECT ?e ?m ?body ?type ?start ?end ?role ?pref ?label ?title ?indicator ?value ?unit WHERE {
  GRAPH ?g {
    ?m fk:report ?e ; fk:mentionType ?type ; oa:hasBody ?body ; fk:start ?start ; fk:end ?end .
    OPTIONAL { ?m fk:role ?role }
    OPTIONAL { GRAPH ?x1 { ?body skos:prefLabel ?pref FILTER(lang(?pref) = "zh") } }
    OPTIONAL { GRAPH ?x2 { ?body rdfs:label ?label } }
    OPTIONAL { GRAPH ?x3 { ?body dcterms:title ?title } }
    OPTIONAL { ?body fk:value ?value }
    OPTIONAL { ?body fk:unit ?unit }
    OPTIONAL { ?body fk:indicator ?indicator_node }
    BIND(COALESCE(?indicator_node, <urn:fazhi-kg:none>) AS ?i)
    OPTIONAL { GRAPH ?v { ?i skos:prefLabel ?indicator FILTER(lang(?indicator) = "zh") } }
  }
}
ORDER BY ?start DESC(?end)"""
)
SECTIONS: Final = (
    PREFIXES
    + """SELECT ?e ?sec ?index ?heading ?depth ?start ?role WHERE {
  GRAPH ?g {
    ?sec fk:report ?e ; fk:heading ?heading ; fk:index ?index ; fk:depth ?depth ; fk:start ?start .
    OPTIONAL { ?sec fk:role ?role }
  }
}
ORDER BY ?start"""
)
SENTENCES: Final = PREFIXES + """SELECT ?e ?index ?start WHERE { GRAPH ?g { ?s fk:report ?e ; fk:text ?text ; fk:index ?index ; fk:start ?start } }"""


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    type: str
    href: str
    title: str


def annotate(text: str, spans: Sequence[Span], anchors: Sequence[tuple[int, str]] = ()) -> Markup:
    """``text`` as HTML with each span a ``<mark>`` (nested spans nest; a span crossing another's
    end is cut there) and an empty ``<span id>`` at each anchor position.

    >>> str(annotate("a<b>c", [Span(1, 4, "agency", "/x", "t")]))
    'a<mark class="m m-agency" id="mention-1-4-agency" data-type="agency" data-href="/x" title="t">&lt;b&gt;</mark>c'
    """
    out: list[str] = []
    marks = sorted(anchors)
    positions = [p for p, _ in marks]
    pos = 0

    def emit(upto: int) -> None:
        nonlocal pos
        if upto <= pos:
            return
        lo, hi = bisect.bisect_left(positions, pos), bisect.bisect_left(positions, upto)
        for p, name in marks[lo:hi]:
            out.append(str(escape(text[pos:p])))
            out.append(f'<span class="anchor" id="{escape(name)}"></span>')
            pos = p
        out.append(str(escape(text[pos:upto])))
        pos = upto

    open_ends: list[int] = []
    for s in sorted(spans, key=lambda s: (s.start, -s.end)):
        if not 0 <= s.start < s.end <= len(text):
            continue
        while open_ends and open_ends[-1] <= s.start:
            emit(open_ends.pop())
            out.append("</mark>")
        end = min(s.end, open_ends[-1]) if open_ends else s.end
        if s.start < pos:  # starts inside text already written past (an enclosing span was cut)
            continue
        emit(s.start)
        out.append(
            f'<mark class="m m-{escape(s.type)}" id="mention-{s.start}-{s.end}-{escape(s.type)}" '
            f'data-type="{escape(s.type)}" data-href="{escape(s.href)}" title="{escape(s.title)}">'
        )
        open_ends.append(end)
    while open_ends:
        emit(open_ends.pop())
        out.append("</mark>")
    emit(len(text))
    return Markup("".join(out))  # noqa: S704 - every piece of text and attribute above is escaped


@router.get("/report/{rid}", response_class=HTMLResponse, name="report")
async def report(request: Request, rid: str) -> HTMLResponse:
    st = state_of(request)
    ix = st.index
    iri = Minter(st.base).report(rid)
    bound = {"e": NamedNode(iri)}
    props = properties(await st.select(DESCRIBE, bound))
    if not props:
        raise APIError(404, "not_found", f"no report {rid!r} in the store")
    text = first_literal(props, FK + "text") or ""
    spans, listed = _mentions((await st.select(MENTIONS_OF_REPORT, bound)).values(), ix.base)
    sections: list[dict[str, object]] = [
        {**s, "index": as_int(s["index"]), "depth": as_int(s["depth"]) or 1, "role": (s["role"] or "").rsplit("#", 1)[-1]}
        for s in (await st.select(SECTIONS, bound)).values()
    ]
    anchors = [(as_int(str(s["start"])) or 0, f"section-{s['index']}") for s in sections]
    anchors += [
        (as_int(s["start"]) or 0, f"sentence-{s['index']}") for s in (await st.select(SENTENCES, bound)).values()
    ]
    info = next((r for r in ix.reports if r.iri == iri), None)
    place = info.place if info else None
    context = {
        "title": first_literal(props, DCT + "title") or rid,
        "iri": iri,
        "info": info,
        "place": (place, label_of(place, ix)) if place else None,
        "issuer": first_literal(props, FK + "issuer"),
        "source": first_literal(props, FK + "sourceFile"),
        "encoding": first_literal(props, FK + "encoding"),
        "text": annotate(text, spans, anchors),
        "sections": sections,
        "mentions": listed,
        "type_counts": sorted(Counter(m["type"] for m in listed).items()),
        "type_labels": TYPE_LABELS,
    }
    return render(request, "report.html", context)


def _mentions(rows: list[dict[str, str | None]], base: str) -> tuple[list[Span], list[dict[str, object]]]:
    spans: list[Span] = []
    listed: list[dict[str, object]] = []
    seen: set[str] = set()
    for row in rows:
        m = row["m"] or ""
        if m in seen:
            continue
        seen.add(m)
        kind = row["type"] or "mention"
        body = row["body"] or ""
        if kind == "metric" and row["indicator"]:
            name = f"{row['indicator']} = {row['value']} {row['unit'] or ''}".strip()
        else:
            name = row["pref"] or row["label"] or row["title"] or body.rsplit("/", 1)[-1]
        start, end = as_int(row["start"]) or 0, as_int(row["end"]) or 0
        stance = stance_of_role(row["role"])
        href = page_url(body, base)
        spans.append(Span(start, end, kind, href, f"{TYPE_LABELS.get(kind, kind)}: {name} · {stance}"))
        listed.append({"type": kind, "name": name, "href": href, "start": start, "end": end, "stance": stance})
    return spans, listed


__all__ = ["Span", "annotate", "router"]
