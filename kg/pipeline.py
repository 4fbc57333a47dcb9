"""The stages put together: file -> Report -> triples, and a build into a store.

Each stage module declares ``NAME`` and ``REQUIRES`` (the stages it reads the
output of); :func:`check_order` refuses an order in which a stage runs before what
it reads, at start-up rather than halfway through a build.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from pyoxigraph import Triple

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

    def triples(self, report: Report) -> list[Triple]:
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
    before is never lost.
    """
    started = time.perf_counter()
    summary = BuildSummary(store=str(settings.store))
    inputs = list(ingest.iter_inputs(paths))
    pipeline = Pipeline(settings)
    load_vocabularies(store, settings)
    total = len(inputs)
    for i, item in enumerate(inputs):
        if isinstance(item, InputError):
            summary.failed.append(Failed(item.path, item.reason))
        else:
            _build_one(item, pipeline, store, summary)
        if progress:
            progress(i + 1, total, str(item.path if isinstance(item, InputError) else item))
    summary.quads = store.count()
    summary.seconds = time.perf_counter() - started
    return summary


def _build_one(path: Path, pipeline: Pipeline, store: Any, summary: BuildSummary) -> None:
    try:
        report = pipeline.report(path)
        triples = pipeline.triples(report)
        graph = Minter(pipeline.settings.base).graph(report.id)
        count = store.replace_graph(graph, triples)
    except InputError as exc:
        summary.failed.append(Failed(str(path), exc.reason))
        return
    except KGError as exc:
        summary.failed.append(Failed(str(path), str(exc)))
        return
    j = report.jurisdiction
    summary.built.append(
        Built(
            path=str(path),
            id=report.id,
            graph=graph,
            triples=count,
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
    )


def load_vocabularies(store: Any, settings: Settings) -> None:
    """The ontology and the vocabularies, each in its own named graph, refreshed on every build."""
    mint = Minter(settings.base)
    store.load_file(settings.ontology / "fk.ttl", "ttl", mint.special_graph("ontology"))
    store.replace_graph(mint.special_graph("vocabulary"), list(rdf.vocabulary_triples(settings)))
