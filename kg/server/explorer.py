"""The mechanism-adoption explorer's network: adoptions -> networkx graph -> pyvis network -> JSON.

Nodes are jurisdictions (or provinces) and mechanisms (or programs); an edge says
that a jurisdiction's reports take a stance on a mechanism (practised, planned, a
problem, recommended, mentioned), coloured by that stance.  :func:`select` filters
the store index's adoptions (category, province, year, stance, one mechanism, one
jurisdiction); :func:`adoption_graph` builds the networkx graph of what is left;
:func:`network` turns it into a pyvis network (filling ``nodes`` and ``edges``
directly: ``from_nx`` grows with the square of the graph); :func:`payload` is what
the page's script and ``kg viz`` draw.

At national size (thousands of jurisdictions) drawing everything is useless, so the
``auto`` view opens on provinces as nodes (an edge counts the province's
jurisdictions taking the stance) whenever the jurisdictions view would pass
``max_nodes``, and keeps only the most adopted mechanisms when even that is too many.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from typing import Any, Final

import networkx as nx
from pyvis.network import Network

from kg.server.index import STANCE_LABELS, STANCES, Adoption, StoreIndex, stance_bit, stances_of
from kg.server.templating import page_url

#: stance -> colour of its edges and legend entry
STANCE_COLORS: Final = {
    "practised": "#2e7d32",
    "problem": "#c62828",
    "planned": "#1565c0",
    "recommended": "#ef6c00",
    "mentioned": "#8d8d8d",
}
PLACE_COLOR: Final = "#37474f"
PROVINCE_COLOR: Final = "#4a148c"
VIEWS: Final = ("auto", "jurisdictions", "provinces")
SCHEMES: Final = ("mechanism", "program", "all")
OPTIONS: Final[dict[str, Any]] = {
    "autoResize": True,
    "physics": {
        "enabled": True,
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {"gravitationalConstant": -70, "springLength": 110, "springConstant": 0.06, "avoidOverlap": 0.3},
        "stabilization": {"enabled": True, "iterations": 600, "updateInterval": 25, "fit": True},
        "minVelocity": 1.5,
        "maxVelocity": 40,
    },
    "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": True, "multiselect": False},
    "edges": {"smooth": False, "selectionWidth": 2.5, "color": {"inherit": False}},
    "nodes": {"font": {"face": "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif", "size": 14}},
    "layout": {"improvedLayout": False, "randomSeed": 7},
}


@dataclass(frozen=True, slots=True)
class Filters:
    scheme: str = "mechanism"
    category: str | None = None  #: category IRI
    province: str | None = None  #: province IRI
    year: int | None = None
    stance: str | None = None
    concept: str | None = None  #: one mechanism's IRI
    place: str | None = None  #: one jurisdiction's IRI
    view: str = "auto"

    def __post_init__(self) -> None:
        if self.scheme not in SCHEMES:
            raise ValueError(f"scheme must be one of {', '.join(SCHEMES)}, not {self.scheme!r}")
        if self.stance is not None and self.stance not in STANCES:
            raise ValueError(f"stance must be one of {', '.join(STANCES)}, not {self.stance!r}")
        if self.view not in VIEWS:
            raise ValueError(f"view must be one of {', '.join(VIEWS)}, not {self.view!r}")

    def as_query(self) -> dict[str, str]:
        """The filters as URL parameters (those set)."""
        default = Filters()
        return {k: str(v) for k, v in asdict(self).items() if v is not None and v != getattr(default, k)}


def select(index: StoreIndex, f: Filters) -> list[Adoption]:
    """The adoptions that pass the filters; with a stance filter, each keeps only that stance."""
    bit = stance_bit(f.stance) if f.stance else 0
    out = []
    for a in index.adoptions:
        concept = index.concepts.get(a.concept)
        if concept is None:
            continue
        if f.scheme != "all" and concept.scheme != f.scheme:
            continue
        if f.concept is not None and a.concept != f.concept:
            continue
        if f.place is not None and a.place != f.place:
            continue
        if f.category is not None and concept.category != f.category:
            continue
        if f.year is not None and a.year != f.year:
            continue
        if bit and not a.stances & bit:
            continue
        if f.province is not None and index.province_of(a.place) != f.province:
            continue
        out.append(a._replace(stances=bit) if bit else a)
    return out


def dominant(bits: int) -> str:
    """The stance an edge is drawn in: the first of :data:`STANCES` it has."""
    found = stances_of(bits)
    return found[0] if found else "mentioned"


def adoption_graph(
    index: StoreIndex, f: Filters, max_nodes: int = 600, max_edges: int | None = None
) -> tuple[nx.Graph, str, list[str]]:
    """The graph of the filtered adoptions, the view drawn, and notices about what was left out.

    ``max_edges`` defaults to four times ``max_nodes``: past either, the ``auto`` view
    draws provinces, and any view keeps only the mechanisms most jurisdictions take up.
    """
    max_edges = 4 * max_nodes if max_edges is None else max_edges
    rows = select(index, f)
    places = {a.place for a in rows}
    pairs = {(a.place, a.concept) for a in rows}
    concepts = Counter(c for _, c in pairs)
    notices: list[str] = []
    view = f.view
    if view == "auto":
        # within one province or jurisdiction the jurisdictions are the point: keep them, trim mechanisms
        narrowed = f.province is not None or f.place is not None
        small = len(places) + len(concepts) <= max_nodes and len(pairs) <= max_edges
        view = "jurisdictions" if narrowed or small else "provinces"
        if view == "provinces":
            notices.append(
                f"{len(places):,} jurisdictions taking {len(pairs):,} stances on {len(concepts):,} mechanisms are too "
                "many to draw one by one: provinces are shown as nodes. Pick a province or a mechanism to see "
                "jurisdictions."
            )
    if view == "jurisdictions" and len(places) >= max_nodes:
        view = "provinces"
        notices.append(
            f"{len(places):,} jurisdictions are more than {max_nodes:,} nodes: provinces are shown instead. "
            "Pick a province to see its jurisdictions."
        )
    group = (lambda p: p) if view == "jurisdictions" else (lambda p: index.province_of(p))
    owners = {p: group(p) for p in places}
    edges_of = Counter(c for _, c in {(owners[p], c) for p, c in pairs if owners[p] is not None})
    keep = _most_adopted(concepts, edges_of, max_nodes - len(set(owners.values())), max_edges)
    if len(keep) < len(concepts):
        notices.append(
            f"{len(concepts):,} mechanisms: the {len(keep):,} taken up by most jurisdictions are shown; "
            "filter by category or pick one mechanism to see the others."
        )
        rows = [a for a in rows if a.concept in keep]
    g = nx.Graph(view=view)
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    for a in rows:
        owner = owners[a.place]
        if owner is None:
            continue
        e = edges.setdefault((owner, a.concept), {"stances": 0, "years": set(), "reports": set(), "places": set()})
        e["stances"] |= a.stances
        if a.year is not None:
            e["years"].add(a.year)
        e["reports"].add(a.report)
        e["places"].add(a.place)
    skipped = len({a.place for a in rows if owners[a.place] is None})
    if skipped:
        notices.append(f"{skipped:,} jurisdictions whose province is not known are left out of this view.")
    for (owner, concept), e in edges.items():
        if owner not in g:
            g.add_node(owner, **_place_node(index, owner, view))
        if concept not in g:
            g.add_node(concept, **_concept_node(index, concept))
        g.add_edge(
            owner,
            concept,
            stances=e["stances"],
            years=sorted(e["years"]),
            reports=len(e["reports"]),
            places=len(e["places"]),
        )
    return g, view, notices


def _most_adopted(concepts: Counter[str], edges_of: Counter[str], max_concepts: int, max_edges: int) -> set[str]:
    """The mechanisms taken up by most jurisdictions, as many as fit both budgets (at least one)."""
    keep: set[str] = set()
    edges = 0
    for concept, _ in sorted(concepts.items(), key=lambda kv: (-kv[1], kv[0])):
        if keep and (len(keep) >= max_concepts or edges + edges_of[concept] > max_edges):
            break
        keep.add(concept)
        edges += edges_of[concept]
    return keep


def _place_node(index: StoreIndex, iri: str, view: str) -> dict[str, Any]:
    info = index.places.get(iri)
    name = info.name if info else iri.rsplit("/", 1)[-1]
    province = index.places.get(index.province_of(iri) or "")
    short = name
    if province is not None and province.iri != iri and name.startswith(province.name) and len(name) > len(province.name):
        short = name[len(province.name) :]
    return {
        "kind": "province" if view == "provinces" else "jurisdiction",
        "label": name,
        "short": short,
        "code": info.code if info else "",
        "level": (info.level or "") if info else "",
        "province": index.province_of(iri) or "",
    }


def _concept_node(index: StoreIndex, iri: str) -> dict[str, Any]:
    c = index.concepts[iri]
    category = index.categories.get(c.category or "", ("", None))[0]
    return {"kind": c.scheme, "label": c.zh, "en": c.en or "", "category": category, "category_iri": c.category or ""}


def network(g: nx.Graph, base: str) -> Network:
    """A pyvis network of ``g``, its nodes and edges written directly, styled by kind and stance."""
    net = Network(height="100%", width="100%", directed=False, cdn_resources="local")
    weight: dict[str, int] = defaultdict(int)
    stance_votes: dict[str, Counter[str]] = defaultdict(Counter)
    for u, v, data in g.edges(data=True):
        n = data["places"]
        weight[u] += n
        weight[v] += n
        stance_votes[v if g.nodes[v]["kind"] in ("mechanism", "program") else u][dominant(data["stances"])] += n
    heaviest = max((weight[n] for n, d in g.nodes(data=True) if d["kind"] in ("mechanism", "program")), default=1)
    for node, data in g.nodes(data=True):
        net.nodes.append(_vis_node(node, data, weight[node], stance_votes.get(node), base, heaviest))
        net.node_ids.append(node)
        net.node_map[node] = net.nodes[-1]
    widest = max((d["places"] for _, _, d in g.edges(data=True)), default=1)
    opacity = 0.75 if g.number_of_edges() <= 800 else 0.4
    for u, v, data in g.edges(data=True):
        place, concept = (u, v) if g.nodes[u]["kind"] in ("jurisdiction", "province") else (v, u)
        net.edges.append(_vis_edge(place, concept, data, g, widest, opacity))
    net.options = dict(OPTIONS)
    return net


def _vis_node(
    node: str, data: dict[str, Any], weight: int, votes: Counter[str] | None, base: str, heaviest: int
) -> dict[str, Any]:
    kind = data["kind"]
    url = page_url(node, base)
    if kind in ("jurisdiction", "province"):
        color = PROVINCE_COLOR if kind == "province" else PLACE_COLOR
        return {
            "id": node,
            "label": data["short"],
            "title": f"{data['label']} ({data['code']}) · {weight} adoption(s)",
            "shape": "box",
            "color": {"background": color, "border": color, "highlight": {"background": "#000", "border": "#000"}},
            "font": {"color": "#ffffff", "size": 28 if kind == "province" else 24},
            "kind": kind,
            "url": url,
            "province": data["province"],
            "mass": 1 + min(weight, 200) / 40,
        }
    stance = votes.most_common(1)[0][0] if votes else "mentioned"
    # relative: the mechanism most jurisdictions take up is the largest
    size = 10 + 26 * math.sqrt((weight - 1) / (heaviest - 1)) if heaviest > 1 else 12
    title = f"{data['label']}" + (f" / {data['en']}" if data["en"] else "")
    if data["category"]:
        title += f" · {data['category']}"
    return {
        "id": node,
        "label": data["label"],
        "title": f"{title} · {weight} jurisdiction(s)",
        "shape": "diamond" if kind == "program" else "dot",
        "size": round(size, 1),
        "color": {"background": STANCE_COLORS[stance], "border": "#ffffff"},
        "borderWidth": 1,
        "font": {"size": 13, "color": "#212121", "strokeWidth": 3, "strokeColor": "#ffffff"},
        "kind": kind,
        "stance": stance,
        "url": url,
        "category_iri": data["category_iri"],
    }


def _vis_edge(
    place: str, concept: str, data: dict[str, Any], g: nx.Graph, widest: int, opacity: float
) -> dict[str, Any]:
    stances = stances_of(data["stances"])
    stance = stances[0] if stances else "mentioned"
    years = data["years"]
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "year unknown")
    who = g.nodes[place]["label"]
    what = g.nodes[concept]["label"]
    places = data["places"]
    count = f" · {places} jurisdictions" if g.nodes[place]["kind"] == "province" else ""
    return {
        "id": f"{place}|{concept}",
        "from": place,
        "to": concept,
        "color": {"color": STANCE_COLORS[stance], "highlight": "#000000", "opacity": opacity},
        "width": round(1 + 4 * math.sqrt((places - 1) / (widest - 1)), 2) if widest > 1 else 1.5,
        "title": f"{who} — {what}: {', '.join(stances)} ({span}){count}",
        "stance": stance,
        "stances": stances,
        "years": years,
    }


def facets(index: StoreIndex) -> dict[str, Any]:
    """The values each filter offers."""
    used = Counter(a.concept for a in index.adoptions)
    ranked = sorted((c for c in used if c in index.concepts), key=lambda c: (-used[c], index.concepts[c].zh))
    concepts = [
        {"value": c, "label": index.concepts[c].zh, "n": used[c], "scheme": index.concepts[c].scheme} for c in ranked
    ]
    return {
        "categories": [{"value": iri, "label": label} for iri, label in index.used_categories()],
        "provinces": [{"value": p.iri, "label": p.name} for p in index.provinces()],
        "years": index.years(),
        "stances": [{"value": s, "label": STANCE_LABELS[s], "color": STANCE_COLORS[s]} for s in STANCES],
        "concepts": concepts,
        "schemes": list(SCHEMES),
        "views": list(VIEWS),
    }


def legend() -> list[dict[str, str]]:
    items = [{"label": STANCE_LABELS[s], "color": STANCE_COLORS[s], "shape": "line"} for s in STANCES]
    items += [
        {"label": "行政区划 jurisdiction", "color": PLACE_COLOR, "shape": "box"},
        {"label": "省 province (aggregated)", "color": PROVINCE_COLOR, "shape": "box"},
        {"label": "机制 mechanism (colour: its most common stance)", "color": "#9e9e9e", "shape": "dot"},
        {"label": "行动 program", "color": "#9e9e9e", "shape": "diamond"},
    ]
    return items


def payload(index: StoreIndex, f: Filters, max_nodes: int = 600, max_edges: int | None = None) -> dict[str, Any]:
    """Everything the explorer draws for these filters, as JSON-ready data."""
    g, view, notices = adoption_graph(index, f, max_nodes, max_edges)
    net = network(g, index.base)
    nodes, edges, _heading, _height, _width, options = net.get_network_data()
    return {
        "view": view,
        "filters": f.as_query(),
        "nodes": nodes,
        "edges": edges,
        "options": options if isinstance(options, dict) else _loads(options),
        "notices": notices,
        "legend": legend(),
        "stats": {
            "nodes": len(nodes),
            "edges": len(edges),
            "places": sum(1 for n in nodes if n["kind"] in ("jurisdiction", "province")),
            "concepts": sum(1 for n in nodes if n["kind"] in ("mechanism", "program")),
        },
    }


def _loads(text: str) -> dict[str, Any]:
    import json

    value = json.loads(text)
    assert isinstance(value, dict)
    return value


def parse_filters(params: Iterable[tuple[str, str]]) -> Filters:
    """Filters from URL parameters; empty values mean "any".  ValueError names a bad one."""
    values = {k: v.strip() for k, v in params if v.strip()}
    year: int | None = None
    if "year" in values:
        try:
            year = int(values["year"])
        except ValueError:
            raise ValueError(f"year must be a number, not {values['year']!r}") from None
    return replace(
        Filters(),
        scheme=values.get("scheme", "mechanism"),
        category=values.get("category"),
        province=values.get("province"),
        year=year,
        stance=values.get("stance"),
        concept=values.get("concept"),
        place=values.get("place"),
        view=values.get("view", "auto"),
    )


__all__ = [
    "OPTIONS",
    "STANCE_COLORS",
    "VIEWS",
    "Filters",
    "adoption_graph",
    "dominant",
    "facets",
    "legend",
    "network",
    "parse_filters",
    "payload",
    "select",
]
