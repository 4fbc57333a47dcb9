"""Coordinated names that share one written head (共享中心语).

Chinese writes a list of names with a common head once, after the last conjunct:
行政许可事项、证明事项、工程建设项目审批事项“三张清单” names three lists, and
领导干部、青少年、企业经营管理人员等重点对象学法用法 names three groups' law study.  The
phrase index sees only the contiguous ones.  :func:`expand` finds, in every clause with a
separator, a head ``H`` after the last conjunct (past an allowed gap such as 等重点对象 or
“三张) and yields a candidate for each conjunct whose modifier ``M`` (a suffix of the
conjunct) makes ``M + H`` a label of the index, when at least two conjuncts do: one
conjunct alone is no evidence that the list shares the head.

A candidate's span runs from its modifier to the end of the head, the text that proves it,
and carries ``attrs["coordinated"] = M + H``.  The clause punctuation, separators and gaps
are the data of ``ontology/cues/coordination.csv``.

>>> labels = {"行政许可事项清单": "a", "证明事项清单": "b", "领导干部学法用法": "c", "企业经营管理人员学法用法": "d"}
>>> rules = Rules(clause=re.compile("[，；。]"), separator=re.compile("、|和"), gap=re.compile("等(?:重点对象)?|“?[一二三]张“?"))
>>> heads = Heads(labels)
>>> text = "制发行政许可事项、证明事项、工程建设项目审批事项“三张清单”。"
>>> [(text[s:e], label) for s, e, label, _ in expand(text, heads, rules)]
[('行政许可事项、证明事项、工程建设项目审批事项“三张清单', '行政许可事项清单'), ('证明事项、工程建设项目审批事项“三张清单', '证明事项清单')]
>>> [label for _, _, label, _ in expand("加强领导干部、青少年、企业经营管理人员等重点对象学法用法。", heads, rules)]
['领导干部学法用法', '企业经营管理人员学法用法']
>>> list(expand("推进行政许可事项、办税事项清单", heads, rules))
[]
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from kg.datafiles import read_csv
from kg.errors import DataFileError

T = TypeVar("T")

#: the shortest modifier and head considered (one character says too little)
MIN_PART = 2
#: the longest gap between the last conjunct and the head (等重点对象, “三张)
MAX_GAP = 8


@dataclass(frozen=True, slots=True)
class Rules:
    clause: re.Pattern[str]
    separator: re.Pattern[str]
    gap: re.Pattern[str]


def load_rules(ontology: Path) -> Rules:
    path = ontology / "cues" / "coordination.csv"
    found: dict[str, list[str]] = {"clause": [], "separator": [], "gap": []}
    for row in read_csv(path, ("kind", "pattern")):
        if row["kind"] not in found:
            raise row.error(f"kind {row['kind']!r} is not one of {', '.join(found)}")
        row.regex("pattern")  # a bad regex is reported with its line
        found[row["kind"]].append(row["pattern"])
    for kind, patterns in found.items():
        if not patterns:
            raise DataFileError(str(path), f"no {kind} row")
    return Rules(
        clause=re.compile("|".join(f"(?:{p})" for p in found["clause"])),
        separator=re.compile("|".join(f"(?:{p})" for p in found["separator"])),
        gap=re.compile("|".join(f"(?:{p})" for p in found["gap"])),
    )


class Heads(Generic[T]):
    """Every label split into modifier + head, indexed by head."""

    def __init__(self, labels: Mapping[str, T]) -> None:
        self.labels = labels
        self.by_head: dict[str, set[str]] = {}
        for label in labels:
            for cut in range(MIN_PART, len(label) - MIN_PART + 1):
                self.by_head.setdefault(label[cut:], set()).add(label[:cut])
        self.longest_head = max((len(h) for h in self.by_head), default=0)
        self.longest_modifier = max((len(m) for ms in self.by_head.values() for m in ms), default=0)

    def modifier_at_end(self, text: str, start: int, end: int, head: str) -> int | None:
        """Start of the longest modifier of ``head`` that ends at ``end`` (not before ``start``)."""
        modifiers = self.by_head[head]
        for length in range(min(end - start, self.longest_modifier), MIN_PART - 1, -1):
            if text[end - length : end] in modifiers:
                return end - length
        return None


def expand(text: str, heads: Heads[T], rules: Rules) -> Iterator[tuple[int, int, str, T]]:
    """(start, end, label, payload) of each conjunct a shared head completes into a label."""
    if not heads.by_head:
        return
    clause_start = 0
    for stop in [m.start() for m in rules.clause.finditer(text)] + [len(text)]:
        if stop > clause_start:
            yield from _clause(text, clause_start, stop, heads, rules)
        clause_start = stop + 1


def _clause(text: str, start: int, end: int, heads: Heads[T], rules: Rules) -> Iterator[tuple[int, int, str, T]]:
    conjuncts: list[tuple[int, int]] = []
    at = start
    for sep in rules.separator.finditer(text, start, end):
        if sep.start() > at:
            conjuncts.append((at, sep.start()))
        at = sep.end()
    if not conjuncts or at >= end:
        return
    last_start = at
    best: list[tuple[int, int, str]] = []
    for j in range(last_start + MIN_PART, end - MIN_PART + 1):
        for k in range(min(heads.longest_head, end - j), MIN_PART - 1, -1):
            head = text[j : j + k]
            if head not in heads.by_head:
                continue
            found = _complete(text, conjuncts, last_start, j, head, heads, rules)
            if len(found) >= 2 and len(found) > len(best):
                best = found
        if best:
            break  # the leftmost head that completes a list wins
    for s, e, label in best:
        yield s, e, label, heads.labels[label]


def _complete(
    text: str,
    conjuncts: list[tuple[int, int]],
    last_start: int,
    j: int,
    head: str,
    heads: Heads[T],
    rules: Rules,
) -> list[tuple[int, int, str]]:
    """The conjuncts that ``head`` at ``j`` completes into labels, if a gap allows it there.

    With a gap (等重点对象, “三张) two completed conjuncts are enough; with the head right
    after the last conjunct every conjunct must complete, else 律师、公证、人民调解 would
    make 律师调解 of a head that belongs to the last conjunct alone.
    """
    last: tuple[int, int, str] | None = None
    gapped = False
    for g in range(j, max(last_start, j - MAX_GAP - 1), -1):
        if g - last_start < MIN_PART:
            break
        if g < j and not rules.gap.fullmatch(text, g, j):
            continue
        m = heads.modifier_at_end(text, last_start, g, head)
        if g < j:
            gapped = True
        if m is not None:
            last = (m, j + len(head), text[m:g] + head)
            break
    if last is None and not gapped:
        return []
    found = []
    for s, e in conjuncts:
        m = heads.modifier_at_end(text, s, e, head)
        if m is not None:
            found.append((m, j + len(head), text[m:e] + head))
        elif not gapped:
            return []
    if last is not None:
        found.append(last)
    return found
