"""``/search?q=…``: Chinese text in entity names (labels, titles) and in evidence sentences.

The text is bound to ``?q`` by substitution and matched with ``CONTAINS``; it is never
pasted into the query.
"""

from __future__ import annotations

import unicodedata
from typing import Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pyoxigraph import Literal

from kg.server.state import state_of
from kg.server.templating import page_url, render
from kg.server.views.common import PREFIXES, as_int, label_of

router = APIRouter()
MAX_QUERY = 100
NAMES: Final = (
    PREFIXES
    + """SELECT DISTINCT ?q ?e ?name ?type WHERE {
  VALUES ?p { rdfs:label skos:prefLabel skos:altLabel dcterms:title }
  GRAPH ?g {
    ?e ?p ?name .
    FILTER(CONTAINS(STR(?name), ?q))
    ?e a ?type .
    FILTER(?type IN (fk:Jurisdiction, fk:Agency, fk:Mechanism, fk:Program, fk:Honor, fk:Document, fk:Indicator, fk:Report))
  }
}
LIMIT 400"""
)
SENTENCES: Final = (
    PREFIXES
    + """SELECT ?q ?text ?r ?index ?title ?j WHERE {
  GRAPH ?g {
    ?s a fk:Sentence ; fk:text ?text ; fk:report ?r ; fk:index ?index .
    FILTER(CONTAINS(STR(?text), ?q))
    OPTIONAL { ?r dcterms:title ?title }
    OPTIONAL { ?r fk:jurisdiction ?j }
  }
}
ORDER BY ?r ?index
LIMIT 300"""
)
TYPE_NAMES: Final = {
    "Jurisdiction": "行政区划 jurisdictions",
    "Agency": "机关 agencies",
    "Mechanism": "机制 mechanisms",
    "Program": "行动 programs",
    "Honor": "荣誉 honors",
    "Document": "文件 documents",
    "Indicator": "指标 indicators",
    "Report": "报告 reports",
}


def pieces(text: str, needle: str) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, is a match of ``needle``).

    >>> pieces("府院联动和府院联动", "联动")
    [('府院', False), ('联动', True), ('和府院', False), ('联动', True)]
    """
    out: list[tuple[str, bool]] = []
    pos = 0
    while needle:
        i = text.find(needle, pos)
        if i < 0:
            break
        if i > pos:
            out.append((text[pos:i], False))
        out.append((needle, True))
        pos = i + len(needle)
    if pos < len(text):
        out.append((text[pos:], False))
    return out


@router.get("/search", response_class=HTMLResponse, name="search")
async def search(request: Request, q: str = "") -> HTMLResponse:
    st = state_of(request)
    ix = st.index
    needle = unicodedata.normalize("NFC", q.strip())[:MAX_QUERY]
    groups: dict[str, list[dict[str, str]]] = {}
    sentences: list[dict[str, object]] = []
    if needle:
        bound = {"q": Literal(needle)}
        seen: set[str] = set()
        for row in (await st.select(NAMES, bound)).values():
            e, kind = row["e"] or "", (row["type"] or "").rsplit("#", 1)[-1]
            if e in seen:
                continue
            seen.add(e)
            groups.setdefault(TYPE_NAMES.get(kind, kind), []).append(
                {"name": row["name"] or label_of(e, ix), "url": page_url(e, ix.base), "iri": e}
            )
        for row in (await st.select(SENTENCES, bound)).values():
            r = row["r"] or ""
            sentences.append(
                {
                    "pieces": pieces(row["text"] or "", needle),
                    "url": page_url(r, ix.base) + f"#sentence-{as_int(row['index'])}",
                    "report": row["title"] or label_of(r, ix),
                    "place": label_of(row["j"], ix) if row["j"] else "",
                }
            )
    context = {
        "title": f"搜索 Search: {needle}" if needle else "搜索 Search",
        "q": needle,
        "groups": sorted(groups.items()),
        "sentences": sentences,
    }
    return render(request, "search.html", context)


__all__ = ["pieces", "router"]
