"""``kg viz``: the explorer's view as one standalone HTML file, to share and open offline.

The file holds everything: our CSS and script, vis-network (from pyvis's package), the
network of the chosen view and, for every edge, its evidence sentences (the first
:data:`EVIDENCE_PER_EDGE`).  Its filters run in the page, on the embedded view.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

import pyoxigraph as ox

from kg.errors import StoreError
from kg.server import explorer
from kg.server.app import VIS_DIR
from kg.server.engine import QueryJob, QueryReply, run_query
from kg.server.evidence import evidence_query, items
from kg.server.index import StoreIndex, build_index
from kg.server.templating import STATIC, render_string, script_json

EVIDENCE_PER_EDGE: Final = 20


def open_index(store: Path, base: str) -> tuple[ox.Store, StoreIndex]:
    if not (store / "CURRENT").is_file():
        raise StoreError(f"{store}: no store here; run `kg build` first or give --store")
    try:
        db = ox.Store.read_only(str(store))
    except OSError as e:
        raise StoreError(f"{store}: cannot open the store ({e})") from e
    return db, build_index(db, base)


def resolve_filters(index: StoreIndex, **given: str | None) -> explorer.Filters:
    """Filters from names people type: a province or jurisdiction by name, code or IRI; a
    mechanism by Chinese name, English name, id or IRI; a category by name or IRI.
    ValueError says what was not found."""
    values: dict[str, Any] = {k: v for k, v in given.items() if v}
    if "province" in values:
        values["province"] = _find_place(index, values["province"], provinces_only=True)
    if "place" in values:
        values["place"] = _find_place(index, values["place"], provinces_only=False)
    if "concept" in values:
        values["concept"] = _find_concept(index, values["concept"])
    if "category" in values:
        wanted = values["category"]
        found = [iri for iri, (zh, en) in index.categories.items() if wanted in (iri, zh, en, iri.rsplit("/", 1)[-1])]
        if not found:
            raise ValueError(f"no category {wanted!r}; known: {', '.join(zh for zh, _ in index.categories.values())}")
        values["category"] = found[0]
    if "year" in values:
        try:
            values["year"] = int(values["year"])
        except ValueError:
            raise ValueError(f"year must be a number, not {values['year']!r}") from None
    return explorer.Filters(**values)


def _find_place(index: StoreIndex, wanted: str, provinces_only: bool) -> str:
    for p in index.places.values():
        if provinces_only and p.level != "province":
            continue
        if wanted in (p.iri, p.code, p.name) or (len(wanted) >= 2 and p.name.startswith(wanted)):
            return p.iri
    kind = "province" if provinces_only else "jurisdiction"
    raise ValueError(f"no {kind} {wanted!r} in the store")


def _find_concept(index: StoreIndex, wanted: str) -> str:
    for c in index.concepts.values():
        if wanted in (c.iri, c.zh, c.en, c.iri.rsplit("/", 1)[-1]):
            return c.iri
    raise ValueError(f"no mechanism or program {wanted!r} in the store")


def standalone_html(
    db: ox.Store, index: StoreIndex, filters: explorer.Filters, max_nodes: int = 600
) -> tuple[str, dict[str, Any]]:
    """The whole explorer view of ``filters`` as one HTML document, and what it shows."""
    data = explorer.payload(index, filters, max_nodes)
    data["evidence"] = _edge_evidence(db, index, data, filters)
    data["colors"] = explorer.STANCE_COLORS
    shown = {n["id"] for n in data["nodes"]}
    facets = explorer.facets(index)
    facets["concepts"] = [c for c in facets["concepts"] if c["value"] in shown]
    provinces = {n.get("province") for n in data["nodes"]} | shown
    facets["provinces"] = [p for p in facets["provinces"] if p["value"] in provinces]
    config = {"mode": "embedded", "data": data, "filters": {"scheme": filters.scheme}, "facets": facets}
    context = {
        "title": _title(index, filters),
        "config": script_json(config),
        "css": (STATIC / "kg.css").read_text(encoding="utf-8") + (VIS_DIR / "vis-network.css").read_text(encoding="utf-8"),
        "vis_js": _script_text((VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8")),
        "explorer_js": _script_text((STATIC / "explorer.js").read_text(encoding="utf-8")),
        "counts": index.counts,
        "stats": data["stats"],
    }
    stats = {**data["stats"], "view": data["view"], "notices": data["notices"]}
    return render_string("explorer_standalone.html", context), stats


def write_standalone(
    store: Path, base: str, filters: dict[str, str | None], out: Path, max_nodes: int = 600
) -> dict[str, Any]:
    """Write the view to ``out`` (atomically); return its stats."""
    db, index = open_index(store, base)
    html, stats = standalone_html(db, index, resolve_filters(index, **filters), max_nodes)
    tmp = out.with_name(f".{out.name}.part")
    try:
        tmp.write_text(html, encoding="utf-8")
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return {"file": str(out), "bytes": out.stat().st_size, **stats}


def _edge_evidence(db: ox.Store, index: StoreIndex, data: dict[str, Any], f: explorer.Filters) -> dict[str, list[Any]]:
    bindings: list[tuple[str, Any]] = []
    if f.concept:
        bindings.append(("c", ox.NamedNode(f.concept)))
    if f.place:
        bindings.append(("j", ox.NamedNode(f.place)))
    query = evidence_query(place_bound=bool(f.place) and not f.concept).replace("LIMIT 3000", "")
    reply = run_query(db, QueryJob(query, result_format="cells", bindings=tuple(bindings), cap=10**7))
    assert isinstance(reply, QueryReply) and reply.table is not None
    found, _ = items(reply.table, index, limit=10**7)
    edges = {e["id"] for e in data["edges"]}
    provinces = data["view"] == "provinces"
    out: dict[str, list[Any]] = {}
    for item in found:
        owner = index.province_of(item["place"]) if provinces else item["place"]
        key = f"{owner}|{item['concept']}"
        if key in edges and len(out.setdefault(key, [])) < EVIDENCE_PER_EDGE:
            out[key].append({k: v for k, v in item.items() if not k.endswith("_url")} | {"report_url": ""})
    return out


def _title(index: StoreIndex, f: explorer.Filters) -> str:
    parts = [index.name_of(x) for x in (f.concept, f.place, f.province, f.category) if x]
    if f.year:
        parts.append(str(f.year))
    if f.stance:
        parts.append(f.stance)
    return "机制采用图 Mechanism adoption" + (" · " + " · ".join(parts) if parts else "")


def _script_text(text: str) -> str:
    return text.replace("</script", "<\\/script")


__all__ = ["EVIDENCE_PER_EDGE", "open_index", "resolve_filters", "standalone_html", "write_standalone"]
