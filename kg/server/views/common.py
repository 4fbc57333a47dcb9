"""Helpers the pages share: showing cells, marking a mention in its sentence, paging lists."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Final, NamedTuple
from urllib.parse import unquote

from kg.model import STANCE_OF_ROLE
from kg.server.engine import Cell, Table
from kg.server.index import StoreIndex
from kg.server.templating import page_url

PREFIXES: Final = """PREFIX fk: <https://w3id.org/fazhi-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX org: <http://www.w3.org/ns/org#>
"""
_NUMERIC: Final = frozenset(
    "http://www.w3.org/2001/XMLSchema#" + t for t in ("integer", "decimal", "double", "float", "int", "long")
)
TYPE_LABELS: Final = {
    "jurisdiction": "行政区划 jurisdiction",
    "agency": "机关 agency",
    "mechanism": "机制 mechanism",
    "document": "文件 document",
    "program": "行动 program",
    "honor": "荣誉 honor",
    "metric": "数据 statistic",
}


@dataclass(frozen=True, slots=True)
class Shown:
    """A cell as a page shows it: text, an optional link, and whether it is a number."""

    text: str
    href: str | None = None
    numeric: bool = False
    title: str | None = None


def show(c: Cell | None, index: StoreIndex) -> Shown:
    if c is None:
        return Shown("")
    kind, value, datatype, _ = c
    if kind == "uri":
        return Shown(label_of(value, index), page_url(value, index.base), title=value)
    if kind == "literal" and datatype in _NUMERIC:
        return Shown(value, numeric=True)
    return Shown(value)


def label_of(iri: str, index: StoreIndex) -> str:
    """A short name for an IRI: the index's name, else its last path segment, decoded."""
    if iri in index.places or iri in index.concepts or iri in index.categories:
        return index.name_of(iri)
    tail = iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return unquote(tail) or iri


def shown_rows(table: Table, index: StoreIndex) -> list[list[Shown]]:
    return [[show(c, index) for c in row] for row in table.rows]


class Marked(NamedTuple):
    """A sentence cut around one mention, for ``<mark>``."""

    before: str
    mention: str
    after: str


def mark(sentence: str, sentence_start: int | None, start: int | None, end: int | None) -> Marked:
    """``sentence`` with the mention at report offsets ``start``..``end`` picked out.

    >>> mark("我区推行府院联动机制。", 100, 104, 108)
    Marked(before='我区推行', mention='府院联动', after='机制。')
    """
    if sentence_start is None or start is None or end is None:
        return Marked(sentence, "", "")
    a, b = start - sentence_start, end - sentence_start
    if not 0 <= a <= b <= len(sentence):
        return Marked(sentence, "", "")
    return Marked(sentence[:a], sentence[a:b], sentence[b:])


def stance_of_role(role_iri: str | None) -> str:
    """The stance a mention's section role gives it (practice -> practised …)."""
    role = (role_iri or "").rsplit("#", 1)[-1] or "background"
    return STANCE_OF_ROLE.get(role, "mentioned")


def as_int(value: str | None) -> int | None:
    try:
        return None if value is None else int(Decimal(value))
    except (InvalidOperation, ValueError):
        return None


__all__ = ["PREFIXES", "TYPE_LABELS", "Marked", "Shown", "as_int", "label_of", "mark", "show", "shown_rows"]


# --- queries every entity page runs, with the entity bound as ?e -----------------------------------

# (each matches inside GRAPH ?g, with single-pattern OPTIONALs: see kg.server.evidence for why)
DESCRIBE: Final = "SELECT DISTINCT ?e ?p ?o WHERE { GRAPH ?g { ?e ?p ?o } } LIMIT 5000"
INCOMING: Final = "SELECT DISTINCT ?e ?s ?p WHERE { GRAPH ?g { ?s ?p ?e } } LIMIT 2000"
MENTIONS: Final = (
    PREFIXES
    + """SELECT ?e ?r ?mstart ?mend ?type ?role ?sentence ?sstart ?title ?j WHERE { GRAPH ?g {
  ?m oa:hasBody ?e ; fk:report ?r ; fk:start ?mstart ; fk:end ?mend ; fk:mentionType ?type .
  OPTIONAL { ?m fk:role ?role }
  OPTIONAL { ?m fk:sentence ?sentence_node }
  BIND(COALESCE(?sentence_node, <urn:fazhi-kg:none>) AS ?s)
  OPTIONAL { ?s fk:text ?sentence }
  OPTIONAL { ?s fk:start ?sstart }
  OPTIONAL { ?r dcterms:title ?title }
  OPTIONAL { ?r fk:jurisdiction ?j }
} }
ORDER BY ?r ?mstart
LIMIT 1000"""
)


def properties(table: Table) -> dict[str, list[Cell]]:
    """Rows of :data:`DESCRIBE` as predicate IRI -> objects, each once, in order."""
    out: dict[str, list[Cell]] = {}
    for row in table.dicts():
        p, o = row["p"], row["o"]
        if p is None or o is None:
            continue
        objects = out.setdefault(p[1], [])
        if o not in objects:
            objects.append(o)
    return out


def first_literal(props: dict[str, list[Cell]], predicate: str, lang: str | None = None) -> str | None:
    for c in props.get(predicate, []):
        if c[0] == "literal" and (lang is None or c[3] == lang):
            return c[1]
    return None


def mention_items(table: Table, index: StoreIndex, limit: int = 300) -> list[dict[str, object]]:
    """Rows of :data:`MENTIONS` as what a page lists: the sentence with the mention marked, the report."""
    out: list[dict[str, object]] = []
    seen: set[tuple[str | None, str | None]] = set()
    for row in table.values():
        key = (row["r"], row["mstart"])
        if key in seen:
            continue
        seen.add(key)
        start, end = as_int(row["mstart"]), as_int(row["mend"])
        r = row["r"] or ""
        out.append(
            {
                "report": r,
                "report_title": row["title"] or label_of(r, index),
                "report_url": page_url(r, index.base) + f"#mention-{start}-{end}-{row['type']}",
                "place": row["j"],
                "place_label": label_of(row["j"], index) if row["j"] else "",
                "place_url": page_url(row["j"], index.base) if row["j"] else None,
                "stance": stance_of_role(row["role"]),
                **mark(row["sentence"] or "", as_int(row["sstart"]), start, end)._asdict(),
            }
        )
        if len(out) >= limit:
            break
    return out
