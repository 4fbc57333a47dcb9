"""The embedded store: one pyoxigraph database on disk, one named graph per report.

On disk the store is a folder holding pyoxigraph's RocksDB files; ``Store(None)``
keeps everything in memory (tests).  Graph names are IRIs given as plain strings.

Guarantees, as measured on pyoxigraph 0.5 (see ``tests/test_store.py``):

- One writer per folder.  pyoxigraph locks the folder; a second ``Store`` on it,
  from this process or another, raises :class:`~kg.errors.StoreError`.  The lock is
  released by :meth:`Store.close` once no query result from the store is still alive.
- :meth:`Store.replace_graph` touches one graph only and is atomic: after a crash,
  even ``kill -9``, the graph holds either its old or its new triples, and every
  other graph is untouched.  Re-writing identical content writes nothing.
- :meth:`Store.query` refuses ``SERVICE``, ``LOAD`` and updates before the engine
  sees the query (pyoxigraph has no switch to stop ``SERVICE`` from fetching URLs).
  The check reads the query's bare keywords, skipping strings, IRIs, prefixed names
  and comments, so ``"SERVICE"`` inside a string literal is allowed.
- Read-only mode (``read_only=True``) is pyoxigraph's ``Store.read_only``: a static
  snapshot that takes no lock.  pyoxigraph 0.5 has no secondary mode, and its docs
  call reading while another process writes undefined behaviour.

A ``Store`` is not safe for concurrent writes from several threads.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Final, NamedTuple

import pyoxigraph as ox

from kg.config import Settings
from kg.errors import DataFileError, QueryError, StoreError

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
#: a value accepted in :meth:`Store.query` ``bindings``: an RDF term, or a Python
#: value made into a typed literal (``str`` is an ``xsd:string``, never an IRI)
Binding = Term | str | int | float | bool
QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples

#: format name -> pyoxigraph format, for :meth:`Store.dump` and :mod:`kg.export`
RDF_FORMATS: Final[dict[str, ox.RdfFormat]] = {
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "ttl": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}

_NT: Final = ox.RdfFormat.N_TRIPLES
_UNION: Final = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


class Store:
    """A pyoxigraph store on disk at ``path`` (created if missing), or in memory for ``None``.

    >>> with Store(None) as store:
    ...     store.replace_graph("https://example.org/r1", b'<https://example.org/a> <https://example.org/p> "1" .')
    ...     store.graphs()
    1
    ['https://example.org/r1']
    """

    def __init__(self, path: str | Path | None, *, read_only: bool = False) -> None:
        self.path = None if path is None else Path(path)
        self.read_only = read_only
        self._db: ox.Store | None = _open(self.path, read_only)

    # --- life cycle -----------------------------------------------------------------

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        where = "memory" if self.path is None else str(self.path)
        return f"<Store {where}{' read-only' if self.read_only else ''}>"

    def close(self) -> None:
        """Flush and let go of the database; the folder lock goes with the last query result."""
        if self._db is not None and not self.read_only:
            self._db.flush()
        self._db = None

    def flush(self) -> None:
        """Make every write so far durable on disk."""
        self._writable().flush()

    def optimize(self) -> None:
        """Compact the database; worth it after a large build (reads get ~2x faster)."""
        self._writable().optimize()

    @property
    def db(self) -> ox.Store:
        """The pyoxigraph store underneath, for what this class does not wrap."""
        if self._db is None:
            raise StoreError(f"{self._where()}: the store is closed")
        return self._db

    # --- graphs ---------------------------------------------------------------------

    def replace_graph(self, graph: str, triples: Iterable[ox.Triple] | bytes) -> int:
        """Make ``graph`` hold exactly ``triples`` (objects or N-Triples bytes); return their count.

        A new graph is written with pyoxigraph's bulk loader (atomic).  An existing one
        is changed by one SPARQL update, a single transaction, that deletes the triples
        no longer there and inserts the new ones, so identical content writes nothing.
        Blank nodes get fresh ids and cannot be compared, so a graph holding any is
        dropped and re-inserted in that same update.  Empty content removes the graph.
        """
        name = graph_node(graph)
        new = _canonical_lines(triples, graph)
        db = self._writable()
        try:
            if not db.contains_named_graph(name):
                if new:  # lenient: the lines were just written by pyoxigraph's own serializer
                    db.bulk_load(b"\n".join(new) + b"\n", _NT, to_graph=name, lenient=True)
                return len(new)
            old = set(_dump_bytes(db, _NT, name).splitlines())
            if old != new:
                db.update(_replace_update(name, old, new))
        except OSError as e:
            raise StoreError(f"{self._where()}: cannot write graph <{graph}> ({e})") from e
        return len(new)

    def graph_ntriples(self, graph: str) -> bytes:
        """One named graph as canonical N-Triples (empty when there is no such graph)."""
        name = graph_node(graph)
        if not self.db.contains_named_graph(name):
            return b""
        return _dump_bytes(self.db, _NT, name)

    def remove_graph(self, graph: str) -> bool:
        """Remove ``graph`` and its triples; False when there was no such graph."""
        name = graph_node(graph)
        db = self._writable()
        if not db.contains_named_graph(name):
            return False
        db.remove_graph(name)
        return True

    def graphs(self) -> list[str]:
        """The names of the named graphs, sorted."""
        return sorted(g.value if isinstance(g, ox.NamedNode) else str(g) for g in self.db.named_graphs())

    def count(self, graph: str | None = None) -> int:
        """Quads in the store, or triples in one graph."""
        if graph is None:
            return len(self.db)
        result = self.db.query(f"SELECT (COUNT(*) AS ?n) {{ GRAPH {graph_node(graph)} {{ ?s ?p ?o }} }}")
        assert isinstance(result, ox.QuerySolutions)
        n = next(iter(result))[0]
        return int(n.value)

    def __len__(self) -> int:
        return len(self.db)

    def load_file(self, path: str | Path, fmt: str | None = None, graph: str | None = None) -> int:
        """Load an RDF file (format from ``fmt`` or the suffix); return the number of quads read.

        With ``graph``, the file's triples replace that graph (:meth:`replace_graph`), so
        loading an ontology twice leaves one copy.  Without it, the file's quads are added
        as they are in one transaction (for TriG and N-Quads files).
        """
        rdf_format = _file_format(Path(path), fmt)
        try:
            quads = list(ox.parse(path=path, format=rdf_format, without_named_graphs=graph is not None))
        except SyntaxError as e:
            raise DataFileError(str(path), e.msg, e.lineno) from e
        except OSError as e:
            raise DataFileError(str(path), f"cannot read ({e.strerror or e})") from e
        if graph is not None:
            return self.replace_graph(graph, (q.triple for q in quads))
        self._writable().extend(quads)
        return len(quads)

    # --- SPARQL -----------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Binding] | None = None,
        use_default_graph_as_union: bool = True,
    ) -> QueryResult:
        """Run a SELECT, ASK, CONSTRUCT or DESCRIBE query.

        The default graph is the union of all graphs unless the query names its own
        with FROM.  ``bindings`` (variable name -> value) are substituted by the engine
        (SEP-0007), never pasted into the text; each must be a projected variable.
        Raises :class:`~kg.errors.QueryError` for a syntax error (the parser's message)
        and, with ``refused=True``, for SERVICE, LOAD or an update.
        """
        shape = scan(sparql)
        if shape.update_keywords:
            raise QueryError(
                f"refused: this is an update ({', '.join(shape.update_keywords)}), not a query", refused=True
            )
        _refuse_remote(shape)
        union = use_default_graph_as_union and not shape.has_dataset
        substitutions = {ox.Variable(k.lstrip("?$")): to_term(v) for k, v in (bindings or {}).items()}
        try:
            return self.db.query(sparql, use_default_graph_as_union=union, substitutions=substitutions or None)
        except SyntaxError as e:
            raise QueryError(str(e)) from e
        except (RuntimeError, ValueError) as e:
            raise QueryError(str(e)) from e

    def update(self, sparql: str) -> None:
        """Run a SPARQL update in one transaction; SERVICE and LOAD are refused here too."""
        _refuse_remote(scan(sparql))
        db = self._writable()
        try:
            db.update(sparql)
        except SyntaxError as e:
            raise QueryError(str(e)) from e
        except (RuntimeError, ValueError) as e:
            raise QueryError(str(e)) from e

    # --- serialising --------------------------------------------------------------------

    def dump(
        self, fmt: str, out: BinaryIO, graph: str | None = None, *, prefixes: Mapping[str, str] | None = None
    ) -> None:
        """Write the store, or one graph, to ``out`` in format ``fmt`` (a key of :data:`RDF_FORMATS`).

        ``nq``, ``trig`` and ``jsonld`` keep the named graphs; ``nt``, ``ttl`` and ``xml``
        write the union of all graphs as one graph (each triple once).
        """
        rdf_format = rdf_format_named(fmt)
        prefix_map = dict(prefixes or {})
        if graph is not None:
            self.db.dump(out, rdf_format, from_graph=graph_node(graph), prefixes=prefix_map)
        elif rdf_format.supports_datasets:
            self.db.dump(out, rdf_format, prefixes=prefix_map)
        else:
            union = self.db.query(_UNION, use_default_graph_as_union=True)
            assert isinstance(union, ox.QueryTriples)
            ox.serialize(union, out, rdf_format, prefixes=prefix_map)

    # --- helpers --------------------------------------------------------------------------

    def _where(self) -> str:
        return "(memory)" if self.path is None else str(self.path)

    def _writable(self) -> ox.Store:
        if self.read_only:
            raise StoreError(f"{self._where()}: the store is open read-only")
        return self.db


def open_store(settings: Settings, read_only: bool = False) -> Store:
    """The store that ``settings.store`` names."""
    return Store(settings.store, read_only=read_only)


def graph_node(graph: str) -> ox.NamedNode:
    """The graph name as a pyoxigraph IRI; ValueError when it is not a valid IRI."""
    try:
        return ox.NamedNode(graph)
    except ValueError as e:
        raise ValueError(f"{graph!r} is not a valid graph IRI: {e}") from None


def to_term(value: Binding) -> Term:
    """An RDF term as is; a Python value as a typed literal (``str`` -> ``xsd:string``)."""
    if isinstance(value, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple):
        return value
    if isinstance(value, str | int | float | bool):
        return ox.Literal(value)
    raise TypeError(f"cannot bind a {type(value).__name__}; give an RDF term, str, int, float or bool")


def rdf_format_named(fmt: str) -> ox.RdfFormat:
    """The pyoxigraph format of a name in :data:`RDF_FORMATS`; ValueError listing them otherwise."""
    try:
        return RDF_FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown RDF format {fmt!r}; known formats: {', '.join(RDF_FORMATS)}") from None


# --- opening -----------------------------------------------------------------------------


def _open(path: Path | None, read_only: bool) -> ox.Store:
    if path is None:
        if read_only:
            raise StoreError("(memory): an in-memory store cannot be opened read-only")
        return ox.Store()
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path}: not a folder, so it cannot hold a store")
    if read_only and not (path / "CURRENT").is_file():
        raise StoreError(f"{path}: no store here to open read-only")
    if not read_only:
        _make_folder(path)
    try:
        return ox.Store.read_only(str(path)) if read_only else ox.Store(path)
    except OSError as e:
        if "lock" in str(e).lower():
            raise StoreError(f"{path}: the store is in use by another process ({e})") from e
        raise StoreError(f"{path}: cannot open the store ({e})") from e


def _make_folder(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise StoreError(f"{path}: cannot create the store folder ({e.strerror or e})") from e
    if not os.access(path, os.W_OK | os.X_OK):
        raise StoreError(f"{path}: the folder is not writable")


def _file_format(path: Path, fmt: str | None) -> ox.RdfFormat:
    if fmt is not None:
        return rdf_format_named(fmt)
    found = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
    if found is None:
        raise DataFileError(str(path), f"unknown RDF file suffix; give a format ({', '.join(RDF_FORMATS)})")
    return found


# --- replacing a graph -------------------------------------------------------------------


def _canonical_lines(triples: Iterable[ox.Triple] | bytes, graph: str) -> set[bytes]:
    """The triples as canonical N-Triples lines (what ``dump`` writes), blank nodes renamed."""
    try:
        if isinstance(triples, bytes | bytearray):
            data = ox.serialize((q.triple for q in ox.parse(bytes(triples), _NT)), format=_NT)
        else:
            data = ox.serialize(triples, format=_NT)
    except SyntaxError as e:
        raise StoreError(f"<{graph}>: the new content is not valid N-Triples ({e})") from e
    assert data is not None
    if b"_:" in data:  # fresh blank nodes, so two reports never share one by label
        renamed = ox.parse(data, _NT, rename_blank_nodes=True)
        data = ox.serialize((q.triple for q in renamed), format=_NT)
        assert data is not None
    return set(data.splitlines())


def _dump_bytes(db: ox.Store, rdf_format: ox.RdfFormat, graph: ox.NamedNode) -> bytes:
    data = db.dump(format=rdf_format, from_graph=graph)
    assert data is not None
    return data


def _replace_update(graph: ox.NamedNode, old: set[bytes], new: set[bytes]) -> str:
    """One SPARQL update (one transaction) turning ``old`` lines into ``new`` ones in ``graph``."""
    if not new:
        return f"DROP SILENT GRAPH {graph}"
    if any(b"_:" in line for line in old) or any(b"_:" in line for line in new):
        return f"DROP SILENT GRAPH {graph} ;\n{_data_block('INSERT', graph, new)}"
    parts = []
    if old - new:
        parts.append(_data_block("DELETE", graph, old - new))
    if new - old:
        parts.append(_data_block("INSERT", graph, new - old))
    return " ;\n".join(parts)


def _data_block(verb: str, graph: ox.NamedNode, lines: set[bytes]) -> str:
    body = b"\n".join(sorted(lines)).decode("utf-8")
    return f"{verb} DATA {{ GRAPH {graph} {{\n{body}\n}} }}"


# --- scanning queries --------------------------------------------------------------------

_SKIP = r"""
    '''(?:[^'\\]|\\.|'(?!''))*'''
  | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
  | '(?:[^'\\\n\r]|\\.)*'
  | "(?:[^"\\\n\r]|\\.)*"
  | <[^<>"{}|^`\\\x00-\x20]*>
  | \#[^\n\r]*
  | [?$][^\W][\w\u00B7\u0300-\u036F\u203F\u2040]*
  | @[A-Za-z]+(?:-[A-Za-z0-9]+)*
  | (?:[^\W\d][\w.\-\u00B7]*)?:(?:[\w.\-:%\u00B7]|\\[^\s])*
"""
_TOKEN: Final = re.compile(
    rf"(?P<skip>{_SKIP})|(?P<word>[^\W\d][\w\-]*)|(?P<brace>[{{}}])", re.VERBOSE | re.DOTALL
)
_REMOTE: Final = frozenset({"SERVICE", "LOAD"})
_UPDATE: Final = frozenset({"INSERT", "DELETE", "DROP", "CLEAR", "CREATE", "ADD", "MOVE", "COPY", "LOAD", "WITH"})


class QueryShape:
    """The bare keywords of a SPARQL text that matter before running it."""

    def __init__(self, keywords: set[str]) -> None:
        self.keywords = keywords
        self.remote_keywords = sorted(keywords & _REMOTE)
        self.update_keywords = sorted(keywords & _UPDATE)
        self.has_dataset = "FROM" in keywords or "USING" in keywords


def scan(sparql: str) -> QueryShape:
    """Collect the bare words of ``sparql``, upper-cased, outside strings, IRIs, names and comments.

    >>> sorted(scan('SELECT * { ?s ?p "SERVICE" } # LOAD').keywords)
    ['SELECT']
    """
    return QueryShape({m.group("word").upper() for m in _TOKEN.finditer(sparql) if m.group("word")})


class Token(NamedTuple):
    """One lexical unit of a SPARQL text, with its character offset."""

    kind: str  #: iri, pname, string, comment, var, lang, word (a bare keyword or name) or brace
    text: str
    start: int


def tokenize(sparql: str) -> Iterator[Token]:
    """The tokens :func:`scan` reads, classified, plus braces; punctuation and numbers are left out.

    >>> [(t.kind, t.text) for t in tokenize('SELECT * FROM <g> { ?s ex:p "}" }')]  # doctest: +NORMALIZE_WHITESPACE
    [('word', 'SELECT'), ('word', 'FROM'), ('iri', '<g>'), ('brace', '{'), ('var', '?s'), ('pname', 'ex:p'), ('string', '"}"'), ('brace', '}')]
    """
    for m in _TOKEN.finditer(sparql):
        text = m.group()
        if m.group("word"):
            kind = "word"
        elif m.group("brace"):
            kind = "brace"
        else:
            kind = _SKIP_KIND.get(text[0], "pname")
        yield Token(kind, text, m.start())


_SKIP_KIND: Final = {"<": "iri", "'": "string", '"': "string", "#": "comment", "?": "var", "$": "var", "@": "lang"}


def _refuse_remote(shape: QueryShape) -> None:
    if shape.remote_keywords:
        raise QueryError(
            f"refused: {', '.join(shape.remote_keywords)} would make the store fetch from elsewhere", refused=True
        )


__all__ = [
    "RDF_FORMATS",
    "Binding",
    "QueryResult",
    "QueryShape",
    "Store",
    "Term",
    "Token",
    "graph_node",
    "open_store",
    "rdf_format_named",
    "scan",
    "to_term",
    "tokenize",
]
