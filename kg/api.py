"""The notebook API: open a built store, get pandas DataFrames and networkx graphs.

>>> import kg
>>> g = kg.open("/tmp/kg")                      # doctest: +SKIP
>>> g.adoptions().head()                        # doctest: +SKIP
>>> g.network("co-adoption")                    # doctest: +SKIP

The store is opened read-only (a snapshot that takes no lock, so ``kg build`` may
write it meanwhile; reopen to see its new graphs).  Every table is documented
column by column in :data:`kg.tables.TABLES` (``g.dictionary(name)``) and every view
in :mod:`kg.projections`.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Any

import networkx as nx
import pandas as pd

from kg import config, projections, tables
from kg.config import Settings
from kg.results import to_rows
from kg.stats import Stats, stats
from kg.store import Store


class Graph:
    """A fazhi-kg store opened for analysis; build with :func:`open`.

    Tables (pandas DataFrames, typed columns: ``string``, ``Int64``, ``Float64``):
    :meth:`adoptions`, :meth:`matrix`, :meth:`event_history`, :meth:`adoption_by_year`,
    :meth:`statistics`, :meth:`documents`, :meth:`reports`, :meth:`jurisdictions`.
    Networks (networkx): :meth:`network`.  Anything else: :meth:`query` (SPARQL).
    """

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings

    def __repr__(self) -> str:
        return f"<kg.Graph {self.store.path or 'memory'}: {len(self.store)} quads>"

    def __enter__(self) -> Graph:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Let go of the store."""
        self.store.close()

    # --- tables ---------------------------------------------------------------------------

    def adoptions(self, scheme: str | None = "mechanism") -> pd.DataFrame:
        """Adoption events, long form: one row per evidence mention (report, jurisdiction, place,
        year, concept, category, stance, sentence, offsets).  ``scheme``: mechanism, program, None for both."""
        return tables.adoptions(self.store, scheme=scheme)

    def matrix(self, scheme: str | None = "mechanism", stance: str = "practised") -> pd.DataFrame:
        """Jurisdiction x concept: the first year each jurisdiction is reported practising each
        concept (``stance`` to use another stance), missing when never."""
        return tables.matrix(self.store, scheme=scheme, stance=stance)

    def event_history(self, scheme: str | None = "mechanism") -> pd.DataFrame:
        """Discrete-time event history: one row per jurisdiction, concept and observed year at
        risk, ``adopted`` = 1 in the year of first adoption (the pair's last row)."""
        return tables.event_history(self.store, scheme=scheme)

    def adoption_by_year(self, scheme: str | None = "mechanism") -> pd.DataFrame:
        """Per year and concept: jurisdictions naming it, practising it, and reporting that year."""
        return tables.adoption_by_year(self.store, scheme=scheme)

    def statistics(self) -> pd.DataFrame:
        """Statistics reported: indicator, value, unit, approximate, evidence."""
        return tables.statistics(self.store)

    def documents(self) -> pd.DataFrame:
        """Documents reports name, per report: title, kind, cites or issued, issuers."""
        return tables.documents(self.store)

    def reports(self) -> pd.DataFrame:
        """One row per report: title, jurisdiction and place, year, date, type, source file."""
        return tables.reports(self.store)

    def jurisdictions(self, coordinates: pd.DataFrame | str | Path | None = None) -> pd.DataFrame:
        """One row per jurisdiction with reports, with its longitude and latitude: from
        ``coordinates`` when given (a DataFrame or CSV with code/adcode, longitude, latitude),
        else from the cpca package (:mod:`kg.coordinates`)."""
        return tables.jurisdictions(self.store, coordinates=coordinates)

    def table(self, name: str, **options: Any) -> pd.DataFrame:
        """Any table of :data:`kg.tables.TABLES` by name (``"event-history"`` ...)."""
        return tables.build(self.store, name, **options)

    def dictionary(self, name: str) -> pd.DataFrame:
        """The data dictionary (column, type, meaning) of table ``name``."""
        data = tables.build(self.store, name) if tables.table_named(name).per_concept else None
        return tables.dictionary(name, data)

    # --- networks and the rest -----------------------------------------------------------------

    def network(self, view: str = "adoption", scheme: str | None = "mechanism") -> nx.Graph:
        """A networkx graph: ``adoption``, ``co-adoption``, ``agency`` or ``citation`` (directed)."""
        return projections.to_networkx(self.store, view, scheme=scheme, base=self.settings.base)

    def query(self, sparql: str) -> pd.DataFrame:
        """A SPARQL SELECT as a DataFrame (IRIs and strings as str, numbers typed)."""
        names, rows = to_rows(self.store.query(sparql))
        return pd.DataFrame(rows, columns=names)

    def stats(self, top: int = 10) -> Stats:
        """Counts, reports per province and year, the most adopted mechanisms, coverage warnings."""
        return stats(self.store, top=top)


def open(path: str | Path | None = None, *, settings: Settings | None = None) -> Graph:
    """Open the store at ``path`` (default: ``settings.store``, i.e. ``$FAZHI_KG_STORE`` or
    ``./fazhi-kg-store``) read-only for analysis.

    Raises :class:`kg.errors.StoreError` when there is no store there.
    """
    settings = settings or config.load({"store": str(path) if path is not None else None})
    return Graph(Store(path if path is not None else settings.store, read_only=True), settings)


__all__ = ["Graph", "open"]
