"""Query results as text: a table for people, the SPARQL 1.1 result formats for programs.

A result is what :meth:`kg.store.Store.query` returns: solutions (SELECT), a boolean
(ASK) or triples (CONSTRUCT, DESCRIBE).  It is an iterator, so it can be formatted
once.  The formats, by name (:data:`FORMATS`):

- ``table``: aligned columns; CJK characters count as two columns, so Chinese lines up.
- ``csv``: SPARQL 1.1 CSV (IRIs and literals as plain values, CRLF line ends).
- ``tsv``: SPARQL 1.1 TSV (``?var`` header, terms in N-Triples/Turtle syntax).
- ``json``: SPARQL 1.1 Query Results JSON (``head.vars``, ``results.bindings`` with
  ``type`` uri/literal/bnode, ``xml:lang``, ``datatype``; ASK gives ``boolean``).
- ``xml``: SPARQL Query Results XML.

The SPARQL formats are written by pyoxigraph's own serializers.  Triples are written
as ``nt``, ``ttl``, ``jsonld`` or ``xml`` (RDF/XML), and also as ``json`` (JSON-LD),
``csv``/``tsv`` (a subject/predicate/object table) and ``table``.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Final

import pyoxigraph as ox

Result = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
#: a cell of :func:`to_rows`: an IRI or string as ``str``, a number, a boolean, or None when unbound
Value = str | int | float | Decimal | bool | None

XSD: Final = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS: Final = frozenset(
    XSD + t
    for t in [
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    ]
)
_RESULT_FORMATS: Final[dict[str, ox.QueryResultsFormat]] = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}
_GRAPH_FORMATS: Final[dict[str, ox.RdfFormat]] = {
    "nt": ox.RdfFormat.N_TRIPLES,
    "ttl": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "json": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}
#: format name -> media type, for solutions and booleans
FORMATS: Final[dict[str, str]] = {"table": "text/plain"} | {k: f.media_type for k, f in _RESULT_FORMATS.items()}
#: format name -> media type, for triples
GRAPH_FORMATS: Final[dict[str, str]] = {
    "table": "text/plain",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
} | {k: f.media_type for k, f in _GRAPH_FORMATS.items()}
_SPO: Final = ["subject", "predicate", "object"]


# --- rows -----------------------------------------------------------------------------------


def to_rows(result: Result) -> tuple[list[str], list[tuple[Value, ...]]]:
    """Variable names and rows of Python values (see :func:`term_value`).

    ASK gives one column ``boolean``; triples give ``subject``, ``predicate``, ``object``.
    """
    if isinstance(result, ox.QueryBoolean):
        return ["boolean"], [(bool(result),)]
    if isinstance(result, ox.QueryTriples):
        return list(_SPO), [tuple(term_value(t) for t in triple) for triple in result]
    names = [v.value for v in result.variables]
    return names, [tuple(term_value(solution[i]) for i in range(len(names))) for solution in result]


def term_value(term: Term | None) -> Value:
    """A Python value: IRIs as ``str``, blank nodes as ``_:id``, numbers and booleans typed,
    other literals as their lexical form (the language tag is dropped), None for unbound."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return str(term)
    if isinstance(term, ox.Triple):
        return str(term)
    return _literal_value(term)


def _literal_value(literal: ox.Literal) -> Value:
    datatype, text = literal.datatype.value, literal.value
    try:
        if datatype in _INTEGERS:
            return int(text)
        if datatype == XSD + "decimal":
            return Decimal(text)
        if datatype in (XSD + "double", XSD + "float"):
            return float(text)
    except (ValueError, InvalidOperation):
        return text
    if datatype == XSD + "boolean" and text in ("true", "false", "1", "0"):
        return text in ("true", "1")
    return text


# --- table ------------------------------------------------------------------------------------


def format_table(variables: Sequence[str], rows: Iterable[Sequence[Value]], *, max_width: int | None = None) -> str:
    """Columns aligned by display width (CJK characters count 2); numbers right-aligned.

    Cells wider than ``max_width`` are cut with ``…``.

    >>> print(format_table(["机制", "n"], [("府院联动", 3), ("枫桥经验", 12)]))
    机制       n
    --------  --
    府院联动   3
    枫桥经验  12
    """
    rows = list(rows)
    header = [_cell(v, max_width) for v in variables]
    cells = [[_cell(v, max_width) for v in row] for row in rows]
    widths = [max(display_width(line[i]) for line in [header, *cells]) for i in range(len(header))]
    right = [_is_numeric(row[i] for row in rows) for i in range(len(header))]
    lines = [_line(header, widths, right), "  ".join("-" * w for w in widths)]
    lines += [_line(line, widths, right) for line in cells]
    return "\n".join(lines)


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide and full-width characters 2, combining marks 0."""
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _is_numeric(column: Iterable[Value]) -> bool:
    values = [v for v in column if v is not None]
    return bool(values) and all(isinstance(v, int | float | Decimal) and not isinstance(v, bool) for v in values)


def _cell(value: Value, max_width: int | None) -> str:
    text = "" if value is None else "true" if value is True else "false" if value is False else str(value)
    text = " ".join(text.split()) if any(ch in text for ch in "\n\r\t") else text
    if max_width is not None and display_width(text) > max_width:
        while display_width(text) > max_width - 1:
            text = text[:-1]
        text += "…"
    return text


def _line(cells: Sequence[str], widths: Sequence[int], right: Sequence[bool]) -> str:
    padded = []
    for text, width, r in zip(cells, widths, right, strict=True):
        pad = " " * (width - display_width(text))
        padded.append(pad + text if r else text + pad)
    return "  ".join(padded).rstrip()


# --- SPARQL result formats --------------------------------------------------------------------


def format_csv(result: Result) -> str:
    """SPARQL 1.1 CSV of solutions, or a subject,predicate,object CSV of triples."""
    if isinstance(result, ox.QueryTriples):
        return _triples_csv(result)
    return _serialize(result, "csv")


def format_tsv(result: Result) -> str:
    """SPARQL 1.1 TSV of solutions, or a ?subject ?predicate ?object TSV of triples."""
    if isinstance(result, ox.QueryTriples):
        lines = ["\t".join("?" + v for v in _SPO)] + ["\t".join(str(t) for t in triple) for triple in result]
        return "\n".join(lines) + "\n"
    return _serialize(result, "tsv")


def format_json(result: Result) -> str:
    """SPARQL 1.1 Query Results JSON; triples as JSON-LD."""
    if isinstance(result, ox.QueryTriples):
        return format_graph(result, "jsonld")
    return _serialize(result, "json")


def format_xml(result: Result) -> str:
    """SPARQL Query Results XML; triples as RDF/XML."""
    if isinstance(result, ox.QueryTriples):
        return format_graph(result, "xml")
    return _serialize(result, "xml")


def format_graph(result: ox.QueryTriples, fmt: str = "nt", *, prefixes: dict[str, str] | None = None) -> str:
    """Triples of a CONSTRUCT or DESCRIBE as ``nt``, ``ttl``, ``jsonld`` or ``xml``."""
    if fmt not in _GRAPH_FORMATS:
        raise ValueError(f"unknown graph format {fmt!r}; known formats: {', '.join(_GRAPH_FORMATS)}")
    data = ox.serialize(result, format=_GRAPH_FORMATS[fmt], prefixes=prefixes)
    assert data is not None
    return data.decode("utf-8")


def render(result: Result, fmt: str, *, max_width: int | None = None) -> str:
    """Any result in any format it has (:data:`FORMATS`, or :data:`GRAPH_FORMATS` for triples),
    ending with a newline, ready to print."""
    text = _render(result, fmt, max_width)
    return text if text.endswith("\n") else text + "\n"


def _render(result: Result, fmt: str, max_width: int | None) -> str:
    known = GRAPH_FORMATS if isinstance(result, ox.QueryTriples) else FORMATS
    if fmt not in known:
        kind = "triples" if isinstance(result, ox.QueryTriples) else "solutions"
        raise ValueError(f"unknown format {fmt!r} for {kind}; known formats: {', '.join(known)}")
    if fmt == "table":
        return format_table(*to_rows(result), max_width=max_width)
    writer = {"csv": format_csv, "tsv": format_tsv, "json": format_json, "xml": format_xml}.get(fmt)
    if writer is not None:
        return writer(result)
    assert isinstance(result, ox.QueryTriples)
    return format_graph(result, fmt)


def _serialize(result: ox.QuerySolutions | ox.QueryBoolean, fmt: str) -> str:
    data = result.serialize(format=_RESULT_FORMATS[fmt])
    assert data is not None
    return data.decode("utf-8")


def _triples_csv(triples: ox.QueryTriples) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(_SPO)
    for triple in triples:
        writer.writerow([_csv_term(t) for t in triple])
    return buffer.getvalue()


def _csv_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


__all__ = [
    "FORMATS",
    "GRAPH_FORMATS",
    "Result",
    "Value",
    "display_width",
    "format_csv",
    "format_graph",
    "format_json",
    "format_table",
    "format_tsv",
    "format_xml",
    "render",
    "term_value",
    "to_rows",
]
