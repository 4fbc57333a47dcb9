"""Report graphs: golden N-Triples, evidence paths, adoptions, vocabulary graph."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import DefaultGraph, Quad, Store, Triple

from kg import config, ingest, rdf
from kg.pipeline import Pipeline

GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())
SETTINGS = config.load(environ={})


def nt_lines(triples: list[Triple]) -> list[str]:
    return sorted({f"{t} ." for t in triples})


def golden_graphs(case: str, pipeline: Pipeline) -> rdf.Graphs:
    report = ingest.read(GOLDEN / case / "report.txt")
    report.source = "report.txt"  # the path as given, made independent of where the tests run
    pipeline.process(report)
    return pipeline.triples(report)


def golden_triples(case: str, pipeline: Pipeline) -> list[Triple]:
    """The report graph with what it is read with: entity descriptions and vocabularies."""
    graphs = golden_graphs(case, pipeline)
    return [*rdf.parse_ntriples(graphs.report + graphs.entities), *VOCABULARY]


VOCABULARY = rdf.vocabulary_triples(SETTINGS)


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("part", ["report", "entities"])
def test_golden_report_graph(case: str, part: str, pipeline: Pipeline, update_golden: bool) -> None:
    graphs = golden_graphs(case, pipeline)
    lines = nt_lines(rdf.parse_ntriples(getattr(graphs, part)))
    expected = GOLDEN / case / ("expected.nt" if part == "report" else "expected-entities.nt")
    if update_golden:
        expected.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert lines == expected.read_text(encoding="utf-8").splitlines(), (
        f"{part} graph changed; review and run pytest --update-golden"
    )


def test_same_input_gives_the_same_triples(pipeline: Pipeline) -> None:
    a = nt_lines(rdf.parse_ntriples(golden_graphs(CASES[0], pipeline).report))
    b = nt_lines(rdf.parse_ntriples(golden_graphs(CASES[0], pipeline).report))
    assert a == b
    assert not any("_:" in line for line in a), "no blank nodes in report graphs"


def query(triples: list[Triple], sparql: str) -> list[tuple[str, ...]]:
    st = Store()
    st.extend(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples)
    return sorted(tuple(str(t.value) for t in row) for row in st.query(sparql))  # type: ignore[union-attr]


PREFIX = """
PREFIX fk: <https://w3id.org/fazhi-kg/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def test_every_mention_has_a_path_to_its_evidence(pipeline: Pipeline) -> None:
    triples = golden_triples(CASES[0], pipeline)
    text = ingest.read(GOLDEN / CASES[0] / "report.txt").text
    rows = query(
        triples,
        PREFIX
        + """SELECT ?surface ?start ?end ?sentence ?role WHERE {
          ?m a fk:Mention ; fk:surface ?surface ; oa:hasTarget ?t ; fk:sentence ?s ; fk:role ?role .
          ?t oa:hasSource ?r ; oa:hasSelector ?sel .
          ?sel oa:start ?start ; oa:end ?end .
          ?s fk:text ?sentence .
          ?r a fk:Report }""",
    )
    mentions = query(triples, PREFIX + "SELECT ?m WHERE { ?m a fk:Mention }")
    assert len(rows) == len(mentions) > 100
    for surface, start, end, sentence, _role in rows:
        assert text[int(start) : int(end)] == surface
        assert surface in sentence


def test_adoptions_carry_year_stance_evidence_and_shortcut(pipeline: Pipeline) -> None:
    triples = golden_triples(CASES[0], pipeline)
    rows = query(
        triples,
        PREFIX
        + """SELECT ?label ?year ?stance WHERE {
          ?a a fk:Adoption ; fk:jurisdiction ?j ; fk:concept ?c ; fk:year ?year ; fk:stance ?stance ; fk:evidence ?m .
          ?c skos:prefLabel ?label .
          ?j fk:code "120117" . ?m a fk:Mention }""",
    )
    assert ("一支队伍管执法", "2023", "https://w3id.org/fazhi-kg/ontology#practised") in rows
    shortcut = query(triples, PREFIX + "SELECT ?c WHERE { ?j fk:practises ?c ; fk:code \"120117\" }")
    assert len(shortcut) >= 10


def composed_triples(sections: str) -> list[Triple]:
    """The graphs of a composed 桐庐县 report with ``sections``, read with the vocabulary."""
    text = "桐庐县人民政府2023年法治政府建设情况报告\n" + "2023年,我县坚持依法行政,法治政府建设取得新成效。" * 8 + sections
    pipeline = Pipeline(SETTINGS)
    report = ingest.from_bytes(text.encode("utf-8"), "composed.txt")
    pipeline.process(report)
    graphs = pipeline.triples(report)
    return [*rdf.parse_ntriples(graphs.report + graphs.entities), *VOCABULARY]


def test_plan_only_mechanism_is_not_practised() -> None:
    triples = composed_triples(
        "\n一、主要举措和成效\n深化府院联动机制,推行证照分离改革,全面开展法治宣传教育工作。\n"
        "二、2024年工作安排\n推行首违不罚清单制度,积极探索包容审慎监管。\n"
    )
    stances = query(
        triples,
        PREFIX
        + """SELECT ?label ?stance WHERE { ?a fk:concept ?c ; fk:stance ?stance .
             ?c skos:prefLabel ?label FILTER(lang(?label) = "zh") }""",
    )
    by_label: dict[str, set[str]] = {}
    for label, stance in stances:
        by_label.setdefault(label, set()).add(stance.rsplit("#", 1)[1])
    assert by_label["首违不罚"] == {"planned"}
    assert "practised" in by_label["府院联动"]


def test_vocabulary_graph_is_skos() -> None:
    triples = list(rdf.vocabulary_triples(SETTINGS))
    rows = query(
        triples,
        PREFIX
        + """SELECT ?zh ?en WHERE { ?c skos:notation "fengqiao-experience" ; skos:prefLabel ?zh , ?en .
           FILTER(lang(?zh) = "zh" && lang(?en) = "en") }""",
    )
    assert rows and rows[0][0] == "枫桥经验"


def test_a_name_for_several_mechanisms_is_an_adoption_of_each() -> None:
    triples = composed_triples("\n一、主要举措和成效\n健全府院府检联动机制,共同化解行政争议12件。\n")
    rows = query(
        triples,
        PREFIX
        + """SELECT ?id ?text WHERE { ?a a fk:Adoption ; fk:concept ?c ; fk:evidence ?m .
             ?c skos:notation ?id . ?m fk:surface ?text }""",
    )
    evidence = {id_: text_ for id_, text_ in rows}
    linkage = "court-procuratorate-government-linkage"
    assert set(evidence) == {linkage, "court-government-linkage", "procuratorate-government-linkage"}
    assert len(set(evidence.values())) == 1  # one mention is the evidence of all three
    parts = query(triples, PREFIX + f'SELECT ?p WHERE {{ ?c skos:notation "{linkage}" ; fk:includes ?p }}')
    assert len(parts) == 2
