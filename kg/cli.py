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
#: network views and tables of ``kg export`` (kept here so that --help needs no pandas)
VIEWS = ("adoption", "co-adoption", "agency", "citation")
TABLES = (
    "adoptions",
    "matrix",
    "event-history",
    "adoption-by-year",
    "statistics",
    "documents",
    "reports",
    "jurisdictions",
)
EXPORT_FORMATS = ("ttl", "nt", "nq", "trig", "jsonld", "graphml", "gexf", "csv")


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
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default=None,
    help="Format (default: from -o's suffix, else nq).",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="-", help="File to write (default stdout).")
@click.option(
    "--view", type=click.Choice(VIEWS), default=None, help="Network view for graphml/gexf (default adoption)."
)
@click.option("--table", type=click.Choice(TABLES), default=None, help="Table for csv (default adoptions).")
@click.option(
    "--scheme",
    type=click.Choice(["mechanism", "program", "all"]),
    default=None,
    help="Concepts of the adoption tables and views (default mechanism).",
)
@click.option("--bom", is_flag=True, help="csv: start with a UTF-8 BOM so that Excel opens it as UTF-8.")
@click.option(
    "--coordinates",
    type=click.Path(dir_okay=False, exists=True),
    default=None,
    help="csv --table jurisdictions: CSV of code/adcode, longitude, latitude to use instead of the packaged coordinates (cpca).",
)
@click.option("--no-description", is_flag=True, help="RDF: leave out the dataset description (VoID/DCAT graph).")
def export(
    store: str | None,
    fmt: str | None,
    output: str,
    view: str | None,
    table: str | None,
    scheme: str | None,
    bom: bool,
    coordinates: str | None,
    no_description: bool,
) -> None:
    """Export the store: RDF (nq, trig and jsonld keep the named graphs; ttl and nt hold their
    union; a VoID/DCAT description travels with them), a network view as graphml or gexf, or a
    table as csv with its data dictionary beside it (FILE.dictionary.csv)."""
    from kg.dataset import describe_dataset
    from kg.export import export as run_export
    from kg.export import export_table, format_for_path
    from kg.store import open_store

    fmt = fmt or (format_for_path(output) if output != "-" else None) or "nq"
    if fmt not in EXPORT_FORMATS:
        raise click.UsageError(f"-o {output}: give --format; {fmt} is not one of {', '.join(EXPORT_FORMATS)}")
    _check_export_options(
        fmt, view=view, table=table, scheme=scheme, bom=bom, coordinates=coordinates, no_description=no_description
    )
    settings = _settings(store)
    if not settings.store.exists():
        _fail(f"{settings.store}: no store here; run `kg build` first or give --store")
    out = None if output == "-" else output
    concepts = None if scheme == "all" else scheme or "mechanism"
    try:
        with open_store(settings, read_only=True) as st:
            if fmt == "csv":
                export_table(st, table or "adoptions", out, scheme=concepts, bom=bom, coordinates=coordinates)
                if out is None:
                    click.echo("kg: note: the data dictionary is written beside the CSV only with -o FILE", err=True)
            else:
                description = [] if no_description or fmt in ("graphml", "gexf") else describe_dataset(st, settings)
                run_export(
                    st, fmt, out, description=description, view=view or "adoption", scheme=concepts, base=settings.base
                )
    except StoreError as exc:
        _fail(str(exc))
    except ValueError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"{exc.filename or output}: {exc.strerror}")


def _check_export_options(fmt: str, **given: Any) -> None:
    """Refuse options that do nothing with ``fmt`` (``--view`` with csv ...)."""
    allowed = {
        "view": ("graphml", "gexf"),
        "table": ("csv",),
        "bom": ("csv",),
        "coordinates": ("csv",),
        "scheme": ("graphml", "gexf", "csv"),
        "no_description": ("ttl", "nt", "nq", "trig", "jsonld"),
    }
    for name, value in given.items():
        if value and fmt not in allowed[name]:
            option = "--" + name.replace("_", "-")
            raise click.UsageError(f"{option} goes with --format {' or '.join(allowed[name])}, not {fmt}.")
    if given.get("coordinates") and given.get("table") != "jurisdictions":
        raise click.UsageError("--coordinates goes with --table jurisdictions.")


@main.command()
@store_option
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON.")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="How many mechanisms to rank.")
def stats(store: str | None, as_json: bool, top: int) -> None:
    """Show what the store holds: entities per type, reports per province and year, the most
    adopted mechanisms, and coverage warnings (reports with no jurisdiction or year, mentions
    outside every vocabulary)."""
    from kg.stats import stats as run_stats
    from kg.store import open_store

    settings = _settings(store)
    if not settings.store.exists():
        _fail(f"{settings.store}: no store here; run `kg build` first or give --store")
    try:
        with open_store(settings, read_only=True) as st:
            result = run_stats(st, top=top)
    except StoreError as exc:
        _fail(str(exc))
    if as_json:
        click.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=2, default=int))
    else:
        click.echo(result.format_text(), nl=False)


# commands kept in their own modules
from kg.candidates import candidates_command  # noqa: E402
from kg.evaluate import evaluate_command  # noqa: E402
from kg.server.cli import serve, viz  # noqa: E402

main.add_command(evaluate_command, "evaluate")
main.add_command(candidates_command, "candidates")
main.add_command(serve)
main.add_command(viz)

if __name__ == "__main__":  # pragma: no cover
    main()
