"""Stage: the section tree, each section's role, and sentences with offsets.

Reads ``Report.text``/``Report.norm`` (one paragraph a line, as :mod:`kg.ingest`
leaves it) and adds ``Report.sections`` and ``Report.sentences``.

- Headings are found with the patterns of ``ontology/cues/headings.csv`` (一、 (一) 1.
  (1) 一是 …); a heading that runs on into its paragraph (``(一)标题。正文…``) ends at
  the first 。.
- A section's role comes from the cues of ``ontology/cues/section_roles.csv`` that
  match its heading (``where=heading``); without a cue it inherits its parent's role;
  a top-level section without a cue is ``practice`` and text before the first heading
  is ``background``.
- A paragraph whose first sentence matches a ``where=lead`` cue (e.g. 但…还存在…差距)
  gives its sentences that role instead of the section's.
- A practice or background sentence that itself plans, admits a problem or recommends
  (``ontology/cues/stance.csv``: 有待提高, 下一步将…) takes that role; sentences of
  problem, plan and recommendation sections keep theirs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg import vocab
from kg.datafiles import read_csv
from kg.model import Report, Section, Sentence

NAME = "structure"
REQUIRES = ("ingest",)

_SENTENCE_END = re.compile(r"[。！？!?]+[”’」』)]*")


@dataclass(frozen=True, slots=True)
class HeadingRule:
    level: int
    pattern: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class Rules:
    headings: tuple[HeadingRule, ...]
    vocabulary: vocab.Vocabulary  # section-role and stance cues


def load_rules(ontology: Path) -> Rules:
    return Rules(load_headings(ontology), vocab.load(ontology))


@lru_cache(maxsize=8)
def load_headings(ontology: Path) -> tuple[HeadingRule, ...]:
    return tuple(
        HeadingRule(row.integer("level"), row.regex("pattern"))
        for row in read_csv(ontology / "cues" / "headings.csv", ("level", "pattern"))
    )


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line, whitespace trimmed."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        stripped = line.strip()
        if stripped:
            start = pos + (len(line) - len(line.lstrip()))
            out.append((start, start + len(stripped)))
        pos = end + 1
    return out


def findload_headings(norm: str, rules: Rules) -> list[tuple[int, int, int]]:
    """(level, start, end of heading text) for every line that starts with a heading marker."""
    found: list[tuple[int, int, int]] = []
    for start, end in _lines(norm):
        line = norm[start:end]
        for rule in rules.headings:
            if rule.pattern.match(line):
                stop = line.find("。")
                found.append((rule.level, start, start + (stop if stop >= 0 else len(line))))
                break
    return found


def role_of(text: str, rules: Rules, where: str) -> str | None:
    """The role a heading (``where="heading"``) or a paragraph's lead sentence (``"lead"``) states."""
    cue = rules.vocabulary.section_role(text, where)
    return cue.role if cue else None


def sentence_role(text: str, role: str, rules: Rules) -> str:
    """A practice or background sentence that itself plans, admits a problem or recommends takes that role."""
    if role not in ("practice", "background"):
        return role
    cue = rules.vocabulary.stance(text)
    return cue.role if cue else role


def build(report: Report, rules: Rules) -> tuple[list[Section], list[Sentence]]:
    """Sections and sentences in one walk over the paragraphs.

    A paragraph whose lead sentence has a ``lead`` cue (2022年,我区将… / 但…仍存在…差距)
    sets the role of its own sentences and of the headed items that follow it, up to
    the next top-level heading or the next paragraph with a cue: reports often close a
    section with a problems paragraph and a plans paragraph followed by (一)(二)… items.
    """
    norm, text = report.norm, report.text
    heads = findload_headings(norm, rules)
    head_at = {start: (level, hend) for level, start, hend in heads}
    top = min((lv for lv, _, _ in heads), default=1)
    sections: list[Section] = []
    sentences: list[Sentence] = []
    override: str | None = None
    for para, (start, end) in enumerate(_lines(norm)):
        lead_role: str | None = None
        if start in head_at:
            level, hend = head_at[start]
            i = len(sections)
            sec_end = next((s for lv, s, _ in heads[i + 1 :] if lv <= level), len(text))
            parent = next((j for j in range(i - 1, -1, -1) if sections[j].level < level), None)
            if level <= top:
                override = None
            role = role_of(norm[start:hend], rules, "heading")
            if role is None:
                role = override or (sections[parent].role if parent is not None else "practice")
            sections.append(Section(i, text[start:hend], level, start, sec_end, role, parent))  # type: ignore[arg-type]
        spans = _sentence_spans(norm, start, end)
        if start not in head_at and spans:
            lead_role = role_of(norm[spans[0][0] : spans[0][1]], rules, "lead")
            if lead_role is not None:
                override = lead_role
        for s, e in spans:
            section = innermost(sections, s)
            role = lead_role or override or (section.role if section else "background")
            if section is not None and section.start == start:
                role = lead_role or section.role
            role = sentence_role(norm[s:e], role, rules)
            sentences.append(
                Sentence(len(sentences), s, e, section.index if section else None, role, para)  # type: ignore[arg-type]
            )
    return sections, sentences


def _sentence_spans(norm: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = start
    for m in _SENTENCE_END.finditer(norm, start, end):
        spans.append((pos, m.end()))
        pos = m.end()
    if pos < end:
        spans.append((pos, end))
    out = []
    for s, e in spans:
        while s < e and norm[s].isspace():
            s += 1
        if s < e:
            out.append((s, e))
    return out


def innermost(sections: list[Section], offset: int) -> Section | None:
    found: Section | None = None
    for s in sections:
        if s.start > offset:
            break
        if offset < s.end and (found is None or s.level > found.level):
            found = s
    return found


def annotate(report: Report, ontology: Path) -> Report:
    """Add the section tree and sentences to ``report``."""
    report.sections, report.sentences = build(report, load_rules(ontology))
    report.stages.append(NAME)
    return report
