"""Exports of the store, by format name.

RDF formats (:data:`FORMATS`), written by pyoxigraph:

- ``nq`` (N-Quads) and ``trig`` (TriG) keep one named graph per report;
  ``jsonld`` (JSON-LD) keeps them too, as ``@graph`` objects.
- ``nt`` (N-Triples), ``ttl`` (Turtle) and ``xml`` (RDF/XML) hold the union of all
  graphs as one graph, each triple once.

With ``description=`` (the CLI always passes it), the dataset description of
:mod:`kg.dataset` (VoID/DCAT: counts, build time, versions) travels with the export as
its own graph ``{base}graph/dataset``.

Network formats (:data:`NETWORK_FORMATS`): ``graphml`` and ``gexf`` of a networkx view of
:mod:`kg.projections`; in GEXF the years become spells (Gephi's timeline).  Table
format ``csv``: a table of :mod:`kg.tables`, UTF-8 (optionally with a BOM, for Excel on
Chinese Windows), with its data dictionary (column, type, meaning) written beside it
as ``NAME.dictionary.csv``.

Turtle, TriG and JSON-LD use :data:`PREFIXES` unless given others.  Output goes to a
file (written to a temporary file beside it, then renamed, so a failed export never
leaves half a file), to a binary stream, or to standard output for ``None`` or ``"-"``.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import secrets
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Final

import pyoxigraph as ox

from kg.store import RDF_FORMATS, Store

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

#: store, stream, graph (None = all), prefixes
Writer = Callable[[Store, BinaryIO, str | None, Mapping[str, str]], None]


@dataclass(frozen=True, slots=True)
class ExportFormat:
    name: str
    media_type: str
    suffix: str
    help: str
    write: Writer


def _rdf_writer(name: str) -> Writer:
    def write(store: Store, out: BinaryIO, graph: str | None, prefixes: Mapping[str, str]) -> None:
        store.dump(name, out, graph, prefixes=prefixes)

    return write


_RDF_HELP: Final = {
    "nt": "N-Triples, the union of all graphs",
    "nq": "N-Quads, one named graph per report",
    "ttl": "Turtle, the union of all graphs",
    "trig": "TriG, one named graph per report",
    "jsonld": "JSON-LD, one @graph per report",
    "xml": "RDF/XML, the union of all graphs",
}
FORMATS: Final[dict[str, ExportFormat]] = {
    name: ExportFormat(name, f.media_type, "." + f.file_extension, _RDF_HELP[name], _rdf_writer(name))
    for name, f in RDF_FORMATS.items()
}

#: prefixes written in Turtle, TriG and JSON-LD
PREFIXES: Final[dict[str, str]] = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "oa": "http://www.w3.org/ns/oa#",
    "qb": "http://purl.org/linked-data/cube#",
    "schema": "https://schema.org/",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
}
#: network formats: name -> (media type, suffix, help)
NETWORK_FORMATS: Final[dict[str, tuple[str, str, str]]] = {
    "graphml": ("application/graphml+xml", ".graphml", "GraphML of a network view (igraph, R, Gephi, networkx)"),
    "gexf": ("application/gexf+xml", ".gexf", "GEXF 1.2 of a network view, years as spells (Gephi)"),
}
#: table formats: name -> (media type, suffix, help)
TABLE_FORMATS: Final[dict[str, tuple[str, str, str]]] = {
    "csv": ("text/csv", ".csv", "CSV of a table with its data dictionary beside it (pandas, R, Stata, Excel)"),
}
#: every format name :func:`export` takes
ALL_FORMATS: Final = (*FORMATS, *NETWORK_FORMATS, *TABLE_FORMATS)


def export(
    store: Store,
    fmt: str,
    out: str | Path | BinaryIO | None = None,
    *,
    graph: str | None = None,
    prefixes: Mapping[str, str] | None = None,
    description: Sequence[ox.Quad] = (),
    view: str = "adoption",
    table: str = "adoptions",
    scheme: str | None = "mechanism",
    bom: bool = False,
    base: str | None = None,
) -> Path | None:
    """Write ``store`` in format ``fmt`` (any of :data:`ALL_FORMATS`) to ``out``.

    RDF formats write the store (or one ``graph``) plus the ``description`` quads
    (:func:`kg.dataset.describe_dataset`).  ``graphml``/``gexf`` write the network
    ``view`` (``scheme`` for the adoption views, node ids relative to ``base``); ``csv``
    writes ``table`` (``scheme`` for the adoption tables; ``bom`` prepends a UTF-8
    BOM).  Returns the path of the data dictionary written beside a CSV file, else None.
    ValueError names the known formats, views or tables when one is unknown.
    """
    if fmt in NETWORK_FORMATS:
        from kg.projections import DEFAULT_BASE, to_networkx

        network = to_networkx(store, view, scheme=scheme, base=base or DEFAULT_BASE)
        with _opened(out) as stream:
            (write_graphml if fmt == "graphml" else write_gexf)(network, stream)
        return None
    if fmt in TABLE_FORMATS:
        return export_table(store, table, out, scheme=scheme, bom=bom)
    export_format = format_named(fmt)
    with _opened(out) as stream:
        if not description or graph is not None:
            export_format.write(store, stream, graph, PREFIXES if prefixes is None else prefixes)
        else:
            _write_described(store, stream, fmt, description, PREFIXES if prefixes is None else prefixes)
    return None


def _write_described(
    store: Store, out: BinaryIO, fmt: str, description: Sequence[ox.Quad], prefixes: Mapping[str, str]
) -> None:
    """The store and then the description: appended for line- and statement-based formats,
    serialised in one pass with the store's quads for JSON-LD and RDF/XML."""
    rdf_format = RDF_FORMATS[fmt]
    prefix_map = dict(prefixes)
    if fmt in ("nq", "trig", "nt", "ttl"):
        store.dump(fmt, out, prefixes=prefixes)
        extra = description if rdf_format.supports_datasets else [q.triple for q in description]
        ox.serialize(extra, out, rdf_format, prefixes=prefix_map)
    elif rdf_format.supports_datasets:
        ox.serialize(itertools.chain(store.db, description), out, rdf_format, prefixes=prefix_map)
    else:
        union = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        assert isinstance(union, ox.QueryTriples)
        ox.serialize(itertools.chain(union, (q.triple for q in description)), out, rdf_format, prefixes=prefix_map)


def write_graphml(graph: nx.Graph, out: str | Path | BinaryIO) -> None:
    """Write a networkx graph as GraphML (UTF-8); attributes must be str, int, float or bool."""
    import networkx as nx

    nx.write_graphml(graph, out, encoding="utf-8")


def write_gexf(graph: nx.Graph, out: str | Path | BinaryIO) -> None:
    """Write a networkx graph as GEXF 1.2; ``years`` attributes also become spells (dates),
    so the graph is dynamic and Gephi's timeline shows when each node and edge is reported."""
    import networkx as nx

    from kg.projections import with_spells

    nx.write_gexf(with_spells(graph), out, encoding="utf-8")


def export_table(
    store: Store,
    table: str,
    out: str | Path | BinaryIO | None = None,
    *,
    scheme: str | None = "mechanism",
    bom: bool = False,
    coordinates: Any = None,
) -> Path | None:
    """Write :mod:`kg.tables` table ``table`` as CSV to ``out`` and, when ``out`` is a file,
    its data dictionary beside it (:func:`dictionary_path`); return that path, else None."""
    from kg import tables

    data = tables.build(store, table, scheme=scheme, coordinates=coordinates)
    with _opened(out) as stream:
        write_csv(data, stream, bom=bom)
    if not isinstance(out, str | Path) or out == "-":
        return None
    path = dictionary_path(out)
    with _atomic_file(path) as stream:
        write_csv(tables.dictionary(table, data), stream, bom=bom)
    return path


def write_csv(data: pd.DataFrame, out: str | Path | BinaryIO, *, bom: bool = False) -> None:
    """A DataFrame as CSV: UTF-8 (with a BOM when ``bom``), comma, ``\\n`` line ends,
    fields quoted when needed, missing values empty, no index column."""
    text = data.to_csv(index=False, lineterminator="\n")
    payload = text.encode("utf-8-sig" if bom else "utf-8")
    if isinstance(out, str | Path):
        with _atomic_file(Path(out)) as stream:
            stream.write(payload)
    else:
        out.write(payload)


def dictionary_path(path: str | Path) -> Path:
    """Where the data dictionary of a CSV export goes: ``x.csv`` -> ``x.dictionary.csv``."""
    path = Path(path)
    stem = path.name[: -len(path.suffix)] if path.suffix.lower() == ".csv" else path.name
    return path.with_name(stem + ".dictionary.csv")


def format_named(fmt: str) -> ExportFormat:
    """The RDF export format called ``fmt``; ValueError listing every format otherwise."""
    try:
        return FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown export format {fmt!r}; known formats: {', '.join(ALL_FORMATS)}") from None


def format_for_path(path: str | Path) -> str | None:
    """The format a file name's suffix implies (``out.ttl`` -> ``ttl``, ``out.gexf`` -> ``gexf``), or None."""
    suffix = Path(path).suffix.lower()
    found = next((f.name for f in FORMATS.values() if f.suffix == suffix), None)
    others = {**NETWORK_FORMATS, **TABLE_FORMATS}
    return found or next((name for name, (_, sfx, _) in others.items() if sfx == suffix), None)


@contextlib.contextmanager
def _opened(out: str | Path | BinaryIO | None) -> Iterator[BinaryIO]:
    if out is None or out == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
    elif isinstance(out, str | Path):
        with _atomic_file(Path(out)) as stream:
            yield stream
    else:
        yield out


@contextlib.contextmanager
def _atomic_file(path: Path) -> Iterator[BinaryIO]:
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        with tmp.open("xb") as stream:
            yield stream
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


__all__ = [
    "ALL_FORMATS",
    "FORMATS",
    "NETWORK_FORMATS",
    "PREFIXES",
    "TABLE_FORMATS",
    "ExportFormat",
    "Writer",
    "dictionary_path",
    "export",
    "export_table",
    "format_for_path",
    "format_named",
    "write_csv",
    "write_gexf",
    "write_graphml",
]
