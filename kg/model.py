"""The plain objects that flow through the pipeline.

One :class:`Report` is created by :mod:`kg.ingest` and every later stage adds to it
(``Report -> Report``).  Nothing here imports a stage.

Offsets: every ``start``/``end`` is a character offset into ``Report.text``, the
cleaned text that ``kg extract FILE --text`` prints.  ``Report.norm`` is the
normalised match form (full-width to half-width, traditional to simplified); it has
exactly the same length as ``text``, so an offset found in ``norm`` points at the
same characters of ``text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Level = Literal["province", "prefecture", "county", "township"]
DocType = Literal["government_report", "congress_inspection", "department_report", "other"]
Role = Literal["practice", "problem", "plan", "recommendation", "background"]
EntityType = Literal["jurisdiction", "agency", "mechanism", "document", "program", "honor", "metric"]

LEVELS: tuple[str, ...] = ("province", "prefecture", "county", "township")
DOC_TYPES: tuple[str, ...] = ("government_report", "congress_inspection", "department_report", "other")
ROLES: tuple[str, ...] = ("practice", "problem", "plan", "recommendation", "background")
ENTITY_TYPES: tuple[str, ...] = (
    "jurisdiction",
    "agency",
    "mechanism",
    "document",
    "program",
    "honor",
    "metric",
)
#: stance of an adoption, derived from the section role of its evidence
STANCE_OF_ROLE: dict[str, str] = {
    "practice": "practised",
    "problem": "problem",
    "plan": "planned",
    "recommendation": "recommended",
    "background": "mentioned",
}


@dataclass(slots=True)
class Jurisdiction:
    """A place with its GB/T 2260 code.

    ``name`` is the official name of the unit itself (宁河区); ``full_name`` is the
    name written as the whole chain (天津市宁河区); ``parents`` are the codes of the
    enclosing units, nearest last (["120000"] for 宁河区).
    """

    code: str
    name: str
    full_name: str
    level: Level
    parents: tuple[str, ...] = ()
    short: str = ""

    def as_json(self) -> dict[str, str]:
        return {"name": self.full_name, "code": self.code, "level": self.level}


@dataclass(slots=True)
class Section:
    """A heading and the text under it, up to the next heading of the same or a higher level."""

    index: int
    heading: str
    level: int  # 1 for 一、, 2 for (一), 3 for 1. , 4 for 一是 ...
    start: int  # offset of the heading
    end: int  # end of the section's text
    role: Role
    parent: int | None = None


@dataclass(slots=True)
class Sentence:
    index: int
    start: int
    end: int
    section: int | None  # index into Report.sections, None before the first heading
    role: Role | None = None  # the section's role, or the paragraph's when its lead sentence has a cue
    paragraph: int = 0  # index of the paragraph (line of the cleaned text) it belongs to


@dataclass(slots=True)
class Mention:
    """A typed span of the report's text, with what it was resolved to."""

    type: EntityType
    start: int
    end: int
    text: str
    canonical: str = ""
    concept: str | None = None  # vocabulary id (mechanism, program, honor, agency kind, indicator)
    labels: list[str] = field(default_factory=list)
    iri: str = ""
    sentence: int | None = None
    section_role: Role | None = None
    attrs: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": self.type,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "canonical": self.canonical,
            "labels": list(self.labels),
            "iri": self.iri,
            "section_role": self.section_role,
        }
        out.update(self.attrs)
        return out


@dataclass(slots=True)
class Report:
    """One report as it moves through the stages."""

    source: str  # the path it was read from
    text: str  # cleaned text: boilerplate lines removed, characters as the file has them
    norm: str  # normalised match form, same length as text
    id: str = ""  # hash of the normalised text
    encoding: str = ""
    # metadata stage
    title: str | None = None
    jurisdiction: Jurisdiction | None = None
    report_year: int | None = None
    published: str | None = None  # YYYY-MM-DD
    doc_type: DocType = "other"
    issuer: str | None = None
    source_label: str | None = None  # the page's 来源 line
    # structure stage
    sections: list[Section] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    # extract / resolve stages
    mentions: list[Mention] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: names of the stages that have run, in order (checked by kg.pipeline)
    stages: list[str] = field(default_factory=list)

    def report_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "jurisdiction": self.jurisdiction.as_json() if self.jurisdiction else None,
            "report_year": self.report_year,
            "published": self.published,
            "doc_type": self.doc_type,
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "report": self.report_json(),
            "entities": [m.as_json() for m in self.mentions],
        }

    def section_of(self, offset: int) -> Section | None:
        """The innermost section containing ``offset``."""
        found: Section | None = None
        for s in self.sections:
            if s.start <= offset < s.end and (found is None or s.level >= found.level):
                found = s
        return found

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence containing ``offset`` (binary search)."""
        lo, hi = 0, len(self.sentences) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            s = self.sentences[mid]
            if offset < s.start:
                hi = mid - 1
            elif offset >= s.end:
                lo = mid + 1
            else:
                return s
        return None
