"""Content negotiation: which format a response takes, from the request's ``Accept`` header.

Two tables map media types to format names: :data:`RESULT_TYPES` for solutions and
booleans (SELECT, ASK) and :data:`GRAPH_TYPES` for triples (CONSTRUCT, DESCRIBE).
:func:`parse_accept` reads a header into media ranges with q-values and
:func:`choose` picks the offer the client prefers most (ties go to the server's
order), or None when nothing offered is acceptable (406).  Both are pure.

>>> choose("text/csv;q=0.5, application/sparql-results+xml", RESULT_OFFERS)
'application/sparql-results+xml'
>>> choose("*/*", GRAPH_OFFERS)
'text/turtle'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

#: media type -> result format name (solutions); the first is the default for ``*/*``
RESULT_TYPES: Final[dict[str, str]] = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
}
#: booleans (ASK) have no CSV or TSV form in SPARQL 1.1
BOOLEAN_TYPES: Final[dict[str, str]] = {k: v for k, v in RESULT_TYPES.items() if v in ("json", "xml")}
#: media type -> RDF format name (triples); the first is the default for ``*/*``
GRAPH_TYPES: Final[dict[str, str]] = {
    "text/turtle": "ttl",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "jsonld",
    "application/turtle": "ttl",
    "application/x-turtle": "ttl",
    "text/plain": "nt",
    "application/xml": "xml",
    "application/json": "jsonld",
}
#: the media type each format is sent as
RESULT_MEDIA: Final[dict[str, str]] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
}
GRAPH_MEDIA: Final[dict[str, str]] = {
    "ttl": "text/turtle; charset=utf-8",
    "nt": "application/n-triples",
    "xml": "application/rdf+xml",
    "jsonld": "application/ld+json",
}
RESULT_OFFERS: Final = tuple(RESULT_TYPES)
BOOLEAN_OFFERS: Final = tuple(BOOLEAN_TYPES)
GRAPH_OFFERS: Final = tuple(GRAPH_TYPES)


@dataclass(frozen=True, slots=True)
class MediaRange:
    type: str
    subtype: str
    q: float
    params: tuple[tuple[str, str], ...] = ()

    def matches(self, media_type: str) -> int:
        """How specifically this range matches ``media_type``: 3 exact, 2 with params ignored,
        1 ``type/*``, 0 ``*/*``, -1 not at all."""
        kind, _, sub = media_type.partition("/")
        if self.type == "*":
            return 0
        if self.type != kind:
            return -1
        if self.subtype == "*":
            return 1
        if self.subtype != sub:
            return -1
        return 3 if not self.params else 2


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header; a missing or empty header accepts anything.

    Entries that are not ``type/subtype`` are skipped, a malformed q-value counts as 1
    and q is kept within 0..1, as RFC 9110 asks.

    >>> parse_accept("text/csv;q=0.5, */*;q=0.1")[0]
    MediaRange(type='text', subtype='csv', q=0.5, params=())
    """
    if header is None or not header.strip():
        return [MediaRange("*", "*", 1.0)]
    ranges: list[MediaRange] = []
    for entry in header.split(","):
        parts = [p.strip() for p in entry.split(";")]
        kind, slash, sub = parts[0].lower().partition("/")
        if not slash or not kind or not sub or (kind == "*" and sub != "*"):
            continue
        q = 1.0
        params: list[tuple[str, str]] = []
        for p in parts[1:]:
            name, _, value = p.partition("=")
            name, value = name.strip().lower(), value.strip().strip('"')
            if name == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 1.0
                break  # accept-extensions after q are not media type parameters
            if name:
                params.append((name, value))
        ranges.append(MediaRange(kind, sub, q, tuple(params)))
    return ranges


def quality(ranges: Sequence[MediaRange], media_type: str) -> float:
    """The q-value the client gives ``media_type``: that of the most specific range matching it."""
    best, best_q = -1, 0.0
    for r in ranges:
        level = r.matches(media_type)
        if level > best:
            best, best_q = level, r.q
    return best_q if best >= 0 else 0.0


def choose(header: str | None, offers: Sequence[str]) -> str | None:
    """The offered media type the client prefers; ties keep the order of ``offers``.

    None when every offer has q=0 (the answer is then 406 Not Acceptable).
    """
    ranges = parse_accept(header)
    best: str | None = None
    best_q = 0.0
    for offer in offers:
        q = quality(ranges, offer)
        if q > best_q:
            best, best_q = offer, q
    return best


def prefers_html(header: str | None) -> bool:
    """True when the client (a browser) ranks text/html above every SPARQL and RDF type."""
    ranges = parse_accept(header)
    html = max((r.q for r in ranges if r.matches("text/html") >= 1), default=0.0)
    other = max((quality(ranges, t) for t in (*RESULT_OFFERS, *GRAPH_OFFERS) if t not in ("text/plain",)), default=0.0)
    return html > 0 and html >= other and any(r.matches("text/html") >= 1 for r in ranges)


__all__ = [
    "BOOLEAN_OFFERS",
    "BOOLEAN_TYPES",
    "GRAPH_MEDIA",
    "GRAPH_OFFERS",
    "GRAPH_TYPES",
    "RESULT_MEDIA",
    "RESULT_OFFERS",
    "RESULT_TYPES",
    "MediaRange",
    "choose",
    "parse_accept",
    "prefers_html",
    "quality",
]
