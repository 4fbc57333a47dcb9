"""Typed errors.  The library raises these and never prints or exits; only
``kg.cli`` and ``kg.server`` turn them into messages, exit codes or HTTP responses.

Each error carries the file (and where it helps, the line or offset) it is about,
and ``str(error)`` is a single line: ``<file>: <reason>``.
"""

from __future__ import annotations


class KGError(Exception):
    """Base class of every error this package raises on purpose."""


class InputError(KGError):
    """A report file that cannot be read as a report."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class DataFileError(KGError):
    """A malformed vocabulary, pattern or configuration file in ontology/ or elsewhere."""

    def __init__(self, path: str, reason: str, line: int | None = None) -> None:
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}")
        self.path = path
        self.line = line
        self.reason = reason


class ConfigError(KGError):
    """A setting with a bad value; the message names the key and the value."""


class StoreError(KGError):
    """The store cannot be opened or written (locked by another writer, bad path ...)."""


class QueryError(KGError):
    """A SPARQL query that cannot be run: a syntax error or a refused feature."""

    def __init__(self, message: str, *, refused: bool = False) -> None:
        super().__init__(message)
        self.refused = refused


class PipelineError(KGError):
    """Stages put together in an order where one reads what no earlier stage adds."""
