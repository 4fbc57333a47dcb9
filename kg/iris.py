"""Stable IRIs, all under a configurable base (default ``https://w3id.org/fazhi-kg/``).

- jurisdictions by GB/T 2260 code: ``{base}jurisdiction/120117``
- vocabulary concepts by id: ``{base}mechanism/fengqiao-experience``
- reports by the hash of their normalised text: ``{base}report/<id>``; the report's
  named graph is ``{base}graph/report/<id>``
- documents by normalised title: ``{base}document/<title>``
- agencies by jurisdiction and kind, so that agencies of different places never merge:
  ``{base}agency/120117/justice-bureau``; national organs ``{base}organ/<id>``
- things inside a report (sentences, sections, mentions, observations, adoptions)
  under the report's IRI, by offsets, so rebuilding a report mints the same IRIs.

The ontology's own terms live in the fixed namespace :data:`FK`.

>>> Minter("https://w3id.org/fazhi-kg/").jurisdiction("120117")
'https://w3id.org/fazhi-kg/jurisdiction/120117'
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote

FK = "https://w3id.org/fazhi-kg/ontology#"


def segment(value: str) -> str:
    """A path segment for any string: percent-encoded UTF-8, nothing but unreserved characters left.

    >>> segment("天津市 司法局/2")
    '%E5%A4%A9%E6%B4%A5%E5%B8%82%20%E5%8F%B8%E6%B3%95%E5%B1%80%2F2'
    """
    return quote(value, safe="-._~")


class Minter:
    def __init__(self, base: str) -> None:
        self.base = base

    def jurisdiction(self, code: str) -> str:
        return f"{self.base}jurisdiction/{segment(code)}"

    def concept(self, scheme: str, cid: str) -> str:
        return f"{self.base}{segment(scheme.replace('_', '-'))}/{segment(cid)}"

    def scheme(self, scheme: str) -> str:
        return f"{self.base}scheme/{segment(scheme.replace('_', '-'))}"

    def report(self, rid: str) -> str:
        return f"{self.base}report/{segment(rid)}"

    def graph(self, rid: str) -> str:
        return f"{self.base}graph/report/{segment(rid)}"

    def special_graph(self, name: str) -> str:
        return f"{self.base}graph/{segment(name)}"

    def document(self, title: str) -> str:
        return f"{self.base}document/{segment(title)}"

    def agency(self, code: str, kind: str) -> str:
        return f"{self.base}agency/{segment(code)}/{segment(kind)}"

    def named_agency(self, code: str, kind: str, name: str) -> str:
        """A unit with a name of its own (俵口派出所): the kind's IRI and the name."""
        return f"{self.agency(code, kind)}/{segment(name)}"

    def sub_unit(self, code: str, parent_kind: str, kind: str) -> str:
        """A unit with no name of its own under its agency (区法院非诉分中心): below the agency's IRI."""
        return f"{self.agency(code, parent_kind)}/{segment(kind)}"

    def organ(self, cid: str) -> str:
        return f"{self.base}organ/{segment(cid)}"

    def in_report(self, rid: str, kind: str, *parts: object) -> str:
        tail = "-".join(segment(str(p)) for p in parts)
        return f"{self.report(rid)}/{kind}/{tail}"

    def adoption(self, rid: str, jurisdiction_code: str, scheme: str, cid: str) -> str:
        return self.in_report(rid, "adoption", jurisdiction_code, scheme, cid)


def short_hash(text: str, n: int = 16) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:n]
