"""``kg serve`` and ``kg viz``: thin commands over :func:`run_serve` and
:func:`kg.server.standalone.write_standalone`."""

from __future__ import annotations

import ipaddress
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from kg import config
from kg.errors import ConfigError, StoreError
from kg.server import settings as server_settings


def _fail(message: str, code: int = 1) -> NoReturn:
    click.echo(f"kg: {message}", err=True)
    sys.exit(code)


def _store_option(f: Any) -> Any:
    return click.option(
        "--store",
        type=click.Path(file_okay=False),
        default=None,
        help="Folder of the on-disk store (default: $FAZHI_KG_STORE or ./fazhi-kg-store).",
    )(f)


def run_serve(settings: server_settings.ServerSettings, log_level: str = "info") -> None:
    """Serve the app with uvicorn until interrupted."""
    import uvicorn

    from kg.server.app import create_app

    app = create_app(settings)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=log_level, proxy_headers=False)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command()
@_store_option
@click.option("--host", default=None, help="Interface to listen on (default 127.0.0.1, this machine only).")
@click.option("--port", type=int, default=None, help="TCP port (default 8000).")
@click.option(
    "--update-token",
    default=None,
    help="Allow SPARQL updates from requests sending 'Authorization: Bearer TOKEN' (or $FAZHI_KG_UPDATE_TOKEN). "
    "Without it the endpoint is read-only.",
)
@click.option("--time-limit", type=float, default=None, help="Seconds a query may run before it is stopped (default 30).")
@click.option("--result-cap", type=int, default=None, help="Rows a result holds at most (default 10000).")
@click.option("--max-body", type=int, default=None, help="Largest request body in bytes (default 1 MiB).")
@click.option("--cors-origin", "cors_origins", multiple=True, help="Allow this origin by CORS (repeatable); none by default.")
@click.option("--workers", "query_workers", type=int, default=None, help="Query worker processes (default 2).")
@click.option("--log-level", default="info", type=click.Choice(["critical", "error", "warning", "info", "debug"]))
def serve(store: str | None, log_level: str, cors_origins: tuple[str, ...], **options: Any) -> None:
    """Serve the store: SPARQL 1.1 endpoint at /sparql, saved queries, the explorer and a page per entity.

    Read-only unless started with --update-token. Opens http://127.0.0.1:8000/ by default.
    """
    try:
        kg_settings = config.load({"store": store})
        overrides = {k: v for k, v in options.items() if v is not None}
        if cors_origins:
            overrides["cors_origins"] = ",".join(cors_origins)
        settings = server_settings.load(overrides, kg_settings=kg_settings)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    if not (Path(settings.kg.store) / "CURRENT").is_file():
        _fail(f"{settings.kg.store}: no store here; run `kg build` first or give --store")
    if not is_loopback(settings.host):
        click.echo(f"kg: warning: listening on {settings.host}, reachable from other machines", err=True)
    mode = "updates with the token" if settings.updates_enabled else "read-only"
    click.echo(f"kg: serving {settings.kg.store} ({mode}) at http://{settings.host}:{settings.port}/", err=True)
    try:
        run_serve(settings, log_level)
    except StoreError as exc:
        _fail(str(exc))


@click.command()
@_store_option
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, help="HTML file to write.")
@click.option("--province", default=None, help="Only this province (name, code or IRI).")
@click.option("--jurisdiction", "place", default=None, help="Only this jurisdiction (name, code or IRI).")
@click.option("--mechanism", "concept", default=None, help="Only this mechanism or program (Chinese name, id or IRI).")
@click.option("--category", default=None, help="Only mechanisms of this category (name or IRI).")
@click.option("--year", default=None, help="Only reports of this year.")
@click.option("--stance", type=click.Choice(["practised", "problem", "planned", "recommended", "mentioned"]), default=None)
@click.option("--scheme", type=click.Choice(["mechanism", "program", "all"]), default="mechanism", show_default=True)
@click.option("--view", type=click.Choice(["auto", "jurisdictions", "provinces"]), default="auto", show_default=True)
@click.option("--max-nodes", type=click.IntRange(min=10), default=600, show_default=True, help="Above this, provinces are drawn.")
def viz(store: str | None, output: str, max_nodes: int, **filters: str | None) -> None:
    """Write the mechanism-adoption explorer's view as one standalone, offline HTML file to share."""
    from kg.server.standalone import write_standalone

    try:
        kg_settings = config.load({"store": store})
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    try:
        stats = write_standalone(Path(kg_settings.store), kg_settings.base, filters, Path(output), max_nodes)
    except StoreError as exc:
        _fail(str(exc))
    except ValueError as exc:
        _fail(str(exc), 2)
    except OSError as exc:
        _fail(f"{output}: {exc.strerror or exc}")
    for notice in stats["notices"]:
        click.echo(f"note: {notice}", err=True)
    click.echo(
        f"wrote {stats['file']}: {stats['nodes']} nodes, {stats['edges']} edges ({stats['view']} view), "
        f"{stats['bytes'] / 1e6:.1f} MB"
    )


__all__ = ["is_loopback", "run_serve", "serve", "viz"]
