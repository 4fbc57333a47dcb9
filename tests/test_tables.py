"""kg.tables: every table built from the store by SPARQL, typed as its data dictionary says."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kg import tables
from kg.store import Store

from .conftest import EXPECTED

PLACE = ["jurisdiction", "code", "level", "province", "prefecture"]


# --- the registry and the dictionary -------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(tables.TABLES))
def test_every_table_has_its_dictionary_columns_and_dtypes(examples: Store, name: str) -> None:
    data = tables.build(examples, name)
    spec = tables.TABLES[name]
    fixed = [c.name for c in spec.columns]
    assert list(data.columns[: len(fixed)]) == fixed
    for column in spec.columns:
        assert str(data[column.name].dtype) == column.dtype, column.name
        assert column.meaning and column.type in ("string", "integer", "decimal")
    if spec.per_concept is None:
        assert len(data.columns) == len(fixed)
    dictionary = tables.dictionary(name, data)
    assert list(dictionary.columns) == ["column", "type", "meaning"]
    assert list(dictionary["column"]) == list(data.columns)
    assert dictionary["meaning"].str.len().min() > 5


def test_an_unknown_table_lists_the_tables() -> None:
    with pytest.raises(ValueError, match="unknown table 'x'; known tables: adoptions, matrix, event-history"):
        tables.table_named("x")


def test_an_unknown_scheme_or_stance_is_refused(examples: Store) -> None:
    with pytest.raises(ValueError, match="unknown scheme 'honour'"):
        tables.adoptions(examples, scheme="honour")
    with pytest.raises(ValueError, match="unknown stance 'adopted'"):
        tables.matrix(examples, stance="adopted")


# --- adoptions -------------------------------------------------------------------------------------


def count(store: Store, where: str) -> int:
    """COUNT(DISTINCT ?x) of a pattern, the plain way, to check the tables against."""
    result = store.query(tables.PREFIXES + f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }}")
    return int(next(iter(result))[0].value)  # type: ignore[arg-type,index,union-attr]


def test_adoptions_on_the_examples(examples: Store) -> None:
    data = tables.adoptions(examples)
    # one row per (adoption, evidence mention): a mention of 府院府检联动 is evidence of three adoptions
    pairs = examples.query(
        tables.PREFIXES
        + """SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?a ?x WHERE {
             ?a a fk:Adoption ; fk:evidence ?x ; fk:concept ?c . ?c a fk:Mechanism } }"""
    )
    assert len(data) == int(next(iter(pairs))[0].value)  # type: ignore[arg-type,index,union-attr]
    assert len(data) > count(examples, "?a a fk:Adoption ; fk:evidence ?x ; fk:concept ?c . ?c a fk:Mechanism")
    assert data["adoption"].nunique() == count(examples, "?x a fk:Adoption ; fk:concept ?c . ?c a fk:Mechanism")
    assert set(data["scheme"]) == {"mechanism"}
    assert set(data["stance"]) <= set(tables.STANCES)
    assert data["sentence"].notna().all() and data["category"].notna().all()
    ninghe = data[(data["code"] == "120117") & (data["concept"] == "fengqiao-experience")]
    assert set(ninghe["stance"]) == {"planned"}
    assert set(ninghe[PLACE[:4]].itertuples(index=False, name=None)) == {("天津市宁河区", "120117", "county", "天津市")}
    assert ninghe["prefecture"].isna().all()  # a district of a municipality
    assert set(data[data["code"] == "320205"]["prefecture"]) == {"无锡市"}


def test_adoption_offsets_point_at_the_mention_in_the_sentence(examples: Store) -> None:
    data = tables.adoptions(examples)
    text = {
        r: t
        for r, t in tables.frame(
            examples,
            tables.PREFIXES + "SELECT ?report ?text { ?r a fk:Report ; dcterms:identifier ?report ; fk:text ?text }",
            (tables.Column("report", "string", ""), tables.Column("text", "string", "")),
        ).itertuples(index=False, name=None)
    }
    for row in data.sample(50, random_state=1).itertuples():
        surface = text[row.report][row.start : row.end]
        assert surface and surface in row.sentence


def test_adoptions_by_scheme(examples: Store) -> None:
    mechanisms, programs = tables.adoptions(examples), tables.adoptions(examples, scheme="program")
    both = tables.adoptions(examples, scheme=None)
    assert set(programs["scheme"]) == {"program"}
    assert len(programs) == count(examples, "?a a fk:Adoption ; fk:evidence ?x ; fk:concept ?c . ?c a fk:Program")
    assert len(both) == len(mechanisms) + len(programs)


# --- matrix and event history ---------------------------------------------------------------------


def test_matrix_holds_the_first_year_practised(diffusion: Store) -> None:
    data = tables.matrix(diffusion)
    assert list(data.columns) == [*PLACE, "court-government-linkage", "fengqiao-experience"]
    assert list(data["code"]) == ["330200", "330225", "330226"]
    assert data["court-government-linkage"].tolist() == [2020, pd.NA, 2021]
    assert data["fengqiao-experience"].tolist() == [pd.NA, pd.NA, 2022]
    assert str(data["fengqiao-experience"].dtype) == "Int64"


def test_matrix_of_another_stance(diffusion: Store) -> None:
    data = tables.matrix(diffusion, stance="planned").set_index("code")
    assert data["fengqiao-experience"].tolist() == [pd.NA, 2021, pd.NA]
    assert data["court-government-linkage"].tolist() == [pd.NA, pd.NA, 2020]


def test_matrix_on_the_examples_agrees_with_the_adoptions(examples: Store) -> None:
    data = tables.matrix(examples).set_index("code")
    practised = tables.adoptions(examples).query("stance == 'practised'")
    first = practised.groupby(["code", "concept"])["year"].min()
    assert data.shape == (5, 4 + len(set(practised["concept"])))
    for (code, concept), year in first.items():
        assert data.loc[code, concept] == year
    assert int(data.drop(columns=PLACE[:1] + PLACE[2:]).notna().sum().sum()) == len(first)


def test_event_history_rows_until_first_adoption(diffusion: Store) -> None:
    data = tables.event_history(diffusion)
    rows = {
        (r.code, r.concept, r.year): (r.spell, r.adopted, r.first_observation, r.parent_adopted) for r in data.itertuples()
    }
    assert rows == {
        ("330200", "court-government-linkage", 2020): (1, 1, 1, 0),
        ("330200", "fengqiao-experience", 2020): (1, 0, 1, 0),
        ("330225", "court-government-linkage", 2021): (1, 0, 1, 1),
        ("330225", "court-government-linkage", 2022): (2, 0, 0, 1),
        ("330225", "fengqiao-experience", 2021): (1, 0, 1, 0),
        ("330225", "fengqiao-experience", 2022): (2, 0, 0, 0),
        ("330226", "court-government-linkage", 2020): (1, 0, 1, 0),
        ("330226", "court-government-linkage", 2021): (2, 1, 0, 1),
        ("330226", "fengqiao-experience", 2020): (1, 0, 1, 0),
        ("330226", "fengqiao-experience", 2021): (2, 0, 0, 0),
        ("330226", "fengqiao-experience", 2022): (3, 1, 0, 0),
    }
    assert set(data["label"]) == {"府院联动", "枫桥经验"} and set(data["prefecture"]) == {"宁波市"}


def test_event_history_on_the_examples_has_one_adoption_per_matrix_cell(examples: Store) -> None:
    data = tables.event_history(examples)
    cells = int(tables.matrix(examples).iloc[:, 5:].notna().sum().sum())
    assert int(data["adopted"].sum()) == cells
    assert data.groupby(["code", "concept"])["adopted"].sum().max() == 1
    assert set(data["first_observation"]) == {1}  # one report per jurisdiction


def test_event_history_of_an_empty_store_is_empty_with_its_columns() -> None:
    with Store(None) as st:
        data = tables.event_history(st)
    assert data.empty and list(data.columns) == [c.name for c in tables.TABLES["event-history"].columns]


# --- the other tables ---------------------------------------------------------------------------


def test_adoption_by_year(diffusion: Store) -> None:
    data = tables.adoption_by_year(diffusion)
    got = {(r.year, r.concept): (r.jurisdictions, r.practising, r.reporting, r.share) for r in data.itertuples()}
    assert got == {
        (2020, "court-government-linkage"): (2, 1, 2, 0.5),
        (2021, "court-government-linkage"): (1, 1, 2, 0.5),
        (2021, "fengqiao-experience"): (1, 0, 2, 0.0),
        (2022, "court-government-linkage"): (1, 1, 2, 0.5),
        (2022, "fengqiao-experience"): (1, 1, 2, 0.5),
    }
    programs = tables.adoption_by_year(diffusion, scheme="program")
    assert list(programs["concept"]) == ["eighth-five-year-legal-publicity"]


def test_reports_match_the_examples(examples: Store) -> None:
    data = tables.reports(examples)
    got = {Path(r.source).name: (r.jurisdiction, r.code, r.level, r.year, r.published, r.doc_type) for r in data.itertuples()}
    assert got == EXPECTED


def test_statistics(examples: Store) -> None:
    data = tables.statistics(examples)
    assert len(data) == count(examples, "?x a fk:Observation")
    assert set(data["approximate"]) <= {0, 1} and data["value"].notna().all()
    assert data["indicator_label"].notna().all() and data["sentence"].notna().all()
    row = data[(data["code"] == "120117") & (data["indicator"] == "information-disclosed")].iloc[0]
    assert (row["value"], row["unit"], row["approximate"], row["year"]) == (7000.0, "条", 1, 2023)


def test_documents_say_who_cites_and_who_issued(examples: Store) -> None:
    data = tables.documents(examples)
    assert len(data) == count(examples, "?r a fk:Report ; dcterms:identifier ?id ; dcterms:references ?d . BIND(CONCAT(?id, STR(?d)) AS ?x)")
    assert set(data["relation"]) == {"issued", "cites"}
    own = data[data["title"] == "宁河区行政诉讼败诉案件追责办法"].iloc[0]
    assert (own["code"], own["relation"], own["kind"]) == ("120117", "issued", "rules")
    outline = data[(data["title"] == "法治政府建设实施纲要(2021-2025年)") & (data["code"] == "330226")].iloc[0]
    assert set(outline["issuers"].split("; ")) == {"中共中央", "国务院"}


def test_jurisdictions_with_coordinates_in_the_cpca_layout(diffusion: Store, tmp_path: Path) -> None:
    coordinates = tmp_path / "adcodes.csv"
    coordinates.write_text(
        "adcode,name,longitude,latitude\n330226000000,宁海县,121.429477,29.287939\n330200000000,宁波市,,\n"
        "330225123000,某镇,1,1\n",
        encoding="utf-8",
    )
    data = tables.jurisdictions(diffusion, coordinates=coordinates).set_index("code")
    assert data.loc["330226", ["reports", "first_year", "last_year", "practised"]].tolist() == [3, 2020, 2022, 3]
    assert (data.loc["330226", "longitude"], data.loc["330226", "latitude"]) == (121.429477, 29.287939)
    assert data.loc["330200", "longitude"] is pd.NA and data.loc["330200", "parent"] == "330000"
    assert data.loc["330226", "coordinate_source"] == "file" and data.loc["330200", "coordinate_source"] is pd.NA
    packaged = tables.jurisdictions(diffusion).set_index("code")  # without a file: the cpca package's (kg.coordinates)
    assert packaged.loc["330226", ["longitude", "latitude", "coordinate_source"]].tolist() == [121.429477, 29.287939, "exact"]
    assert packaged["longitude"].notna().all() and set(packaged["coordinate_source"]) == {"exact"}


def test_load_coordinates_takes_six_digit_codes_and_names_missing_columns(tmp_path: Path) -> None:
    good = tmp_path / "c.csv"
    good.write_text("code,longitude,latitude\n120117,117.8,39.3\n", encoding="utf-8")
    assert tables.load_coordinates(good).to_dict("records") == [{"code": "120117", "longitude": 117.8, "latitude": 39.3}]
    bad = tmp_path / "bad.csv"
    bad.write_text("code,lon,lat\n120117,1,2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no column"):
        tables.load_coordinates(bad)
