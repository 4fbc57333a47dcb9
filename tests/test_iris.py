"""IRI minting: stable, valid for any string, distinct for distinct inputs."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from pyoxigraph import NamedNode

from kg.iris import Minter, segment

MINT = Minter("https://w3id.org/fazhi-kg/")


def test_shapes() -> None:
    assert MINT.jurisdiction("120117") == "https://w3id.org/fazhi-kg/jurisdiction/120117"
    assert MINT.concept("agency_kind", "justice-bureau") == "https://w3id.org/fazhi-kg/agency-kind/justice-bureau"
    assert MINT.agency("120117", "justice-bureau") != MINT.agency("120000", "justice-bureau")
    assert MINT.graph("abc") == "https://w3id.org/fazhi-kg/graph/report/abc"


@given(st.text())
def test_document_iris_are_valid_and_stable_for_any_string(title: str) -> None:
    iri = MINT.document(title)
    assert NamedNode(iri).value == iri
    assert MINT.document(title) == iri


@given(st.text(), st.text())
def test_distinct_titles_give_distinct_iris(a: str, b: str) -> None:
    if a != b:
        assert segment(a) != segment(b)


@given(st.text(min_size=1), st.integers(min_value=0), st.integers(min_value=0))
def test_in_report_iris_are_valid(rid: str, start: int, end: int) -> None:
    iri = MINT.in_report(rid, "mention", start, end, "agency")
    assert NamedNode(iri).value == iri
