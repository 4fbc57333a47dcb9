"""Stage: canonical entities for the mentions: names, labels and IRIs.

- jurisdictions: the gazetteer decides which unit a name means, with the report's own
  jurisdiction chain as context; historical names (宁河县) resolve to today's unit; a
  name that stays ambiguous (朝阳区 with no context) is dropped with a warning, never
  guessed.
- agencies: a relative name (区司法局, 市司法局, 省司法厅) belongs to the nearest unit
  of the report's chain whose name ends with the prefix and whose level fits
  (``ontology/cues/relative_prefixes.csv``); a written place name (哈尔滨市司法局) is
  resolved like any place.  The canonical name is the unit's full name and the kind's
  preferred label (天津市宁河区司法局), its IRI the unit's code and the kind's id, so
  agencies of different places never merge.
- mechanisms, programs, honors, indicators: the vocabulary concept.
- documents: the title with dashes, brackets and spacing made uniform.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from kg import vocab as vocabulary
from kg.config import Settings
from kg.datafiles import read_csv
from kg.iris import Minter
from kg.model import Jurisdiction, Mention, Report

if TYPE_CHECKING:
    from kg.gazetteer import Gazetteer

NAME = "resolve"
REQUIRES = ("metadata", "extract")

#: vocabulary scheme of each concept-typed mention
SCHEME_OF_TYPE = {"mechanism": "mechanism", "program": "program", "honor": "honor", "metric": "indicator"}
_DASHES = re.compile(r"[—–－―~～]+")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=8)
def relative_levels(ontology: Path) -> dict[str, tuple[str, ...]]:
    return {
        row["prefix"]: row.multi("levels")
        for row in read_csv(ontology / "cues" / "relative_prefixes.csv", ("prefix", "levels"))
    }


@lru_cache(maxsize=8)
def honor_cues(ontology: Path) -> dict[str, tuple[re.Pattern[str], ...]]:
    cues: dict[str, list[re.Pattern[str]]] = {"awarder_before": [], "recipient_gap": []}
    for row in read_csv(ontology / "cues" / "honor_cues.csv", ("role", "pattern")):
        if row["role"] not in cues:
            raise row.error(f"unknown role {row['role']!r} (allowed: {', '.join(cues)})")
        cues[row["role"]].append(row.regex("pattern"))
    return {k: tuple(v) for k, v in cues.items()}


def link_honors(
    mentions: Sequence[Mention], report: Report, cues: dict[str, tuple[re.Pattern[str], ...]], own_iri: str
) -> None:
    """Give each honor its recipient and, where the sentence says, its awarding body.

    Within the honor's sentence: an agency right after 被/经/获 awarded it; the nearest
    other agency or place before it in the same clause received it; with none, the
    report's own jurisdiction did (我区连续3年创成“全国信访工作示范区”).
    Sets ``recipient``/``recipient_iri`` and ``awarder``/``awarder_iri`` on the honor.
    """
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        if m.sentence is not None and m.type in ("agency", "jurisdiction"):
            by_sentence.setdefault(m.sentence, []).append(m)
    norm = report.norm
    for honor in (m for m in mentions if m.type == "honor"):
        before = (
            [m for m in by_sentence.get(honor.sentence, []) if m.end <= honor.start]
            if honor.sentence is not None
            else []
        )
        awarders = [
            m for m in before if any(p.search(norm[max(0, m.start - 3) : m.start]) for p in cues["awarder_before"])
        ]
        if awarders:
            honor.attrs["awarder"], honor.attrs["awarder_iri"] = awarders[-1].canonical, awarders[-1].iri
        # a place written right before the honor is its scope (天津市“枫桥式工作法”), not its recipient
        candidates = [
            m
            for m in before
            if m not in awarders and not (m.type == "jurisdiction" and not norm[m.end : honor.start].strip('“”"「」 '))
        ]
        recipient = next(
            (
                m
                for m in sorted(candidates, key=lambda c: (c.end, c.end - c.start), reverse=True)
                if any(p.search(norm[m.end : honor.start]) for p in cues["recipient_gap"])
            ),
            None,
        )
        if recipient is not None:
            honor.attrs["recipient"], honor.attrs["recipient_iri"] = recipient.canonical, recipient.iri
        elif report.jurisdiction is not None:
            honor.attrs["recipient"] = report.jurisdiction.full_name
            honor.attrs["recipient_iri"] = own_iri


def canonical_title(title: str) -> str:
    """One spelling for variants of a title: dashes, spaces and bracket widths made uniform.

    >>> canonical_title("法治政府建设实施纲要（2021—2025年）")
    '法治政府建设实施纲要(2021-2025年)'
    """
    t = _SPACES.sub("", title).replace("（", "(").replace("）", ")")
    return _DASHES.sub("-", t)


#: the official prefix of national laws' titles, which reports often leave out
NATIONAL_LAW_PREFIX = "中华人民共和国"


def national_law_title(title: str, is_place: Callable[[str], bool]) -> str:
    """A law's title in full: 《行政复议法》 and 《中华人民共和国行政复议法》 are one document.

    A law whose title starts with no place name is a national law (local legislatures
    make 条例, not 法), so it gets the national prefix.

    >>> national_law_title("行政复议法", lambda s: False)
    '中华人民共和国行政复议法'
    >>> national_law_title("浙江省数字经济促进法", lambda s: s == "浙江省")
    '浙江省数字经济促进法'
    """
    if title.startswith(NATIONAL_LAW_PREFIX) or any(is_place(title[:n]) for n in range(2, min(len(title), 12))):
        return title
    return NATIONAL_LAW_PREFIX + title


def kind_name(pref: str, label: str, prefix: str, level_chars: frozenset[str]) -> str:
    """The kind part of an agency's canonical name.

    The preferred label, except where the label written is the level variant of it
    (依法治区办 for 依法治县办) or carries the prefix itself (区委组织部: the 区 is the
    place's, so the kind part is 委组织部 and the name 天津市宁河区委组织部).

    ``level_chars`` are the one-character relative prefixes (区 县 市 …), which also name
    the level inside such labels.

    >>> lv = frozenset("省市区县")
    >>> kind_name("司法局", "司法局", "区", lv), kind_name("依法治县办", "依法治区办", "区", lv), kind_name("组织部", "区委组织部", "区", lv)
    ('司法局', '依法治区办', '委组织部')
    """
    if prefix and label.startswith(prefix) and len(label) > len(prefix):
        return label[len(prefix) :]
    if (
        len(label) == len(pref)
        and label != pref
        and all(a == b or (a in level_chars and b in level_chars) for a, b in zip(label, pref, strict=True))
    ):
        return label
    return pref


def relative_unit(chain: Sequence[Jurisdiction], prefix: str, levels: Sequence[str]) -> Jurisdiction | None:
    """The nearest unit of ``chain`` (province first) named with ``prefix`` at one of ``levels``."""
    for j in reversed(chain):
        if j.level in levels and j.name.endswith(prefix):
            return j
    return None


class Resolver:
    def __init__(self, settings: Settings, gazetteer: Gazetteer | None = None) -> None:
        from kg.gazetteer import get_gazetteer

        self.gaz = gazetteer or get_gazetteer()
        self.voc = vocabulary.load(settings.ontology)
        self.mint = Minter(settings.base)
        self.levels = relative_levels(settings.ontology)
        self.level_chars = frozenset(p for p in self.levels if len(p) == 1)
        self.honor_cues = honor_cues(settings.ontology)
        from kg.extract.jurisdictions import place_names

        self.is_place: Callable[[str], bool] = place_names().__contains__

    def place(self, name: str, context: Sequence[Jurisdiction]) -> Jurisdiction | None:
        j = self.gaz.resolve(name, context)
        if j is None and not self.gaz.lookup(name):
            found = self.gaz.resolve_historical(name)
            j = found[0] if len(found) == 1 else None
        return j

    def annotate(self, report: Report) -> Report:
        chain = self.gaz.chain(report.jurisdiction) if report.jurisdiction else []
        kept: list[Mention] = []
        resolved_agencies: dict[tuple[int, int], Mention] = {}
        for m in report.mentions:
            ok = self._resolve(m, report, chain)
            if ok:
                kept.append(m)
                if m.type == "agency":
                    resolved_agencies[(m.start, m.end)] = m
        for m in kept:
            if m.type == "document":
                spans = [(int(a), int(b)) for a, b in m.attrs.pop("issuers", [])]
                issuers = [resolved_agencies[span] for span in spans if span in resolved_agencies]
                m.attrs["issuers"] = [a.canonical for a in issuers]
                m.attrs["issuer_iris"] = [a.iri for a in issuers]
        own = self.mint.jurisdiction(report.jurisdiction.code) if report.jurisdiction else ""
        link_honors(kept, report, self.honor_cues, own)
        report.mentions = kept
        report.stages.append(NAME)
        return report

    def _resolve(self, m: Mention, report: Report, chain: list[Jurisdiction]) -> bool:
        if m.type == "jurisdiction":
            return self._jurisdiction(m, report, chain)
        if m.type == "agency":
            return self._agency(m, report, chain)
        if m.type == "document":
            title = canonical_title(str(m.attrs.get("title", m.text.strip("《》"))))
            if m.attrs.get("kind") == "law":
                title = national_law_title(title, self.is_place)
            m.canonical = title
            m.labels = sorted({title, str(m.attrs.get("title", title))})
            m.iri = self.mint.document(title)
            return True
        scheme = SCHEME_OF_TYPE[m.type]
        concept = self.voc.concept(scheme, str(m.concept))
        m.canonical = concept.pref_zh
        m.labels = list(concept.labels)
        if m.type == "metric":
            m.iri = self.mint.in_report(report.id, "observation", m.start, m.end)
            m.attrs["indicator_iri"] = self.mint.concept(scheme, concept.id)
            m.attrs["year"] = report.report_year
            if report.jurisdiction:
                m.attrs["jurisdiction_code"] = report.jurisdiction.code
        else:
            m.iri = self.mint.concept(scheme, concept.id)
            if concept.extra.get("includes"):  # a name for several mechanisms counts for each
                m.attrs["includes"] = [self.mint.concept(scheme, c) for c in self.voc.counts_as(scheme, concept.id)]
        return True

    def _jurisdiction(self, m: Mention, report: Report, chain: list[Jurisdiction]) -> bool:
        name = str(m.attrs.get("name", m.text))
        j = self.place(name, chain)
        if j is None:
            report.warnings.append(f"{m.start}: place name {m.text!r} is ambiguous or unknown; left unresolved")
            return False
        self._set_place(m, j)
        return True

    def _set_place(self, m: Mention, j: Jurisdiction) -> None:
        m.canonical = j.full_name
        m.labels = sorted({j.full_name, j.name} | ({j.short} if j.short else set()))
        m.iri = self.mint.jurisdiction(j.code)
        m.attrs.update({"code": j.code, "level": j.level})

    def _agency_place(self, attrs: dict[str, object], chain: list[Jurisdiction]) -> Jurisdiction | None:
        """The jurisdiction an agency name belongs to: its written place, or its relative prefix."""
        if "township" in attrs:  # 黄花司法所: the township of that name in the report's county
            return self._township(str(attrs["township"]), chain)
        if "place" in attrs:
            return self.place(str(attrs["place"]), chain)
        prefix = str(attrs.get("relative", ""))
        return relative_unit(chain, prefix, self.levels.get(prefix, ()))

    def _township(self, stem: str, chain: list[Jurisdiction]) -> Jurisdiction | None:
        from kg.gazetteer import get_gazetteer

        gaz = get_gazetteer()
        county = next((j for j in chain if j.level == "county"), None)
        if county is None:
            return None
        found = [t for t in gaz.children(county.code) if gaz.township_stem(t) == stem]
        return found[0] if len(found) == 1 else None

    def _agency(self, m: Mention, report: Report, chain: list[Jurisdiction]) -> bool:
        national = m.attrs.get("national")
        if national:
            organ = self.voc.concept("national_organ", str(national))
            m.canonical, m.labels, m.iri = organ.pref_zh, list(organ.labels), self.mint.organ(organ.id)
            return True
        kind = self.voc.concept("agency_kind", str(m.attrs["kind"]))
        parent = m.attrs.get("parent")
        owner = parent if isinstance(parent, dict) else m.attrs
        unit = self._agency_place(owner, chain)
        if unit is None:
            if "township" not in owner:  # 加强司法所 is no township's: not worth a warning
                report.warnings.append(f"{m.start}: agency {m.text!r} has no jurisdiction it can be tied to; left out")
            return False
        if isinstance(parent, dict):
            # a unit with a name of its own under its agency: 公安宁河分局 + 俵口 + 派出所
            parent_kind = self.voc.concept("agency_kind", str(parent["kind"]))
            owner_name = unit.full_name + kind_name(
                parent_kind.pref_zh,
                str(parent.get("kind_label", "")),
                str(parent.get("relative", "")),
                self.level_chars,
            )
            name = str(m.attrs["unit_name"])
            m.canonical = owner_name + name + kind.pref_zh
            m.iri = (
                self.mint.named_agency(unit.code, kind.id, name)
                if name
                else self.mint.sub_unit(unit.code, parent_kind.id, kind.id)
            )
            m.attrs["parent_agency"] = {
                "iri": self.mint.agency(unit.code, parent_kind.id),
                "canonical": owner_name,
                "kind": parent_kind.id,
                "org_kind": str(parent.get("org_kind", "agency")),
                "jurisdiction_code": unit.code,
            }
        else:
            m.canonical = unit.full_name + kind_name(
                kind.pref_zh, str(m.attrs.get("kind_label", "")), str(m.attrs.get("relative", "")), self.level_chars
            )
            m.iri = self.mint.agency(unit.code, kind.id)
        m.labels = sorted({m.canonical, m.text})
        m.attrs.update({"jurisdiction_code": unit.code, "jurisdiction": unit.full_name})
        m.attrs.pop("parent", None)
        return True


def annotate(report: Report, settings: Settings, resolver: Resolver | None = None) -> Report:
    return (resolver or Resolver(settings)).annotate(report)
