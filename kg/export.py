"""Exports of the store, by format name (:data:`FORMATS`).

RDF formats, written by pyoxigraph:

- ``nq`` (N-Quads) and ``trig`` (TriG) keep one named graph per report;
  ``jsonld`` (JSON-LD) keeps them too, as ``@graph`` objects.
- ``nt`` (N-Triples), ``ttl`` (Turtle) and ``xml`` (RDF/XML) hold the union of all
  graphs as one graph, each triple once.

Turtle, TriG and JSON-LD use :data:`PREFIXES` unless given others.  Output goes to a
file (written to a temporary file beside it, then renamed, so a failed export never
leaves half a file), to a binary stream, or to standard output for ``None`` or ``"-"``.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Final

from kg.store import RDF_FORMATS, Store

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
}


def export(
    store: Store,
    fmt: str,
    out: str | Path | BinaryIO | None = None,
    *,
    graph: str | None = None,
    prefixes: Mapping[str, str] | None = None,
) -> None:
    """Write ``store`` (or one ``graph``) in format ``fmt`` to ``out``.

    ValueError names the known formats when ``fmt`` is not one of them.
    """
    export_format = format_named(fmt)
    with _opened(out) as stream:
        export_format.write(store, stream, graph, PREFIXES if prefixes is None else prefixes)


def format_named(fmt: str) -> ExportFormat:
    """The export format called ``fmt``; ValueError listing the formats otherwise."""
    try:
        return FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown export format {fmt!r}; known formats: {', '.join(FORMATS)}") from None


def format_for_path(path: str | Path) -> str | None:
    """The format a file name's suffix implies (``out.ttl`` -> ``ttl``), or None."""
    suffix = Path(path).suffix.lower()
    return next((f.name for f in FORMATS.values() if f.suffix == suffix), None)


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


__all__ = ["FORMATS", "PREFIXES", "ExportFormat", "Writer", "export", "format_for_path", "format_named"]
