"""Benchmark of the research exports: each table, network view, ``kg stats`` and an N-Quads export.

The store is made on the fly: the five example reports are built once, then their
report graphs are copied ``--reports`` times, each copy with its own report id, a
jurisdiction code of its own (described in the entities graph) and a year from 2016
to 2024, and bulk-loaded with the entities, vocabulary and ontology graphs.  800
copies make about 3.5M quads.

    .venv/bin/python benchmarks/bench_exports.py --reports 800

Prints one line per export with its rows (or nodes and edges) and seconds, and the
peak memory of the process.
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from kg import config, dataset, export, projections, stats, tables
from kg.pipeline import build
from kg.store import Store

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "reports"
NT = ox.RdfFormat.N_TRIPLES


def make_store(work: Path, copies: int) -> Path:
    settings = config.load({"store": str(work / "examples")}, environ={})
    with Store(settings.store) as st:
        build([EXAMPLES], settings, st)
    src = ox.Store.read_only(str(settings.store))
    entities_graph = ox.NamedNode(settings.base + "graph/entities")
    entities = (src.dump(format=NT, from_graph=entities_graph) or b"").decode().splitlines()
    reports = []
    for graph in src.named_graphs():
        if "/graph/report/" not in graph.value:
            continue
        data = (src.dump(format=NT, from_graph=graph) or b"").decode()
        rid = graph.value.rsplit("/", 1)[1]
        found = re.search(rf"report/{rid}> <[^>]*#jurisdiction> <[^>]*/jurisdiction/(\d+)>", data)
        year = re.search(r'#reportYear> "(\d+)"', data)
        if found and year:
            code = found.group(1)
            described = "\n".join(
                line for line in entities if line.startswith(f"<{settings.base}jurisdiction/{code}> ")
            )
            reports.append((rid, code, year.group(1), data, described))
    path = work / "store"
    dst = ox.Store(str(path))
    places = []
    for i in range(copies):
        rid, code, year, data, described = reports[i % len(reports)]
        new_id, new_code, new_year = (
            f"{rid[:8]}{i:08d}",
            f"{i % 30 + 11:02d}{i // 30 % 20 + 1:02d}{i // 600 + 1:02d}",
            str(2016 + i * 7 % 9),
        )
        text = data.replace(rid, new_id).replace(f"jurisdiction/{code}>", f"jurisdiction/{new_code}>")
        text = text.replace(f'"{year}"^^', f'"{new_year}"^^')
        dst.bulk_load(text.encode(), NT, to_graph=ox.NamedNode(settings.base + "graph/report/" + new_id))
        places.append(
            described.replace(f"jurisdiction/{code}>", f"jurisdiction/{new_code}>").replace(
                f'"{code}"', f'"{new_code}"'
            )
        )
    for graph in src.named_graphs():
        if "/graph/report/" not in graph.value:
            dst.bulk_load(src.dump(format=NT, from_graph=graph) or b"", NT, to_graph=graph)
    dst.bulk_load(("\n".join(places) + "\n").encode(), NT, to_graph=entities_graph)
    dst.flush()
    dst.optimize()
    return path


def timed(label: str, run: object) -> None:
    started = time.perf_counter()
    result = run() if callable(run) else run
    size = getattr(result, "shape", None) or f"{result.number_of_nodes()} nodes, {result.number_of_edges()} edges"
    print(f"{label:28s} {size!s:>24}  {time.perf_counter() - started:6.2f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=800, help="report graphs in the store (default 800)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="fazhi-bench-exports-"))
    try:
        path = make_store(work, args.reports)
        settings = config.load({"store": str(path)}, environ={})
        with Store(path, read_only=True) as st:
            print(f"{len(st)} quads in {args.reports} report graphs", flush=True)
            for name in tables.TABLES:
                timed(f"table {name}", lambda name=name: tables.build(st, name))
            for view in projections.VIEWS:
                timed(f"view {view}", lambda view=view: projections.to_networkx(st, view))
            started = time.perf_counter()
            stats.stats(st)
            print(f"{'kg stats':28s} {'':>24}  {time.perf_counter() - started:6.2f} s")
            started = time.perf_counter()
            export.export(st, "nq", work / "out.nq", description=dataset.describe_dataset(st, settings))
            print(f"{'nq with description':28s} {'':>24}  {time.perf_counter() - started:6.2f} s")
        print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
