"""Coordinates of jurisdictions (kg.coordinates): cpca's table, former codes, parents, and the coverage."""

from __future__ import annotations

import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from kg.coordinates import Coordinates, Place, coverage, cpca_adcodes, get_coordinates, locate, read_adcodes
from kg.errors import DataFileError
from kg.gazetteer import get_gazetteer
from tests.conftest import ROOT

#: the coverage stated in kg/coordinates.py and the README, measured with these versions
MEASURED_WITH = {"cpca": "0.5.5", "jionlp": "1.5.31"}
COUNTY_COVERAGE = {"total": 3012, "exact": 2746, "historical": 63, "parent": 203}
PREFECTURE_COVERAGE = {"total": 339, "exact": 332, "historical": 1, "parent": 6}


@pytest.fixture(scope="module")
def coords() -> Coordinates:
    return get_coordinates()


def test_the_table_is_read_without_importing_cpca() -> None:
    sys.modules.pop("cpca", None)
    path = cpca_adcodes()
    assert path.name == "adcodes.csv" and path.is_file()
    places = read_adcodes(path)
    assert "cpca" not in sys.modules  # its import loads pkg_resources and its matcher
    assert len(places) > 3000
    assert places["120117"] == Place("120117", "宁河区", 117.826724, 39.330087)
    assert all(len(code) == 6 and code.isdigit() for code in places)


def test_read_adcodes_takes_either_layout_and_skips_rows_without_numbers(tmp_path: Path) -> None:
    cpca = tmp_path / "adcodes.csv"
    cpca.write_text(
        "adcode,name,longitude,latitude\n330226000000,宁海县,121.4,29.3\n330201000000,市辖区,,\n330225123000,某镇,1,1\n",
        encoding="utf-8",
    )
    assert list(read_adcodes(cpca)) == ["330226"]
    plain = tmp_path / "codes.csv"
    plain.write_text("code,name,longitude,latitude\n120117,宁河区,117.8,39.3\n", encoding="utf-8")
    assert read_adcodes(plain)["120117"].longitude == 117.8
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,longitude,latitude\n1,x,1,1\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="adcode or code"):
        read_adcodes(bad)
    bad.write_text("adcode,name\n120117000000,宁河区\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="longitude"):
        read_adcodes(bad)


def test_exact_coordinates(coords: Coordinates) -> None:
    at = coords.locate("120117")
    assert at is not None and (at.longitude, at.latitude, at.source, at.via) == (
        117.826724,
        39.330087,
        "exact",
        "120117",
    )
    found = locate("330226")  # the process-wide table
    assert found is not None and (round(found.longitude, 2), round(found.latitude, 2), found.source) == (
        121.43,
        29.29,
        "exact",
    )


def test_a_code_cpca_lacks_takes_its_former_code_from_the_gazetteer(coords: Coordinates) -> None:
    # 罗江县 (510626) became 罗江区 (510604); cpca has only the county
    assert "510604" not in coords.places and "510626" in coords.places
    assert get_gazetteer().resolve_historical("罗江县")[0].code == "510604"
    at = coords.locate("510604")
    assert at is not None and (at.source, at.via) == ("historical", "510626")
    assert (at.longitude, at.latitude) == (coords.places["510626"].longitude, coords.places["510626"].latitude)
    # several former units became one: the one sharing most of the new name (伊春区 for 伊美区)
    merged = coords.locate("230717")
    assert merged is not None and (merged.source, merged.via) == ("historical", "230702")


def test_a_code_without_its_own_takes_the_nearest_ancestor(coords: Coordinates) -> None:
    zone = get_gazetteer().by_code("510156")  # 四川天府新区, no row in cpca
    assert zone is not None and "510156" not in coords.places and "510156" not in coords.former
    at = coords.locate("510156")
    assert at is not None and (at.source, at.via) == ("parent", "510100")
    assert (at.longitude, at.latitude) == (coords.places["510100"].longitude, coords.places["510100"].latitude)
    township = coords.locate("310114:华亭镇")  # synthetic township code: its county
    assert township is not None and (township.source, township.via) == ("parent", "310114")
    unknown_county = coords.locate("330299")  # not in the gazetteer: its digits give 330200, 330000
    assert unknown_county is not None and (unknown_county.source, unknown_county.via) == ("parent", "330200")
    assert coords.locate("990101") is None


def test_parents_are_taken_nearest_first() -> None:
    gaz = get_gazetteer()
    places = {"330000": Place("330000", "浙江省", 120.1, 30.2)}
    only_province = Coordinates(places, gaz)
    at = only_province.locate("330226")
    assert at is not None and (at.source, at.via, at.longitude) == ("parent", "330000", 120.1)
    places["330200"] = Place("330200", "宁波市", 121.5, 29.8)
    at = Coordinates(places, gaz).locate("330226")
    assert at is not None and (at.via, at.longitude) == ("330200", 121.5)


def test_coverage_of_the_gazetteer(coords: Coordinates) -> None:
    county = coverage(coords)
    prefecture = coverage(coords, "prefecture")
    assert county["none"] == 0 and prefecture["none"] == 0
    assert county["exact"] / county["total"] > 0.9
    assert coverage(coords, "province") == {"exact": 34, "total": 34}
    if all(version(name) == v for name, v in MEASURED_WITH.items()):
        assert dict(county) == COUNTY_COVERAGE
        assert dict(prefecture) == PREFECTURE_COVERAGE
    # the figures are stated where a reader looks for them
    module = (ROOT / "kg" / "coordinates.py").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    stated = f"{COUNTY_COVERAGE['exact']:,} of {COUNTY_COVERAGE['total']:,}"
    assert stated in module and stated in readme
