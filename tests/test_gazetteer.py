"""Tests of kg.gazetteer: the jionlp tree, names, history, resolution, scanning and the cache."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from kg.errors import DataFileError
from kg.gazetteer import (
    Gazetteer,
    get_gazetteer,
    jionlp_dictionary,
    load_gazetteer,
    load_rules,
    load_tables,
    parse_changes,
    parse_locations,
)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return get_gazetteer()


def codes(units: object) -> list[str]:
    return [u.code for u in units]  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- the tree


def test_municipality_district_hangs_under_the_province(gaz: Gazetteer) -> None:
    j = gaz.by_code("120117")
    assert j is not None
    assert (j.name, j.full_name, j.level, j.parents, j.short) == (
        "宁河区",
        "天津市宁河区",
        "county",
        ("120000",),
        "宁河",
    )


def test_municipality_is_not_repeated_as_a_prefecture(gaz: Gazetteer) -> None:
    assert codes(gaz.lookup("天津市")) == ["120000"]
    assert gaz.by_code("120000").level == "province"  # type: ignore[union-attr]
    assert "120117" in codes(gaz.children("120000"))


def test_county_under_prefecture(gaz: Gazetteer) -> None:
    j = gaz.by_code("330226")
    assert j is not None
    assert (j.full_name, j.level, j.parents) == ("浙江省宁波市宁海县", "county", ("330000", "330200"))
    assert [c.name for c in gaz.chain(j)] == ["浙江省", "宁波市", "宁海县"]


@pytest.mark.parametrize(
    ("code", "full_name", "level"),
    [
        ("411100", "河南省漯河市", "prefecture"),
        ("230108", "黑龙江省哈尔滨市平房区", "county"),
        ("320205", "江苏省无锡市锡山区", "county"),
        ("330182", "浙江省杭州市建德市", "county"),  # a county-level city is county level
        ("419001", "河南省济源市", "county"),  # 省直辖 collapsed: parent is the province
        ("441900", "广东省东莞市", "prefecture"),
    ],
)
def test_full_names_and_levels(gaz: Gazetteer, code: str, full_name: str, level: str) -> None:
    j = gaz.by_code(code)
    assert j is not None
    assert (j.full_name, j.level) == (full_name, level)


def test_province_administered_city_has_the_province_as_parent(gaz: Gazetteer) -> None:
    assert gaz.by_code("419001").parents == ("410000",)  # type: ignore[union-attr]


def test_township_has_a_synthetic_code_and_its_chain(gaz: Gazetteer) -> None:
    towns = [t for t in gaz.lookup("华亭镇") if t.parents[-1] == "310114"]
    assert len(towns) == 1
    t = towns[0]
    assert (t.code, t.level, t.parents, t.full_name) == (
        "310114:华亭镇",
        "township",
        ("310000", "310114"),
        "上海市嘉定区华亭镇",
    )
    assert [c.code for c in gaz.chain(t)] == ["310000", "310114", "310114:华亭镇"]
    assert gaz.by_code("310114:华亭镇") is t


def test_townships_of_a_county_without_villages(gaz: Gazetteer) -> None:
    kids = gaz.children("330226")
    assert "西店镇" in [k.name for k in kids]
    assert all(k.level == "township" for k in kids)
    assert gaz.children("330226:西店镇") == []  # villages are skipped


def test_codes_are_unique_and_parents_exist(gaz: Gazetteer) -> None:
    seen = set()
    for u in gaz:
        assert u.code not in seen
        seen.add(u.code)
        assert all(gaz.by_code(p) is not None for p in u.parents)
    assert len(seen) > 40000


# --------------------------------------------------------------------------- names


def test_lookup_ambiguous_name_returns_all(gaz: Gazetteer) -> None:
    found = gaz.lookup("朝阳区")
    assert len(found) >= 2
    assert {"110105", "220104"} <= set(codes(found))


def test_resolve_ambiguous_without_context_is_none(gaz: Gazetteer) -> None:
    assert gaz.resolve("朝阳区") is None
    assert gaz.resolve("鼓楼区") is None


def test_resolve_ambiguous_with_context(gaz: Gazetteer) -> None:
    beijing = gaz.by_code("110000")
    assert beijing is not None
    assert gaz.resolve("朝阳区", context=[beijing]).code == "110105"  # type: ignore[union-attr]
    jilin = gaz.by_code("220000")
    assert gaz.resolve("朝阳区", context=[jilin]).code == "220104"  # type: ignore[arg-type,union-attr]


def test_resolve_same_province_twice_stays_ambiguous(gaz: Gazetteer) -> None:
    jiangsu = gaz.by_code("320000")
    nanjing = gaz.by_code("320100")
    assert gaz.resolve("鼓楼区", context=[jiangsu]) is None  # type: ignore[list-item]
    assert gaz.resolve("鼓楼区", context=[nanjing]).code == "320106"  # type: ignore[list-item,union-attr]


def test_resolve_unique_name_and_chain_names(gaz: Gazetteer) -> None:
    assert gaz.resolve("宁海县").code == "330226"  # type: ignore[union-attr]
    assert gaz.resolve("天津市宁河区").code == "120117"  # type: ignore[union-attr]
    assert gaz.resolve("浙江省宁波市宁海县").code == "330226"  # type: ignore[union-attr]
    assert gaz.resolve("北京市朝阳区").code == "110105"  # type: ignore[union-attr]
    assert gaz.resolve("没有这个地方") is None


def test_short_names(gaz: Gazetteer) -> None:
    assert codes(gaz.lookup("漯河")) == ["411100"]
    assert codes(gaz.lookup("天津")) == ["120000"]


def test_historical_rename_by_suffix_rule(gaz: Gazetteer) -> None:
    assert codes(gaz.resolve_historical("宁河县")) == ["120117"]
    assert codes(gaz.resolve_historical("天津市宁河县")) == ["120117"]
    assert gaz.resolve("宁河县").code == "120117"  # type: ignore[union-attr]
    assert gaz.lookup("宁河县") == []  # guesses are not names


def test_suffix_rule_needs_the_old_name_gone(gaz: Gazetteer) -> None:
    # 朝阳县 exists (辽宁), so it is no former name of a 朝阳区
    assert gaz.resolve_historical("朝阳县") == []


def test_historical_rename_from_change_file(gaz: Gazetteer) -> None:
    assert codes(gaz.resolve_historical("襄樊市")) == ["420600"]
    assert codes(gaz.lookup("襄樊市")) == ["420600"]
    assert gaz.by_code("420600").name == "襄阳市"  # type: ignore[union-attr]
    assert codes(gaz.lookup("襄樊市樊城区")) == codes([u for u in gaz.lookup("樊城区") if u.parents[-1] == "420600"])


def test_names_for_a_matcher(gaz: Gazetteer) -> None:
    pairs = {(s, u.code) for s, u in gaz.names(levels=("province", "prefecture", "county"))}
    for expected in [
        ("天津", "120000"),
        ("漯河", "411100"),
        ("哈尔滨", "230100"),
        ("宁河区", "120117"),
        ("天津市宁河区", "120117"),
        ("宁波市宁海县", "330226"),
        ("浙江省宁波市宁海县", "330226"),
        ("襄樊市", "420600"),
    ]:
        assert expected in pairs
    surfaces = {s for s, _ in pairs}
    assert "宁河" not in surfaces  # county shorts only on request
    assert "城区" not in surfaces  # stoplisted generic name
    assert "大同" not in surfaces  # stoplisted common word
    with_short = {(s, u.code) for s, u in gaz.names(levels=("county",), county_short=True)}
    assert ("宁河", "120117") in with_short


def test_names_township_filter(gaz: Gazetteer) -> None:
    towns = {s for s, u in gaz.names(levels=("township",), chains=False)}
    assert "西店镇" in towns
    assert "街道" not in towns and "社区" not in towns


# --------------------------------------------------------------------------- scanning


def test_scan_merges_parent_and_child(gaz: Gazetteer) -> None:
    hits = gaz.scan("北京市朝阳区和浙江省宁波市宁海县西店镇")
    assert [(h.surface, codes(h.units)) for h in hits] == [
        ("北京市朝阳区", ["110105"]),
        ("浙江省宁波市宁海县西店镇", ["330226:西店镇"]),
    ]


def test_scan_word_boundaries(gaz: Gazetteer) -> None:
    assert [h.surface for h in gaz.scan("漯河市场监管局")] == ["漯河"]
    assert gaz.scan("创建法治政府建设示范县") == []
    assert [h.surface for h in gaz.scan("法治宁海", county_short=True)] == ["宁海"]


# --------------------------------------------------------------------------- parsing and the cache

TREE = """\
天津市\t120000\t天津
\t天津市\t120000\t天津
\t\t宁河区\t120117\t宁河
\t\t\t芦台街道
\t\t\t\t某某社区
河南省\t410000\t河南
\t省直辖行政区划\t419000\t省直辖
\t\t济源市\t419001\t济源
\t平顶山市\t410400\t平顶山
\t\t甲开发区\t410471\t甲
\t\t乙开发区\t410471\t乙
香港特别行政区\t810000\t香港
\t香港\t810000\t香港
\t\t中西区\t810000\t中西区
"""


def test_parse_locations_collapses_and_codes() -> None:
    rows = {r[1]: r for r in parse_locations(TREE.splitlines())}
    assert rows["宁河区"][2:5] == ("天津市宁河区", "county", ("120000",))
    assert rows["芦台街道"][0] == "120117:芦台街道"
    assert rows["芦台街道"][3:5] == ("township", ("120000", "120117"))
    assert "某某社区" not in rows
    assert rows["济源市"][4] == ("410000",)
    assert rows["甲开发区"][0] == "410471"
    assert rows["乙开发区"][0] == "410400:乙开发区"  # a reused code becomes synthetic
    assert rows["中西区"][0] == "810000:中西区"
    assert rows["中西区"][4] == ("810000",)


def test_parse_locations_error_names_the_line() -> None:
    with pytest.raises(DataFileError) as err:
        parse_locations(["河北省\t130000\t河北", "\t\t\t孤儿镇", "山西省\tX\t山西"], "tree.txt")
    assert "tree.txt:3" in str(err.value)


def test_parse_changes() -> None:
    units = parse_locations(["湖北省\t420000\t湖北", "\t襄阳市\t420600\t襄阳", "\t\t樊城区\t420606\t樊城"])
    line = "2010-12-09\t国批\t湖北省\t湖北\t襄樊市\t襄樊=>湖北省\t襄阳市"
    tables = parse_changes([line, "2099-01-01\t国批\t湖北省\t湖北\t无此市\t无此=>湖北省\t无此新市"], units, "chg.txt")
    assert ("襄樊市", "420600") in tables.history
    assert ("襄樊", "420600") in tables.history
    assert len(tables.notes) == 1 and tables.notes[0].startswith("chg.txt:2:")


def test_parse_changes_error_names_the_line() -> None:
    with pytest.raises(DataFileError) as err:
        parse_changes(["2010-12-09\t国批\t湖北省\t湖北"], [], "chg.txt")
    assert str(err.value).startswith("chg.txt:1:")


def test_jionlp_files_found_without_import() -> None:
    folder = jionlp_dictionary()
    assert (folder / "china_location.zip").is_file()
    assert (folder / "china_location_change.txt").is_file()


@pytest.fixture
def tiny_dictionary(tmp_path: Path) -> Path:
    """A jionlp-like dictionary folder holding TREE and one change line."""
    folder = tmp_path / "dictionary"
    folder.mkdir()
    with zipfile.ZipFile(folder / "china_location.zip", "w") as zf:
        zf.writestr("china_location.txt", TREE.replace("\n", "\r\n"))
    (folder / "china_location_change.txt").write_text(
        "2015-07-22\t国批\t天津市\t天津\t天津市\t天津\t宁河县\t宁河=>天津市\t天津市\t宁河区\n", encoding="utf-8"
    )
    return folder


def test_cache_round_trip(tiny_dictionary: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = load_tables(tiny_dictionary, cache)
    assert len(list(cache.glob("gazetteer-*.pickle"))) == 1
    second = load_tables(tiny_dictionary, cache)
    assert second == first
    g = load_gazetteer(dictionary=tiny_dictionary, cache_dir=cache)
    assert g.by_code("120117").full_name == "天津市宁河区"  # type: ignore[union-attr]
    assert codes(g.lookup("宁河县")) == ["120117"]


def test_cache_follows_the_data_file(tiny_dictionary: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_tables(tiny_dictionary, cache)
    with zipfile.ZipFile(tiny_dictionary / "china_location.zip", "w") as zf:
        zf.writestr("china_location.txt", TREE + "北京市\t110000\t北京\n")
    assert "北京市" in [u[1] for u in load_tables(tiny_dictionary, cache).units]
    assert len(list(cache.glob("gazetteer-*.pickle"))) == 2


def test_corrupt_cache_is_rebuilt(tiny_dictionary: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = load_tables(tiny_dictionary, cache)
    path = next(cache.glob("gazetteer-*.pickle"))
    path.write_bytes(b"not a pickle")
    assert load_tables(tiny_dictionary, cache) == first
    assert path.stat().st_size > 100


def test_unwritable_cache_folder_still_loads(tiny_dictionary: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    g = load_gazetteer(dictionary=tiny_dictionary, cache_dir=blocker / "sub")  # no folder under a file
    assert g.by_code("419001") is not None


def test_missing_data_file_is_a_data_file_error(tmp_path: Path) -> None:
    with pytest.raises(DataFileError):
        load_tables(tmp_path, tmp_path / "cache")


def test_bad_rules_file_names_file_and_line(tmp_path: Path) -> None:
    folder = tmp_path / "jurisdictions"
    folder.mkdir()
    src = Path(__file__).resolve().parent.parent / "ontology" / "jurisdictions"
    for name in ("levels.csv", "surface_stoplist.csv", "false_followers.csv"):
        (folder / name).write_text((src / name).read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "rename_suffixes.csv").write_text(
        "# comment\nold_suffix,new_suffix,level,scope\n县,区,county,nation\n县,市,city,nation\n", encoding="utf-8"
    )
    with pytest.raises(DataFileError) as err:
        load_rules(tmp_path)
    assert f"{folder / 'rename_suffixes.csv'}:4" in str(err.value)
    assert "city" in str(err.value)


def test_get_gazetteer_is_a_singleton() -> None:
    assert get_gazetteer() is get_gazetteer()
