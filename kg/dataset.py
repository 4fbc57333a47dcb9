"""The dataset description that travels with RDF exports: VoID and DCAT, with PROV.

:func:`describe_dataset` reads the store and returns the quads of one named graph,
``{base}graph/dataset``, about the dataset ``{base}dataset``:

- ``void:triples`` (quads in the store), ``void:documents`` (reports, one named graph
  each), ``void:classPartition`` with ``void:entities`` per class, ``void:vocabulary``
  and ``void:uriSpace``;
- ``dcterms:modified``: when the store's data files were last written (the last build);
- ``void:subset``: the vocabulary graph (``owl:versionInfo`` is the SHA-256 fingerprint
  of the vocabulary files, :meth:`kg.vocab.Vocabulary.fingerprint`) and the ontology
  graph (``owl:versionInfo`` of ``ontology/fk.ttl``);
- ``prov:wasGeneratedBy`` a build activity associated with the software agent
  ``{base}software/fazhi-kg/<version>``.

It is computed at export time, so building needs no change and the counts always
match the exported store.  No blank nodes: every node has an IRI under the base.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

import pyoxigraph as ox

from kg import __version__, vocab
from kg.config import Settings
from kg.errors import KGError
from kg.iris import FK, Minter, segment
from kg.store import Store

VOID: Final = "http://rdfs.org/ns/void#"
DCAT: Final = "http://www.w3.org/ns/dcat#"
DCT: Final = "http://purl.org/dc/terms/"
PROV: Final = "http://www.w3.org/ns/prov#"
RDF: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS: Final = "http://www.w3.org/2000/01/rdf-schema#"
OWL: Final = "http://www.w3.org/2002/07/owl#"
XSD: Final = "http://www.w3.org/2001/XMLSchema#"
ONTOLOGY: Final = "https://w3id.org/fazhi-kg/ontology"
#: namespaces the graph uses, for void:vocabulary and for naming class partitions
NAMESPACES: Final = {
    "fk": FK,
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "org": "http://www.w3.org/ns/org#",
    "oa": "http://www.w3.org/ns/oa#",
    "prov": PROV,
    "dcterms": DCT,
    "qb": "http://purl.org/linked-data/cube#",
    "owl": OWL,
    "rdfs": RDFS,
}
_CLASSES: Final = "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY ?class"
_REPORTS: Final = f"SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {{ ?r a <{FK}Report> }}"


def dataset_graph(settings: Settings) -> str:
    """The name of the graph the description lives in: ``{base}graph/dataset``."""
    return Minter(settings.base).special_graph("dataset")


def last_written(store: Store) -> datetime | None:
    """When the store's data files (``*.sst``, ``*.log``) were last written; None in memory."""
    if store.path is None:
        return None
    times = [p.stat().st_mtime for p in store.path.iterdir() if p.suffix in (".sst", ".log") and p.is_file()]
    return datetime.fromtimestamp(max(times), UTC).replace(microsecond=0) if times else None


def describe_dataset(store: Store, settings: Settings, *, built: datetime | None = None) -> list[ox.Quad]:
    """The VoID/DCAT description of ``store`` as quads of :func:`dataset_graph`.

    ``built`` is the build time (default: :func:`last_written`); the lead may pass the
    build's own end time when calling this at the end of ``kg build``.
    """
    graph = ox.NamedNode(dataset_graph(settings))
    return [ox.Quad(s, p, o, graph) for s, p, o in _triples(store, settings, built or last_written(store))]


def _triples(
    store: Store, settings: Settings, built: datetime | None
) -> Iterator[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]]:
    base, mint = settings.base, Minter(settings.base)
    ds = ox.NamedNode(base + "dataset")
    build = ox.NamedNode(base + "dataset/build")
    agent = ox.NamedNode(f"{base}software/fazhi-kg/{segment(__version__)}")
    a = ox.NamedNode(RDF + "type")
    own = dataset_graph(settings)
    quads = len(store) - (store.count(own) if own in store.graphs() else 0)

    yield ds, a, ox.NamedNode(VOID + "Dataset")
    yield ds, a, ox.NamedNode(DCAT + "Dataset")
    yield ds, _n(DCT + "title"), ox.Literal("fazhi-kg: knowledge graph of rule-of-law reports", language="en")
    yield ds, _n(DCT + "title"), ox.Literal("法治政府建设报告知识图谱", language="zh")
    yield (
        ds,
        _n(DCT + "description"),
        ox.Literal(
            "What Chinese local governments' rule-of-law reports say, one named graph per report, "
            "every fact with its evidence sentence and character offsets.",
            language="en",
        ),
    )
    yield ds, _n(DCT + "conformsTo"), _n(ONTOLOGY)
    yield ds, _n(VOID + "uriSpace"), ox.Literal(base)
    yield ds, _n(VOID + "triples"), _int(quads)
    yield ds, _n(VOID + "documents"), _int(_count(store, _REPORTS))
    for iri in NAMESPACES.values():
        yield ds, _n(VOID + "vocabulary"), _n(iri)
    if built is not None:
        stamp = ox.Literal(built.isoformat().replace("+00:00", "Z"), datatype=_n(XSD + "dateTime"))
        yield ds, _n(DCT + "modified"), stamp
        yield build, _n(PROV + "endedAtTime"), stamp
    yield ds, _n(PROV + "wasGeneratedBy"), build
    yield build, a, _n(PROV + "Activity")
    yield build, _n(PROV + "wasAssociatedWith"), agent
    yield agent, a, _n(PROV + "SoftwareAgent")
    yield agent, _n(RDFS + "label"), ox.Literal("fazhi-kg")
    yield agent, _n(OWL + "versionInfo"), ox.Literal(__version__)

    for solution in _select(store, _CLASSES):
        cls, n = solution[0], solution[1]
        if not isinstance(cls, ox.NamedNode) or not isinstance(n, ox.Literal):
            continue
        part = _n(f"{base}dataset/class/{segment(_short(cls.value))}")
        yield ds, _n(VOID + "classPartition"), part
        yield part, _n(VOID + "class"), cls
        yield part, _n(VOID + "entities"), _int(int(n.value))

    graphs = set(store.graphs())
    vocabulary, ontology = mint.special_graph("vocabulary"), mint.special_graph("ontology")
    if vocabulary in graphs:
        node = _n(vocabulary)
        yield ds, _n(VOID + "subset"), node
        yield node, a, _n(VOID + "Dataset")
        yield node, _n(DCT + "title"), ox.Literal("vocabularies (SKOS)", language="en")
        yield node, _n(VOID + "triples"), _int(store.count(vocabulary))
        fingerprint = _fingerprint(settings.ontology)
        if fingerprint:
            yield node, _n(OWL + "versionInfo"), ox.Literal("sha256:" + fingerprint)
    if ontology in graphs:
        node = _n(ontology)
        yield ds, _n(VOID + "subset"), node
        yield node, a, _n(VOID + "Dataset")
        yield node, _n(DCT + "title"), ox.Literal("ontology (ontology/fk.ttl)", language="en")
        yield node, _n(VOID + "triples"), _int(store.count(ontology))
        version = f"SELECT ?v WHERE {{ GRAPH <{ontology}> {{ <{ONTOLOGY}> <{OWL}versionInfo> ?v }} }}"
        for solution in _select(store, version):
            yield node, _n(OWL + "versionInfo"), ox.Literal(str(_value(solution[0])))


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))


def _short(iri: str) -> str:
    """``fk-Report`` for fk:Report; the IRI itself outside the known namespaces."""
    for prefix, ns in NAMESPACES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}-{iri[len(ns) :]}"
    return iri


def _select(store: Store, sparql: str) -> ox.QuerySolutions:
    result = store.query(sparql)
    assert isinstance(result, ox.QuerySolutions)
    return result


def _count(store: Store, sparql: str) -> int:
    return int(str(_value(next(iter(_select(store, sparql)))[0])))


def _value(term: object) -> str:
    return term.value if isinstance(term, ox.Literal | ox.NamedNode) else str(term)


def _fingerprint(ontology: Path) -> str | None:
    try:
        return vocab.load(ontology).fingerprint()
    except KGError:  # malformed vocabulary files: describe the rest rather than fail the export
        return None


__all__ = ["DCAT", "NAMESPACES", "VOID", "dataset_graph", "describe_dataset", "last_written"]
