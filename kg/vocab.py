"""The controlled vocabularies (``ontology/vocab``) and cue tables (``ontology/cues``) as data.

Mechanisms, programs, honors, agency kinds, national organs, indicators and document
kinds are SKOS-like concept schemes read from CSV files; units, section-role cues,
sentence stance cues and document verbs are tables beside them.  The files describe
their own columns in their comment header.  :func:`load` reads and validates them all
and caches the result until a file changes, so a curator's new row is picked up by
the next build.

>>> voc = load(DEFAULT_ONTOLOGY)
>>> voc.lookup("mechanism", "新时代“枫桥经验”").id
'fengqiao-experience'
>>> voc.concept("agency_kind", "justice-bureau").labels
('司法局', '司法厅')

Labels are kept as written; :meth:`Vocabulary.label_index` keys them by their
normalised form (:func:`normalise`), the form matchers search in ``Report.norm``.
Every malformed file raises :class:`kg.errors.DataFileError` naming ``file:line``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from kg.config import ROOT
from kg.datafiles import Row, read_csv
from kg.model import ROLES

DEFAULT_ONTOLOGY = ROOT / "ontology"
#: what kind of body an agency kind or national organ is (the ``kind`` column)
ORG_KINDS = (
    "agency",
    "government",
    "party-committee",
    "party",
    "congress",
    "court",
    "procuratorate",
    "discipline",
    "cppcc",
    "unit",
)
#: the org kinds that govern a jurisdiction rather than serve it: people's governments and
#: Party committees (区政府, 区委, 国务院, 中共中央), typed fk:Government / fk:PartyCommittee
GOVERNING_ORG_KINDS = ("government", "party-committee")
UNIT_KINDS = ("count", "percent", "money", "duration")
RELATIONS = ("issued", "cites", "reported_in")
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_CORE = ("id", "pref_zh", "pref_en", "category", "alt_labels")
_TRAILING_PAREN = re.compile(r"\s*\([^()]*\)\s*$")


@dataclass(frozen=True, slots=True)
class SchemeSpec:
    """Where a vocabulary lives and what its rows must hold."""

    name: str
    file: str  # relative to the ontology folder
    required: tuple[str, ...]
    label_space: str  # schemes of one label space never share a label
    has_categories: bool = True
    links: tuple[str, ...] = ()  # optional columns holding ids of the same scheme


SPECS: tuple[SchemeSpec, ...] = (
    SchemeSpec("mechanism", "vocab/mechanisms.csv", _CORE, "concept", links=("includes",)),
    SchemeSpec("program", "vocab/programs.csv", _CORE, "concept", links=("broader",)),
    SchemeSpec("honor", "vocab/honors.csv", _CORE, "concept", links=("broader",)),
    SchemeSpec("agency_kind", "vocab/agency_kinds.csv", (*_CORE, "kind"), "agency"),
    SchemeSpec(
        "national_organ",
        "vocab/national_organs.csv",
        ("id", "pref_zh", "pref_en", "alt_labels", "kind"),
        "agency",
        False,
    ),
    SchemeSpec("indicator", "vocab/indicators.csv", (*_CORE, "unit"), "indicator"),
    SchemeSpec(
        "document_kind",
        "vocab/document_kinds.csv",
        ("id", "pref_zh", "pref_en", "suffixes", "document"),
        "document_kind",
        False,
    ),
)
SCHEMES: tuple[str, ...] = tuple(s.name for s in SPECS)
CATEGORIES_FILE = "vocab/categories.csv"
UNITS_FILE = "vocab/units.csv"
SECTION_ROLES_FILE = "cues/section_roles.csv"
STANCE_FILE = "cues/stance.csv"
DOCUMENT_VERBS_FILE = "cues/document_verbs.csv"
FILES: tuple[str, ...] = (
    CATEGORIES_FILE,
    UNITS_FILE,
    *(s.file for s in SPECS),
    SECTION_ROLES_FILE,
    STANCE_FILE,
    DOCUMENT_VERBS_FILE,
)


@dataclass(frozen=True, slots=True)
class Concept:
    """One concept of a scheme ("category" for the categories of categories.csv)."""

    scheme: str
    id: str
    pref_zh: str
    pref_en: str
    category: str | None
    alt_labels: tuple[str, ...]
    extra: Mapping[str, str] = field(default_factory=dict, hash=False)  # the other columns

    @property
    def labels(self) -> tuple[str, ...]:
        """``pref_zh`` first, then the alt labels."""
        return (self.pref_zh, *self.alt_labels)


@dataclass(frozen=True, slots=True)
class Unit:
    unit: str
    pref_en: str
    kind: str  # count | percent | money | duration
    multiplier: float  # of `base`; 1 when base is None
    base: str | None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Cue:
    """A role cue: section_roles.csv (where = heading | lead) or stance.csv (where = sentence)."""

    role: str
    where: str
    pattern: re.Pattern[str]
    weight: float
    note: str = ""
    source: str = ""  # file:line


@dataclass(frozen=True, slots=True)
class DocumentVerb:
    relation: str  # issued | cites | reported_in
    position: str  # before | after
    pattern: re.Pattern[str]
    note: str = ""
    source: str = ""


# -- normalisation ---------------------------------------------------------------------------

def normalise(text: str) -> str:
    """The match form of ``text`` (:func:`kg.ingest.normalise`, same length)."""
    from kg.ingest import normalise as ingest_normalise  # kg.ingest owns normalisation

    return ingest_normalise(text)


# -- the vocabulary --------------------------------------------------------------------------


def best_cue(cues: Iterable[Cue], text: str) -> Cue | None:
    """The highest-weighted cue whose pattern is found in ``text``; the earlier one on a tie."""
    best: Cue | None = None
    for cue in cues:
        if (best is None or cue.weight > best.weight) and cue.pattern.search(text):
            best = cue
    return best


class Vocabulary:
    """Every vocabulary and cue table of one ontology folder; built by :func:`load`."""

    def __init__(
        self,
        folder: Path,
        concepts: Mapping[str, Mapping[str, Concept]],
        categories: Mapping[str, Concept],
        indexes: Mapping[str, Mapping[str, Concept]],
        units: Mapping[str, Unit],
        section_cues: tuple[Cue, ...],
        stance_cues: tuple[Cue, ...],
        verbs: tuple[DocumentVerb, ...],
        fingerprint: str,
    ) -> None:
        self.folder = folder
        self.schemes: tuple[str, ...] = SCHEMES
        self._concepts = concepts
        self._categories = categories
        self._indexes = indexes
        self._units = units
        self._section_cues = section_cues
        self._stance_cues = stance_cues
        self._verbs = verbs
        self._fingerprint = fingerprint
        suffixes = ((normalise(s), c) for c in concepts["document_kind"].values() for s in _split(c.extra["suffixes"]))
        self._suffixes = sorted(suffixes, key=lambda pair: len(pair[0]), reverse=True)

    def _scheme(self, scheme: str) -> str:
        if scheme not in self._concepts:
            raise KeyError(f"unknown vocabulary scheme {scheme!r} (schemes: {', '.join(self.schemes)})")
        return scheme

    def concepts(self, scheme: str) -> Mapping[str, Concept]:
        """id -> concept, in file order."""
        return self._concepts[self._scheme(scheme)]

    def concept(self, scheme: str, id: str) -> Concept:
        found = self.concepts(scheme).get(id)
        if found is None:
            raise KeyError(f"no concept {id!r} in vocabulary {scheme!r} ({self.folder / _spec(scheme).file})")
        return found

    def label_index(self, scheme: str) -> Mapping[str, Concept]:
        """Normalised label -> concept, for every label of every concept of ``scheme``."""
        return self._indexes[self._scheme(scheme)]

    def lookup(self, scheme: str, label: str) -> Concept | None:
        """The concept ``label`` (as written or normalised) names exactly, if any."""
        return self.label_index(scheme).get(normalise(label.strip()))

    def categories(self, scheme: str) -> Mapping[str, Concept]:
        """id -> category serving ``scheme`` (empty for schemes without categories)."""
        self._scheme(scheme)
        return MappingProxyType({k: c for k, c in self._categories.items() if scheme in _split(c.extra["scheme"])})

    def counts_as(self, scheme: str, id: str) -> tuple[str, ...]:
        """Ids an adoption of ``id`` counts for: its ``includes`` when it names several, else itself."""
        parts = _split(self.concept(scheme, id).extra.get("includes", ""))
        return tuple(parts) or (id,)

    def units(self) -> Mapping[str, Unit]:
        """Normalised unit -> unit."""
        return self._units

    def section_cues(self) -> list[Cue]:
        return list(self._section_cues)

    def stance_cues(self) -> list[Cue]:
        return list(self._stance_cues)

    def document_verbs(self) -> list[DocumentVerb]:
        return list(self._verbs)

    def fingerprint(self) -> str:
        """SHA-256 of every file read, for caches that depend on the vocabularies."""
        return self._fingerprint

    # reference semantics of the cue tables (see their comment headers)

    def section_role(self, text: str, where: str = "heading") -> Cue | None:
        """The winning cue of section_roles.csv for a heading or a paragraph's first sentence."""
        return best_cue((c for c in self._section_cues if c.where == where), normalise(text))

    def stance(self, sentence: str) -> Cue | None:
        """The winning cue of stance.csv for one sentence (applies inside practice sections only)."""
        return best_cue(self._stance_cues, normalise(sentence))

    def document_relation(self, before: str, after: str = "") -> DocumentVerb | None:
        """How the report's jurisdiction relates to a title, from the clause ``before`` 《 and the text ``after`` 》.

        Before-cues first: the verb nearest to 《 wins, the longer verb on a tie; then after-cues: the
        longest match wins.
        """
        before, after = normalise(before), normalise(after)
        best: DocumentVerb | None = None
        key = (-1, -1)
        for verb in self._verbs:
            if verb.position != "before" or not (m := verb.pattern.search(before)):
                continue
            start, end = m.span("verb") if "verb" in verb.pattern.groupindex and m.group("verb") else m.span()
            if (end, end - start) > key:
                best, key = verb, (end, end - start)
        if best is not None:
            return best
        longest = -1
        for verb in self._verbs:
            if verb.position == "after" and (m := verb.pattern.search(after)) and m.end() - m.start() > longest:
                best, longest = verb, m.end() - m.start()
        return best

    def document_kind_of(self, title: str) -> Concept | None:
        """The document kind whose longest suffix ``title`` ends with (trailing (试行) etc. dropped)."""
        core = normalise(title.strip().strip("《》"))
        while (shorter := _TRAILING_PAREN.sub("", core)) != core:
            core = shorter
        return next((kind for suffix, kind in self._suffixes if core.endswith(suffix)), None)


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]


def _spec(scheme: str) -> SchemeSpec:
    return next(s for s in SPECS if s.name == scheme)


# -- loading and validation ------------------------------------------------------------------

_CACHE: dict[Path, tuple[tuple[tuple[str, int, int], ...], Vocabulary]] = {}


def _stamp(folder: Path) -> tuple[tuple[str, int, int], ...]:
    out = []
    for name in FILES:
        try:
            st = (folder / name).stat()
            out.append((name, st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((name, -1, -1))
    return tuple(out)


def load(ontology_dir: Path | str = DEFAULT_ONTOLOGY) -> Vocabulary:
    """Read and validate the vocabularies of ``ontology_dir``; cached until one of its files changes."""
    folder = Path(ontology_dir).resolve()
    stamp = _stamp(folder)
    cached = _CACHE.get(folder)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    voc = _Loader(folder).load()
    _CACHE[folder] = (stamp, voc)
    return voc


class _Loader:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.digest = hashlib.sha256()
        # normalised label -> (scheme, concept id, file:line) per label space
        self.spaces: dict[str, dict[str, tuple[str, str, str]]] = {}

    def rows(self, name: str, required: tuple[str, ...]) -> list[Row]:
        path = self.folder / name
        rows = list(read_csv(path, required))
        self.digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
        return rows

    def load(self) -> Vocabulary:
        categories = self.categories()
        units = self.units()
        concepts: dict[str, Mapping[str, Concept]] = {}
        indexes: dict[str, Mapping[str, Concept]] = {}
        for spec in SPECS:
            found, index = self.scheme(spec, categories, units)
            concepts[spec.name], indexes[spec.name] = MappingProxyType(found), MappingProxyType(index)
        section = tuple(self.cues(SECTION_ROLES_FILE, ("role", "where", "pattern", "weight"), ("heading", "lead")))
        stance = tuple(self.cues(STANCE_FILE, ("role", "pattern", "weight"), ("sentence",)))
        verbs = tuple(self.verbs())
        return Vocabulary(
            self.folder,
            MappingProxyType(concepts),
            MappingProxyType(categories),
            MappingProxyType(indexes),
            MappingProxyType(units),
            section,
            stance,
            verbs,
            self.digest.hexdigest(),
        )

    def categories(self) -> dict[str, Concept]:
        out: dict[str, Concept] = {}
        with_categories = {s.name for s in SPECS if s.has_categories}
        for row in self.rows(CATEGORIES_FILE, ("scheme", "id", "pref_zh", "pref_en")):
            schemes = _split(row["scheme"])
            bad = [s for s in schemes if s not in with_categories]
            if not schemes or bad:
                allowed = ", ".join(sorted(with_categories))
                raise row.error(f"column 'scheme' has value {row['scheme']!r} (allowed, |-separated: {allowed})")
            self.check_id(row, out)
            self.check_labels(row)
            extra = {"scheme": "|".join(schemes), "note": row["note"]}
            out[row["id"]] = Concept(
                "category", row["id"], row["pref_zh"], row["pref_en"], None, (), MappingProxyType(extra)
            )
        return out

    def units(self) -> dict[str, Unit]:
        out: dict[str, Unit] = {}
        rows = self.rows(UNITS_FILE, ("unit", "pref_en", "kind", "multiplier"))
        for row in rows:
            unit = normalise(row["unit"])
            if not unit:
                raise row.error("empty unit")
            if unit in out:
                raise row.error(f"unit {row['unit']!r} is listed twice")
            if row["kind"] not in UNIT_KINDS:
                raise row.error(f"column 'kind' has value {row['kind']!r} (allowed: {', '.join(UNIT_KINDS)})")
            try:
                multiplier = float(row["multiplier"] or 1)
            except ValueError:
                raise row.error(f"column 'multiplier' has value {row['multiplier']!r}, not a number") from None
            if multiplier <= 0:
                raise row.error(f"column 'multiplier' has value {row['multiplier']!r}; it must be positive")
            out[unit] = Unit(unit, row["pref_en"], row["kind"], multiplier, normalise(row["base"]) or None, row["note"])
        for row in rows:
            base = normalise(row["base"])
            if base and base not in out:
                raise row.error(f"base unit {row['base']!r} is not a unit of this file")
        return out

    def scheme(
        self, spec: SchemeSpec, categories: Mapping[str, Concept], units: Mapping[str, Unit]
    ) -> tuple[dict[str, Concept], dict[str, Concept]]:
        found: dict[str, Concept] = {}
        index: dict[str, Concept] = {}
        space = self.spaces.setdefault(spec.label_space, {})
        rows = self.rows(spec.file, spec.required)
        suffixes: dict[str, str] = {}
        for row in rows:
            self.check_id(row, found)
            self.check_labels(row)
            category = self.check_category(row, spec, categories) if spec.has_categories else None
            if "kind" in spec.required and row["kind"] not in ORG_KINDS:
                raise row.error(f"column 'kind' has value {row['kind']!r} (allowed: {', '.join(ORG_KINDS)})")
            if "unit" in spec.required:
                listed = _split(row["unit"])
                unknown = [u for u in listed if normalise(u) not in units]
                if not listed or unknown:
                    raise row.error(f"unit {(unknown or [''])[0]!r} is not a unit of {UNITS_FILE}")
            if "suffixes" in spec.required:
                self.check_suffixes(row, suffixes)
            if "document" in spec.required and row["document"] not in ("yes", "no"):
                raise row.error(f"column 'document' has value {row['document']!r} (allowed: yes, no)")
            alt = tuple(_split(row["alt_labels"]))
            extra = {k: v for k, v in row.values.items() if k not in _CORE}
            concept = Concept(
                spec.name, row["id"], row["pref_zh"], row["pref_en"], category, alt, MappingProxyType(extra)
            )
            found[concept.id] = concept
            self.index_labels(row, concept, index, space)
        for row in rows:
            for column in spec.links:
                for ref in _split(row[column]):
                    if ref not in found or ref == row["id"]:
                        raise row.error(f"column {column!r} names {ref!r}, which is not another id of {spec.file}")
        return found, index

    def check_id(self, row: Row, seen: Mapping[str, object]) -> None:
        if not _ID.fullmatch(row["id"]):
            raise row.error(f"id {row['id']!r} is not ASCII kebab-case (e.g. fengqiao-experience)")
        if row["id"] in seen:
            raise row.error(f"duplicate id {row['id']!r}")

    def check_labels(self, row: Row) -> None:
        for column in ("pref_zh", "pref_en"):
            if not row[column]:
                raise row.error(f"empty {column}")
        if "|" in row["pref_zh"]:
            raise row.error(f"pref_zh {row['pref_zh']!r} holds '|': put other names into alt_labels")

    def check_category(self, row: Row, spec: SchemeSpec, categories: Mapping[str, Concept]) -> str:
        category = row["category"]
        if not category:
            raise row.error("empty category")
        found = categories.get(category)
        if found is None or spec.name not in _split(found.extra["scheme"]):
            allowed = ", ".join(k for k, c in categories.items() if spec.name in _split(c.extra["scheme"]))
            raise row.error(f"unknown category {category!r} for {spec.name} (allowed: {allowed})")
        return category

    def check_suffixes(self, row: Row, seen: dict[str, str]) -> None:
        listed = _split(row["suffixes"])
        if not listed:
            raise row.error("empty suffixes")
        for suffix in listed:
            other = seen.setdefault(normalise(suffix), row["id"])
            if other != row["id"]:
                raise row.error(f"suffix {suffix!r} already belongs to document kind {other!r}")

    def index_labels(
        self, row: Row, concept: Concept, index: dict[str, Concept], space: dict[str, tuple[str, str, str]]
    ) -> None:
        where = f"{row.path}:{row.line}"
        for label in dict.fromkeys(concept.labels):
            if concept.labels.count(label) > 1:
                raise row.error(f"label {label!r} is listed twice for {concept.id!r}")
            key = normalise(label)
            owner = space.setdefault(key, (concept.scheme, concept.id, where))
            if owner[:2] != (concept.scheme, concept.id):
                raise row.error(f"label {label!r} already belongs to {owner[0]} {owner[1]!r} ({owner[2]})")
            index[key] = concept  # a second label of the same concept with the same key adds nothing

    def cues(self, name: str, required: tuple[str, ...], places: tuple[str, ...]) -> Iterable[Cue]:
        for row in self.rows(name, required):
            if row["role"] not in ROLES:
                raise row.error(f"unknown role {row['role']!r} (allowed: {', '.join(ROLES)})")
            where = row["where"] if "where" in required else places[0]
            if where not in places:
                raise row.error(f"column 'where' has value {where!r} (allowed: {', '.join(places)})")
            try:
                weight = float(row["weight"])
            except ValueError:
                raise row.error(f"column 'weight' has value {row['weight']!r}, not a number") from None
            yield Cue(row["role"], where, row.regex("pattern"), weight, row["note"], f"{row.path}:{row.line}")

    def verbs(self) -> Iterable[DocumentVerb]:
        for row in self.rows(DOCUMENT_VERBS_FILE, ("relation", "position", "pattern")):
            if row["relation"] not in RELATIONS:
                raise row.error(f"unknown relation {row['relation']!r} (allowed: {', '.join(RELATIONS)})")
            if row["position"] not in ("before", "after"):
                raise row.error(f"column 'position' has value {row['position']!r} (allowed: before, after)")
            yield DocumentVerb(
                row["relation"], row["position"], row.regex("pattern"), row["note"], f"{row.path}:{row.line}"
            )


__all__ = [
    "DEFAULT_ONTOLOGY",
    "SCHEMES",
    "Concept",
    "Cue",
    "DocumentVerb",
    "Unit",
    "Vocabulary",
    "best_cue",
    "load",
    "normalise",
]
