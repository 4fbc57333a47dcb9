"""Saved queries: one SPARQL query per file in ``queries/``, each with a header.

A file starts with comment lines::

    # title: Jurisdictions practising a mechanism
    # description: Every jurisdiction whose reports say it practises the mechanism, with evidence.
    # param: mechanism zh the mechanism's Chinese name, e.g. 府院联动

``title`` and ``description`` are required.  Each ``param`` names a variable of the
query, the kind of value it takes (``zh``: a Chinese-tagged literal, ``string``,
``integer`` or ``iri``) and a help text; the server binds a value given in the URL
(``/queries/<slug>?mechanism=府院联动``) by substitution, never by pasting it into the
text.  The variable must be projected.  Left unbound, the query runs as written (so
``kg query`` runs the file as is).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pyoxigraph as ox

from kg.errors import DataFileError
from kg.server.engine import Term

KINDS: Final = ("zh", "string", "integer", "iri")
_HEADER: Final = re.compile(r"#\s*(title|description|param)\s*:\s*(.*)")
_PARAM: Final = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s+(\S+)\s*(.*)")


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    kind: str
    help: str

    def term(self, value: str) -> Term:
        """The RDF term ``value`` stands for; ValueError names the parameter when it does not fit."""
        if self.kind == "zh":
            return ox.Literal(value, language="zh")
        if self.kind == "string":
            return ox.Literal(value)
        if self.kind == "integer":
            try:
                return ox.Literal(str(int(value)), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
            except ValueError:
                raise ValueError(f"parameter {self.name!r} takes an integer, not {value!r}") from None
        try:
            return ox.NamedNode(value)
        except ValueError:
            raise ValueError(f"parameter {self.name!r} takes an IRI, not {value!r}") from None


@dataclass(frozen=True, slots=True)
class SavedQuery:
    slug: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    path: Path

    def bindings(self, values: Mapping[str, str]) -> tuple[tuple[str, Term], ...]:
        """Terms for the parameters given a non-empty value in ``values``; others stay unbound."""
        return tuple((p.name, p.term(values[p.name].strip())) for p in self.params if values.get(p.name, "").strip())


def parse_saved(text: str, path: Path) -> SavedQuery:
    """A saved query from its file's text; DataFileError names the file and line of a bad header."""
    fields: dict[str, str] = {}
    params: list[Param] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#"):
            break
        m = _HEADER.match(line)
        if m is None:
            continue
        key, value = m.group(1), m.group(2).strip()
        if key == "param":
            pm = _PARAM.match(value)
            if pm is None or pm.group(2) not in KINDS:
                raise DataFileError(str(path), f"a param line is '# param: NAME KIND HELP' with KIND one of {', '.join(KINDS)}", lineno)
            params.append(Param(pm.group(1), pm.group(2), pm.group(3)))
        else:
            fields[key] = value
    for key in ("title", "description"):
        if not fields.get(key):
            raise DataFileError(str(path), f"no '# {key}:' line at the top")
    return SavedQuery(path.stem, fields["title"], fields["description"], tuple(params), text, path)


def load_saved(folder: Path) -> dict[str, SavedQuery]:
    """Every ``*.rq`` in ``folder`` by slug (the file name without ``.rq``), sorted."""
    if not folder.is_dir():
        return {}
    return {p.stem: parse_saved(p.read_text(encoding="utf-8"), p) for p in sorted(folder.glob("*.rq"))}


__all__ = ["KINDS", "Param", "SavedQuery", "load_saved", "parse_saved"]
