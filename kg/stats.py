"""What the store holds, for ``kg stats``: counts, coverage, the most adopted mechanisms.

:func:`stats` reads the store (a few GROUP BY queries, no walk over the triples in
Python) and returns a :class:`Stats`:

- ``entities``: distinct entities of each type (a jurisdiction, agency, document or
  concept counts once however many reports name it; jurisdictions include the parents
  of those named);
- ``reports_by_province_year``: reports per province and report year;
- ``top_mechanisms``: the mechanisms the most jurisdictions are reported practising;
- ``warnings``: coverage problems: reports with no jurisdiction or no year, and
  mentions outside every vocabulary (a mechanism, program, honor or indicator the
  store's vocabulary graph does not hold, as after a vocabulary change without a
  rebuild; a document whose title matches no document kind).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

import pandas as pd

from kg import tables
from kg.results import format_table
from kg.store import Store
from kg.tables import PREFIXES, Column

#: what is counted, and the mention type or class it is counted by
ENTITY_TYPES: Final = {
    "reports": "fk:Report",
    "jurisdictions": "fk:Jurisdiction",
    "agencies": "fk:Agency",
    "mechanisms": "mechanism",
    "programs": "program",
    "honors": "honor",
    "documents": "fk:Document",
    "statistics": "fk:Observation",
    "adoptions": "fk:Adoption",
    "mentions": "fk:Mention",
    "sentences": "fk:Sentence",
}
#: entities by class (the vocabulary graph types no instance of these)
ITEMS_QUERY: Final = (
    PREFIXES
    + """SELECT ?class (COUNT(DISTINCT ?s) AS ?n)
WHERE {
  ?s a ?class .
  VALUES ?class { fk:Report fk:Jurisdiction fk:Agency fk:Document fk:Observation fk:Adoption fk:Mention fk:Sentence }
}
GROUP BY ?class"""
)
#: distinct concepts named, by mention type (the vocabulary graph types every concept)
NAMED_QUERY: Final = (
    PREFIXES
    + """SELECT ?type (COUNT(DISTINCT ?b) AS ?n)
WHERE { GRAPH ?g { ?m fk:mentionType ?type ; oa:hasBody ?b } }
GROUP BY ?type"""
)
TOP_QUERY: Final = (
    PREFIXES
    + """SELECT ?c (COUNT(DISTINCT ?j) AS ?jurisdictions) (COUNT(DISTINCT ?g) AS ?reports)
WHERE { GRAPH ?g { ?a fk:stance fk:practised ; fk:jurisdiction ?j ; fk:concept ?c } }
GROUP BY ?c"""
)
#: what mentions name, by mention type and entity (observations: by indicator)
NAMED_BODIES_QUERY: Final = (
    PREFIXES
    + """SELECT ?type ?b (SAMPLE(?surface) AS ?example) (COUNT(DISTINCT ?m) AS ?mentions)
WHERE {
  GRAPH ?g {
    ?m fk:mentionType ?type ; oa:hasBody ?e ; fk:surface ?surface .
    VALUES ?type { "mechanism" "program" "honor" "metric" "document" }
    OPTIONAL { ?e fk:indicator ?i }
  }
  BIND(COALESCE(?i, ?e) AS ?b)
}
GROUP BY ?type ?b"""
)
#: what the vocabulary graph holds, and the documents of a known kind
VOCABULARY_QUERY: Final = (
    PREFIXES + """SELECT DISTINCT ?c WHERE { { ?c skos:inScheme ?scheme } UNION { ?c fk:documentKind ?kind } }"""
)


@dataclass(frozen=True, slots=True)
class Warning:
    """A coverage problem: its kind, a one-line message, and the items it is about."""

    kind: str
    message: str
    items: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Stats:
    entities: dict[str, int]
    #: columns province, year, reports (province and year empty when unknown)
    reports_by_province_year: pd.DataFrame
    #: columns concept, label, jurisdictions, reports
    top_mechanisms: pd.DataFrame
    warnings: list[Warning]

    def as_json(self) -> dict[str, Any]:
        """Plain JSON-ready data (missing province or year as null)."""
        return {
            "entities": dict(self.entities),
            "reports_by_province_year": _records(self.reports_by_province_year),
            "top_mechanisms": _records(self.top_mechanisms),
            "warnings": [
                {"kind": w.kind, "message": w.message, "count": len(w.items), "items": w.items} for w in self.warnings
            ],
        }

    def format_text(self, *, max_items: int = 10) -> str:
        """The statistics as text tables for a terminal (CJK aligned)."""
        ranked = sorted(self.entities.items(), key=lambda kv: (-kv[1], kv[0]))
        sections = [("Entities found in reports", format_table(["type", "count"], ranked))]
        by = self.reports_by_province_year
        if not by.empty:
            wide = by.assign(
                province=by["province"].fillna("(unknown)"), year=by["year"].astype("string").fillna("(unknown)")
            )
            pivot = wide.pivot_table(index="province", columns="year", values="reports", aggfunc="sum", fill_value=0)
            rows = [(p, *[int(v) for v in pivot.loc[p]], int(pivot.loc[p].sum())) for p in pivot.index]
            sections.append(
                ("Reports per province and year", format_table(["province", *map(str, pivot.columns), "total"], rows))
            )
        if not self.top_mechanisms.empty:
            top = [(r.concept, r.label, int(r.jurisdictions), int(r.reports)) for r in self.top_mechanisms.itertuples()]
            header = ["mechanism", "label", "jurisdictions", "reports"]
            sections.append(("Most adopted mechanisms (jurisdictions reported practising)", format_table(header, top)))
        lines = []
        for w in self.warnings:
            shown = "; ".join(w.items[:max_items]) + (" …" if len(w.items) > max_items else "")
            lines.append(f"warning: {w.message}: {shown}")
        sections.append(("Coverage", "\n".join(lines) or "no warnings"))
        return "\n".join(f"{title}\n{body.rstrip()}\n" for title, body in sections)


def _records(data: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: (None if pd.isna(v) else v) for k, v in row.items()} for row in data.astype(object).to_dict("records")]


def stats(store: Store, *, top: int = 10) -> Stats:
    """Counts, reports per province and year, the ``top`` most adopted mechanisms, and warnings."""
    spec = (Column("class", "string", ""), Column("n", "integer", ""))
    items = {
        tables.tail(pd.Series([k], dtype="string"))[0]: int(n)
        for k, n in tables.frame(store, ITEMS_QUERY, spec).itertuples(index=False)
    }
    spec = (Column("type", "string", ""), Column("n", "integer", ""))
    named = {str(t): int(n) for t, n in tables.frame(store, NAMED_QUERY, spec).itertuples(index=False)}
    entities = {
        name: (items if key.startswith("fk:") else named).get(key.removeprefix("fk:"), 0)
        for name, key in ENTITY_TYPES.items()
    }
    reports = tables.reports(store)
    by = (
        reports.groupby(["province", "year"], dropna=False, sort=True)
        .size()
        .rename("reports")
        .reset_index()
        .astype({"reports": "Int64"})
    )
    raw = tables.frame(store, TOP_QUERY, tables.columns("c:s jurisdictions:i reports:i"))
    ranked = tables.with_concepts(raw, "mechanism").merge(tables.concepts(store), how="left", on=["scheme", "concept"])
    ranked = ranked.sort_values(["jurisdictions", "reports", "concept"], ascending=[False, False, True])
    ranked = tables.typed(ranked.head(top), tables.columns("concept:s label:s jurisdictions:i reports:i"))
    return Stats(entities, by, ranked, _warnings(store, reports))


def _warnings(store: Store, reports: pd.DataFrame) -> list[Warning]:
    out = []
    for column, what in (("code", "jurisdiction"), ("year", "report year")):
        missing = reports[reports[column].isna()]
        if len(missing):
            items = [f"{r.report} ({r.source})" for r in missing.itertuples()]
            out.append(Warning(f"no_{column}", f"{len(items)} report(s) with no {what}", items))
    named = tables.frame(store, NAMED_BODIES_QUERY, tables.columns("type:s b:s example:s mentions:i"))
    known = set(tables.frame(store, VOCABULARY_QUERY, tables.columns("c:s"))["c"])
    outside = named[~named["b"].isin(known)]
    for kind, group in outside.groupby("type", sort=True):
        group = group.sort_values(["mentions", "example"], ascending=[False, True])
        n = int(group["mentions"].sum())
        items = [f"{r.example} ×{r.mentions}" for r in group.itertuples()]
        what = "match no document kind" if kind == "document" else "are not in the store's vocabulary"
        out.append(Warning(f"outside_vocabulary_{kind}", f"{n} {kind} mention(s) {what}", items))
    return out


__all__ = ["ENTITY_TYPES", "Stats", "Warning", "stats"]
