"""Checks a request passes before any engine sees its SPARQL.

- SERVICE and LOAD are refused (pyoxigraph would fetch the URL; rdflib would read a
  local file), as are updates sent as queries: :func:`kg.store.scan` reads the bare
  keywords, skipping strings, IRIs, names and comments.
- A dataset may name only graphs of this store: ``FROM``/``FROM NAMED`` in the query
  and the protocol's ``default-graph-uri``/``named-graph-uri``.  Another engine would
  fetch a remote FROM; here it is refused, whoever runs the query.
- An update may run only with the server's update token, sent as
  ``Authorization: Bearer <token>`` (a browser's form post cannot carry it).
- The protocol's ``using-graph-uri``/``using-named-graph-uri`` become ``USING`` clauses
  of each ``DELETE``/``INSERT … WHERE`` (pyoxigraph takes no dataset for updates); an
  update that has its own ``USING`` or ``WITH`` as well is refused, as the protocol says.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Sequence
from urllib.parse import urljoin

import pyoxigraph as ox

from kg.errors import QueryError
from kg.store import Token, scan, tokenize


class Refused(QueryError):
    """A request refused on safety grounds (answered 400, or 401/403 for updates)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, refused=True)


def check_query(
    sparql: str,
    graphs: frozenset[str] | set[str],
    *,
    base_iri: str | None = None,
    default_graphs: Sequence[str] = (),
    named_graphs: Sequence[str] = (),
) -> None:
    """Raise :class:`Refused` unless ``sparql`` is a query that reads only ``graphs`` of this store."""
    shape = scan(sparql)
    if shape.update_keywords:
        raise Refused(
            f"refused: this is an update ({', '.join(shape.update_keywords)}), not a query; "
            "send updates as update= or application/sparql-update with the server's token"
        )
    _refuse_remote(shape.remote_keywords)
    _refuse_unknown(dataset_iris(sparql, base_iri), graphs, "FROM")
    _refuse_unknown(default_graphs, graphs, "default-graph-uri")
    _refuse_unknown(named_graphs, graphs, "named-graph-uri")


def check_update(sparql: str, using: Sequence[str] = (), using_named: Sequence[str] = ()) -> str:
    """The update to run: SERVICE and LOAD refused, the protocol's dataset written in as USING.

    >>> check_update("INSERT { ?s a <x:T> } WHERE { ?s ?p ?o }", ["http://g/1"])
    'INSERT { ?s a <x:T> } USING <http://g/1> WHERE { ?s ?p ?o }'
    """
    shape = scan(sparql)
    _refuse_remote(shape.remote_keywords)
    if not using and not using_named:
        return sparql
    if "USING" in shape.keywords or "WITH" in shape.keywords:
        raise QueryError(
            "using-graph-uri/using-named-graph-uri cannot be combined with USING or WITH in the update itself"
        )
    return with_using(sparql, using, using_named)


def authorized(header: str | None, token: str) -> bool:
    """True when ``header`` is ``Bearer <token>`` (compared in constant time) and a token is set."""
    if not token or not header:
        return False
    scheme, _, given = header.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


# --- datasets ------------------------------------------------------------------------------------


def dataset_iris(sparql: str, base_iri: str | None = None) -> list[str]:
    """The IRIs of the ``FROM`` and ``FROM NAMED`` clauses, prefixed names expanded, relative IRIs resolved.

    >>> dataset_iris("PREFIX g: <http://g/> SELECT * FROM g:a FROM NAMED <b> { }", "http://base/")
    ['http://g/a', 'http://base/b']
    """
    tokens = [t for t in tokenize(sparql) if t.kind != "comment"]
    prefixes: dict[str, str] = {}
    base = base_iri
    found: list[str] = []
    for i, t in enumerate(tokens):
        word = t.text.upper() if t.kind == "word" else ""
        following = tokens[i + 1 : i + 3]
        if word == "PREFIX" and len(following) == 2 and following[1].kind == "iri":
            prefixes[following[0].text.rstrip(":").split(":", 1)[0]] = _iri(following[1].text, base)
        elif word == "BASE" and following and following[0].kind == "iri":
            base = _iri(following[0].text, base)
        elif word == "FROM":
            rest = following[1:] if following and following[0].text.upper() == "NAMED" else following[:1]
            if rest:
                found.append(_resolve(rest[0], prefixes, base))
    return found


def _iri(text: str, base: str | None) -> str:
    value = text[1:-1]
    return urljoin(base, value) if base and ":" not in value.split("/", 1)[0] else value


def _resolve(token: Token, prefixes: dict[str, str], base: str | None) -> str:
    if token.kind == "iri":
        return _iri(token.text, base)
    if token.kind == "pname":
        prefix, _, local = token.text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + local.replace("\\", "")
        raise QueryError(f"the prefix {prefix!r} is not declared")
    raise QueryError(f"FROM needs an IRI, not {token.text!r}")


def _refuse_remote(keywords: Iterable[str]) -> None:
    words = sorted(keywords)
    if words:
        raise Refused(f"refused: {', '.join(words)} would make the store fetch from elsewhere")


def _refuse_unknown(iris: Iterable[str], graphs: frozenset[str] | set[str], where: str) -> None:
    for iri in iris:
        if iri not in graphs:
            raise Refused(
                f"refused: {where} <{iri}> is not a graph of this store, and this endpoint never fetches "
                "remote data; GET /graphs lists the graphs it has"
            )


# --- USING clauses --------------------------------------------------------------------------------


def with_using(sparql: str, using: Sequence[str], using_named: Sequence[str]) -> str:
    """``sparql`` with ``USING``/``USING NAMED`` clauses before the WHERE of each DELETE/INSERT operation.

    ``DELETE WHERE { P }``, which takes no USING, is written as ``DELETE { P } USING … WHERE { P }``.
    """
    clause = " ".join([*(f"USING {_iri_term(g)}" for g in using), *(f"USING NAMED {_iri_term(g)}" for g in using_named)])
    tokens = list(tokenize(sparql))
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement)
    depth = 0
    previous = ""
    for i, t in enumerate(tokens):
        if t.kind == "brace":
            depth += 1 if t.text == "{" else -1
        elif t.kind == "word" and depth == 0:
            word = t.text.upper()
            if word == "WHERE" and previous == "DELETE":
                pattern = _group_after(tokens, i, sparql)
                if pattern is None:
                    raise QueryError("DELETE WHERE needs a { … } pattern")
                start, end = pattern
                edits.append((t.start, t.start + len(t.text), f"{sparql[start:end]} {clause} WHERE"))
            elif word == "WHERE":
                edits.append((t.start, t.start, clause + " "))
            previous = word
    for start, end, text in sorted(edits, reverse=True):
        sparql = sparql[:start] + text + sparql[end:]
    return sparql


def _iri_term(value: str) -> str:
    """An IRI as SPARQL writes it; QueryError when it is not a valid IRI, so nothing can be smuggled in."""
    try:
        return str(ox.NamedNode(value))
    except ValueError as e:
        raise QueryError(f"not a valid IRI: {value!r} ({e})") from None


def _group_after(tokens: list[Token], i: int, sparql: str) -> tuple[int, int] | None:
    """Character span of the ``{ … }`` group that follows token ``i``."""
    depth, start = 0, None
    for t in tokens[i + 1 :]:
        if t.kind != "brace":
            continue
        if t.text == "{":
            if depth == 0:
                start = t.start
            depth += 1
        else:
            depth -= 1
            if depth == 0 and start is not None:
                return start, t.start + 1
    return None


__all__ = ["Refused", "authorized", "check_query", "check_update", "dataset_iris", "with_using"]
