"""The ``kg`` command: thin wrappers over the library's functions.

Only this module (and the server) turns errors into messages and exit codes:
0 when everything asked for was done, 1 when some inputs failed (the rest done),
2 on wrong usage.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any, NoReturn

import click

from kg import config
from kg.errors import ConfigError, InputError, KGError, QueryError, StoreError

QUERY_FORMATS = ("table", "csv", "tsv", "json")
EXPORT_FORMATS = ("ttl", "nt", "nq", "trig", "jsonld")


def _settings(store: str | None = None, **overrides: Any) -> config.Settings:
    try:
        return config.load({"store": store, **overrides})
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None


def _fail(message: str, code: int = 1) -> NoReturn:
    click.echo(f"kg: {message}", err=True)
    sys.exit(code)


store_option = click.option(
    "--store",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder of the on-disk store (default: $FAZHI_KG_STORE or ./fazhi-kg-store).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="fazhi-kg")
def main() -> None:
    """fazhi-kg: a knowledge graph of Chinese local governments' rule-of-law reports."""


class _Bar:
    """A progress bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.started = time.perf_counter()

    def __call__(self, done: int, total: int, current: str) -> None:
        if not self.enabled or total < 2:
            return
        width = 30
        filled = width * done // total
        rate = done / max(time.perf_counter() - self.started, 1e-9)
        name = Path(current).name[:40]
        sys.stderr.write(f"\r[{'#' * filled}{' ' * (width - filled)}] {done}/{total} {rate:5.1f} files/s {name:<40}")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()


@main.command()
@click.argument("paths", nargs=-1, required=True)
@store_option
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Processes to extract with.")
def build(paths: tuple[str, ...], store: str | None, as_json: bool, workers: int | None) -> None:
    """Build or update the store from report files and folders (txt, html, htm).

    Each report replaces its own named graph, so building again is idempotent. Exit 0
    when every input was built, 1 when some failed (each named with its reason).
    """
    from kg.pipeline import build as run_build
    from kg.store import open_store

    settings = _settings(store, workers=workers)
    try:
        with open_store(settings) as st:
            summary = run_build(paths, settings, st, progress=_Bar())
    except StoreError as exc:
        _fail(str(exc))
    if as_json:
        click.echo(json.dumps(summary.as_json(), ensure_ascii=False, indent=2))
    else:
        for b in summary.built:
            place = f"{b.jurisdiction} ({b.code})" if b.jurisdiction else "jurisdiction unknown"
            click.echo(
                f"built  {b.path}: {place}, {b.report_year or 'year unknown'}, {b.published or 'date unknown'}, "
                f"{b.doc_type}, {b.mentions} mentions, {b.triples} triples"
            )
        for f in summary.failed:
            click.echo(f"failed {f.path}: {f.reason}", err=True)
        click.echo(
            f"{len(summary.built)} report(s) built, {len(summary.failed)} failed, "
            f"{summary.quads} quads in {summary.store} ({summary.seconds:.1f} s)"
        )
    sys.exit(0 if summary.ok else 1)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the report and its entities as JSON (the default).")
@click.option("--text", "as_text", is_flag=True, help="Print the cleaned text the offsets refer to.")
def extract(file: str, as_json: bool, as_text: bool) -> None:
    """Print what one report yields, without touching a store."""
    if as_json and as_text:
        raise click.UsageError("Use just one of --json or --text.")
    settings = _settings()
    try:
        if as_text:
            from kg.ingest import read

            click.echo(read(file).text, nl=False)
            return
        from kg.pipeline import Pipeline

        report = Pipeline(settings).report(file)
    except InputError as exc:
        _fail(str(exc))
    except KGError as exc:
        _fail(f"{file}: {exc}")
    click.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))


@main.command()
@click.argument("query")
@store_option
@click.option("--format", "fmt", type=click.Choice(QUERY_FORMATS), default="table", show_default=True)
def query(query: str, store: str | None, fmt: str) -> None:
    """Run a SPARQL query, given inline or as a .rq file, on the store."""
    from kg import results
    from kg.store import open_store

    settings = _settings(store)
    path = Path(query)
    if query.endswith(".rq") or (len(query) < 4096 and "\n" not in query and path.is_file()):
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            _fail(f"{query}: cannot read the query file ({exc.strerror})", 2)
    else:
        text = query
    if not settings.store.exists():
        _fail(f"{settings.store}: no store here; run `kg build` first or give --store", 1)
    try:
        with open_store(settings, read_only=True) as st:
            result = st.query(text)
            click.echo(results.render(result, fmt), nl=False)
    except QueryError as exc:
        _fail(f"query error: {exc}", 1)
    except StoreError as exc:
        _fail(str(exc))


@main.command()
@store_option
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="nq", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="-", help="File to write (default stdout).")
def export(store: str | None, fmt: str, output: str) -> None:
    """Export the store: nq, trig and jsonld keep the named graphs; ttl and nt hold their union."""
    from kg.export import export as run_export
    from kg.store import open_store

    settings = _settings(store)
    if not settings.store.exists():
        _fail(f"{settings.store}: no store here; run `kg build` first or give --store")
    try:
        with open_store(settings, read_only=True) as st:
            run_export(st, fmt, None if output == "-" else output)
    except StoreError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"{output}: {exc.strerror}")


if __name__ == "__main__":  # pragma: no cover
    main()
