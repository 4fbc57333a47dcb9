"""Jurisdictions of China: codes, names, parents and historical names, from jionlp's data files.

Source data (shipped with the ``jionlp`` package; located with :func:`importlib.util.find_spec`,
never imported, because importing jionlp takes seconds):

- ``dictionary/china_location.zip`` holds ``china_location.txt``, a tab-indented tree, one unit a
  line: ``省<TAB>code<TAB>short`` / ``<TAB>地级<TAB>code<TAB>short`` / ``<TAB><TAB>县级<TAB>code<TAB>short``
  / three tabs and a township name (no code) / four tabs and a village (skipped here).
- ``dictionary/china_location_change.txt``: dated changes, one a line:
  ``date<TAB>批<TAB>old name<TAB>old short ...=>new name<TAB>...`` (old names come in name/short
  pairs, province first; new names without shorts).

How the tree becomes :class:`kg.model.Jurisdiction` objects:

- level is the position in the tree: province, prefecture, county, township.
- The tree repeats a municipality (天津市 120000) or a special region as its own prefecture, and
  puts 省直辖 / 市直辖行政区划 entries between a unit and its children.  Those repeats are collapsed,
  so 宁河区's parents are ``("120000",)`` and its full name 天津市宁河区; 济源市's parent is 河南省;
  东莞市's townships hang under 东莞市.
- Townships have no code in this data: their code is **synthetic**, ``<county code>:<name>``
  (``310114:华亭镇``).  A county without a code of its own (台湾, 香港, 澳门 repeat the province
  code or give none) gets ``<parent code>:<name>`` the same way, and so does a second unit that
  reuses a code already taken (two 平顶山 development zones share 410471).
- ``full_name`` is the names of the chain, province first, without repeating a name that already
  starts with its parent's full name.

Historical names come from the change file (襄樊市 -> 襄阳市; also the old chain 襄樊市樊城区) and,
as guesses, from the suffix rules of ``ontology/jurisdictions/rename_suffixes.csv`` (宁河县 -> 宁河区);
see :meth:`Gazetteer.resolve_historical`.

Short names (``short``) come from the data (宁河, 漯河, 天津).  :meth:`Gazetteer.names` yields, for a
matcher over running text: official names, chain names (天津市宁河区, 宁波市宁海县, 宁海县西店镇),
province and prefecture short names that no other province or prefecture uses and that are no unit's
official name (天津, 漯河, 哈尔滨), county short names only when asked (``county_short=True``: a
caller that already knows the report's county can match 法治宁海 with it; alone, two-character
county shorts like 平房 or 城关 are words), and recorded historical names.
``ontology/jurisdictions/surface_stoplist.csv`` removes generic names (城区, 郊区) and shorts that are
common words (大同, 长治); ``levels.csv`` says which township-position entries are real townships
(镇 乡 街道 苏木) worth matching.  :meth:`Gazetteer.scan` finds those names in a text and joins an
adjacent parent and child (北京市 + 朝阳区); ``false_followers.csv`` stops a name that runs into the
next word (漯河市|场监管局).

The parsed tree is cached as a pickle under ``$XDG_CACHE_HOME/fazhi-kg`` (default
``~/.cache/fazhi-kg``), keyed by the data files' size and mtime and :data:`CACHE_FORMAT`; a cache
that cannot be read or written is rebuilt or skipped, never an error.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import pickle
import re
import tempfile
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from kg.config import ROOT, load
from kg.datafiles import read_csv
from kg.errors import DataFileError
from kg.model import LEVELS, Jurisdiction, Level

#: bump when the cached structure or the parsing rules change
CACHE_FORMAT = 1
LOCATION_FILE = "china_location.zip"
LOCATION_MEMBER = "china_location.txt"
CHANGE_FILE = "china_location_change.txt"
DEFAULT_ONTOLOGY = ROOT / "ontology"

_CODE = re.compile(r"\d{6}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_COLLAPSE_MARK = "直辖行政区划"  # 省直辖行政区划, 市直辖行政区划, 区直辖行政区划: no unit of their own
_UPPER = ("province", "prefecture")

#: a unit as stored in the cache: code, name, full_name, level, parents, short
UnitRow = tuple[str, str, str, str, tuple[str, ...], str]


@dataclass(frozen=True, slots=True)
class SuffixRule:
    """One row of rename_suffixes.csv: ``stem + old_suffix`` was renamed ``stem + new_suffix``."""

    old_suffix: str
    new_suffix: str
    level: str
    scope: str  # nation | parent


@dataclass(frozen=True, slots=True)
class Rules:
    """The gazetteer's data files under ``ontology/jurisdictions/``."""

    renames: tuple[SuffixRule, ...]
    suffixes: tuple[tuple[str, str], ...]  # (level, name ending)
    stoplist: frozenset[str]
    followers: tuple[tuple[str, str], ...] = ()  # (name ending, characters that end the name there)

    def suffixes_of(self, level: str) -> tuple[str, ...]:
        return tuple(s for lv, s in self.suffixes if lv == level)


@dataclass(frozen=True, slots=True)
class NameHit:
    """A jurisdiction name found in a text, with every unit it can name."""

    start: int
    end: int
    surface: str
    units: tuple[Jurisdiction, ...]


@dataclass(frozen=True, slots=True)
class Tables:
    """What the jionlp files parse into (and what the cache holds)."""

    units: tuple[UnitRow, ...]
    history: tuple[tuple[str, str], ...]  # (historical surface, code of the current unit)
    notes: tuple[str, ...]  # change-file lines that name no current unit


# --------------------------------------------------------------------------- data files


def jionlp_dictionary() -> Path:
    """The ``dictionary`` folder of the installed jionlp package (found without importing it)."""
    spec = importlib.util.find_spec("jionlp")
    if spec is None or not spec.submodule_search_locations:
        raise DataFileError("jionlp", "the jionlp package is not installed (pip install jionlp)")
    return Path(next(iter(spec.submodule_search_locations))) / "dictionary"


@lru_cache(maxsize=8)
def load_rules(ontology: Path = DEFAULT_ONTOLOGY) -> Rules:
    """Read the data files of ``ontology/jurisdictions`` (see each file's header comment)."""
    folder = ontology / "jurisdictions"
    renames: list[SuffixRule] = []
    for row in read_csv(folder / "rename_suffixes.csv", ("old_suffix", "new_suffix", "level", "scope")):
        if row["level"] not in LEVELS:
            raise row.error(f"column 'level' has value {row['level']!r} (allowed: {', '.join(LEVELS)})")
        if row["scope"] not in ("nation", "parent"):
            raise row.error(f"column 'scope' has value {row['scope']!r} (allowed: nation, parent)")
        if not row["old_suffix"] or not row["new_suffix"]:
            raise row.error("empty suffix")
        renames.append(SuffixRule(row["old_suffix"], row["new_suffix"], row["level"], row["scope"]))
    suffixes: list[tuple[str, str]] = []
    for row in read_csv(folder / "levels.csv", ("level", "suffix")):
        if row["level"] not in LEVELS:
            raise row.error(f"column 'level' has value {row['level']!r} (allowed: {', '.join(LEVELS)})")
        if not row["suffix"]:
            raise row.error("empty suffix")
        suffixes.append((row["level"], row["suffix"]))
    stop = frozenset(
        row["surface"] for row in read_csv(folder / "surface_stoplist.csv", ("surface",)) if row["surface"]
    )
    followers = tuple(
        (row["ending"], row["followers"])
        for row in read_csv(folder / "false_followers.csv", ("ending", "followers"))
        if row["ending"] and row["followers"]
    )
    return Rules(tuple(renames), tuple(suffixes), stop, followers)


def _as_level(value: str) -> Level:
    return cast(Level, value)


def parse_locations(lines: Iterable[str], path: str = LOCATION_MEMBER) -> list[UnitRow]:
    """Units of the jionlp location tree, villages skipped, repeats collapsed (see the module doc)."""
    units: list[UnitRow] = []
    taken: set[str] = set()
    # stack[d] = the unit a line at depth d + 1 hangs under (after collapsing), or None
    stack: list[UnitRow | None] = [None, None, None, None]
    for lineno, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        depth = len(line) - len(line.lstrip("\t"))
        fields = [f.strip() for f in line[depth:].split("\t")]
        name = fields[0]
        code = fields[1] if len(fields) > 1 else ""
        short = fields[2] if len(fields) > 2 else ""
        if depth >= 4:
            continue  # village
        if not name:
            raise DataFileError(path, "empty name", lineno)
        if depth == 0:
            if not _CODE.fullmatch(code):
                raise DataFileError(path, f"province {name!r} has no 6-digit code", lineno)
            unit: UnitRow = (code, name, name, "province", (), short)
            units.append(unit)
            taken.add(code)
            stack = [unit, None, None, None]
            continue
        parent = stack[depth - 1]
        if parent is None:
            if depth == 3:
                continue  # township under a skipped entry
            raise DataFileError(path, f"{name!r} is indented {depth} tabs but has no parent line", lineno)
        if _COLLAPSE_MARK in name or (depth == 1 and (code == parent[0] or name == parent[1])):
            stack[depth] = parent  # 天津市 under 天津市, 省直辖行政区划, 市直辖行政区划 ...
            stack[depth + 1 :] = [None] * (3 - depth)
            continue
        if depth == 3:
            if _COLLAPSE_MARK in name:
                stack[3] = None
                continue
            code = f"{parent[0]}:{name}"
            if code in taken:
                continue  # the same township listed twice
        elif not _CODE.fullmatch(code) or code in taken:
            code = f"{parent[0]}:{name}"
            if code in taken:
                continue
        full = name if name.startswith(parent[2]) else parent[2] + name
        level = ("province", "prefecture", "county", "township")[depth]
        unit = (code, name, full, level, (*parent[4], parent[0]), short)
        units.append(unit)
        taken.add(code)
        stack[depth] = unit
        stack[depth + 1 :] = [None] * (3 - depth)
    return units


def parse_changes(lines: Iterable[str], units: Sequence[UnitRow], path: str = CHANGE_FILE) -> Tables:
    """Historical surfaces from the change file, each tied to the code of the unit it became."""
    by_parent: dict[str, dict[str, str]] = defaultdict(dict)  # parent code -> name -> code
    provinces: dict[str, str] = {}
    current: dict[str, UnitRow] = {}
    for u in units:
        current[u[0]] = u
        if u[3] == "province":
            provinces[u[1]] = u[0]
        else:
            by_parent[u[4][-1]][u[1]] = u[0]
    history: list[tuple[str, str]] = []
    notes: list[str] = []
    for lineno, raw in enumerate(lines, 1):
        line = raw.strip("\r\n")
        if not line.strip() or line.startswith("#"):
            continue
        if line.count("=>") != 1:
            raise DataFileError(path, "expected one '=>' between the old and the new names", lineno)
        left, right = line.split("=>")
        old = [f.strip() for f in left.split("\t")]
        new = [f.strip() for f in right.split("\t") if f.strip()]
        if len(old) < 4 or not _DATE.fullmatch(old[0]) or (len(old) - 2) % 2:
            raise DataFileError(path, "expected date, kind, then name/short pairs before '=>'", lineno)
        old_names = old[2::2]
        old_shorts = old[3::2]
        code = provinces.get(new[0]) if new else None
        for name in new[1:]:
            if code is None:
                break
            if current[code][1] == name:
                continue  # a municipality repeated as its own prefecture
            code = _child_named(by_parent[code], name)
        if code is None:
            notes.append(f"{path}:{lineno}: {'/'.join(new)} is not in the location tree")
            continue
        unit = current[code]
        surfaces = [old_names[-1], "".join(old_names[1:]), "".join(old_names)]
        if unit[3] in _UPPER and len(old_shorts[-1]) >= 2:
            surfaces.append(old_shorts[-1])
        for s in surfaces:
            if s and s not in (unit[1], unit[2], unit[5]) and (s, code) not in history:
                history.append((s, code))
    return Tables(tuple(units), tuple(history), tuple(notes))


def _child_named(children: dict[str, str], name: str) -> str | None:
    """The child called ``name``; else the one child whose name starts with ``name``'s stem
    (the change file writes 金秀县 for 金秀瑶族自治县 and has typos in suffixes)."""
    if name in children:
        return children[name]
    stem = name[:-1]
    found = [code for child, code in children.items() if len(stem) >= 2 and child.startswith(stem)]
    return found[0] if len(found) == 1 else None


def read_tables(dictionary: Path) -> Tables:
    """Parse jionlp's two files (takes a second or two; :func:`load_gazetteer` caches the result)."""
    zpath = dictionary / LOCATION_FILE
    try:
        with zipfile.ZipFile(zpath) as zf:
            text = zf.read(LOCATION_MEMBER).decode("utf-8")
    except (OSError, KeyError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
        raise DataFileError(str(zpath), f"cannot read {LOCATION_MEMBER}: {exc}") from None
    units = parse_locations(text.splitlines(), f"{zpath}:{LOCATION_MEMBER}")
    cpath = dictionary / CHANGE_FILE
    try:
        changes = cpath.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(str(cpath), f"cannot read: {exc}") from None
    return parse_changes(changes, units, str(cpath))


# --------------------------------------------------------------------------- cache


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/fazhi-kg``, else ``~/.cache/fazhi-kg``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "fazhi-kg"


def cache_key(dictionary: Path) -> str:
    """Changes when either data file or :data:`CACHE_FORMAT` changes."""
    parts = [str(CACHE_FORMAT)]
    for name in (LOCATION_FILE, CHANGE_FILE):
        st = (dictionary / name).stat()
        parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def _read_cache(path: Path) -> Tables | None:
    try:
        with path.open("rb") as fh:
            # our own file in the user's cache folder, written by _write_cache
            data: Any = pickle.load(fh)  # noqa: S301
    except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError, TypeError):
        return None
    return data if isinstance(data, Tables) else None


def _write_cache(path: Path, tables: Tables) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".gazetteer-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(tables, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        return  # a read-only or full cache folder only costs the rebuild next time


def load_tables(dictionary: Path | None = None, cache_dir: Path | None = None) -> Tables:
    """The parsed tables, from the cache when it matches the data files, else parsed and cached."""
    folder = dictionary or jionlp_dictionary()
    try:
        key = cache_key(folder)
    except OSError as exc:
        raise DataFileError(str(folder), f"jionlp data file missing: {exc}") from None
    path = (cache_dir or default_cache_dir()) / f"gazetteer-{key}.pickle"
    tables = _read_cache(path)
    if tables is None:
        tables = read_tables(folder)
        _write_cache(path, tables)
    return tables


def load_gazetteer(
    *, dictionary: Path | None = None, cache_dir: Path | None = None, ontology: Path | None = None
) -> Gazetteer:
    """A :class:`Gazetteer` from jionlp's files (cached) and the rules under ``ontology``."""
    tables = load_tables(dictionary, cache_dir)
    return Gazetteer(tables, load_rules(ontology or DEFAULT_ONTOLOGY))


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer, built on first use, with the rules of the configured ontology."""
    return load_gazetteer(ontology=load().ontology)


# --------------------------------------------------------------------------- the gazetteer


class Gazetteer:
    """Jurisdictions by code and by name, with their parents, children and historical names."""

    def __init__(self, tables: Tables, rules: Rules) -> None:
        self.rules = rules
        self.notes = tables.notes
        self._units = [
            Jurisdiction(code, name, full, _as_level(level), parents, short)
            for code, name, full, level, parents, short in tables.units
        ]
        self._by_code = {u.code: u for u in self._units}
        self._children: dict[str, list[Jurisdiction]] = defaultdict(list)
        self._official: dict[str, list[Jurisdiction]] = defaultdict(list)
        self._short: dict[str, list[Jurisdiction]] = defaultdict(list)
        self._history: dict[str, list[Jurisdiction]] = defaultdict(list)
        for u in self._units:
            if u.parents:
                self._children[u.parents[-1]].append(u)
            self._official[u.name].append(u)
            if u.short and u.short != u.name:
                self._short[u.short].append(u)
        for surface, code in tables.history:
            self._history[surface].append(self._by_code[code])
        self._scanners: dict[bool, tuple[dict[str, tuple[Jurisdiction, ...]], dict[str, list[int]]]] = {}

    def __len__(self) -> int:
        return len(self._units)

    def __iter__(self) -> Iterator[Jurisdiction]:
        return iter(self._units)

    # -- structure

    def by_code(self, code: str) -> Jurisdiction | None:
        """The unit with this code (six digits, or a synthetic ``<code>:<name>``), or None."""
        return self._by_code.get(code)

    def children(self, code: str) -> list[Jurisdiction]:
        """The units directly under ``code`` (a municipality's districts, a county's townships)."""
        return list(self._children.get(code, ()))

    def chain(self, unit: Jurisdiction) -> list[Jurisdiction]:
        """The unit and its ancestors, province first."""
        return [*(self._by_code[c] for c in unit.parents), unit]

    def township_stem(self, unit: Jurisdiction) -> str | None:
        """A township's name without its level ending (黄花 of 黄花镇), if two characters or more:
        how units named after it are written (黄花司法所)."""
        if unit.level != "township":
            return None
        for ending in self.rules.suffixes_of("township"):
            if unit.name.endswith(ending) and len(unit.name) - len(ending) >= 2:
                return unit.name[: -len(ending)]
        return None

    @staticmethod
    def within(unit: Jurisdiction, ancestor: Jurisdiction) -> bool:
        """Whether ``unit`` is ``ancestor`` or lies inside it."""
        return unit.code == ancestor.code or ancestor.code in unit.parents

    # -- names

    def lookup(self, name: str) -> list[Jurisdiction]:
        """Every unit whose official, short or recorded historical name is ``name``.

        Official matches come first, then short, then historical.  A chain name (天津市宁河区,
        宁波市宁海县, 浙江宁海县) that is no unit's own name is read as a parent followed by a unit
        inside it.  The suffix-rule guesses of :meth:`resolve_historical` are not used.
        """
        found = self._direct(name)
        return found if found else self._chained(name, self.lookup)

    def _direct(self, name: str) -> list[Jurisdiction]:
        return _unique([*self._official.get(name, ()), *self._short.get(name, ()), *self._history.get(name, ())])

    def _chained(self, name: str, tail_lookup: Callable[[str], list[Jurisdiction]]) -> list[Jurisdiction]:
        """``name`` as head + tail: a unit named by ``tail`` inside a unit named by ``head``."""
        found: list[Jurisdiction] = []
        for i in range(2, len(name) - 1):
            heads = [h for h in self._direct(name[:i]) if h.level != "township"]
            if not heads:
                continue
            for unit in tail_lookup(name[i:]):
                if unit.level != "province" and any(self.within(unit, h) and unit is not h for h in heads):
                    found.append(unit)
        return _unique(found)

    def resolve_historical(self, name: str) -> list[Jurisdiction]:
        """Current units that ``name`` is a former name of.

        First the recorded changes (襄樊市 -> 襄阳市); else the suffix rules of rename_suffixes.csv:
        宁河县 -> 宁河区 when 宁河县 no longer exists (scope ``nation``: nowhere; ``parent``: not
        under the candidate's parent) and 宁河区 does, at the rule's level.  Chain forms work too
        (天津市宁河县).
        """
        recorded = list(self._history.get(name, ()))
        if recorded:
            return recorded
        return self._guess(name)

    def _guess(self, name: str) -> list[Jurisdiction]:
        guessed = self._by_suffix_rule(name)
        return guessed if guessed else self._chained(name, self._guess)

    def _by_suffix_rule(self, name: str) -> list[Jurisdiction]:
        found: list[Jurisdiction] = []
        for rule in self.rules.renames:
            stem = name[: -len(rule.old_suffix)]
            if not name.endswith(rule.old_suffix) or len(stem) < 2:
                continue
            existing = self._official.get(name, [])
            if rule.scope == "nation" and existing:
                continue
            for unit in self._official.get(stem + rule.new_suffix, ()):
                if unit.level != rule.level:
                    continue
                if rule.scope == "parent" and any(e.parents == unit.parents for e in existing):
                    continue
                found.append(unit)
        return _unique(found)

    def guessed_historical_names(self, levels: Sequence[str] = ("county", "prefecture")) -> Iterator[tuple[str, Jurisdiction]]:
        """(former name, unit) pairs the rename rules predict (宁河区 -> 宁河县), for a text matcher.

        Only rules of scope ``nation`` at ``levels``, and only names that are no current unit's
        official name and that :meth:`resolve_historical` maps back to exactly this one unit.
        """
        for rule in self.rules.renames:
            if rule.scope != "nation" or rule.level not in levels:
                continue
            for unit in self._units:
                if unit.level != rule.level or not unit.name.endswith(rule.new_suffix):
                    continue
                stem = unit.name[: -len(rule.new_suffix)]
                old = stem + rule.old_suffix
                if len(stem) >= 2 and old not in self._official and self.resolve_historical(old) == [unit]:
                    yield old, unit

    def resolve(self, name: str, context: Sequence[Jurisdiction] = ()) -> Jurisdiction | None:
        """The one unit ``name`` names, using ``context`` to choose among several; None if unsure.

        Tiers, each tried only when the previous finds nothing: official names (and chain names),
        short names, recorded historical names, suffix-rule guesses.  Several matches in a tier are
        narrowed by :meth:`disambiguate`; still several -> None (the caller warns; never a guess).
        """
        tiers: tuple[Callable[[str], list[Jurisdiction]], ...] = (
            self._official_or_chain,
            lambda n: self._short.get(n, []),
            lambda n: self._history.get(n, []),
            self._guess,
        )
        for tier in tiers:
            found = _unique(tier(name))
            if found:
                return self.disambiguate(found, context)
        return None

    def _official_or_chain(self, name: str) -> list[Jurisdiction]:
        found = self._official.get(name)
        return list(found) if found else self._chained(name, self.lookup)

    def disambiguate(self, candidates: Sequence[Jurisdiction], context: Sequence[Jurisdiction]) -> Jurisdiction | None:
        """The candidate that shares the longest chain with some context unit, if exactly one does.

        Sharing is counted in levels from the province down: 北京市朝阳区 shares 1 with 北京市, 2
        with 北京市东城区's parent chain ... A candidate inside no context unit's province scores 0.
        """
        if len(candidates) == 1:
            return candidates[0]
        scored: list[tuple[int, Jurisdiction]] = []
        for cand in candidates:
            mine = (*cand.parents, cand.code)
            best = 0
            for ctx in context:
                theirs = (*ctx.parents, ctx.code)
                shared = 0
                for a, b in zip(mine, theirs, strict=False):
                    if a != b:
                        break
                    shared += 1
                best = max(best, shared)
            scored.append((best, cand))
        top = max(s for s, _ in scored)
        winners = [c for s, c in scored if s == top]
        return winners[0] if top > 0 and len(winners) == 1 else None

    # -- matching running text

    def names(
        self, *, levels: Sequence[str] = LEVELS, county_short: bool = False, chains: bool = True
    ) -> Iterator[tuple[str, Jurisdiction]]:
        """(surface, unit) pairs for a matcher over running text; a surface may name several units.

        ``chains=False`` leaves out the chain names (天津市宁河区), for a matcher that joins
        adjacent names itself as :meth:`scan` does.

        See the module docstring for which short names are safe.  Township-position entries are
        yielded only when they are real townships (a ``township`` suffix of levels.csv) of 3+
        characters.
        """
        stop = self.rules.stoplist
        town_suffixes = self.rules.suffixes_of("township")
        upper_shorts = Counter(u.short for u in self._units if u.level in _UPPER and u.short != u.name)
        all_shorts = Counter(u.short for u in self._units if u.short != u.name) if county_short else Counter()
        seen: set[tuple[str, str]] = set()
        for unit in self._units:
            if unit.level not in levels:
                continue
            name = unit.name
            if unit.level == "township" and (len(name) < 3 or not name.endswith(town_suffixes)):
                continue
            surfaces = [name]
            if chains and unit.parents:
                chain = self.chain(unit)
                if not name.startswith(chain[-2].name):
                    surfaces += ["".join(c.name for c in chain[j:]) for j in range(len(chain) - 1)]
            short = unit.short
            if short and short != name and short not in self._official:
                upper_ok = unit.level in _UPPER and upper_shorts[short] == 1
                county_ok = county_short and unit.level == "county" and all_shorts[short] == 1
                if upper_ok or county_ok:
                    surfaces.append(short)
            for surface in surfaces:
                if len(surface) >= 2 and surface not in stop:
                    yield surface, unit
        for surface, units in self._history.items():
            if len(surface) >= 3 and surface not in self._official and surface not in stop:
                for unit in units:
                    if unit.level in levels and (surface, unit.code) not in seen:
                        seen.add((surface, unit.code))
                        yield surface, unit

    def scan(self, text: str, *, county_short: bool = False) -> list[NameHit]:
        """Jurisdiction names in ``text``, leftmost-longest, adjacent parent + child merged.

        Matches the surfaces of :meth:`names` without chain names, then joins a hit to the one
        before it when it is inside it (天津市 + 宁河区 -> 天津市宁河区 naming 120117 only; 北京市 +
        朝阳区 -> Beijing's).  About 1 ms per 10,000 characters; the table is built on first use.
        """
        table, prefixes = self._scan_table(county_short)
        hits: list[NameHit] = []
        i, n = 0, len(text)
        while i < n - 1:
            for length in prefixes.get(text[i : i + 2], ()):
                units = table.get(text[i : i + length])
                if units and not self._false_end(text, i + length):
                    hits.append(NameHit(i, i + length, text[i : i + length], units))
                    i += length
                    break
            else:
                i += 1
        return self._merge_chains(hits)

    def _false_end(self, text: str, end: int) -> bool:
        """Whether the name ending at ``end`` runs into a word (漯河市|场监管局)."""
        if end >= len(text):
            return False
        nxt = text[end]
        return any(text.endswith(ending, 0, end) and nxt in chars for ending, chars in self.rules.followers)

    def _scan_table(self, county_short: bool) -> tuple[dict[str, tuple[Jurisdiction, ...]], dict[str, list[int]]]:
        if county_short not in self._scanners:
            grouped: dict[str, list[Jurisdiction]] = defaultdict(list)
            for surface, unit in self.names(county_short=county_short, chains=False):
                grouped[surface].append(unit)
            lengths: dict[str, set[int]] = defaultdict(set)
            for surface in grouped:
                lengths[surface[:2]].add(len(surface))
            self._scanners[county_short] = (
                {s: tuple(u) for s, u in grouped.items()},
                {p: sorted(ls, reverse=True) for p, ls in lengths.items()},
            )
        return self._scanners[county_short]

    def _merge_chains(self, hits: list[NameHit]) -> list[NameHit]:
        out: list[NameHit] = []
        for hit in hits:
            prev = out[-1] if out else None
            if prev is not None and prev.end == hit.start:
                inside = tuple(u for u in hit.units if any(self.within(u, p) and u.code != p.code for p in prev.units))
                if inside:
                    out[-1] = NameHit(prev.start, hit.end, prev.surface + hit.surface, inside)
                    continue
            out.append(hit)
        return out


def _unique(units: Iterable[Jurisdiction]) -> list[Jurisdiction]:
    seen: set[str] = set()
    out: list[Jurisdiction] = []
    for u in units:
        if u.code not in seen:
            seen.add(u.code)
            out.append(u)
    return out


__all__ = [
    "CACHE_FORMAT",
    "Gazetteer",
    "NameHit",
    "Rules",
    "SuffixRule",
    "Tables",
    "default_cache_dir",
    "get_gazetteer",
    "jionlp_dictionary",
    "load_gazetteer",
    "load_rules",
    "load_tables",
    "parse_changes",
    "parse_locations",
    "read_tables",
]
