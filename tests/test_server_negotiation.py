"""Content negotiation: a table of real Accept headers and the format each must get."""

from __future__ import annotations

import pytest

from kg.server.negotiation import (
    BOOLEAN_OFFERS,
    GRAPH_OFFERS,
    RESULT_OFFERS,
    MediaRange,
    choose,
    parse_accept,
    prefers_html,
)

SPARQLWRAPPER_JSON = "application/sparql-results+json,application/json,text/javascript,application/javascript"
SPARQLWRAPPER_XML = "application/sparql-results+xml"
RDFLIB_SPARQLSTORE = "application/sparql-results+xml, application/rdf+xml"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"

RESULTS = [
    (None, "application/sparql-results+json"),
    ("", "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
    (SPARQLWRAPPER_JSON, "application/sparql-results+json"),
    (SPARQLWRAPPER_XML, "application/sparql-results+xml"),
    (RDFLIB_SPARQLSTORE, "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/csv;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.6", "application/sparql-results+xml"),
    ("application/json", "application/json"),
    ("text/*", "text/csv"),
    ("text/*;q=0.3, application/sparql-results+json;q=0.2", "text/csv"),
    ("application/*;q=0.1, text/tab-separated-values;q=0.2", "text/tab-separated-values"),
    ("*/*;q=0.1, text/csv;q=0", "application/sparql-results+json"),
    ("TEXT/CSV", "text/csv"),
    ("text/csv; charset=utf-8", "text/csv"),
    ("text/csv;q=abc", "text/csv"),
    (BROWSER, "application/xml"),
    ("image/png", None),
    ("text/turtle", None),
    ("application/sparql-results+json;q=0", None),
]
GRAPHS = [
    (None, "text/turtle"),
    ("*/*", "text/turtle"),
    ("application/n-triples", "application/n-triples"),
    ("text/plain", "text/plain"),
    ("application/rdf+xml", "application/rdf+xml"),
    (RDFLIB_SPARQLSTORE, "application/rdf+xml"),
    ("application/ld+json", "application/ld+json"),
    ("application/turtle,text/turtle", "text/turtle"),
    # SPARQLWrapper's N3 list: all q=1, so the server's order decides
    ("text/rdf+n3,application/n-triples,application/turtle,application/n3,text/n3,text/turtle", "text/turtle"),
    ("application/ld+json;q=0.9, text/turtle;q=0.8", "application/ld+json"),
    ("application/sparql-results+json", None),
]


@pytest.mark.parametrize(("accept", "expected"), RESULTS)
def test_solutions_get_the_preferred_format(accept: str | None, expected: str | None) -> None:
    assert choose(accept, RESULT_OFFERS) == expected


@pytest.mark.parametrize(("accept", "expected"), GRAPHS)
def test_graphs_get_the_preferred_format(accept: str | None, expected: str | None) -> None:
    assert choose(accept, GRAPH_OFFERS) == expected


def test_booleans_have_no_csv() -> None:
    assert choose("text/csv", BOOLEAN_OFFERS) is None
    assert choose("text/csv, application/sparql-results+xml;q=0.1", BOOLEAN_OFFERS) == "application/sparql-results+xml"


def test_parse_accept_reads_q_values_and_parameters() -> None:
    ranges = parse_accept('text/csv;charset="utf-8";q=0.4;level=1, */*;q=2, bogus, /x, *')
    assert ranges == [
        MediaRange("text", "csv", 0.4, (("charset", "utf-8"),)),
        MediaRange("*", "*", 1.0),
    ]


def test_the_most_specific_range_sets_the_q_value() -> None:
    assert choose("text/*;q=0.9, text/csv;q=0.1, text/tab-separated-values;q=0.5, text/xml;q=0", RESULT_OFFERS) == (
        "text/tab-separated-values"
    )


@pytest.mark.parametrize(
    ("accept", "html"),
    [(BROWSER, True), ("text/html", True), (SPARQLWRAPPER_JSON, False), ("*/*", False), (None, False), ("text/turtle", False)],
)
def test_prefers_html(accept: str | None, html: bool) -> None:
    assert prefers_html(accept) is html
