"""Benchmark of ``kg build``: MB/s, reports/s and peak memory, and the first saved query's time.

The corpus is made on the fly by cycling the example reports until it reaches the
asked size; each copy gets a numbered sentence so that its text (and so its report id)
differs and every copy is a report of its own in the store.

    .venv/bin/python benchmarks/bench_build.py --mb 20

The build runs in a child process (``kg build``), measured with ``resource`` for its
peak RSS, so the numbers are those a user sees.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "reports"
KG = Path(sys.executable).parent / "kg"


def make_corpus(folder: Path, megabytes: float) -> tuple[int, int]:
    sources = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    target = int(megabytes * 1024 * 1024)
    written = count = 0
    while written < target:
        text = sources[count % len(sources)]
        # a numbered sentence in the longest paragraph keeps every copy a distinct report
        # (a short line of its own could be taken for page boilerplate and dropped)
        lines = text.split("\n")
        longest = max(range(len(lines)), key=lambda i: len(lines[i]))
        lines[longest] += f"本段为基准测试第{count}份副本。"
        data = "\n".join(lines).encode("utf-8")
        (folder / f"r{count:06d}.txt").write_bytes(data)
        written += len(data)
        count += 1
    return count, written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=20.0, help="corpus size in MB (default 20)")
    parser.add_argument("--workers", type=int, default=1, help="processes for kg build")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="fazhi-bench-"))
    corpus, store = work / "corpus", work / "store"
    corpus.mkdir()
    n, size = make_corpus(corpus, args.mb)
    started = time.perf_counter()
    proc = subprocess.run(
        [str(KG), "build", str(corpus), "--store", str(store), "--json", "--workers", str(args.workers)],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if proc.returncode != 0:
        print(proc.stderr[-2000:], file=sys.stderr)
        raise SystemExit(f"kg build failed with exit code {proc.returncode}")
    summary = json.loads(proc.stdout)
    query = sorted((ROOT / "queries").glob("*.rq"))[0]
    q_started = time.perf_counter()
    subprocess.run([str(KG), "query", str(query), "--store", str(store), "--format", "csv"], capture_output=True, check=True)
    q_seconds = time.perf_counter() - q_started
    figures = {
        "reports": n,
        "megabytes": round(size / 1024 / 1024, 2),
        "seconds": round(seconds, 2),
        "mb_per_s": round(size / 1024 / 1024 / seconds, 2),
        "reports_per_s": round(n / seconds, 1),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "quads": summary["quads"],
        "workers": args.workers,
        "first_saved_query": query.name,
        "first_saved_query_s": round(q_seconds, 2),
    }
    print(json.dumps(figures, indent=2))
    if not args.keep:
        shutil.rmtree(work)
    else:
        print(f"work folder kept: {work}", file=sys.stderr)


if __name__ == "__main__":
    main()
