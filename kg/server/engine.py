"""What a worker process does with a job: run one query on its store handle and serialise it.

Runs inside the worker processes of :mod:`kg.server.workers`, never in the server's
own process, so that a query past its time limit can be stopped by killing its worker.
Jobs and replies are plain picklable objects.

A result is capped: at most ``cap`` rows (or triples) and about ``max_chars``
characters of values; a capped reply says ``truncated``.  Because the cap cuts a
result that pyoxigraph streams, the SPARQL result formats are written here, from
the rows kept (:func:`write_json`, :func:`write_xml`, :func:`write_csv`,
:func:`write_tsv`), following the W3C recommendations; graphs are written by
pyoxigraph's serialisers.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from kg.errors import QueryError
from kg.export import PREFIXES

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
#: a term as plain data: (kind, value, datatype, language); kind is uri, bnode, literal or triple
Cell = tuple[str, str, str | None, str | None]

XSD_STRING: Final = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RESULT_FORMATS: Final = ("json", "xml", "csv", "tsv")
GRAPH_FORMATS: Final[dict[str, ox.RdfFormat]] = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "xml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
}


class QueryFailed(QueryError):
    """A query or update that parses but that the engine cannot carry out (the message says why)."""


@dataclass(frozen=True, slots=True)
class QueryJob:
    """One query.  ``result_format`` and ``graph_format`` are what negotiation chose for
    solutions and for triples (None: the client accepts none; ``cells``: plain rows for
    pages).  ``default_graphs``/``named_graphs`` are the protocol's dataset (None: the
    query's own, else the union of all graphs)."""

    sparql: str
    result_format: str | None = "json"
    graph_format: str | None = "ttl"
    boolean_format: str | None = "json"
    base_iri: str | None = None
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    union_default: bool = True
    bindings: tuple[tuple[str, Term], ...] = ()
    cap: int = 10_000
    max_chars: int = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Table:
    """Rows of cells, for pages."""

    variables: tuple[str, ...]
    rows: tuple[tuple[Cell | None, ...], ...]

    def dicts(self) -> list[dict[str, Cell | None]]:
        return [dict(zip(self.variables, row, strict=True)) for row in self.rows]

    def values(self) -> list[dict[str, str | None]]:
        """Each row as variable -> value (IRI or lexical form), None when unbound."""
        return [{v: (c[1] if c else None) for v, c in zip(self.variables, row, strict=True)} for row in self.rows]


@dataclass(frozen=True, slots=True)
class QueryReply:
    kind: str  #: solutions, boolean or graph
    format: str | None  #: the format ``body`` is written in; None when not acceptable
    body: bytes
    rows: int
    truncated: bool
    table: Table | None = None
    boolean: bool | None = None


@dataclass(frozen=True, slots=True)
class JobError:
    """A job that failed: ``kind`` is syntax, refused, engine or internal."""

    kind: str
    message: str


# --- running ---------------------------------------------------------------------------------


def run_query(db: ox.Store, job: QueryJob) -> QueryReply:
    """Run ``job`` on ``db``; :class:`~kg.errors.QueryError` carries the parser's message."""
    options: dict[str, object] = {"base_iri": job.base_iri}
    if job.default_graphs is not None or job.named_graphs is not None:
        options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs or ()]
        options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs or ()]
    else:
        options["use_default_graph_as_union"] = job.union_default
    if job.bindings:
        options["substitutions"] = {ox.Variable(name): term for name, term in job.bindings}
    try:
        result = db.query(job.sparql, **options)  # type: ignore[arg-type]
        if isinstance(result, ox.QueryBoolean):
            return _boolean(bool(result), job)
        if isinstance(result, ox.QueryTriples):
            return _graph(result, job)
        return _solutions(result, job)
    except SyntaxError as e:
        raise QueryError(str(e)) from e
    except (RuntimeError, ValueError) as e:
        raise QueryFailed(str(e)) from e


def _boolean(value: bool, job: QueryJob) -> QueryReply:
    fmt = "cells" if job.result_format == "cells" else job.boolean_format
    if fmt is None:
        return QueryReply("boolean", None, b"", 1, False, boolean=value)
    body = b"" if fmt == "cells" else write_boolean(value, fmt)
    return QueryReply("boolean", fmt, body, 1, False, boolean=value)


def _solutions(result: ox.QuerySolutions, job: QueryJob) -> QueryReply:
    variables = tuple(v.value for v in result.variables)
    if job.result_format is None:
        return QueryReply("solutions", None, b"", 0, False)
    rows: list[tuple[Cell | None, ...]] = []
    chars, truncated = 0, False
    for solution in result:
        if len(rows) >= job.cap or chars > job.max_chars:
            truncated = True
            break
        row = tuple(None if solution[i] is None else cell(solution[i]) for i in range(len(variables)))
        chars += sum(len(c[1]) for c in row if c is not None)
        rows.append(row)
    if job.result_format == "cells":
        return QueryReply("solutions", "cells", b"", len(rows), truncated, table=Table(variables, tuple(rows)))
    body = WRITERS[job.result_format](variables, rows)
    return QueryReply("solutions", job.result_format, body, len(rows), truncated)


def _graph(result: ox.QueryTriples, job: QueryJob) -> QueryReply:
    fmt = "cells" if job.result_format == "cells" else job.graph_format
    if fmt is None:
        return QueryReply("graph", None, b"", 0, False)
    triples: list[ox.Triple] = []
    chars, truncated = 0, False
    for triple in result:
        if len(triples) >= job.cap or chars > job.max_chars:
            truncated = True
            break
        triples.append(triple)
        chars += len(str(triple.object))
    if fmt == "cells":
        rows = tuple((cell(t.subject), cell(t.predicate), cell(t.object)) for t in triples)
        table = Table(("subject", "predicate", "object"), rows)
        return QueryReply("graph", "cells", b"", len(triples), truncated, table=table)
    body = ox.serialize(triples, format=GRAPH_FORMATS[fmt], prefixes=PREFIXES if fmt != "nt" else None)
    return QueryReply("graph", fmt, body or b"", len(triples), truncated)


# --- terms as cells ----------------------------------------------------------------------------


def cell(term: Term) -> Cell:
    """A term as plain picklable data."""
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value, None, None)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value, None, None)
    if isinstance(term, ox.Literal):
        return ("literal", term.value, term.datatype.value, term.language)
    return ("triple", str(term), None, None)


def term(c: Cell) -> Term:
    """The term a cell stands for (triples are not rebuilt)."""
    kind, value, datatype, language = c
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    if kind == "literal":
        if language:
            return ox.Literal(value, language=language)
        return ox.Literal(value, datatype=ox.NamedNode(datatype or XSD_STRING))
    raise ValueError(f"cannot rebuild a {kind} term from a cell")


def nt(c: Cell) -> str:
    """A cell in N-Triples syntax (what SPARQL TSV writes)."""
    kind, value, _, _ = c
    if kind == "triple":
        return f"<< {value} >>"
    return str(term(c))


# --- SPARQL result formats ------------------------------------------------------------------------

Rows = Sequence[tuple[Cell | None, ...]]


def write_json(variables: Sequence[str], rows: Rows) -> bytes:
    """SPARQL 1.1 Query Results JSON."""
    bindings = [{v: _json_term(c) for v, c in zip(variables, row, strict=True) if c is not None} for row in rows]
    doc = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _json_term(c: Cell) -> dict[str, str]:
    kind, value, datatype, language = c
    if kind == "literal":
        out = {"type": "literal", "value": value}
        if language:
            out["xml:lang"] = language
        elif datatype and datatype != XSD_STRING:
            out["datatype"] = datatype
        return out
    return {"type": kind, "value": value}


def write_xml(variables: Sequence[str], rows: Rows) -> bytes:
    """SPARQL Query Results XML."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
    out += [f"<variable name={quoteattr(v)}/>" for v in variables]
    out.append("</head>\n<results>")
    for row in rows:
        out.append("<result>")
        for v, c in zip(variables, row, strict=True):
            if c is not None:
                out.append(f"<binding name={quoteattr(v)}>{_xml_term(c)}</binding>")
        out.append("</result>")
    out.append("</results>\n</sparql>\n")
    return "".join(out).encode("utf-8")


def _xml_term(c: Cell) -> str:
    kind, value, datatype, language = c
    if kind == "uri":
        return f"<uri>{escape(value)}</uri>"
    if kind == "bnode":
        return f"<bnode>{escape(value)}</bnode>"
    if kind == "triple":
        return f"<literal>{escape(value)}</literal>"
    if language:
        return f"<literal xml:lang={quoteattr(language)}>{escape(value)}</literal>"
    if datatype and datatype != XSD_STRING:
        return f"<literal datatype={quoteattr(datatype)}>{escape(value)}</literal>"
    return f"<literal>{escape(value)}</literal>"


def write_csv(variables: Sequence[str], rows: Rows) -> bytes:
    """SPARQL 1.1 CSV: IRIs and literals as plain values, blank nodes as ``_:id``, CRLF lines."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow(["" if c is None else ("_:" + c[1] if c[0] == "bnode" else c[1]) for c in row])
    return buffer.getvalue().encode("utf-8")


def write_tsv(variables: Sequence[str], rows: Rows) -> bytes:
    """SPARQL 1.1 TSV: ``?var`` header, terms in N-Triples syntax."""
    lines = ["\t".join("?" + v for v in variables)]
    lines += ["\t".join("" if c is None else nt(c) for c in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_boolean(value: bool, fmt: str) -> bytes:
    """An ASK answer in SPARQL JSON or XML."""
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if fmt == "xml":
        word = "true" if value else "false"
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{word}</boolean></sparql>\n"
        ).encode()
    raise ValueError(f"booleans are written as json or xml, not {fmt!r}")


WRITERS: Final = {"json": write_json, "xml": write_xml, "csv": write_csv, "tsv": write_tsv}

__all__ = [
    "GRAPH_FORMATS",
    "RESULT_FORMATS",
    "WRITERS",
    "Cell",
    "JobError",
    "QueryFailed",
    "QueryJob",
    "QueryReply",
    "Table",
    "cell",
    "nt",
    "run_query",
    "term",
    "write_boolean",
    "write_csv",
    "write_json",
    "write_tsv",
    "write_xml",
]
