"""The web app: ``create_app(settings)`` puts the SPARQL router, the pages and the assets together.

On start it launches the worker processes (:mod:`kg.server.workers`), reads the
store index (:mod:`kg.server.index`) and the saved queries; on stop it ends the
workers.  Everything the pages load is served here (our CSS and JS, and the
vis-network that pyvis ships), so no request leaves the machine.  No CORS unless
origins are configured; every request body is limited in size.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Final

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kg import __version__
from kg.errors import StoreError
from kg.server import errors
from kg.server.saved import load_saved
from kg.server.settings import ServerSettings
from kg.server.state import State
from kg.server.templating import STATIC
from kg.server.workers import IndexJob, WorkerPool

#: vis-network as pyvis ships it
VIS_DIR: Final = Path(str(importlib.util.find_spec("pyvis").origin)).parent / "lib" / "vis-9.1.2"  # type: ignore[union-attr]
#: pages may load only what this server serves
CSP: Final = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'"
)


def create_app(settings: ServerSettings) -> FastAPI:
    """The app serving the store ``settings.kg.store``; workers start with the app's lifespan."""
    store = Path(settings.kg.store)
    if not (store / "CURRENT").is_file():
        raise StoreError(f"{store}: no store here; run `kg build` first or give --store")

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        pool = WorkerPool(store, {"sparql": settings.query_workers, "pages": settings.page_workers}, settings.time_limit)
        await pool.start()
        try:
            index = await pool.run("pages", IndexJob(settings.kg.base), max(settings.time_limit * 10, 300.0))
            app.state.kg = State(settings, pool, index, load_saved(Path(settings.kg.queries)))
            yield
        finally:
            await pool.close()

    app = FastAPI(
        title="fazhi-kg",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,  # the interactive docs load their assets from a CDN
        redoc_url=None,
        openapi_url=None,
    )
    errors.install(app)
    from kg.server import sparql
    from kg.server.views import routers

    app.include_router(sparql.router)
    for router in routers():
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_api_route("/vendor/vis-network.min.js", _vis_js, include_in_schema=False)
    app.add_api_route("/vendor/vis-network.css", _vis_css, include_in_schema=False)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "Accept", "Authorization"],
        )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, max_body=settings.max_body)
    return app


async def _vis_js() -> FileResponse:
    return FileResponse(VIS_DIR / "vis-network.min.js", media_type="text/javascript", headers=_CACHE)


async def _vis_css() -> FileResponse:
    return FileResponse(VIS_DIR / "vis-network.css", media_type="text/css", headers=_CACHE)


_CACHE: Final = {"Cache-Control": "public, max-age=86400"}


class BodyLimit:
    """Refuse request bodies over ``max_body`` bytes with 413, whether announced or streamed."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body:
            await self._too_large(send)
            return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._too_large(send)

    async def _too_large(self, send: Send) -> None:
        body = json.dumps(
            errors.error_body(413, "payload_too_large", f"the request body is larger than {self.max_body} bytes")
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


class SecurityHeaders:
    """Content-Security-Policy on pages (only this server's scripts and connections), nosniff on all."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-content-type-options", b"nosniff"))
                headers.append((b"referrer-policy", b"same-origin"))
                if any(k.lower() == b"content-type" and v.startswith(b"text/html") for k, v in headers):
                    headers.append((b"content-security-policy", CSP.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


__all__ = ["CSP", "VIS_DIR", "BodyLimit", "SecurityHeaders", "create_app"]
