"""networkx projections of the store, for Gephi (GEXF), igraph and R (GraphML) and notebooks.

:func:`to_networkx` is pure: it queries the store and returns a graph; the writers of
:mod:`kg.export` do the file I/O.  The views, by name (:data:`VIEWS`):

- ``adoption``: jurisdictions and the concepts their reports name (bipartite); an edge
  per jurisdiction and concept with the years, stances and number of reports.
- ``co-adoption``: concepts, an edge between two when some jurisdiction is reported
  practising both; ``weight`` is the number of such jurisdictions.
- ``agency``: jurisdictions and the agencies their reports name (bipartite).
- ``citation`` (directed): jurisdiction -> document it cites or issued (per its
  reports), agency -> document it is named as issuing (``dcterms:creator``).

Node ids are stable and never empty: the node's IRI relative to the base, percent-
decoded (``jurisdiction/120117``, ``mechanism/fengqiao-experience``,
``document/法治政府建设实施纲要(2021-2025年)``); the full IRI is the ``iri`` attribute.
Every attribute is a str, int, float or bool (GraphML and GEXF writers refuse None and
lists); an unknown value is left out rather than written empty.  Years are the
attribute ``years``, a ``;``-separated string (``"2021;2023"``), with ``first_year``
and ``last_year``; the GEXF writer turns ``years`` into spells for Gephi's timeline.

>>> sorted(VIEWS)
['adoption', 'agency', 'citation', 'co-adoption']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Final
from urllib.parse import unquote

import networkx as nx
import numpy as np
import pandas as pd

from kg import config, tables
from kg import table_queries as q
from kg.iris import Minter
from kg.store import Store

DEFAULT_BASE: Final = config.Settings().base
#: stance individual (local name) -> stance name
_STANCE: Final = {k: tables.STANCE_OF[k] for k in ("practised", "planned", "problematic", "recommended", "mentioned")}
_YEAR_COLUMNS: Final = "reports:i first_year:i last_year:i years:s"


def node_id(iri: str, base: str = DEFAULT_BASE) -> str:
    """The node id of an IRI: its path relative to ``base``, percent-decoded; the IRI itself
    when it is not under ``base`` (so never empty).

    >>> node_id("https://w3id.org/fazhi-kg/document/%E7%BA%B2%E8%A6%81")
    'document/纲要'
    """
    if iri.startswith(base) and len(iri) > len(base):
        decoded = unquote(iri[len(base) :])
        if decoded.isprintable() and not any(ch.isspace() for ch in decoded):
            return decoded
        return iri[len(base) :]
    return iri


def _attrs(row: pd.Series | dict[str, Any], names: Iterable[str], **extra: Any) -> dict[str, Any]:
    """The scalar attributes of ``row`` (missing values left out), plus ``extra``."""
    out: dict[str, Any] = {}
    for name in names:
        value = _scalar(row[name])
        if value is not None:
            out[name] = value
    for name, value in extra.items():
        value = _scalar(value)
        if value is not None:
            out[name] = value
    return out


def _scalar(value: Any) -> str | int | float | bool | None:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(value)
    text = str(value)
    return text if text else None


def _sorted_years(years: Any) -> str | None:
    if not isinstance(years, str) or not years:
        return None
    return ";".join(sorted({y for y in years.split(";") if y}))


def _text(value: Any) -> str | None:
    """A non-empty string, or None (for pandas' missing values too)."""
    return value if isinstance(value, str) and value else None


def _local(iri: Any) -> str | None:
    """The last path segment of an IRI, or None."""
    text = _text(iri)
    return unquote(text.rsplit("/", 1)[-1]) if text else None


class _Builder:
    """Shared node-making for the views: jurisdictions, concepts and other nodes with their attributes."""

    def __init__(self, store: Store, base: str, graph: nx.Graph) -> None:
        self.store = store
        self.base = base
        self.mint = Minter(base)
        self.g = graph

    def add_jurisdictions(self) -> None:
        """Every jurisdiction with reports; ``years`` are the years it has reports for."""
        observed = tables.observed_years(self.store)
        years = {str(c): ";".join(str(y) for y in group["year"]) for c, group in observed.groupby("code")}
        for row in tables.jurisdictions(self.store).to_dict("records"):
            iri = self.mint.jurisdiction(str(row["code"]))
            self.g.add_node(
                node_id(iri, self.base),
                **_attrs(
                    row,
                    ("code", "level", "province", "prefecture", "reports", "first_year", "last_year"),
                    kind="jurisdiction",
                    label=row["jurisdiction"],
                    iri=iri,
                    years=years.get(str(row["code"])),
                    bipartite=0,
                ),
            )

    def add_concepts(
        self, scheme: str | None, only: set[tuple[str, str]] | None = None, **per_concept: dict[Any, Any]
    ) -> None:
        """The concepts adoptions name (those in ``only`` when given), with per-concept extra attributes."""
        for row in tables.concepts(self.store, scheme=scheme).to_dict("records"):
            key = (str(row["scheme"]), str(row["concept"]))
            if only is not None and key not in only:
                continue
            iri = self.mint.concept(*key)
            extra = {name: values.get(key) for name, values in per_concept.items()}
            self.g.add_node(
                node_id(iri, self.base),
                **_attrs(
                    row,
                    ("label_en", "category"),
                    kind=key[0],
                    label=_text(row["label"]) or key[1],
                    iri=iri,
                    bipartite=1,
                    **extra,
                ),
            )

    def concept(self, scheme: str, concept: str) -> str:
        return node_id(self.mint.concept(scheme, concept), self.base)

    def node(self, iri: str, **attrs: Any) -> str:
        """The node of ``iri``, added with ``attrs`` the first time."""
        node = node_id(iri, self.base)
        if node not in self.g:
            self.g.add_node(node, **_attrs({}, (), iri=iri, **attrs))
        return node


def adoption_network(store: Store, *, scheme: str | None = "mechanism", base: str = DEFAULT_BASE) -> nx.Graph:
    """Jurisdiction-concept adoption network (bipartite: ``bipartite`` 0 jurisdictions, 1 concepts).

    Edge attributes: ``reports`` (reports naming the concept for the jurisdiction, also
    ``weight``), ``first_year``, ``last_year``, ``years``, ``stance`` (every stance taken,
    ``;``-separated: practised, planned, problem, recommended, mentioned) and
    ``practised`` (bool).  Concept attributes include ``jurisdictions`` (how many name it).
    """
    g = nx.Graph(view="adoption", scheme=scheme or "all")
    b = _Builder(store, base, g)
    raw = tables.frame(store, q.ADOPTION_EDGES, tables.columns(f"j:s c:s {_YEAR_COLUMNS} stances:s"))
    edges = tables.with_concepts(raw, scheme)
    edges = edges.assign(years=edges["years"].map(_sorted_years, na_action="ignore"))
    concept_years: dict[tuple[str, str], set[str]] = {}
    for row in edges.to_dict("records"):
        concept_years.setdefault((row["scheme"], row["concept"]), set()).update((_text(row["years"]) or "").split(";"))
    b.add_jurisdictions()
    b.add_concepts(
        scheme,
        years={k: ";".join(sorted(y for y in v if y)) for k, v in concept_years.items()},
        jurisdictions=edges.groupby(["scheme", "concept"]).size().to_dict(),
    )
    for row in edges.to_dict("records"):
        stances = sorted({_STANCE[s.rsplit("#", 1)[-1]] for s in str(row["stances"]).split(";")})
        g.add_edge(
            node_id(row["j"], base),
            b.concept(row["scheme"], row["concept"]),
            **_attrs(
                row,
                ("reports", "first_year", "last_year", "years"),
                weight=row["reports"],
                stance=";".join(stances),
                practised="practised" in stances,
            ),
        )
    return g


def co_adoption_network(store: Store, *, scheme: str | None = "mechanism", base: str = DEFAULT_BASE) -> nx.Graph:
    """Concept co-adoption: an edge between two concepts some jurisdiction is reported practising both.

    Edge attributes: ``weight`` (jurisdictions practising both, in any years),
    ``years`` / ``first_year`` / ``last_year`` (years in which some jurisdiction's
    reports of that year say it practises both).  Node attributes include ``adopters``
    (jurisdictions practising the concept).  Computed with one query and a matrix
    product, not a SPARQL self-join.
    """
    g = nx.Graph(view="co-adoption", scheme=scheme or "all")
    b = _Builder(store, base, g)
    years = tables.stance_years(store, scheme=scheme, stance="practised")
    keys = sorted(set(zip(years["scheme"], years["concept"], strict=True)))
    adopters = years.groupby(["scheme", "concept"])["code"].nunique().to_dict()
    concept_years = years.groupby(["scheme", "concept"])["year"].agg(lambda s: ";".join(str(y) for y in sorted(set(s))))
    b.add_concepts(scheme, only=set(keys), adopters=adopters, years=concept_years.to_dict())
    if not keys:
        return g
    col = {k: i for i, k in enumerate(keys)}
    codes = {c: i for i, c in enumerate(sorted(set(years["code"])))}
    rows = years["code"].map(codes).to_numpy()
    cols = np.array([col[k] for k in zip(years["scheme"], years["concept"], strict=True)])
    both = _co_counts(rows, cols, len(codes), len(keys))
    per_year = {
        int(y): _co_counts(rows[mask], cols[mask], len(codes), len(keys)) > 0
        for y in sorted(set(years["year"].dropna()))
        for mask in [(years["year"] == y).fillna(False).to_numpy()]
    }
    for i, j in zip(*np.nonzero(np.triu(both, 1)), strict=True):
        together = [y for y, seen in per_year.items() if seen[i, j]]
        extra: dict[str, Any] = {"weight": int(both[i, j])}
        if together:
            extra |= {"years": ";".join(map(str, together)), "first_year": together[0], "last_year": together[-1]}
        g.add_edge(b.concept(*keys[i]), b.concept(*keys[j]), **extra)
    return g


def _co_counts(
    rows: np.ndarray[Any, Any], cols: np.ndarray[Any, Any], n_rows: int, n_cols: int
) -> np.ndarray[Any, Any]:
    """Concept x concept counts of rows (jurisdictions) holding both: BᵀB of the 0/1 incidence B."""
    incidence = np.zeros((n_rows, n_cols), dtype=np.float32)
    incidence[rows, cols] = 1.0
    counts: np.ndarray[Any, Any] = np.rint(incidence.T @ incidence).astype(np.int64)
    return counts


def agency_network(store: Store, *, base: str = DEFAULT_BASE) -> nx.Graph:
    """Jurisdictions and the agencies their reports name (bipartite: 0 jurisdictions, 2 agencies).

    Edge attributes: ``reports`` (also ``weight``), ``mentions``, ``first_year``,
    ``last_year``, ``years``, and ``own`` (the agency belongs to that jurisdiction).
    Agency attributes: ``label``, ``agency_kind``, ``org_kind`` and ``jurisdiction``
    (the node id of the jurisdiction it belongs to; national organs have none).
    """
    g = nx.Graph(view="agency")
    b = _Builder(store, base, g)
    b.add_jurisdictions()
    edges = tables.frame(store, q.AGENCY_EDGES, tables.columns(f"j:s agency:s {_YEAR_COLUMNS} mentions:i"))
    spec = tables.columns("agency:s label:s agency_kind:s org_kind:s home:s")
    agencies = {r["agency"]: r for r in tables.frame(store, q.AGENCIES, spec).to_dict("records")}
    for row in edges.to_dict("records"):
        about = agencies.get(row["agency"], {})
        home = node_id(about["home"], base) if _text(about.get("home")) else None
        agency = b.node(
            row["agency"],
            kind="agency",
            label=_text(about.get("label")) or node_id(row["agency"], base),
            agency_kind=_local(about.get("agency_kind")),
            org_kind=about.get("org_kind"),
            jurisdiction=home,
            bipartite=2,
        )
        place = node_id(row["j"], base)
        g.add_edge(
            place,
            agency,
            **_attrs(
                row,
                ("reports", "mentions", "first_year", "last_year"),
                years=_sorted_years(row["years"]),
                weight=row["reports"],
                own=home == place,
            ),
        )
    return g


def citation_network(store: Store, *, base: str = DEFAULT_BASE) -> nx.DiGraph:
    """Directed: jurisdiction -> document (``relation`` cites or issued, as its reports say),
    agency -> document (``relation`` creator: named as issuing it).

    Edge attributes: ``relation``, ``reports`` (also ``weight``), and for jurisdictions
    ``first_year``, ``last_year``, ``years``.  Document attributes: ``label`` (the title)
    and ``document_kind``.
    """
    g = nx.DiGraph(view="citation")
    b = _Builder(store, base, g)
    b.add_jurisdictions()
    about = tables.frame(store, q.DOCUMENT_NAMES, tables.columns("document:s title:s kind:s"))
    names = {r["document"]: r for r in about.to_dict("records")}

    def document(iri: str) -> str:
        known = names.get(iri, {})
        title = _text(known.get("title")) or node_id(iri, base).split("/", 1)[-1]
        return b.node(iri, kind="document", label=title, document_kind=_local(known.get("kind")))

    spec = tables.columns(f"j:s document:s {_YEAR_COLUMNS} issued:i")
    for row in tables.frame(store, q.CITATION_EDGES, spec).to_dict("records"):
        g.add_edge(
            node_id(row["j"], base),
            document(row["document"]),
            **_attrs(
                row,
                ("reports", "first_year", "last_year"),
                years=_sorted_years(row["years"]),
                weight=row["reports"],
                relation="issued" if row["issued"] == 1 else "cites",
            ),
        )
    labels = tables.frame(store, q.AGENCIES, tables.columns("agency:s label:s"))
    agencies = dict(zip(labels["agency"], labels["label"], strict=True))
    for row in tables.frame(store, q.CREATOR_EDGES, tables.columns("agency:s document:s reports:i")).to_dict("records"):
        label = _text(agencies.get(row["agency"])) or node_id(row["agency"], base)
        agency = b.node(row["agency"], kind="agency", label=label)
        reports = int(row["reports"])
        g.add_edge(agency, document(row["document"]), relation="creator", reports=reports, weight=reports)
    return g


#: view name -> (function, help)
VIEWS: Final[dict[str, tuple[Callable[..., nx.Graph], str]]] = {
    "adoption": (adoption_network, "jurisdictions and the concepts their reports name"),
    "co-adoption": (co_adoption_network, "concepts linked when jurisdictions practise both"),
    "agency": (agency_network, "jurisdictions and the agencies their reports name"),
    "citation": (citation_network, "jurisdictions and agencies -> the documents they cite or issue"),
}
_TAKES_SCHEME: Final = frozenset({"adoption", "co-adoption"})


def to_networkx(
    store: Store, view: str = "adoption", *, scheme: str | None = "mechanism", base: str = DEFAULT_BASE
) -> nx.Graph:
    """The networkx graph of ``view`` (:data:`VIEWS`) built from ``store``.

    ``scheme`` (``mechanism``, ``program`` or None for both) applies to the adoption
    and co-adoption views.  ValueError names the views when ``view`` is not one.
    """
    try:
        function = VIEWS[view][0]
    except KeyError:
        raise ValueError(f"unknown view {view!r}; known views: {', '.join(VIEWS)}") from None
    if view in _TAKES_SCHEME:
        return function(store, scheme=scheme, base=base)
    return function(store, base=base)


def spells(years: str) -> list[tuple[str, str]]:
    """GEXF spells of a ``;``-separated year list, consecutive years merged, as dates.

    >>> spells("2019;2020;2023")
    [('2019-01-01', '2020-12-31'), ('2023-01-01', '2023-12-31')]
    """
    values = sorted({int(y) for y in years.split(";") if y.strip()})
    runs: list[list[int]] = []
    for y in values:
        if runs and y == runs[-1][1] + 1:
            runs[-1][1] = y
        else:
            runs.append([y, y])
    return [(f"{a}-01-01", f"{b}-12-31") for a, b in runs]


def with_spells(graph: nx.Graph) -> nx.Graph:
    """A copy of ``graph`` whose nodes and edges with ``years`` carry them as GEXF ``spells`` too."""
    out = graph.copy()
    for _, data in out.nodes(data=True):
        if data.get("years"):
            data["spells"] = spells(str(data["years"]))
    for *_, data in out.edges(data=True):
        if data.get("years"):
            data["spells"] = spells(str(data["years"]))
    return out


__all__ = [
    "DEFAULT_BASE",
    "VIEWS",
    "adoption_network",
    "agency_network",
    "citation_network",
    "co_adoption_network",
    "node_id",
    "spells",
    "to_networkx",
    "with_spells",
]
