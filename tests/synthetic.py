"""Small hand-made stores in the layout kg.rdf writes, for tests of tables, views and stats.

Only the triples the exports read are made.  A report graph holds the report, its
adoptions with their evidence mentions and sentences; the entities graph the
jurisdictions (with parents); the vocabulary graph the concepts with their labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.store import Store

BASE = "https://w3id.org/fazhi-kg/"
FK = "https://w3id.org/fazhi-kg/ontology#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
OA = "http://www.w3.org/ns/oa#"
XSD = "http://www.w3.org/2001/XMLSchema#"
ROLE = {"practised": "practice", "planned": "plan", "problem": "problem", "recommended": "recommendation"}
STANCE = {"practised": "practised", "planned": "planned", "problem": "problematic", "recommended": "recommended"}


@dataclass(frozen=True)
class Place:
    code: str
    full: str
    short: str
    level: str
    parent: Place | None = None


@dataclass
class Report:
    rid: str
    place: Place | None
    year: int | None
    #: (scheme, concept id, label, stance)
    adoptions: list[tuple[str, str, str, str]] = field(default_factory=list)


PROVINCE = Place("330000", "浙江省", "浙江省", "province")
PREFECTURE = Place("330200", "浙江省宁波市", "宁波市", "prefecture", PROVINCE)
COUNTY = Place("330226", "浙江省宁波市宁海县", "宁海县", "county", PREFECTURE)
OTHER_COUNTY = Place("330225", "浙江省宁波市象山县", "象山县", "county", PREFECTURE)


def _iri(path: str) -> str:
    return f"<{BASE}{path}>"


def _fk(term: str) -> str:
    return f"<{FK}{term}>"


def _int(n: int) -> str:
    return f'"{n}"^^<{XSD}integer>'


def _zh(text: str) -> str:
    return f'"{text}"@zh'


def ntriples(report: Report) -> bytes:
    """The N-Triples of one report graph."""
    r = _iri(f"report/{report.rid}")
    lines = [
        (r, RDF_TYPE, _fk("Report")),
        (r, f"<{DCT}identifier>", f'"{report.rid}"'),
        (r, _fk("docType"), _fk("government_report")),
        (r, _fk("sourceFile"), f'"{report.rid}.txt"'),
    ]
    if report.year is not None:
        lines.append((r, _fk("reportYear"), _int(report.year)))
    if report.place is not None:
        j = _iri(f"jurisdiction/{report.place.code}")
        lines.append((r, _fk("jurisdiction"), j))
        for i, (scheme, cid, label, stance) in enumerate(report.adoptions):
            c = _iri(f"{scheme}/{cid}")
            a = _iri(f"report/{report.rid}/adoption/{report.place.code}-{scheme}-{cid}")
            m = _iri(f"report/{report.rid}/mention/{10 * i}-{10 * i + len(label)}-{scheme}")
            s = _iri(f"report/{report.rid}/sentence/{i}")
            lines += [
                (a, RDF_TYPE, _fk("Adoption")),
                (a, _fk("jurisdiction"), j),
                (a, _fk("concept"), c),
                (a, _fk("report"), r),
                (a, _fk("stance"), _fk(STANCE[stance])),
                (a, _fk("evidence"), m),
                (m, RDF_TYPE, _fk("Mention")),
                (m, _fk("mentionType"), f'"{scheme}"'),
                (m, f"<{OA}hasBody>", c),
                (m, _fk("report"), r),
                (m, _fk("surface"), _zh(label)),
                (m, _fk("start"), _int(10 * i)),
                (m, _fk("end"), _int(10 * i + len(label))),
                (m, _fk("role"), _fk(ROLE[stance])),
                (m, _fk("sentence"), s),
                (s, _fk("text"), _zh(f"推行{label}。")),
            ]
            if report.year is not None:
                lines.append((a, _fk("year"), _int(report.year)))
    return "".join(f"{s} {p} {o} .\n" for s, p, o in lines).encode("utf-8")


def places(reports: list[Report]) -> bytes:
    """The entities graph: every report's jurisdiction and its parents, each once."""
    lines: dict[str, None] = {}
    for report in reports:
        place = report.place
        while place is not None:
            j = _iri(f"jurisdiction/{place.code}")
            triples = [
                (j, RDF_TYPE, _fk("Jurisdiction")),
                (j, f"<{RDFS}label>", _zh(place.full)),
                (j, f"<{SKOS}altLabel>", _zh(place.short)),
                (j, _fk("code"), f'"{place.code}"'),
                (j, _fk("level"), _fk(place.level)),
            ]
            if place.parent is not None:
                triples.append((j, _fk("parent"), _iri(f"jurisdiction/{place.parent.code}")))
            lines.update(dict.fromkeys(f"{s} {p} {o} ." for s, p, o in triples))
            place = place.parent
    return ("\n".join(lines) + "\n").encode("utf-8")


def vocabulary(concepts: list[tuple[str, str, str]]) -> bytes:
    """A vocabulary graph holding (scheme, concept id, label) as SKOS concepts."""
    lines = []
    for scheme, cid, label in concepts:
        c = _iri(f"{scheme}/{cid}")
        lines += [
            f"{c} {RDF_TYPE} <{SKOS}Concept> .",
            f"{c} {RDF_TYPE} {_fk('Mechanism' if scheme == 'mechanism' else 'Program')} .",
            f"{c} <{SKOS}inScheme> {_iri('scheme/' + scheme)} .",
            f"{c} <{SKOS}prefLabel> {_zh(label)} .",
            f'{c} <{SKOS}prefLabel> "{cid}"@en .',
        ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def store(reports: list[Report], concepts: list[tuple[str, str, str]] | None = None) -> Store:
    """An in-memory store: a graph per report, the entities graph and, if given, a vocabulary graph."""
    st = Store(None)
    for report in reports:
        st.replace_graph(f"{BASE}graph/report/{report.rid}", ntriples(report))
    st.replace_graph(f"{BASE}graph/entities", places(reports))
    if concepts:
        st.replace_graph(f"{BASE}graph/vocabulary", vocabulary(concepts))
    return st


#: a county and its prefecture over three years: the prefecture practises 府院联动 from 2020,
#: the county plans it in 2020 and practises it from 2021; the county practises 枫桥经验 in 2022;
#: another county reports only in 2021 and 2022 and never practises either
DIFFUSION = [
    Report("p2020", PREFECTURE, 2020, [("mechanism", "court-government-linkage", "府院联动", "practised")]),
    Report("c2020", COUNTY, 2020, [("mechanism", "court-government-linkage", "府院联动", "planned")]),
    Report("c2021", COUNTY, 2021, [("mechanism", "court-government-linkage", "府院联动", "practised")]),
    Report(
        "c2022",
        COUNTY,
        2022,
        [
            ("mechanism", "court-government-linkage", "府院联动", "practised"),
            ("mechanism", "fengqiao-experience", "枫桥经验", "practised"),
            ("program", "eighth-five-year-legal-publicity", "八五普法", "practised"),
        ],
    ),
    Report("o2021", OTHER_COUNTY, 2021, [("mechanism", "fengqiao-experience", "枫桥经验", "planned")]),
    Report("o2022", OTHER_COUNTY, 2022, []),
]
CONCEPTS = [
    ("mechanism", "court-government-linkage", "府院联动"),
    ("mechanism", "fengqiao-experience", "枫桥经验"),
    ("program", "eighth-five-year-legal-publicity", "八五普法"),
]
