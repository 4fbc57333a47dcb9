"""Terms that look like mechanisms or agencies but are in no vocabulary: a curator's worklist.

The shapes are data (``ontology/cues/candidate_shapes.csv``): quoted terms “…”, …机制,
…模式, …工作法, …制度, “N+X” shapes, and agency-shaped names (a relative prefix + 局 委
办 中心 院 所 队 …).  :func:`collect` reads reports (ingest, metadata and structure only:
no spaCy), finds every term of those shapes, drops those a vocabulary already knows, and
ranks the rest by the number of reports and of jurisdictions using them, each with an
example sentence.  A curator who adds one to ``ontology/vocab/mechanisms.csv`` (or
``agency_kinds.csv``) sees it found by the next build and gone from this list.

>>> shapes = load_shapes(DEFAULT_ONTOLOGY)
>>> [t.term for t in find("构建矛盾调解“N+”模式。", shapes)]
['矛盾调解“N+”模式']
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from kg import ingest, metadata, structure
from kg import vocab as vocabulary
from kg.config import Settings
from kg.datafiles import read_csv
from kg.errors import ConfigError, InputError, KGError
from kg.matcher import PhraseIndex
from kg.model import Report

SHAPES_FILE = "cues/candidate_shapes.csv"
SHAPE_KINDS = ("mechanism", "agency", "trim", "generic")
TERM_KINDS = ("mechanism", "agency")
#: a term is known when vocabulary labels found in the text cover at least this share of it
KNOWN_COVER = 0.5
#: schemes whose labels make a mechanism-shaped term known
MECHANISM_SCHEMES = ("mechanism", "program", "honor", "agency_kind", "national_organ", "indicator")
AGENCY_SCHEMES = ("agency_kind", "national_organ")
_QUOTES = re.compile(r"[“”‘’\"']")
DEFAULT_ONTOLOGY = vocabulary.DEFAULT_ONTOLOGY


@dataclass(frozen=True, slots=True)
class Shape:
    kind: str
    pattern: re.Pattern[str]
    note: str
    source: str  # file:line


@dataclass(frozen=True, slots=True)
class Shapes:
    terms: tuple[Shape, ...]  # mechanism and agency shapes
    trim: tuple[re.Pattern[str], ...]
    generic: tuple[re.Pattern[str], ...]


def load_shapes(ontology: str | Path) -> Shapes:
    """The shapes of ``ontology/cues/candidate_shapes.csv``; errors name ``file:line``."""
    terms: list[Shape] = []
    trim: list[re.Pattern[str]] = []
    generic: list[re.Pattern[str]] = []
    for row in read_csv(Path(ontology) / SHAPES_FILE, ("kind", "regex")):
        kind = row["kind"]
        if kind not in SHAPE_KINDS:
            raise row.error(f"column 'kind' has value {kind!r} (allowed: {', '.join(SHAPE_KINDS)})")
        pattern = row.regex("regex")
        if kind in TERM_KINDS:
            terms.append(Shape(kind, pattern, row["note"], f"{row.path}:{row.line}"))
        else:
            (trim if kind == "trim" else generic).append(pattern)
    return Shapes(tuple(terms), tuple(trim), tuple(generic))


@dataclass(frozen=True, slots=True)
class Found:
    """One occurrence of a shaped term in a text."""

    kind: str
    term: str
    start: int
    end: int
    core: str  # what is looked up: the term without its agency prefix
    shape: str  # note of the shape


def _trim(term: str, start: int, patterns: Iterable[re.Pattern[str]]) -> tuple[str, int]:
    changed = True
    while changed:
        changed = False
        for p in patterns:
            m = p.match(term)
            if m and 0 < m.end() < len(term):
                term, start, changed = term[m.end() :], start + m.end(), True
    return term, start


def find(text: str, shapes: Shapes) -> Iterator[Found]:
    """Every shaped term of ``text`` (leading verbs trimmed), outermost first where they nest."""
    found: list[Found] = []
    for shape in shapes.terms:
        for m in shape.pattern.finditer(text):
            group = "term" if "term" in shape.pattern.groupindex and m.group("term") else 0
            start, end = m.span(group)
            term, start = _trim(text[start:end], start, shapes.trim if shape.kind == "mechanism" else ())
            if len(term) < 2:
                continue
            core = term
            if shape.kind == "agency" and "prefix" in shape.pattern.groupindex and m.group("prefix"):
                core = text[m.end("prefix") : end]
            found.append(Found(shape.kind, term, start, end, core, shape.note))
    found.sort(key=lambda f: (f.start, -f.end))
    kept: list[Found] = []
    for f in found:
        if any(k.kind == f.kind and k.start <= f.start and f.end <= k.end for k in kept):
            continue  # 矛盾调解“N+”模式 holds “N+”: the longer term stands for both
        kept.append(f)
    yield from kept


def name_key(name: str) -> str:
    return _QUOTES.sub("", re.sub(r"\s+", "", vocabulary.normalise(name)))


class Known:
    """Whether a term is already in a vocabulary (see the header of candidate_shapes.csv)."""

    def __init__(self, voc: vocabulary.Vocabulary, shapes: Shapes) -> None:
        self.generic = shapes.generic
        written = {label for s in MECHANISM_SCHEMES for label in voc.label_index(s)} - {""}
        self.labels = {name_key(label) for label in written} - {""}
        #: labels as the normalised text writes them (quotes kept), for coverage in the text
        self.text_index = PhraseIndex({label: None for label in written})
        self.agency_labels = tuple({name_key(label) for s in AGENCY_SCHEMES for label in voc.label_index(s)} - {""})

    def spans(self, norm: str) -> list[tuple[int, int]]:
        """Where vocabulary labels stand in a report's normalised text (leftmost-longest)."""
        return [(m.start, m.end) for m in self.text_index.find(norm)]

    def core(self, key: str) -> str:
        """``key`` without its generic end, cut again and again (府院联动工作机制 -> 府院联动)."""
        changed = True
        while changed and key:
            changed = False
            for p in self.generic:
                shorter = p.sub("", key)
                if shorter != key:
                    key, changed = shorter, True
        return key

    def __call__(self, found: Found, spans: Iterable[tuple[int, int]] = ()) -> bool:
        key = name_key(found.term)
        if key in self.labels:
            return True
        if found.kind == "agency":
            core = name_key(found.core)
            return any(core.endswith(label) for label in self.agency_labels)
        core = self.core(key)
        if len(core) < 2 or core in self.labels:
            return True  # nothing but generic words (服务机制), or a known label with a generic end
        covered = sum(max(0, min(e, found.end) - max(s, found.start)) for s, e in spans)
        return covered >= KNOWN_COVER * (found.end - found.start)


@dataclass(slots=True)
class Candidate:
    kind: str
    term: str
    shape: str
    reports: set[str] = field(default_factory=set)  # report ids
    jurisdictions: set[str] = field(default_factory=set)
    uses: int = 0
    example: str = ""
    example_source: str = ""
    sources: list[str] = field(default_factory=list)

    def rank(self) -> tuple[int, int, int, str]:
        return (-len(self.reports), -len(self.jurisdictions), -self.uses, self.term)

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "term": self.term,
            "reports": len(self.reports),
            "jurisdictions": sorted(self.jurisdictions),
            "uses": self.uses,
            "example": self.example,
            "example_source": self.example_source,
            "sources": self.sources,
            "shape": self.shape,
        }


@dataclass(slots=True)
class Collected:
    candidates: list[Candidate]
    reports: int
    failed: list[InputError]

    def as_json(self) -> dict[str, Any]:
        return {
            "reports": self.reports,
            "failed": [{"path": e.path, "reason": e.reason} for e in self.failed],
            "candidates": [c.as_json() for c in self.candidates],
        }


def sentence_of(report: Report, start: int, end: int) -> str:
    s = report.sentence_at(start)
    if s is not None and s.end >= end:
        return report.text[s.start : s.end].strip()
    return report.text[max(0, start - 40) : end + 40].strip()


def candidates_in(report: Report, shapes: Shapes, known: Known) -> Iterator[tuple[Found, str]]:
    """The unknown shaped terms of one report (ingest, metadata and structure done), with their sentences."""
    spans = known.spans(report.norm)
    for f in find(report.norm, shapes):
        if not known(f, spans):
            yield (
                Found(f.kind, report.text[f.start : f.end], f.start, f.end, f.core, f.shape),
                sentence_of(report, f.start, f.end),
            )


def read_report(path: Path, settings: Settings) -> Report:
    report = ingest.read(path)
    metadata.annotate(report, ontology=settings.ontology)
    structure.annotate(report, settings.ontology)
    return report


def collect(
    paths: Iterable[str | Path], settings: Settings, min_reports: int = 1, kinds: Iterable[str] = TERM_KINDS
) -> Collected:
    """Candidates of the reports under ``paths``, ranked by reports, then jurisdictions, then uses."""
    shapes = load_shapes(settings.ontology)
    known = Known(vocabulary.load(settings.ontology), shapes)
    wanted = set(kinds)
    found: dict[tuple[str, str], Candidate] = {}
    failed: list[InputError] = []
    seen: set[str] = set()
    for item in ingest.iter_inputs(paths):
        if isinstance(item, InputError):
            failed.append(item)
            continue
        try:
            report = read_report(item, settings)
        except InputError as exc:
            failed.append(exc)
            continue
        if report.id in seen:
            continue  # the same report twice (two copies, two encodings) counts once
        seen.add(report.id)
        place = report.jurisdiction.full_name if report.jurisdiction else "(unknown)"
        for f, sentence in candidates_in(report, shapes, known):
            if f.kind not in wanted:
                continue
            key = (f.kind, name_key(f.term))
            c = found.setdefault(key, Candidate(f.kind, f.term, f.shape))
            c.uses += 1
            c.jurisdictions.add(place)
            if report.id not in c.reports:
                c.reports.add(report.id)
                c.sources.append(str(item))
            if not c.example:
                c.example, c.example_source = sentence, str(item)
    ranked = sorted((c for c in found.values() if len(c.reports) >= min_reports), key=Candidate.rank)
    return Collected(ranked, len(seen), failed)


def render(result: Collected, limit: int | None = None) -> str:
    shown = result.candidates[:limit] if limit else result.candidates
    lines = [f"{len(result.candidates)} candidate(s) in {result.reports} report(s)"]
    if limit and len(result.candidates) > limit:
        lines[0] += f", the first {limit} shown"
    lines.append(f"{'reports':>7} {'places':>6} {'uses':>4}  {'kind':<9} term / example")
    for c in shown:
        lines.append(f"{len(c.reports):>7} {len(c.jurisdictions):>6} {c.uses:>4}  {c.kind:<9} {c.term}")
        example = c.example if len(c.example) <= 100 else c.example[:99] + "…"
        lines.append(f"{'':>31}{Path(c.example_source).name}: {example}")
    return "\n".join(lines) + "\n"


@click.command("candidates")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--min-reports",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Only terms used in at least N reports.",
)
@click.option(
    "--kind", "kinds", type=click.Choice(TERM_KINDS), multiple=True, help="Only this kind (repeatable; default both)."
)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Print only the first N (text output).")
@click.option("--json", "as_json", is_flag=True, help="Print the candidates as JSON.")
def candidates_command(
    paths: tuple[str, ...], min_reports: int, kinds: tuple[str, ...], limit: int | None, as_json: bool
) -> None:
    """List terms that look like mechanisms or agencies but are in no vocabulary.

    Shapes are data (ontology/cues/candidate_shapes.csv). Ranked by the number of reports
    and jurisdictions using a term, each with an example sentence, so a curator can grow
    the vocabularies. Exit 0, or 1 when some inputs could not be read (each is named).
    """
    from kg import config

    try:
        settings = config.load()
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    try:
        result = collect(paths, settings, min_reports, kinds or TERM_KINDS)
    except KGError as exc:
        click.echo(f"kg: {exc}", err=True)
        raise SystemExit(1) from None
    if as_json:
        click.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(render(result, limit), nl=False)
    for err in result.failed:
        click.echo(f"failed {err.path}: {err.reason}", err=True)
    raise SystemExit(1 if result.failed else 0)


__all__ = [
    "SHAPES_FILE",
    "Candidate",
    "Collected",
    "Found",
    "Known",
    "Shapes",
    "candidates_command",
    "collect",
    "find",
    "load_shapes",
    "render",
]
