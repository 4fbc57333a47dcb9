"""Evidence of adoptions: the sentences a jurisdiction's stance on a mechanism rests on.

Everything about an adoption sits in its report's graph, so the query matches inside
``GRAPH ?g``: on pyoxigraph that is two orders of magnitude faster than the same
patterns over the union default graph (0.04 s against 17 s on the examples).

How the pages' queries are written, as measured on pyoxigraph 0.5 (the values are
bound by substitution, which its planner does not see):

- no ``?a a fk:Adoption`` type pattern: the planner would start from every adoption;
  ``fk:concept`` and ``fk:evidence`` are enough to find them;
- every OPTIONAL holds a single pattern: a larger one is evaluated on its own, over
  the whole store, and joined afterwards (0.3 s against 0.005 s for one edge at 300
  jurisdictions); a chain of optional steps goes through ``COALESCE`` so that a
  missing first step cannot match every second one;
- descriptions in other graphs are nested GRAPH blocks placed before the OPTIONALs;
- among patterns the planner ranks alike it keeps the written order, so the bound
  variable's pattern comes first: :data:`EVIDENCE` starts from the concept,
  :data:`EVIDENCE_OF_PLACE` from the jurisdiction (1.2 s against 0.01 s for a
  jurisdiction of a 3,000-jurisdiction store).

:data:`EVIDENCE` is run with ``?j`` (a jurisdiction) and/or ``?c`` (a concept) bound
by substitution; :func:`items` turns its rows into what the pages and the explorer's
side panel show: the sentence cut around the mention, the stance its section gives
it, and links to the report at that mention.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Final

from kg.server.engine import Table
from kg.server.index import StoreIndex
from kg.server.templating import page_url
from kg.server.views.common import PREFIXES, as_int, label_of, mark, stance_of_role

EVIDENCE: Final = (
    PREFIXES
    + """SELECT ?j ?c ?r ?year ?role ?sentence ?sstart ?mstart ?mend ?heading ?title WHERE { GRAPH ?g {
  ?a fk:concept ?c ; fk:jurisdiction ?j ; fk:report ?r ; fk:evidence ?m .
  ?m fk:start ?mstart ; fk:end ?mend ; fk:sentence ?s .
  ?s fk:text ?sentence ; fk:start ?sstart .
  OPTIONAL { ?a fk:year ?year }
  OPTIONAL { ?m fk:role ?role }
  OPTIONAL { ?s fk:section ?section }
  BIND(COALESCE(?section, <urn:fazhi-kg:none>) AS ?sec)
  OPTIONAL { ?sec fk:heading ?heading }
  OPTIONAL { ?r dcterms:title ?title }
} }
ORDER BY ?j ?year ?r ?mstart
LIMIT 3000"""
)
#: the same, for ``?j`` bound
EVIDENCE_OF_PLACE: Final = EVIDENCE.replace(
    "?a fk:concept ?c ; fk:jurisdiction ?j ;", "?a fk:jurisdiction ?j ; fk:concept ?c ;"
)
assert EVIDENCE_OF_PLACE != EVIDENCE


def evidence_query(place_bound: bool) -> str:
    """The evidence query that starts from what is bound."""
    return EVIDENCE_OF_PLACE if place_bound else EVIDENCE


def items(
    table: Table,
    index: StoreIndex,
    *,
    keep: Callable[[dict[str, Any]], bool] = lambda item: True,
    limit: int = 200,
) -> tuple[list[dict[str, Any]], int]:
    """Evidence items (at most ``limit``) and how many rows passed ``keep`` in all."""
    out: list[dict[str, Any]] = []
    total = 0
    seen: set[tuple[str, str, int | None]] = set()
    for row in table.values():
        j, c, r = row["j"] or "", row["c"] or "", row["r"] or ""
        start, end = as_int(row["mstart"]), as_int(row["mend"])
        key = (r, c, start)
        if key in seen:
            continue
        seen.add(key)
        concept = index.concepts.get(c)
        scheme = concept.scheme if concept else "mechanism"
        item = {
            "place": j,
            "place_label": label_of(j, index),
            "place_url": page_url(j, index.base),
            "concept": c,
            "concept_label": label_of(c, index),
            "concept_url": page_url(c, index.base),
            "year": as_int(row["year"]),
            "stance": stance_of_role(row["role"]),
            "heading": row["heading"] or "",
            "report": r,
            "report_title": row["title"] or label_of(r, index),
            "report_url": page_url(r, index.base) + f"#mention-{start}-{end}-{scheme}",
            **mark(row["sentence"] or "", as_int(row["sstart"]), start, end)._asdict(),
        }
        if not keep(item):
            continue
        total += 1
        if len(out) < limit:
            out.append(item)
    return out, total


def keep_filter(
    index: StoreIndex, *, year: int | None = None, stance: str | None = None, province: str | None = None
) -> Callable[[dict[str, Any]], bool]:
    """A ``keep`` for :func:`items` that applies the explorer's filters."""

    def keep(item: dict[str, Any]) -> bool:
        if year is not None and item["year"] != year:
            return False
        if stance is not None and item["stance"] != stance:
            return False
        return province is None or index.province_of(item["place"]) == province

    return keep


def group_by_place(evidence: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for item in evidence:
        out.setdefault(item["place"], []).append(item)
    return out


__all__ = ["EVIDENCE", "EVIDENCE_OF_PLACE", "evidence_query", "group_by_place", "items", "keep_filter", "stance_of_role"]
