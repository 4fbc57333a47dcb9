"""One error shape for the whole HTTP API, and the handlers that produce it.

Every error the API answers is JSON of this shape (fixed by ``tests/test_server_errors.py``)::

    {"ok": false, "status": 400, "error": "query_syntax", "message": "error at 1:7: expected …"}

``error`` is a short stable code (see :data:`CODES`), ``message`` a sentence for
people.  Pages (HTML) get the same information as an HTML page.  A bug of ours is a
500 with code ``internal`` and no traceback; it is never turned into a 400.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, Final

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from kg.errors import QueryError
from kg.server.negotiation import prefers_html
from kg.server.workers import QueryTimeout, WorkerFailed

log = logging.getLogger("kg.server")

#: code -> what it means; the status each is sent with is fixed where it is raised
CODES: Final = {
    "bad_request": "the request is malformed (missing or repeated parameter, bad encoding …)",
    "query_syntax": "the SPARQL text does not parse; the message is the parser's",
    "query_failed": "the SPARQL parses but cannot be carried out (a graph to clear that does not exist …)",
    "refused": "the query asks for something this endpoint never does (SERVICE, LOAD, a remote FROM …)",
    "unauthorized": "an update without the right Bearer token",
    "read_only": "an update sent to a server started without an update token",
    "not_found": "no such page, query or entity",
    "method_not_allowed": "the method is not one the resource takes",
    "not_acceptable": "no format the client accepts fits the result",
    "unsupported_media_type": "the request body's media type or charset is not one the endpoint reads",
    "payload_too_large": "the request body is larger than the server's limit",
    "timeout": "the query ran past the time limit and was stopped",
    "internal": "a bug in the server",
}
_HTTP_CODES: Final = {
    400: "bad_request",
    401: "unauthorized",
    403: "read_only",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "bad_request",
    503: "timeout",
}


class APIError(Exception):
    """An error answered with :func:`error_body`."""

    def __init__(self, status: int, code: str, message: str, headers: Mapping[str, str] | None = None) -> None:
        assert code in CODES, code
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})


def error_body(status: int, code: str, message: str) -> dict[str, Any]:
    return {"ok": False, "status": status, "error": code, "message": message}


def query_error(e: QueryError) -> APIError:
    """A query's own fault: 400, ``refused``, ``query_failed`` or ``query_syntax``."""
    from kg.server.engine import QueryFailed

    code = "refused" if e.refused else "query_failed" if isinstance(e, QueryFailed) else "query_syntax"
    return APIError(400, code, str(e))


def wants_html(request: Request) -> bool:
    path = request.url.path
    if path.startswith(("/sparql", "/api/")) or path.endswith((".json", ".csv", ".tsv", ".xml")):
        return False
    return prefers_html(request.headers.get("accept"))


def respond(request: Request, error: APIError) -> Response:
    if wants_html(request):
        from kg.server.templating import render

        return render(
            request,
            "error.html",
            {"status": error.status, "code": error.code, "message": error.message},
            status_code=error.status,
            headers=error.headers,
        )
    return JSONResponse(error_body(error.status, error.code, error.message), error.status, headers=error.headers)


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, APIError)
    return respond(request, exc)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "bad_request" if exc.status_code < 500 else "internal")
    message = str(exc.detail) if exc.detail else code.replace("_", " ")
    if exc.status_code == 404:
        message = f"nothing at {request.url.path}"
    return respond(request, APIError(exc.status_code, code, message, exc.headers))


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    parts = [f"{'.'.join(str(x) for x in e.get('loc', ()))}: {e.get('msg', '')}" for e in exc.errors()]
    return respond(request, APIError(400, "bad_request", "; ".join(parts) or "invalid request"))


async def _query_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, QueryError)
    return respond(request, query_error(exc))


async def _timeout(request: Request, exc: Exception) -> Response:
    return respond(request, APIError(503, "timeout", str(exc)))


async def _internal(request: Request, exc: Exception) -> Response:
    log.error("internal error on %s %s: %s", request.method, request.url.path, exc, exc_info=exc)
    body = error_body(500, "internal", "internal server error; the server log has the details")
    if wants_html(request):
        return HTMLResponse("<h1>500 internal server error</h1>", 500)
    return JSONResponse(body, 500)


def install(app: FastAPI) -> None:
    """Register the handlers that give every error its one shape."""
    app.add_exception_handler(APIError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(QueryError, _query_error)
    app.add_exception_handler(QueryTimeout, _timeout)
    app.add_exception_handler(WorkerFailed, _internal)
    app.add_exception_handler(Exception, _internal)


__all__ = ["CODES", "APIError", "error_body", "install", "query_error", "respond", "wants_html"]
