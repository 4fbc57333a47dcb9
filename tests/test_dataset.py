"""kg.dataset: the VoID/DCAT description of a store, with counts, build time and versions."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from kg import __version__
from kg.dataset import DCAT, VOID, dataset_graph, describe_dataset, last_written
from kg.store import Store

XSD = "http://www.w3.org/2001/XMLSchema#"


def objects(quads: list[ox.Quad], subject: str, predicate: str) -> list[str]:
    return [q.object.value for q in quads if q.subject.value == subject and q.predicate.value == predicate]  # type: ignore[union-attr]


def test_the_description_of_the_examples(built_store: tuple[Any, Store]) -> None:
    settings, st = built_store
    quads = describe_dataset(st, settings)
    ds, base = settings.base + "dataset", settings.base
    assert {q.graph_name.value for q in quads} == {dataset_graph(settings)} == {base + "graph/dataset"}  # type: ignore[union-attr]
    assert not any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object))
    assert set(objects(quads, ds, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type")) == {VOID + "Dataset", DCAT + "Dataset"}
    assert objects(quads, ds, VOID + "triples") == [str(len(st))]
    assert objects(quads, ds, VOID + "documents") == ["5"]
    modified = objects(quads, ds, "http://purl.org/dc/terms/modified")
    assert len(modified) == 1 and modified[0].endswith("Z") and last_written(st) is not None
    partitions = {q.object.value: q.subject.value for q in quads if q.predicate.value == VOID + "class"}  # type: ignore[union-attr]
    report_partition = partitions["https://w3id.org/fazhi-kg/ontology#Report"]
    assert objects(quads, report_partition, VOID + "entities") == ["5"]
    agent = f"{base}software/fazhi-kg/{__version__}"
    assert objects(quads, agent, "http://www.w3.org/2002/07/owl#versionInfo") == [__version__]
    vocabulary = objects(quads, base + "graph/vocabulary", "http://www.w3.org/2002/07/owl#versionInfo")
    assert len(vocabulary) == 1 and vocabulary[0].startswith("sha256:") and len(vocabulary[0]) == 71
    assert objects(quads, base + "graph/ontology", "http://www.w3.org/2002/07/owl#versionInfo") == ["0.1.0"]


def test_an_in_memory_store_has_no_build_time(settings: Any) -> None:
    with Store(None) as st:
        quads = describe_dataset(st, settings)
    assert last_written(st) is None
    assert not objects(quads, settings.base + "dataset", "http://purl.org/dc/terms/modified")
    assert objects(quads, settings.base + "dataset", VOID + "triples") == ["0"]
