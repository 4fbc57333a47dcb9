"""The stages put together: file -> Report -> triples, and a build into a store.

Each stage module declares ``NAME`` and ``REQUIRES`` (the stages it reads the
output of); :func:`check_order` refuses an order in which a stage runs before what
it reads, at start-up rather than halfway through a build.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from kg import extract, ingest, metadata, rdf, resolve, structure
from kg.config import Settings
from kg.errors import InputError, KGError, PipelineError
from kg.iris import Minter
from kg.model import Report

STAGES: tuple[ModuleType, ...] = (ingest, metadata, structure, extract, resolve, rdf)


def check_order(stages: Sequence[ModuleType]) -> None:
    seen: set[str] = set()
    for stage in stages:
        missing = [r for r in getattr(stage, "REQUIRES", ()) if r not in seen]
        if missing:
            raise PipelineError(f"stage {stage.NAME!r} needs {', '.join(missing)} to run before it")
        seen.add(stage.NAME)


check_order(STAGES)


class Pipeline:
    """Reads and extracts reports with one set of settings (the spaCy pipeline is built once)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.nlp = extract.build_nlp(settings)
        self.resolver = resolve.Resolver(settings)

    def report(self, path: str | Path) -> Report:
        """Everything one report yields, without touching a store."""
        return self.process(ingest.read(path))

    def process(self, report: Report) -> Report:
        metadata.annotate(report)
        structure.annotate(report, self.settings.ontology)
        extract.annotate(report, self.settings, self.nlp)
        self.resolver.annotate(report)
        return report

    def triples(self, report: Report) -> rdf.Graphs:
        """The report's named graph and the entity descriptions it adds, as N-Triples."""
        return rdf.annotate(report, self.settings)


@dataclass(slots=True)
class Built:
    path: str
    id: str
    graph: str
    triples: int
    title: str | None
    jurisdiction: str | None
    code: str | None
    report_year: int | None
    published: str | None
    doc_type: str
    mentions: int
    warnings: list[str]
    chars: int


@dataclass(slots=True)
class Failed:
    path: str
    reason: str


@dataclass(slots=True)
class BuildSummary:
    built: list[Built] = field(default_factory=list)
    failed: list[Failed] = field(default_factory=list)
    seconds: float = 0.0
    store: str = ""
    quads: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed

    def as_json(self) -> dict[str, Any]:
        return {
            "store": self.store,
            "built": [asdict(b) for b in self.built],
            "failed": [asdict(f) for f in self.failed],
            "reports": len(self.built),
            "failures": len(self.failed),
            "quads": self.quads,
            "seconds": round(self.seconds, 3),
        }


Progress = Callable[[int, int, str], None]


def build(
    paths: Iterable[str | Path],
    settings: Settings,
    store: Any,
    progress: Progress | None = None,
) -> BuildSummary:
    """Build or update ``store`` from report files and folders.

    Each report replaces its own named graph, so building again is idempotent.  A file
    that fails is recorded with its reason and the build goes on; what was stored
    before is never lost.  With ``settings.workers > 1`` reports are read and extracted
    in that many processes while this one writes the store (the store has one writer).
    """
    started = time.perf_counter()
    summary = BuildSummary(store=str(settings.store))
    inputs = list(ingest.iter_inputs(paths))
    load_vocabularies(store, settings)
    files = [str(item) for item in inputs if not isinstance(item, InputError)]
    summary.failed.extend(Failed(item.path, item.reason) for item in inputs if isinstance(item, InputError))
    total = len(inputs)
    done = len(summary.failed)
    entities: dict[bytes, None] = {}
    for result in _extracted(files, settings):
        if isinstance(result, Failed):
            summary.failed.append(result)
        else:
            _store_one(result, store, summary)
            entities.update(dict.fromkeys(result.graphs.entities.splitlines()))
        done += 1
        if progress:
            progress(done, total, result.path)
    merge_entities(store, settings, entities)
    summary.quads = store.count()
    summary.seconds = time.perf_counter() - started
    return summary


@dataclass(slots=True)
class Extracted:
    """What a worker hands back for one report: its summary line and its graph."""

    built: Built
    graphs: rdf.Graphs

    @property
    def path(self) -> str:
        return self.built.path


def extract_one(path: str, pipeline: Pipeline) -> Extracted | Failed:
    """Read, extract and serialise one report; a bad input becomes a :class:`Failed`."""
    try:
        report = pipeline.report(path)
        graphs = pipeline.triples(report)
    except InputError as exc:
        return Failed(path, exc.reason)
    except KGError as exc:
        return Failed(path, str(exc))
    j = report.jurisdiction
    built = Built(
        path=path,
        id=report.id,
        graph=Minter(pipeline.settings.base).graph(report.id),
        triples=0,
        title=report.title,
        jurisdiction=j.full_name if j else None,
        code=j.code if j else None,
        report_year=report.report_year,
        published=report.published,
        doc_type=report.doc_type,
        mentions=len(report.mentions),
        warnings=list(report.warnings),
        chars=len(report.text),
    )
    return Extracted(built, graphs)


def _store_one(result: Extracted, store: Any, summary: BuildSummary) -> None:
    try:
        result.built.triples = store.replace_graph(result.built.graph, result.graphs.report)
    except KGError as exc:
        summary.failed.append(Failed(result.path, str(exc)))
        return
    summary.built.append(result.built)


def _extracted(files: list[str], settings: Settings) -> Iterator[Extracted | Failed]:
    """Extraction results in input order, from this process or from a pool of workers."""
    if settings.workers <= 1 or len(files) < 2:
        pipeline = Pipeline(settings)
        for path in files:
            yield extract_one(path, pipeline)
        return
    ctx = multiprocessing.get_context("spawn")  # no fork of a process holding the store's lock
    with ProcessPoolExecutor(settings.workers, mp_context=ctx, initializer=_init_worker, initargs=(settings,)) as pool:
        yield from pool.map(_worker_extract, files, chunksize=4)


_WORKER: Pipeline | None = None


def _init_worker(settings: Settings) -> None:
    global _WORKER
    _WORKER = Pipeline(settings)


def _worker_extract(path: str) -> Extracted | Failed:
    assert _WORKER is not None, "worker not initialised"
    return extract_one(path, _WORKER)


def merge_entities(store: Any, settings: Settings, lines: dict[bytes, None]) -> None:
    """Add the entity descriptions of this build to the entities graph (kept: earlier builds' too).

    Descriptions are facts about the entity (a code's name and parents, an agency's kind),
    the same from whichever report, so the graph only grows; building again adds nothing.
    """
    if not lines:
        return
    graph = Minter(settings.base).special_graph("entities")
    old = store.graph_ntriples(graph)
    merged = dict.fromkeys(old.splitlines())
    before = len(merged)
    merged.update(lines)
    if len(merged) != before or not old:
        store.replace_graph(graph, b"\n".join(k for k in merged if k) + b"\n")


def load_vocabularies(store: Any, settings: Settings) -> None:
    """The ontology and the vocabularies, each in its own named graph, refreshed on every build."""
    mint = Minter(settings.base)
    store.load_file(settings.ontology / "fk.ttl", "ttl", mint.special_graph("ontology"))
    store.replace_graph(mint.special_graph("vocabulary"), rdf.vocabulary_ntriples(settings))
