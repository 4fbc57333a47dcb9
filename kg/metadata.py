"""Stage: a report's title, jurisdiction, report year, publication date, document type and issuer.

Reads ``Report.norm`` for every match (offsets are the same in ``Report.text``, which gives the title
as written) and sets ``title``, ``jurisdiction``, ``report_year``, ``published``, ``doc_type``,
``issuer`` and ``source_label``; whatever cannot be found is left empty with a line in
``Report.warnings``.  Cue words live in ``ontology/cues/metadata_lines.csv`` and
``ontology/cues/doc_types.csv``; jurisdictions come from :mod:`kg.gazetteer`.

A page is read as zones (:func:`find_zones`): the **banner** (lines above the title), the **title**,
the **header** (the short lines under it: 来源, 发布时间, the 会议 line, the reporting group), the
**body**, the **signature** (short lines at the end: the signing body and date) and the **footer**
(page furniture after it: 版权所有, 主办 ...).

- title: the first short line in the first 20 with a title cue (报告, 工作总结 ...) and no
  breadcrumb or banner cue, preferring one with a year or 关于; a leading 【…】 column tag is
  stripped; a short issuer line right above it (天津市宁河区人民政府) is joined to it.
- published: the best-labelled date in the header (发布时间 > 时间/日期 > 成文日期), then in the
  banner, else the date line of the signature.  ``YYYY-MM-DD``.
- report_year: the first year in the title, else a body sentence opening with ``20XX年,``, else the
  publication year when the body speaks of the year under way (今年以来: a congress inspection in
  autumn), else the publication year - 1 (with a warning).
- jurisdiction: the first zone of title, signature, header that names a place decides; inside it the
  first name, or a later one inside it (无锡市 ... 锡山区 -> 锡山区).  A name with several units
  (鼓楼区) is narrowed by the places the other zones and the body name
  (:meth:`kg.gazetteer.Gazetteer.disambiguate`); still several -> a warning, no guess.  When the
  report speaks of itself as 我区/全县 (self_ref cues) and another zone names a unit inside the chosen
  one with that ending, that unit wins (title 无锡市…, signature 无锡市锡山区人民政府, 我区 ->
  锡山区).  With no name in those zones: the body's most named place whose name fits the self
  reference; the banner and footer only as a last resort, with a warning.
- doc_type: weighted cues by zone (doc_types.csv).
- issuer: the reporting body named in the title, else the reporting group in the header, else the
  signing body, else the source label.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import cast

from kg.config import load
from kg.datafiles import Row, read_csv
from kg.gazetteer import Gazetteer, NameHit, get_gazetteer
from kg.model import DOC_TYPES, DocType, Jurisdiction, Report
from kg.numerals import chinese_number

NAME = "metadata"
REQUIRES = ("ingest",)
PROVIDES = ("title", "jurisdiction", "report_year", "published", "doc_type", "issuer", "source_label")

LINE_KINDS = (
    "title",
    "not_title",
    "title_tag",
    "title_head",
    "published",
    "source",
    "footer",
    "self_ref",
    "issuer",
    "current_year",
)
ZONES = ("banner", "title", "header", "body", "signature", "footer")
TITLE_WINDOW = 20  # non-blank lines searched for the title
TITLE_MAX = 80  # characters
HEADER_LINES = 6
SHORT_LINE = 60  # a header line is shorter than this
SIGNATURE_LINE = 40
SIGNATURE_LINES = 4
_SENTENCE_END = tuple("。;；,，:：!！?？")
_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?!\d)")
_CN_DATE = re.compile(
    r"(?P<y>[〇零○一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,2})月(?P<d>[一二三四五六七八九十]{1,3})日"
)
_YEAR = re.compile(r"(?:19|20)\d{2}(?=\s*年)|[〇零○一二三四五六七八九]{4}(?=年)")
_BODY_YEAR = re.compile(r"(?:^|[。\n])\s*((?:19|20)\d{2})\s*年度?\s*[,，]")
_DATE_LINE = re.compile(
    r"^\s*(?:(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|" + _CN_DATE.pattern + r")\s*$"
)
_LABEL_GAP = re.compile(r"^[\s:：]*")
_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\)|（[一二三四五六七八九十]{1,3}）)"
)


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the report: offsets into ``text``/``norm`` and the normalised text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Cue:
    kind: str  # a LINE_KINDS entry, or a doc type for doc_types.csv
    where: str
    pattern: re.Pattern[str]
    weight: float


@dataclass(frozen=True, slots=True)
class Cues:
    lines: tuple[Cue, ...]
    doc_types: tuple[Cue, ...]

    def of(self, kind: str) -> tuple[Cue, ...]:
        return tuple(c for c in self.lines if c.kind == kind)

    def any(self, kind: str, text: str) -> bool:
        return any(c.pattern.search(text) for c in self.lines if c.kind == kind)


@dataclass(frozen=True, slots=True)
class Zones:
    banner: tuple[Span, ...]
    title: Span | None
    header: tuple[Span, ...]
    body: Span
    signature: tuple[Span, ...]
    footer: tuple[Span, ...]

    def lines(self, zone: str) -> tuple[Span, ...]:
        if zone == "title":
            return (self.title,) if self.title else ()
        if zone == "body":
            return (self.body,)
        return cast(tuple[Span, ...], getattr(self, zone))


# --------------------------------------------------------------------------- data


@lru_cache(maxsize=8)
def load_cues(ontology: Path | None = None) -> Cues:
    """Read ``cues/metadata_lines.csv`` and ``cues/doc_types.csv`` under ``ontology``."""
    folder = (ontology or load().ontology) / "cues"
    lines: list[Cue] = []
    for row in read_csv(folder / "metadata_lines.csv", ("kind", "where", "pattern", "weight")):
        if row["kind"] not in LINE_KINDS:
            raise row.error(f"column 'kind' has value {row['kind']!r} (allowed: {', '.join(LINE_KINDS)})")
        lines.append(Cue(row["kind"], row["where"], row.regex("pattern"), _weight(row)))
    kinds: list[Cue] = []
    for row in read_csv(folder / "doc_types.csv", ("doc_type", "where", "pattern", "weight")):
        if row["doc_type"] not in DOC_TYPES:
            raise row.error(f"column 'doc_type' has value {row['doc_type']!r} (allowed: {', '.join(DOC_TYPES)})")
        if row["where"] not in ("title", "header", "body", "signature"):
            raise row.error(f"column 'where' has value {row['where']!r} (allowed: title, header, body, signature)")
        kinds.append(Cue(row["doc_type"], row["where"], row.regex("pattern"), _weight(row)))
    return Cues(tuple(lines), tuple(kinds))


def _weight(row: Row) -> float:
    try:
        return float(row["weight"] or 1)
    except ValueError:
        raise row.error(f"column 'weight' has value {row['weight']!r}, not a number") from None


# --------------------------------------------------------------------------- zones and title


def lines_of(norm: str) -> list[Span]:
    """Every non-blank line, whitespace trimmed."""
    out: list[Span] = []
    pos = 0
    for line in norm.split("\n"):
        stripped = line.strip()
        if stripped:
            start = pos + len(line) - len(line.lstrip())
            out.append(Span(start, start + len(stripped), stripped))
        pos += len(line) + 1
    return out


def _is_title(line: str, cues: Cues) -> bool:
    return (
        6 <= len(line) <= TITLE_MAX
        and not line.endswith(_SENTENCE_END)
        and cues.any("title", line)
        and not cues.any("not_title", line)
    )


def find_title(norm: str, cues: Cues | None = None) -> Span | None:
    """The title line (see the module docstring); ``Span.text`` is the title in the normalised form."""
    cues = cues or load_cues()
    lines = lines_of(norm)[:TITLE_WINDOW]
    candidates = [i for i, s in enumerate(lines) if _is_title(_strip_tag(s.text, cues)[1], cues)]
    if not candidates:
        return None
    best = next((i for i in candidates if _YEAR.search(lines[i].text) or "关于" in lines[i].text), candidates[0])
    line = lines[best]
    cut, text = _strip_tag(line.text, cues)
    start = line.start + cut
    if best > 0:
        above = lines[best - 1]
        if (
            len(above.text) <= 30
            and cues.any("title_head", above.text)
            and not cues.any("not_title", above.text)
            and not cues.any("footer", above.text)
        ):
            return Span(above.start, line.end, above.text + text)
    return Span(start, line.end, text)


def _strip_tag(line: str, cues: Cues) -> tuple[int, str]:
    for cue in cues.of("title_tag"):
        m = cue.pattern.match(line)
        if m:
            return m.end(), line[m.end() :]
    return 0, line


def find_zones(norm: str, cues: Cues | None = None, title: Span | None = None) -> Zones:
    """Split the page into banner, title, header, body, signature and footer lines."""
    cues = cues or load_cues()
    title = title or find_title(norm, cues)
    lines = lines_of(norm)
    if title is not None:
        first = next(i for i, s in enumerate(lines) if s.end >= title.start)
        last = next(i for i, s in enumerate(lines) if s.end >= title.end)
    else:
        first, last = 0, -1
    header: list[Span] = []
    i = last + 1
    while i < len(lines) and len(header) < HEADER_LINES:
        s = lines[i]
        if len(s.text) >= SHORT_LINE or s.text.endswith("。") or _HEADING.match(s.text):
            break
        header.append(s)
        i += 1
    footer: list[Span] = []
    signature: list[Span] = []
    j = len(lines) - 1
    while j >= i:
        s = lines[j]
        if cues.any("footer", s.text) or len(s.text) <= 2:
            if not signature:
                footer.insert(0, s)
            j -= 1
            continue
        if len(s.text) > SIGNATURE_LINE or s.text.endswith(_SENTENCE_END) or len(signature) >= SIGNATURE_LINES:
            break
        signature.insert(0, s)
        j -= 1
    body_start = lines[i].start if i < len(lines) else len(norm)
    body_end = lines[j].end if j >= i and j < len(lines) else body_start
    return Zones(
        banner=tuple(lines[:first]),
        title=title,
        header=tuple(header),
        body=Span(body_start, body_end, norm[body_start:body_end]),
        signature=tuple(signature),
        footer=tuple(footer),
    )


# --------------------------------------------------------------------------- dates and years


def parse_date(text: str) -> str | None:
    """The first valid date in ``text`` as ``YYYY-MM-DD`` (2024-03-07, 2024年3月7日, 2024/3/7, 二〇二四年三月七日)."""
    for m in _DATE.finditer(text):
        found = _valid(int(m["y"]), int(m["m"]), int(m["d"]))
        if found:
            return found
    for m in _CN_DATE.finditer(text):
        found = _valid(_cn(m["y"]), _cn(m["m"]), _cn(m["d"]))
        if found:
            return found
    return None


def _valid(y: int, m: int, d: int) -> str | None:
    days = (31, 29 if y % 4 == 0 and (y % 100 or y % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    return f"{y:04d}-{m:02d}-{d:02d}" if 1 <= m <= 12 and 1 <= d <= days[m - 1] else None


def _cn(s: str) -> int:
    value = chinese_number(s)
    if value is None:  # the patterns only let numerals through
        raise ValueError(f"not a Chinese numeral: {s!r}")
    return value


def find_published(norm: str, cues: Cues | None = None, zones: Zones | None = None) -> str | None:
    """The publication date: best-labelled header date, then banner, then the signature's date line."""
    cues = cues or load_cues()
    zones = zones or find_zones(norm, cues)
    for zone in ("header", "banner"):
        best: tuple[float, str] | None = None
        for line in zones.lines(zone):
            for cue in cues.of("published"):
                for m in cue.pattern.finditer(line.text):
                    rest = _LABEL_GAP.sub("", line.text[m.end() :], count=1)
                    date = parse_date(rest[:20]) if rest[:1].isdigit() or _CN_DATE.match(rest) else None
                    if date and (best is None or cue.weight > best[0]):
                        best = (cue.weight, date)
        if best:
            return best[1]
    for line in reversed(zones.signature):
        if _DATE_LINE.match(line.text):
            return parse_date(line.text)
    return None


def find_report_year(
    title: str | None, body: str, published: str | None, cues: Cues | None = None
) -> tuple[int | None, str]:
    """(year, where it came from: title | body | published | "").  See the module docstring."""
    if title:
        m = _YEAR.search(title)
        if m:
            text = m.group(0)
            return (int(text) if text.isdigit() else _cn(text)), "title"
    m = _BODY_YEAR.search(body[:3000])
    if m:
        return int(m.group(1)), "body"
    if published:
        cues = cues or load_cues()
        if any(c.pattern.search(body[:3000]) for c in cues.of("current_year")):
            return int(published[:4]), "published"  # 今年以来: an inspection of the year under way
        return int(published[:4]) - 1, "published"
    return None, ""


# --------------------------------------------------------------------------- jurisdiction


def self_reference(text: str, cues: Cues | None = None) -> str | None:
    """The name ending a report uses for itself (区 for 我区/全区 ...), by weighted count; None if none."""
    cues = cues or load_cues()
    counts: Counter[str] = Counter()
    for cue in cues.of("self_ref"):
        for m in cue.pattern.finditer(text):
            counts[m["suffix"]] += cue.weight  # type: ignore[assignment]
    return counts.most_common(1)[0][0] if counts else None


def _inside_quotes(text: str, pos: int) -> bool:
    return text.rfind("《", 0, pos) > text.rfind("》", 0, pos)


def _zone_hits(norm: str, zones: Zones, zone: str, gaz: Gazetteer) -> list[NameHit]:
    hits: list[NameHit] = []
    for span in zones.lines(zone):
        for h in gaz.scan(span.text):
            if not _inside_quotes(span.text, h.start):
                hits.append(NameHit(span.start + h.start, span.start + h.end, h.surface, h.units))
    return hits


def find_jurisdiction(
    norm: str, gaz: Gazetteer | None = None, cues: Cues | None = None, zones: Zones | None = None
) -> tuple[Jurisdiction | None, list[str]]:
    """The report's own jurisdiction and the warnings met on the way (see the module docstring)."""
    gaz = gaz or get_gazetteer()
    cues = cues or load_cues()
    zones = zones or find_zones(norm, cues)
    warnings: list[str] = []
    hits = {zone: _zone_hits(norm, zones, zone, gaz) for zone in ZONES if zone != "body"}
    body_counts: Counter[str] = Counter()
    for h in gaz.scan(zones.body.text):
        if len(h.units) == 1 and h.units[0].level != "township":
            body_counts[h.units[0].code] += 1
    body_top = [u for u in (gaz.by_code(c) for c, _ in body_counts.most_common(5)) if u]
    sure = [h.units[0] for z in ("title", "signature", "header") for h in hits[z] if len(h.units) == 1]
    context = [*sure, *body_top]
    title_text = zones.title.text if zones.title else ""
    suffix = self_reference(title_text + "\n" + zones.body.text, cues)

    def resolved(zone: str) -> list[Jurisdiction]:
        out: list[Jurisdiction] = []
        for h in hits[zone]:
            unit = gaz.disambiguate(h.units, context)
            if unit is None:
                names = "、".join(u.full_name for u in h.units[:6])
                warnings.append(f"jurisdiction {h.surface} in the {zone} is ambiguous ({names}); none chosen")
            else:
                out.append(unit)
        return out

    ambiguous = False

    for zone in ("title", "signature", "header"):
        units = resolved(zone)
        if units:
            pick = units[0]
            for u in units[1:]:
                if gaz.within(u, pick) and u.code != pick.code:
                    pick = u
            if suffix and not pick.name.endswith(suffix):
                inner = [u for u in [*sure, *body_top] if gaz.within(u, pick) and u.name.endswith(suffix)]
                if inner:
                    pick = inner[0]
            return pick, warnings
        ambiguous = ambiguous or bool(hits[zone])
    if ambiguous:
        return None, warnings  # the report names itself, but not clearly enough: never guess another
    fitting = [u for u in body_top if not suffix or u.name.endswith(suffix)]
    if fitting:
        return fitting[0], warnings
    for zone in ("banner", "footer"):
        units = resolved(zone)
        if units:
            warnings.append(f"jurisdiction {units[0].full_name} taken from the page {zone} only")
            return units[0], warnings
    warnings.append("no jurisdiction found in the title, signature, header or body")
    return None, warnings


# --------------------------------------------------------------------------- type, source, issuer


def find_doc_type(norm: str, cues: Cues | None = None, zones: Zones | None = None) -> DocType:
    """The document type with the highest total cue weight; ``other`` when no cue matches."""
    cues = cues or load_cues()
    zones = zones or find_zones(norm, cues)
    scores: dict[str, float] = {}
    for cue in cues.doc_types:
        if any(cue.pattern.search(s.text) for s in zones.lines(cue.where)):
            scores[cue.kind] = scores.get(cue.kind, 0.0) + cue.weight
    if not scores:
        return "other"
    order = [c.kind for c in cues.doc_types]
    best = max(scores, key=lambda k: (scores[k], -order.index(k)))
    return cast(DocType, best)


def find_source(norm: str, cues: Cues | None = None, zones: Zones | None = None) -> str | None:
    """The value of the page's 来源 line in the header or banner, if not empty."""
    cues = cues or load_cues()
    zones = zones or find_zones(norm, cues)
    for line in (*zones.header, *zones.banner):
        for cue in cues.of("source"):
            m = cue.pattern.search(line.text)
            if m and m["value"]:
                return m["value"]
    return None


def find_issuer(norm: str, cues: Cues | None = None, zones: Zones | None = None) -> str | None:
    """The reporting body: named in the title, the header's reporting group, or the signature."""
    cues = cues or load_cues()
    zones = zones or find_zones(norm, cues)
    for where in ("title", "header", "signature"):
        for line in zones.lines(where):
            for cue in cues.of("issuer"):
                m = cue.pattern.search(line.text) if cue.where == where else None
                if m:
                    return m["org"]
    return None


# --------------------------------------------------------------------------- the stage


def annotate(report: Report, gaz: Gazetteer | None = None, ontology: Path | None = None) -> Report:
    """Set the report's metadata fields from ``report.norm``; warn about what is missing."""
    cues = load_cues(ontology)
    norm = report.norm
    title = find_title(norm, cues)
    zones = find_zones(norm, cues, title)
    warn = report.warnings.append
    if title is None:
        warn(f"no title found in the first {TITLE_WINDOW} lines")
    else:
        # as written (offsets are shared with norm); a title split over two lines is joined
        report.title = "".join(part.strip() for part in report.text[title.start : title.end].split("\n"))
    report.published = find_published(norm, cues, zones)
    if report.published is None:
        warn("no publication date found (no dated 发布时间/时间/日期 line, no date at the end)")
    year, how = find_report_year(title.text if title else None, zones.body.text, report.published, cues)
    report.report_year = year
    if how == "published":
        warn(f"report year not stated; taken as the publication year - 1 ({year})")
    elif year is None:
        warn("no report year found")
    report.jurisdiction, notes = find_jurisdiction(norm, gaz, cues, zones)
    report.warnings.extend(notes)
    report.doc_type = find_doc_type(norm, cues, zones)
    if report.doc_type == "other":
        warn("no document-type cue matched; doc_type is other")
    report.source_label = find_source(norm, cues, zones)
    report.issuer = find_issuer(norm, cues, zones) or report.source_label
    if report.issuer is None:
        warn("no issuing body found")
    report.stages.append(NAME)
    return report


__all__ = [
    "NAME",
    "PROVIDES",
    "REQUIRES",
    "Cue",
    "Cues",
    "Span",
    "Zones",
    "annotate",
    "find_doc_type",
    "find_issuer",
    "find_jurisdiction",
    "find_published",
    "find_report_year",
    "find_source",
    "find_title",
    "find_zones",
    "lines_of",
    "load_cues",
    "parse_date",
    "self_reference",
]
