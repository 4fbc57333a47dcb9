"""Coordinates of jurisdictions: longitude and latitude by GB/T 2260 code.

Source data: ``cpca/resources/adcodes.csv`` of the ``cpca`` package (MIT, DQinYuan): one
row per province, prefecture and county, ``adcode,name,longitude,latitude`` with 12-digit
adcodes (``120117000000``), data of about 2021 with some older county codes.  The file is
located with :func:`importlib.util.find_spec` and read as data; cpca's own module is never
imported (its import loads ``pkg_resources`` and its address matcher).

:meth:`Coordinates.locate` gives a :class:`Position` for a six-digit code (or a gazetteer
code such as the synthetic ``310114:华亭镇`` of a township), trying in turn:

1. ``exact``: cpca has the code;
2. ``historical``: cpca has a former code of the same place, found through the gazetteer
   (:meth:`kg.gazetteer.Gazetteer.resolve_historical`): a cpca row whose code is no longer
   current and whose name resolves to the unit, in the same province (same prefecture
   preferred): 罗江县 (510626) places 罗江区 (510604), 莱芜市 (371200) places 济南市莱芜区
   (370116);
3. ``parent``: the nearest ancestor's position (prefecture, then province; from the
   gazetteer's chain, else from the code's digits): development zones (xx71) and units
   newer than the data;
4. None: not even the province is known.

Coverage of the gazetteer's county-level units with six-digit codes (jionlp 1.5.31, cpca
0.5.5; :func:`coverage`, checked in ``tests/test_coordinates.py``): 2,746 of 3,012 (91.2%)
exact, 63 historical, 203 by a parent, none without coordinates.  Prefectures: 332 of 339
exact, 1 historical (那曲市), 6 by their province (Taiwan's cities).
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Final, Literal, NamedTuple

from kg.datafiles import read_csv
from kg.errors import DataFileError
from kg.gazetteer import Gazetteer, get_gazetteer

ADCODES_MEMBER: Final = ("resources", "adcodes.csv")
#: how a position was found, best first
SOURCES: Final = ("exact", "historical", "parent")
Source = Literal["exact", "historical", "parent"]


class Position(NamedTuple):
    longitude: float
    latitude: float
    source: Source
    #: the code whose coordinates these are: the code itself, its former code, or the ancestor's code
    via: str


class Place(NamedTuple):
    """A row of ``adcodes.csv``: six-digit code, name, longitude, latitude."""

    code: str
    name: str
    longitude: float
    latitude: float


def cpca_adcodes() -> Path:
    """``adcodes.csv`` of the installed cpca package (found without importing it)."""
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise DataFileError("cpca", "the cpca package is not installed (pip install cpca)")
    return Path(next(iter(spec.submodule_search_locations))).joinpath(*ADCODES_MEMBER)


def read_adcodes(path: str | Path) -> dict[str, Place]:
    """Rows with both numbers, by six-digit code: 12-digit adcodes whose last six digits are zero,
    or six-digit codes (a ``code`` column instead of ``adcode`` also works)."""
    out: dict[str, Place] = {}
    for row in read_csv(path, required=("name", "longitude", "latitude")):
        if "adcode" not in row.values and "code" not in row.values:
            raise row.error("no column adcode or code")
        raw = (row["adcode"] or row["code"]).strip()
        if len(raw) == 12 and raw.endswith("000000"):
            raw = raw[:6]
        if len(raw) != 6 or not raw.isdigit():
            continue
        try:
            lon, lat = float(row["longitude"]), float(row["latitude"])
        except ValueError:
            continue  # 市辖区 rows have no coordinates
        out.setdefault(raw, Place(raw, row["name"].strip(), lon, lat))
    return out


class Coordinates:
    """Positions of jurisdictions: cpca's table, completed by former codes and ancestors."""

    def __init__(self, places: dict[str, Place], gazetteer: Gazetteer) -> None:
        self.places = places
        self.gazetteer = gazetteer
        self.former = self._former_codes()

    def _former_codes(self) -> dict[str, str]:
        """Current code -> the former code of the same place that cpca still has (for codes it lacks).

        When several former units became one (长治's 城区 and 郊区 -> 潞州区), the one whose name
        shares most characters with the current name is taken, then the lowest code.
        """
        found: dict[str, list[Place]] = {}
        for place in self.places.values():
            if self.gazetteer.by_code(place.code) is not None:
                continue  # still a current code: exact for its own unit
            units = [u for u in self.gazetteer.resolve_historical(place.name) if u.code[:2] == place.code[:2]]
            near = [u for u in units if u.code[:4] == place.code[:4]]
            units = near or units
            if len(units) == 1 and units[0].code not in self.places:
                found.setdefault(units[0].code, []).append(place)
        out = {}
        for code, candidates in found.items():
            unit = self.gazetteer.by_code(code)
            name = unit.name if unit else ""
            best = min(candidates, key=lambda p: (-len(set(p.name) & set(name)), p.code))
            out[code] = best.code
        return out

    def own(self, code: str) -> Position | None:
        """The code's own position: ``exact`` or ``historical``; None when neither is known."""
        place = self.places.get(code)
        if place is not None:
            return Position(place.longitude, place.latitude, "exact", code)
        former = self.former.get(code)
        if former is not None:
            place = self.places[former]
            return Position(place.longitude, place.latitude, "historical", former)
        return None

    def ancestors(self, code: str) -> list[str]:
        """Codes of the enclosing units, nearest first: the gazetteer's chain, else the code's digits."""
        unit = self.gazetteer.by_code(code)
        if unit is not None:
            return list(reversed(unit.parents))
        digits = code.split(":", 1)[0]
        if len(digits) != 6 or not digits.isdigit():
            return []
        if digits != code:  # a synthetic code <county code>:<name>
            return [digits, *self.ancestors(digits)]
        return list(dict.fromkeys(c for c in (code[:4] + "00", code[:2] + "0000") if c != code))

    def locate(self, code: str) -> Position | None:
        """Longitude, latitude, how they were found (``exact``, ``historical``, ``parent``) and the
        code they belong to; None when neither the unit nor any ancestor has coordinates.

        >>> c = get_coordinates()
        >>> c.locate("120117")
        Position(longitude=117.826724, latitude=39.330087, source='exact', via='120117')
        >>> c.locate("510604").source, c.locate("510604").via
        ('historical', '510626')
        >>> c.locate("510156").source, c.locate("510156").via  # 天府新区: placed at 成都市
        ('parent', '510100')
        """
        found = self.own(code)
        if found is not None:
            return found
        for up in self.ancestors(code):
            found = self.own(up)
            if found is not None:
                return found._replace(source="parent", via=up)
        return None


@lru_cache(maxsize=1)
def get_coordinates() -> Coordinates:
    """The process-wide coordinates: cpca's table and the project's gazetteer."""
    return Coordinates(read_adcodes(cpca_adcodes()), get_gazetteer())


def locate(code: str) -> Position | None:
    """:meth:`Coordinates.locate` with the process-wide coordinates."""
    return get_coordinates().locate(code)


def coverage(coordinates: Coordinates | None = None, level: str = "county") -> Counter[str]:
    """How the gazetteer's units of ``level`` with six-digit codes are located: counts per
    source (``exact``, ``historical``, ``parent``, ``none``) and ``total``."""
    c = coordinates or get_coordinates()
    counts: Counter[str] = Counter()
    for unit in c.gazetteer:
        if unit.level != level or not (len(unit.code) == 6 and unit.code.isdigit()):
            continue
        found = c.locate(unit.code)
        counts[found.source if found else "none"] += 1
        counts["total"] += 1
    return counts


__all__ = [
    "SOURCES",
    "Coordinates",
    "Place",
    "Position",
    "coverage",
    "cpca_adcodes",
    "get_coordinates",
    "locate",
    "read_adcodes",
]
