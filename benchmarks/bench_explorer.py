"""Benchmark of the explorer and pages at national size: a generated store of 3,000 jurisdictions.

The store is generated, not extracted: one report per county-level jurisdiction of the
gazetteer (real GB/T 2260 codes, parents and provinces), each taking stances on
mechanisms and programs of the real vocabulary (a few mechanisms are everywhere, most
are rare), with adoptions, mentions, evidence sentences and sections shaped exactly as
``kg.rdf`` writes them, entity descriptions in the entities graph and the vocabulary in
its own graph.  Then it measures what a user waits for:

- opening: building the store index (what the server does on start);
- the explorer's network for the views a researcher opens (national = provinces,
  one province, one common and one rare mechanism, everything forced), its size in
  nodes, edges and JSON bytes;
- evidence for a clicked node or edge (one query with bound values);
- the same through HTTP on a live server, and, with ``--browser``, the time headless
  Chromium takes to draw the explorer until its layout settles.

    .venv/bin/python benchmarks/bench_explorer.py                 # 3,000 jurisdictions
    .venv/bin/python benchmarks/bench_explorer.py --browser --jurisdictions 3000 --adoptions 40
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg import config  # noqa: E402
from kg.gazetteer import get_gazetteer  # noqa: E402
from kg.iris import FK, Minter  # noqa: E402
from kg.rdf import vocabulary_ntriples  # noqa: E402

BASE = "https://w3id.org/fazhi-kg/"
ROLES = {"practised": "practice", "planned": "plan", "problematic": "problem", "recommended": "recommendation"}
SENTENCE = "我{place}持续推进{concept}工作，完善工作机制，取得明显成效。"


def lit(value: str, lang: str | None = None, datatype: str | None = None) -> str:
    text = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text + (f"@{lang}" if lang else f"^^<http://www.w3.org/2001/XMLSchema#{datatype}>" if datatype else "")


def generate(store_dir: Path, jurisdictions: int, adoptions: int, seed: int) -> dict[str, Any]:
    """Write the store; return what it holds."""
    rng = random.Random(seed)
    settings = config.load({"store": str(store_dir)}, environ={})
    mint = Minter(BASE)
    gaz = get_gazetteer()
    counties = sorted((j for j in gaz if j.level == "county"), key=lambda j: j.code)
    rng.shuffle(counties)
    chosen = sorted(counties[:jurisdictions], key=lambda j: j.code)
    vocab = ox.parse(vocabulary_ntriples(settings), ox.RdfFormat.N_TRIPLES)
    concepts: list[tuple[str, str]] = []
    labels: dict[str, str] = {}
    for q in vocab:
        s, p, o = q.subject.value, q.predicate.value, q.object
        if p.endswith("#type") and o.value in (FK + "Mechanism", FK + "Program"):
            concepts.append((s, "mechanism" if o.value.endswith("Mechanism") else "program"))
        if p.endswith("prefLabel") and isinstance(o, ox.Literal) and o.language == "zh":
            labels[s] = o.value
    concepts.sort()
    rng.shuffle(concepts)
    weights = [1 / (i + 1) ** 0.9 for i in range(len(concepts))]
    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"

    def quads() -> Iterator[str]:
        vocab_graph = f"<{mint.special_graph('vocabulary')}>"
        for line in vocabulary_ntriples(settings).decode("utf-8").splitlines():
            yield line[:-1] + f"{vocab_graph} .\n"
        entities = f"<{mint.special_graph('entities')}>"
        described: set[str] = set()
        for j in chosen:
            for unit in [j, *(gaz.by_code(c) for c in j.parents)]:
                if unit is None or unit.code in described:
                    continue
                described.add(unit.code)
                node = f"<{mint.jurisdiction(unit.code)}>"
                yield f"{node} {rdf_type} <{FK}Jurisdiction> {entities} .\n"
                yield f"{node} <http://www.w3.org/2000/01/rdf-schema#label> {lit(unit.full_name, 'zh')} {entities} .\n"
                yield f"{node} <{FK}code> {lit(unit.code)} {entities} .\n"
                yield f"{node} <{FK}level> <{FK}{unit.level}> {entities} .\n"
                if unit.parents:
                    yield f"{node} <{FK}parent> <{mint.jurisdiction(unit.parents[-1])}> {entities} .\n"
        for n, j in enumerate(chosen):
            rid = f"bench{n:05d}"
            g = f"<{mint.graph(rid)}>"
            r = f"<{mint.report(rid)}>"
            place = f"<{mint.jurisdiction(j.code)}>"
            year = 2021 + n % 3
            yield f"{r} {rdf_type} <{FK}Report> {g} .\n"
            yield f"{r} <http://purl.org/dc/terms/title> {lit(f'{j.full_name}{year}年法治政府建设情况报告', 'zh')} {g} .\n"
            yield f"{r} <http://purl.org/dc/terms/identifier> {lit(rid)} {g} .\n"
            yield f"{r} <{FK}jurisdiction> {place} {g} .\n"
            yield f"{r} <{FK}reportYear> {lit(str(year), datatype='integer')} {g} .\n"
            yield f"{r} <{FK}docType> <{FK}government_report> {g} .\n"
            picked = {c for c in rng.choices(range(len(concepts)), weights, k=adoptions)}
            for k, c in enumerate(sorted(picked)):
                iri, scheme = concepts[c]
                stance = rng.choices(list(ROLES), [8, 3, 1, 1])[0]
                cid = iri.rsplit("/", 1)[-1]
                a = f"<{mint.adoption(rid, j.code, scheme, cid)}>"
                text = SENTENCE.format(place="区" if j.name.endswith("区") else "县", concept=labels.get(iri, cid))
                start = 100 * k
                m_start = start + 6
                m_end = m_start + len(labels.get(iri, cid))
                m = f"<{mint.report(rid)}/mention/{m_start}-{m_end}-{scheme}>"
                s = f"<{mint.report(rid)}/sentence/{k}>"
                sec = f"<{mint.report(rid)}/section/{k // 10}>"
                yield f"{a} {rdf_type} <{FK}Adoption> {g} .\n"
                yield f"{a} <{FK}jurisdiction> {place} {g} .\n"
                yield f"{a} <{FK}concept> <{iri}> {g} .\n"
                yield f"{a} <{FK}report> {r} {g} .\n"
                yield f"{a} <{FK}year> {lit(str(year), datatype='integer')} {g} .\n"
                yield f"{a} <{FK}stance> <{FK}{stance}> {g} .\n"
                yield f"{a} <{FK}evidence> {m} {g} .\n"
                yield f"{place} <{FK}adoption> {a} {g} .\n"
                shortcut = {"practised": "practises", "planned": "plans", "problematic": "reportsProblemWith", "recommended": "isRecommended"}[stance]
                yield f"{place} <{FK}{shortcut}> <{iri}> {g} .\n"
                yield f"{m} {rdf_type} <{FK}Mention> {g} .\n"
                yield f"{m} <{FK}mentionType> {lit(scheme)} {g} .\n"
                yield f"{m} <{FK}report> {r} {g} .\n"
                yield f"{m} <http://www.w3.org/ns/oa#hasBody> <{iri}> {g} .\n"
                yield f"{m} <{FK}start> {lit(str(m_start), datatype='integer')} {g} .\n"
                yield f"{m} <{FK}end> {lit(str(m_end), datatype='integer')} {g} .\n"
                yield f"{m} <{FK}role> <{FK}{ROLES[stance]}> {g} .\n"
                yield f"{m} <{FK}sentence> {s} {g} .\n"
                yield f"{s} {rdf_type} <{FK}Sentence> {g} .\n"
                yield f"{s} <{FK}report> {r} {g} .\n"
                yield f"{s} <{FK}text> {lit(text, 'zh')} {g} .\n"
                yield f"{s} <{FK}index> {lit(str(k), datatype='integer')} {g} .\n"
                yield f"{s} <{FK}start> {lit(str(start), datatype='integer')} {g} .\n"
                yield f"{s} <{FK}section> {sec} {g} .\n"
                if k % 10 == 0:
                    yield f"{sec} {rdf_type} <{FK}Section> {g} .\n"
                    yield f"{sec} <{FK}heading> {lit(f'（{k // 10 + 1}）{ROLES[stance]}', 'zh')} {g} .\n"

    started = time.perf_counter()
    data = "".join(quads()).encode("utf-8")
    generated = time.perf_counter() - started
    store_dir.mkdir(parents=True, exist_ok=True)
    db = ox.Store(str(store_dir))
    started = time.perf_counter()
    db.bulk_load(data, ox.RdfFormat.N_QUADS)
    db.flush()
    db.optimize()
    loaded = time.perf_counter() - started
    quads_n = len(db)
    del db
    return {"jurisdictions": len(chosen), "quads": quads_n, "generate_s": generated, "load_s": loaded}


def timed(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    times, value = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), value


def measure(store_dir: Path, browser: bool) -> dict[str, Any]:
    from kg.server import explorer
    from kg.server.engine import QueryJob, run_query
    from kg.server.evidence import evidence_query, items
    from kg.server.index import build_index

    out: dict[str, Any] = {}
    db = ox.Store.read_only(str(store_dir))
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    index_s, index = timed(lambda: build_index(db, BASE), repeat=1)
    out["index_s"] = index_s
    out["index_pickle_mb"] = len(pickle.dumps(index)) / 1e6
    out["index_rss_mb"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    out["adoptions"] = len(index.adoptions)
    used: dict[str, int] = {}
    for a in index.adoptions:
        used[a.concept] = used.get(a.concept, 0) + 1
    mechanisms = [c for c in used if index.concepts.get(c) and index.concepts[c].scheme == "mechanism"]
    common = max(mechanisms, key=lambda c: used[c])
    rare = min(mechanisms, key=lambda c: used[c])
    biggest = max(index.provinces(), key=lambda p: sum(1 for r in index.reports if r.place and index.province_of(r.place) == p.iri))
    views = {
        "national (auto)": explorer.Filters(),
        f"province {biggest.name}": explorer.Filters(province=biggest.iri),
        f"common mechanism {index.concepts[common].zh}": explorer.Filters(concept=common),
        f"rare mechanism {index.concepts[rare].zh}": explorer.Filters(concept=rare),
        "planned, 2023": explorer.Filters(stance="planned", year=2023),
        "everything forced (no limit)": explorer.Filters(view="jurisdictions"),
    }
    out["views"] = {}
    for name, f in views.items():
        limit = 10**6 if "forced" in name else 600
        seconds, data = timed(lambda f=f, limit=limit: explorer.payload(index, f, limit))
        out["views"][name] = {
            "s": seconds,
            "view": data["view"],
            "nodes": data["stats"]["nodes"],
            "edges": data["stats"]["edges"],
            "json_kb": len(json.dumps(data, ensure_ascii=False).encode()) / 1024,
        }
    some_place = next(r.place for r in index.reports if r.place)

    def evidence(**bound: str) -> int:
        query = evidence_query(place_bound="j" in bound and "c" not in bound)
        job = QueryJob(query, result_format="cells", bindings=tuple((k, ox.NamedNode(v)) for k, v in bound.items()))
        reply = run_query(db, job)
        assert reply.table is not None
        return items(reply.table, index, limit=60)[1]

    out["evidence"] = {}
    for name, bound in {
        "common mechanism node": {"c": common},
        "jurisdiction node": {"j": some_place},
        "edge": {"j": some_place, "c": next(a.concept for a in index.adoptions if a.place == some_place)},
    }.items():
        seconds, n = timed(lambda bound=bound: evidence(**bound))
        out["evidence"][name] = {"s": seconds, "sentences": n}
    out["http"] = http(store_dir, browser, biggest.iri)
    return out


def http(store_dir: Path, browser: bool, province: str) -> dict[str, Any]:
    import httpx

    from kg.server.app import create_app
    from kg.server.settings import load
    from tests.conftest_server import ServerThread, free_port

    port = free_port()
    settings = load({"port": port}, environ={}, kg_settings=config.load({"store": str(store_dir)}, environ={}))
    started = time.perf_counter()
    app = create_app(settings)
    out: dict[str, Any] = {}
    with ServerThread(app, port):
        out["server_start_s"] = time.perf_counter() - started
        url = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=url, timeout=120) as client:
            for path in ("/", "/explorer", "/api/explorer/graph", f"/api/explorer/graph?province={province}", "/mechanisms", "/jurisdictions"):
                seconds, response = timed(lambda path=path: client.get(path))
                assert response.status_code == 200, (path, response.text[:200])
                out[path] = {"s": seconds, "kb": len(response.content) / 1024}
        if browser:
            out["browser"] = draw_times(url, province)
    return out


def draw_times(url: str, province: str) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    out = {}
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        page = b.new_page(viewport={"width": 1400, "height": 900})
        for name, path in (("national", "/explorer"), ("province", f"/explorer?province={province}")):
            started = time.perf_counter()
            page.goto(url + path)
            page.wait_for_function("() => window.kgExplorer && window.kgExplorer.laidOut", timeout=300_000)
            out[name + "_laid_out_s"] = time.perf_counter() - started
        b.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jurisdictions", type=int, default=3000)
    parser.add_argument("--adoptions", type=int, default=40, help="mechanism draws per report (default 40)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--browser", action="store_true", help="also time Chromium drawing the explorer")
    parser.add_argument("--keep", action="store_true", help="keep the generated store")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="fazhi-bench-explorer-"))
    try:
        figures = {"store": generate(work / "store", args.jurisdictions, args.adoptions, args.seed)}
        figures |= measure(work / "store", args.browser)
    finally:
        if args.keep:
            print(f"store kept in {work / 'store'}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    s = figures["store"]
    print(f"store: {s['jurisdictions']:,} jurisdictions, {s['quads']:,} quads "
          f"(generated {s['generate_s']:.1f} s, loaded {s['load_s']:.1f} s); {figures['adoptions']:,} adoptions")
    print(f"index: {figures['index_s']:.2f} s, {figures['index_pickle_mb']:.1f} MB pickled, +{figures['index_rss_mb']:.0f} MB RSS")
    print("| explorer view | view drawn | nodes | edges | JSON KB | seconds |\n|---|---|---:|---:|---:|---:|")
    for name, v in figures["views"].items():
        print(f"| {name} | {v['view']} | {v['nodes']:,} | {v['edges']:,} | {v['json_kb']:,.0f} | {v['s']:.3f} |")
    print("| evidence | sentences | seconds |\n|---|---:|---:|")
    for name, v in figures["evidence"].items():
        print(f"| {name} | {v['sentences']:,} | {v['s']:.3f} |")
    h = figures["http"]
    print(f"server start (workers + index): {h.pop('server_start_s'):.1f} s")
    browser_times = h.pop("browser", None)
    print("| HTTP GET | KB | seconds |\n|---|---:|---:|")
    for path, v in h.items():
        print(f"| {path.split('?')[0] + ('?province=…' if '?' in path else '')} | {v['kb']:,.0f} | {v['s']:.3f} |")
    if browser_times:
        for name, seconds in browser_times.items():
            print(f"chromium {name}: {seconds:.1f} s")


if __name__ == "__main__":
    main()
