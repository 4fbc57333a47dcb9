"""Tables of the store as pandas DataFrames, for notebooks, R, Stata and CSV exports.

Each table is built from the store by SPARQL (:mod:`kg.table_queries`; grouping and
de-duplication done by the engine, small lookups joined by pandas) and has a fixed set
of typed columns, listed in :data:`TABLES` with their meaning: that list is the data
dictionary written beside every CSV export.  Column types are ``string``, ``integer``
(pandas ``Int64``, empty when unknown) and ``decimal`` (pandas ``Float64``); flags are
integers 0/1 so that Stata reads them too.

Tables, by name:

- ``adoptions``: one row per evidence mention of an adoption (long form).
- ``matrix``: one row per jurisdiction with reports, one column per concept: the first
  year it is reported practising it, empty when never.
- ``event-history``: one row per jurisdiction, concept and observed year at risk, up
  to and including the year of first adoption (discrete-time event history).
- ``adoption-by-year``: per year and concept, how many jurisdictions report it.
- ``statistics``: one row per statistic (RDF Data Cube observation).
- ``documents``: one row per document a report names.
- ``reports``: one row per report.
- ``jurisdictions``: one row per jurisdiction with reports, with coordinates (:mod:`kg.coordinates`).

Tables about adoptions take ``scheme``: ``"mechanism"`` (the default), ``"program"``,
or None for both.

>>> sorted(TABLES)[:3]
['adoption-by-year', 'adoptions', 'documents']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from urllib.parse import unquote

import pandas as pd
import pyoxigraph as ox

from kg import table_queries as q
from kg.coordinates import get_coordinates
from kg.iris import FK
from kg.store import Store

STANCES: Final = ("practised", "planned", "problem", "recommended", "mentioned")
SCHEMES: Final = ("mechanism", "program")
#: stance name -> the fk individual adoptions carry
_STANCE_NODE: Final = {s: FK + ("problematic" if s == "problem" else s) for s in STANCES}
#: fk individual (local name) of a stance or a section role -> stance name
STANCE_OF: Final = {
    "practised": "practised",
    "planned": "planned",
    "problematic": "problem",
    "recommended": "recommended",
    "mentioned": "mentioned",
    "practice": "practised",
    "plan": "planned",
    "problem": "problem",
    "recommendation": "recommended",
    "background": "mentioned",
}
_DTYPES: Final = {"string": "string", "integer": "Int64", "decimal": "Float64"}
PREFIXES: Final = q.PREFIXES


# --- the registry ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Column:
    """A column of a table: its name, type (``string``, ``integer``, ``decimal``) and meaning."""

    name: str
    type: str
    meaning: str

    @property
    def dtype(self) -> str:
        """The pandas dtype of the column."""
        return _DTYPES[self.type]


@dataclass(frozen=True, slots=True)
class Table:
    """A table of :data:`TABLES`: its columns (the data dictionary) and how it is built."""

    name: str
    help: str
    columns: tuple[Column, ...]
    build: Callable[..., pd.DataFrame]
    #: keyword options ``build`` takes besides the store (e.g. ``scheme``)
    options: tuple[str, ...] = ()
    #: for tables with a column per concept (the matrix): what such a column holds
    per_concept: str | None = None


def _c(name: str, type_: str, meaning: str) -> Column:
    return Column(name, type_, meaning)


_REPORT = _c("report", "string", "report id (hash of its normalised text); the report's IRI is {base}report/<id>")
_JURISDICTION = _c("jurisdiction", "string", "full name of the jurisdiction (天津市宁河区)")
_CODE = _c("code", "string", "GB/T 2260 code of the jurisdiction (townships: county code:name)")
_LEVEL = _c("level", "string", "administrative level: province, prefecture, county or township")
_PROVINCE = _c(
    "province", "string", "name of the province the jurisdiction lies in (itself for a province), e.g. 江苏省"
)
_PREFECTURE = _c(
    "prefecture",
    "string",
    "name of the prefecture the jurisdiction lies in (itself for a prefecture), e.g. 无锡市; empty for districts of a municipality",
)
_PLACE_COLUMNS = (_JURISDICTION, _CODE, _LEVEL, _PROVINCE, _PREFECTURE)
_SCHEME_COL = _c("scheme", "string", "vocabulary of the concept: mechanism or program")
_CONCEPT = _c(
    "concept",
    "string",
    "concept id in its vocabulary (ontology/vocab/mechanisms.csv, programs.csv); IRI {base}<scheme>/<id>",
)
_LABEL = _c("label", "string", "preferred Chinese label of the concept")
_SENTENCE = _c("sentence", "string", "the evidence sentence, as in the report")
_START = _c(
    "start",
    "integer",
    "character offset where the mention starts in the report's cleaned text (kg extract FILE --text)",
)
_END = _c("end", "integer", "character offset where the mention ends (exclusive)")

_ADOPTIONS_COLUMNS = (
    _REPORT,
    *_PLACE_COLUMNS,
    _c("year", "integer", "report year (the year the report is about)"),
    _SCHEME_COL,
    _CONCEPT,
    _LABEL,
    _c("label_en", "string", "preferred English label of the concept"),
    _c("category", "string", "category id of the concept (ontology/vocab/categories.csv)"),
    _c("category_label", "string", "Chinese label of the category"),
    _c(
        "stance",
        "string",
        "what this mention says: practised, planned, problem, recommended or mentioned (from its section's role)",
    ),
    _SENTENCE,
    _START,
    _END,
    _c("adoption", "string", "IRI of the fk:Adoption node (one per report, jurisdiction and concept)"),
)
_MATRIX_COLUMNS = _PLACE_COLUMNS
_EVENT_COLUMNS = (
    *_PLACE_COLUMNS,
    _SCHEME_COL,
    _CONCEPT,
    _LABEL,
    _c("year", "integer", "a year the jurisdiction has a report for, while it is at risk (not yet adopted)"),
    _c("spell", "integer", "how many observed years the jurisdiction has been at risk, this one included (1, 2, ...)"),
    _c(
        "adopted",
        "integer",
        "1 in the first year the jurisdiction is reported practising the concept, else 0; the last row of the pair",
    ),
    _c(
        "first_observation",
        "integer",
        "1 when this is the jurisdiction's first observed year: an adoption then may be older (left-censored)",
    ),
    _c(
        "parent_adopted",
        "integer",
        "1 when the parent jurisdiction (prefecture or province) was reported practising the concept in an earlier year",
    ),
)
_BY_YEAR_COLUMNS = (
    _c("year", "integer", "report year"),
    _SCHEME_COL,
    _CONCEPT,
    _LABEL,
    _c("jurisdictions", "integer", "jurisdictions whose reports of that year name the concept with any stance"),
    _c("practising", "integer", "jurisdictions whose reports of that year say they practise it"),
    _c("reporting", "integer", "jurisdictions with a report of that year (the denominator)"),
    _c("share", "decimal", "practising / reporting"),
)
_STATISTICS_COLUMNS = (
    _REPORT,
    _JURISDICTION,
    _CODE,
    _c("year", "integer", "year the statistic is about"),
    _c("indicator", "string", "indicator id (ontology/vocab/indicators.csv); IRI {base}indicator/<id>"),
    _c("indicator_label", "string", "Chinese label of the indicator"),
    _c("value", "decimal", "the number reported"),
    _c("unit", "string", "unit as written (件, 人次, %)"),
    _c("approximate", "integer", "1 when the report gives the number as approximate (约, 近, 余), else 0"),
    _SENTENCE,
    _START,
    _END,
)
_DOCUMENTS_COLUMNS = (
    _REPORT,
    _JURISDICTION,
    _CODE,
    _c("year", "integer", "report year"),
    _c("title", "string", "document title without 《》"),
    _c("kind", "string", "document kind id (law, regulation, plan, list ...; ontology/vocab/document_kinds.csv)"),
    _c(
        "relation",
        "string",
        "issued when the report says the jurisdiction issued it itself (制定/印发/出台), cites otherwise; empty without a jurisdiction",
    ),
    _c("issuers", "string", "issuing bodies named with the title, '; '-separated"),
    _c("mentions", "integer", "times the report names the document"),
    _c("document", "string", "IRI of the document"),
)
_REPORTS_COLUMNS = (
    _REPORT,
    _c("title", "string", "report title"),
    *_PLACE_COLUMNS,
    _c("year", "integer", "report year (the year the report is about)"),
    _c("published", "string", "publication date, YYYY-MM-DD"),
    _c("doc_type", "string", "government_report, congress_inspection, department_report or other"),
    _c("source", "string", "file the report was built from"),
)
_JURISDICTIONS_COLUMNS = (
    *_PLACE_COLUMNS,
    _c("parent", "string", "GB/T 2260 code of the parent jurisdiction"),
    _c("reports", "integer", "reports about the jurisdiction"),
    _c("first_year", "integer", "earliest report year"),
    _c("last_year", "integer", "latest report year"),
    _c("practised", "integer", "concepts its reports say it practises"),
    _c("longitude", "decimal", "longitude in degrees, as the coordinate source gives it; empty when unknown"),
    _c("latitude", "decimal", "latitude in degrees; empty when unknown"),
    _c(
        "coordinate_source",
        "string",
        "exact, historical (a former code's) or parent (an enclosing unit's) from the cpca package's adcodes.csv;"
        " file when given by --coordinates FILE; empty when unknown",
    ),
)


# --- running queries ------------------------------------------------------------------------


def frame(
    store: Store, sparql: str, columns: Sequence[Column], bindings: dict[str, ox.NamedNode | str] | None = None
) -> pd.DataFrame:
    """Run a SELECT and make its solutions a DataFrame with ``columns`` (typed, in that order).

    Variables the query leaves unbound are missing values; columns the query does not
    project are all missing.
    """
    result = store.query(sparql, bindings=bindings)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    index = {name: i for i, name in enumerate(names)}
    wanted = [(c, index.get(c.name)) for c in columns]
    values: list[list[Any]] = [[] for _ in columns]
    for solution in result:
        for (column, i), cells in zip(wanted, values, strict=True):
            term = None if i is None else solution[i]
            cells.append(None if term is None else _cast(term, column.type))
    return pd.DataFrame({c.name: pd.array(v, dtype=c.dtype) for c, v in zip(columns, values, strict=True)})


def _cast(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple, type_: str) -> Any:
    text = term.value if isinstance(term, ox.NamedNode | ox.Literal) else str(term)
    if type_ == "string":
        return text
    if type_ == "integer" and text in ("true", "false"):
        return int(text == "true")
    try:
        return int(text) if type_ == "integer" else float(text)
    except ValueError:
        return None


def columns(spec: str) -> tuple[Column, ...]:
    """Untyped-meaning columns from ``"name:type ..."`` (s string, i integer, d decimal), for queries."""
    types = {"s": "string", "i": "integer", "d": "decimal"}
    return tuple(Column(n, types[t], "") for n, t in (item.split(":") for item in spec.split()))


def typed(data: pd.DataFrame, columns: Sequence[Column]) -> pd.DataFrame:
    """``data`` with exactly ``columns``, in order, each of its dtype (missing ones empty)."""
    out = {}
    for c in columns:
        series = data[c.name] if c.name in data else pd.Series([None] * len(data), index=data.index)
        out[c.name] = series.astype(c.dtype)
    return pd.DataFrame(out).reset_index(drop=True)


def tail(iris: pd.Series) -> pd.Series:
    """The last path segment (or fragment) of each IRI, percent-decoded (``.../jurisdiction/120117`` -> ``120117``)."""
    out = iris.str.replace(r"^.*[/#]", "", regex=True)
    encoded = out.str.contains("%", regex=False).fillna(False)
    if encoded.any():
        out = out.where(~encoded, out[encoded].map(unquote))
    return out.astype("string")


def with_concepts(data: pd.DataFrame, scheme: str | None, iri: str = "c") -> pd.DataFrame:
    """``data`` with ``scheme`` and ``concept`` taken from its concept IRIs (column ``iri``),
    keeping the rows of ``scheme`` (all for None); ValueError for an unknown scheme."""
    if scheme is not None and scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}; known schemes: {', '.join(SCHEMES)} (or None for both)")
    parts = data[iri].str.extract(r"/([^/]+)/([^/]+)$")
    data = data.assign(scheme=parts[0].astype("string"), concept=parts[1].map(unquote, na_action="ignore"))
    data = data.astype({"concept": "string"})
    keep = data["scheme"].isin([scheme] if scheme else SCHEMES).fillna(False)
    return data[keep]


def _stance_node(stance: str) -> ox.NamedNode:
    if stance not in _STANCE_NODE:
        raise ValueError(f"unknown stance {stance!r}; known stances: {', '.join(STANCES)}")
    return ox.NamedNode(_STANCE_NODE[stance])


# --- the tables --------------------------------------------------------------------------------


def adoptions(store: Store, *, scheme: str | None = "mechanism") -> pd.DataFrame:
    """Adoption events in long form: one row per evidence mention of an ``fk:Adoption``.

    An adoption is one report's statement about a jurisdiction and a concept; each of its
    evidence mentions is a row with the stance of the mention's section, the sentence
    and the character offsets.  Group by ``adoption`` for one row per adoption.
    """
    raw = frame(store, q.ADOPTIONS, columns("g:s adoption:s j:s c:s year:i start:i end:i role:s sentence:s"))
    data = with_concepts(raw, scheme)
    data = data.assign(
        report=tail(data["g"]),
        code=tail(data["j"]),
        stance=tail(data["role"]).map(STANCE_OF).fillna("mentioned"),
    )
    data = data.merge(_places(store).drop(columns="parent"), how="left", on="code")
    data = data.merge(concepts(store, scheme=scheme), how="left", on=["scheme", "concept"])
    data = data.sort_values(["code", "year", "scheme", "concept", "report", "start"], na_position="last")
    return typed(data, _ADOPTIONS_COLUMNS)


def stance_years(store: Store, *, scheme: str | None = "mechanism", stance: str = "practised") -> pd.DataFrame:
    """Distinct (code, scheme, concept, year): the years each jurisdiction reports a concept with ``stance``."""
    raw = frame(store, q.STANCE_YEARS, columns("j:s c:s year:i"), {"stance_node": _stance_node(stance)})
    data = with_concepts(raw, scheme).assign(code=lambda d: tail(d["j"]))
    return typed(data, columns("code:s scheme:s concept:s year:i")).drop_duplicates(ignore_index=True)


def concepts(store: Store, *, scheme: str | None = "mechanism") -> pd.DataFrame:
    """The concepts adoptions name: scheme, concept id, Chinese and English label, category id and label."""
    raw = frame(store, q.CONCEPTS, columns("c:s label:s label_en:s category:s category_label:s"))
    data = with_concepts(raw, scheme).assign(category=lambda d: tail(d["category"]))
    data = typed(data, columns("scheme:s concept:s label:s label_en:s category:s category_label:s"))
    return data.sort_values(["scheme", "concept"], ignore_index=True)


def first_years(store: Store, *, scheme: str | None = "mechanism", stance: str = "practised") -> pd.DataFrame:
    """(code, scheme, concept, first_year): the first year each jurisdiction reports a concept with ``stance``."""
    years = stance_years(store, scheme=scheme, stance=stance)
    out = years.groupby(["code", "scheme", "concept"], as_index=False, sort=True)["year"].min()
    return out.rename(columns={"year": "first_year"})


def matrix(store: Store, *, scheme: str | None = "mechanism", stance: str = "practised") -> pd.DataFrame:
    """Jurisdiction x concept: one row per jurisdiction with reports, one column per concept
    (its id) that some jurisdiction is reported practising, holding the first year the
    jurisdiction is reported practising it, or missing when never (or only in undated reports).
    """
    places = _places(store)
    first = first_years(store, scheme=scheme, stance=stance)
    if len(first):
        wide = first.pivot_table(index="code", columns="concept", values="first_year", aggfunc="min")
    else:
        wide = pd.DataFrame(index=pd.Index([], name="code", dtype="string"))
    wide = wide.reindex(sorted(wide.columns), axis=1).astype("Int64")
    out = places.merge(wide, how="left", left_on="code", right_index=True)
    head = [c.name for c in _MATRIX_COLUMNS]
    return out[head + list(wide.columns)].reset_index(drop=True)


def event_history(store: Store, *, scheme: str | None = "mechanism") -> pd.DataFrame:
    """Discrete-time event history of adoption, the shape diffusion studies use.

    The risk set is every jurisdiction with dated reports and every concept some
    jurisdiction is reported practising.  A pair has one row per year the jurisdiction
    has a report for, in order, until the first year it is reported practising the
    concept (``adopted`` = 1, the pair's last row); pairs that never adopt are
    right-censored at the jurisdiction's last report.  Years without a report are not
    rows: nothing is known about them.
    """
    places = _places(store)
    observed = observed_years(store)
    first = first_years(store, scheme=scheme)
    if observed.empty or first.empty:
        return typed(pd.DataFrame(columns=[c.name for c in _EVENT_COLUMNS]), _EVENT_COLUMNS)
    labels = concepts(store, scheme=scheme)[["scheme", "concept", "label"]]
    pairs = first[["scheme", "concept"]].drop_duplicates().merge(labels, how="left", on=["scheme", "concept"])
    rows = observed.merge(pairs, how="cross")
    rows = rows.merge(first, how="left", on=["code", "scheme", "concept"])
    rows = rows[rows["first_year"].isna() | (rows["year"] <= rows["first_year"]).fillna(False)].copy()
    rows = rows.sort_values(["code", "scheme", "concept", "year"])
    rows["spell"] = rows.groupby(["code", "scheme", "concept"]).cumcount() + 1
    rows["adopted"] = (rows["year"] == rows["first_year"]).fillna(False).astype(int)
    rows["first_observation"] = (rows["year"] == rows["first_seen"]).astype(int)
    parents = places[["code", "parent"]].merge(
        first.rename(columns={"code": "parent", "first_year": "parent_first"}), on="parent"
    )[["code", "scheme", "concept", "parent_first"]]
    rows = rows.merge(parents, how="left", on=["code", "scheme", "concept"])
    rows["parent_adopted"] = (rows["parent_first"] < rows["year"]).fillna(False).astype(int)
    rows = rows.merge(places, how="left", on="code")
    return typed(rows, _EVENT_COLUMNS)


def adoption_by_year(store: Store, *, scheme: str | None = "mechanism") -> pd.DataFrame:
    """Per year and concept: jurisdictions naming it, jurisdictions practising it, and the
    jurisdictions with a report that year (for timelines: the share practising)."""
    raw = frame(store, q.ADOPTION_BY_YEAR, columns("year:i c:s jurisdictions:i practising:i"))
    counts = with_concepts(raw, scheme).merge(concepts(store, scheme=scheme), how="left", on=["scheme", "concept"])
    reporting = observed_years(store).groupby("year").size().rename("reporting").reset_index()
    out = counts.merge(reporting.astype({"year": "Int64"}), how="left", on="year")
    out["share"] = out["practising"] / out["reporting"]
    out = out.sort_values(["year", "jurisdictions", "concept"], ascending=[True, False, True])
    return typed(out, _BY_YEAR_COLUMNS)


def statistics(store: Store) -> pd.DataFrame:
    """Statistics reported (RDF Data Cube observations): indicator, value, unit and evidence."""
    spec = "g:s j:s year:i i:s value:d unit:s approximate:i sentence:s start:i end:i"
    data = frame(store, q.STATISTICS, columns(spec))
    names = _names(store).rename(columns={"jurisdiction": "name"})
    labels = frame(store, q.INDICATORS, columns("i:s label:s")).drop_duplicates("i")
    data = data.merge(names, how="left", on="j").merge(labels, how="left", on="i")
    data = data.assign(
        report=tail(data["g"]),
        code=tail(data["j"]),
        jurisdiction=data["name"],
        indicator=tail(data["i"]),
        indicator_label=data["label"],
        approximate=data["approximate"].fillna(0),
    )
    return typed(data.sort_values(["code", "year", "report", "start"], na_position="last"), _STATISTICS_COLUMNS)


def documents(store: Store) -> pd.DataFrame:
    """Documents reports name in 《》: one row per report and document, with who issued it."""
    data = frame(store, q.DOCUMENTS, columns("report:s j:s year:i document:s issued:i creators:s mentions:i"))
    names = frame(store, q.DOCUMENT_NAMES, columns("document:s title:s kind:s"))
    agencies = frame(store, q.AGENCIES, columns("agency:s label:s"))
    label = dict(zip(agencies["agency"], agencies["label"], strict=True))

    def issuers(creators: Any) -> str | None:
        if not isinstance(creators, str) or not creators:
            return None
        return "; ".join(sorted(_text(label.get(c)) or unquote(c.rsplit("/", 1)[-1]) for c in creators.split()))

    data = data.merge(names, how="left", on="document").merge(_names(store), how="left", on="j")
    relation = pd.Series(pd.NA, index=data.index, dtype="string")
    relation[data["j"].notna()] = "cites"
    relation[(data["issued"] == 1).fillna(False)] = "issued"
    data = data.assign(
        code=tail(data["j"]),
        kind=tail(data["kind"]),
        relation=relation,
        issuers=data["creators"].map(issuers, na_action="ignore"),
    )
    return typed(data.sort_values(["code", "year", "report", "title"], na_position="last"), _DOCUMENTS_COLUMNS)


def reports(store: Store) -> pd.DataFrame:
    """One row per report: title, jurisdiction and its place, year, date, type, source file."""
    data = frame(store, q.REPORTS, columns("report:s title:s j:s year:i published:s doc_type:s source:s"))
    data = data.assign(code=tail(data["j"])).merge(_places(store), how="left", on="code")
    return typed(data.sort_values(["code", "year", "report"], na_position="last"), _REPORTS_COLUMNS)


def jurisdictions(store: Store, *, coordinates: pd.DataFrame | str | Path | None = None) -> pd.DataFrame:
    """One row per jurisdiction with reports: place, parent, report counts and years, how
    many concepts it practises, and its coordinates: from ``coordinates`` when given (a
    DataFrame or CSV file with ``code``/``adcode``, ``longitude``, ``latitude``; see
    :func:`load_coordinates`; only those), else from the cpca package (:mod:`kg.coordinates`,
    with a former code's or an enclosing unit's position where the code has none)."""
    places = _places(store)
    per_report = frame(store, q.REPORTS, columns("report:s j:s year:i"))
    per_report = per_report.assign(code=tail(per_report["j"]))
    counted = (
        per_report.dropna(subset=["code"])
        .groupby("code")
        .agg(reports=("report", "nunique"), first_year=("year", "min"), last_year=("year", "max"))
    )
    practised = first_years(store, scheme=None).groupby("code").size().rename("practised")
    out = places.merge(counted, how="left", left_on="code", right_index=True)
    out = out.merge(practised, how="left", left_on="code", right_index=True)
    out["practised"] = out["practised"].fillna(0)
    if coordinates is None:
        coords = packaged_coordinates(out["code"].dropna())
    else:
        coords = coordinates if isinstance(coordinates, pd.DataFrame) else load_coordinates(coordinates)
        coords = coords[["code", "longitude", "latitude"]].assign(coordinate_source="file")
    out = out.merge(coords.astype({"code": "string"}), how="left", on="code")
    return typed(out, _JURISDICTIONS_COLUMNS)


def packaged_coordinates(codes: Iterable[str]) -> pd.DataFrame:
    """``code``, ``longitude``, ``latitude``, ``coordinate_source`` of the codes that
    :func:`kg.coordinates.locate` places (from the cpca package)."""
    found = get_coordinates()
    rows = []
    for code in dict.fromkeys(codes):
        at = found.locate(code)
        if at is not None:
            rows.append((code, at.longitude, at.latitude, at.source))
    return pd.DataFrame(rows, columns=["code", "longitude", "latitude", "coordinate_source"])


def load_coordinates(path: str | Path) -> pd.DataFrame:
    """Coordinates from a CSV with ``longitude`` and ``latitude`` and a ``code`` or ``adcode``
    column: six-digit GB/T 2260 codes, or twelve-digit ones (the ``adcodes.csv`` layout of
    the cpca package) whose last six digits are zero.  Returns ``code``, ``longitude``,
    ``latitude``; rows without both numbers are dropped."""
    data = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    key = "code" if "code" in data else "adcode"
    missing = {key, "longitude", "latitude"} - set(data.columns)
    if missing:
        raise ValueError(f"{path}: no column(s) {', '.join(sorted(missing))} (columns: {', '.join(data.columns)})")
    codes = data[key].str.strip()
    long_codes = codes.str.len() == 12
    codes = codes.where(~long_codes, codes.str[:6].where(codes.str[6:] == "000000"))
    out = pd.DataFrame(
        {
            "code": codes,
            "longitude": pd.to_numeric(data["longitude"], errors="coerce"),
            "latitude": pd.to_numeric(data["latitude"], errors="coerce"),
        }
    ).dropna()
    return out.drop_duplicates("code").reset_index(drop=True)


def _places(store: Store) -> pd.DataFrame:
    """The jurisdictions reports are about: code, name, level, parent code, province, prefecture.

    The province and prefecture are found by walking up ``fk:parent`` in Python over one
    flat query of the jurisdictions (a property path per row is much slower).
    """
    rows = frame(store, q.JURISDICTIONS, columns("j:s code:s name:s short:s level:s parent:s"))
    known: dict[str, dict[str, Any]] = {}
    for row in rows.to_dict("records"):
        known.setdefault(row["j"], row)
    out = []
    for j in frame(store, q.REPORT_PLACES, columns("j:s"))["j"]:
        row = known.get(j, {})
        found: dict[str, str | None] = {"province": None, "prefecture": None}
        node: str | None = j
        seen: set[str] = set()
        while node is not None and node not in seen:
            seen.add(node)
            up = known.get(node, {})
            level = _text(up.get("level"))
            for wanted in found:
                if level and level.endswith("#" + wanted) and found[wanted] is None:
                    found[wanted] = _text(up.get("short")) or _text(up.get("name"))
            node = _text(up.get("parent"))
        out.append(
            {
                "jurisdiction": row.get("name"),
                "code": _text(row.get("code")) or unquote(j.rsplit("/", 1)[-1]),
                "level": _text(row.get("level")) and str(row["level"]).rsplit("#", 1)[-1],
                "parent": _text(row.get("parent")) and unquote(str(row["parent"]).rsplit("/", 1)[-1]),
                **found,
            }
        )
    data = typed(
        pd.DataFrame(out, columns=["jurisdiction", "code", "level", "parent", "province", "prefecture"]),
        (*_PLACE_COLUMNS, _c("parent", "string", "")),
    )
    return data.drop_duplicates("code").sort_values("code", ignore_index=True)


def _names(store: Store) -> pd.DataFrame:
    """(j, jurisdiction): the full name of every jurisdiction described."""
    names = frame(store, q.JURISDICTION_NAMES, columns("j:s jurisdiction:s"))
    return names.drop_duplicates("j")


def observed_years(store: Store) -> pd.DataFrame:
    """(code, year, first_seen): each year a jurisdiction has a report for, and its first such year."""
    per_report = frame(store, q.REPORTS, columns("j:s year:i")).dropna()
    years = pd.DataFrame({"code": tail(per_report["j"]), "year": per_report["year"]})
    years = years.drop_duplicates().sort_values(["code", "year"], ignore_index=True)
    years["first_seen"] = years.groupby("code")["year"].transform("min")
    return years


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


# --- the data dictionary ----------------------------------------------------------------------


def dictionary(table: str, data: pd.DataFrame | None = None) -> pd.DataFrame:
    """The data dictionary of ``table``: ``column``, ``type`` and ``meaning`` per column.

    For the matrix, give the built ``data`` too: its concept columns are described from
    the concept labels in the store's vocabulary, passed as ``data.attrs["concepts"]``.
    """
    spec = table_named(table)
    rows = [(c.name, c.type, c.meaning) for c in spec.columns]
    if spec.per_concept is not None and data is not None:
        known = {c.name for c in spec.columns}
        labels: dict[str, str] = data.attrs.get("concepts", {})
        for name in data.columns:
            if name not in known:
                label = labels.get(name)
                rows.append((name, "integer", spec.per_concept.format(concept=f"{label} ({name})" if label else name)))
    return pd.DataFrame(rows, columns=["column", "type", "meaning"])


def table_named(name: str) -> Table:
    """The table called ``name``; ValueError listing the tables otherwise."""
    try:
        return TABLES[name]
    except KeyError:
        raise ValueError(f"unknown table {name!r}; known tables: {', '.join(TABLES)}") from None


def build(store: Store, name: str, **options: Any) -> pd.DataFrame:
    """Table ``name`` built from ``store``; options a table does not take are ignored.

    The matrix carries its concepts' labels in ``attrs["concepts"]`` for :func:`dictionary`.
    """
    spec = table_named(name)
    data = spec.build(store, **{k: v for k, v in options.items() if k in spec.options})
    if spec.per_concept is not None:
        scheme = options.get("scheme", "mechanism")
        found = concepts(store, scheme=scheme)
        data.attrs["concepts"] = dict(zip(found["concept"], found["label"].fillna(""), strict=True))
    return data


TABLES: Final[dict[str, Table]] = {
    t.name: t
    for t in (
        Table(
            "adoptions",
            "adoption events, long form: one row per evidence mention",
            _ADOPTIONS_COLUMNS,
            adoptions,
            ("scheme",),
        ),
        Table(
            "matrix",
            "jurisdiction x concept: first year practised, empty when never",
            _MATRIX_COLUMNS,
            matrix,
            ("scheme",),
            per_concept="first year the jurisdiction's reports say it practises {concept}; empty when never",
        ),
        Table(
            "event-history",
            "one row per jurisdiction, concept and observed year at risk",
            _EVENT_COLUMNS,
            event_history,
            ("scheme",),
        ),
        Table(
            "adoption-by-year",
            "per year and concept, jurisdictions naming and practising it",
            _BY_YEAR_COLUMNS,
            adoption_by_year,
            ("scheme",),
        ),
        Table("statistics", "statistics reported, with evidence", _STATISTICS_COLUMNS, statistics),
        Table("documents", "documents named in reports, with relation and issuers", _DOCUMENTS_COLUMNS, documents),
        Table("reports", "one row per report", _REPORTS_COLUMNS, reports),
        Table(
            "jurisdictions",
            "one row per jurisdiction with reports",
            _JURISDICTIONS_COLUMNS,
            jurisdictions,
            ("coordinates",),
        ),
    )
}


def column_types(columns: Iterable[Column]) -> dict[str, str]:
    """Column name -> pandas dtype, for ``pandas.read_csv(dtype=...)``."""
    return {c.name: c.dtype for c in columns}


__all__ = [
    "SCHEMES",
    "STANCES",
    "STANCE_OF",
    "TABLES",
    "Column",
    "Table",
    "adoption_by_year",
    "adoptions",
    "build",
    "column_types",
    "columns",
    "concepts",
    "dictionary",
    "documents",
    "event_history",
    "first_years",
    "frame",
    "jurisdictions",
    "load_coordinates",
    "matrix",
    "observed_years",
    "packaged_coordinates",
    "reports",
    "stance_years",
    "statistics",
    "table_named",
    "tail",
    "typed",
    "with_concepts",
]
