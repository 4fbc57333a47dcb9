"""The SPARQL 1.1 Protocol endpoint, ``/sparql``, as a router that any FastAPI app can mount.

- query: ``GET ?query=``, ``POST`` form-encoded (``query=``) or ``POST
  application/sparql-query`` (UTF-8 only); exactly one query per request.
- update: ``POST`` form-encoded (``update=``) or ``application/sparql-update``, only
  when the server has an update token and the request carries it as a Bearer header.
- dataset: ``default-graph-uri``/``named-graph-uri`` (queries) and
  ``using-graph-uri``/``using-named-graph-uri`` (updates), repeatable; they override
  the query's own FROM.  Without either, the default graph is the union of all graphs.
- other parameters (``format``, ``output``, ``results`` … that clients add) are ignored;
  the format comes from ``Accept`` (:mod:`kg.server.negotiation`).
- ``GET /sparql`` without a query is the service description (RDF), or, for a
  browser, a redirect to the query page.

Statuses: 400 for a malformed request, a syntax error (the parser's message) or a
refused query; 401/403 for updates without the token; 405 for other methods; 406
when no accepted format fits the result; 413 for a body over the limit; 415 for a
body that is not one of the three media types or not UTF-8; 503 past the time limit.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import parse_qs

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from kg.errors import QueryError
from kg.export import PREFIXES
from kg.server import negotiation as neg
from kg.server.engine import GRAPH_FORMATS, QueryJob, QueryReply
from kg.server.errors import APIError, query_error
from kg.server.safety import authorized, check_query, check_update
from kg.server.state import State, state_of
from kg.server.workers import IndexJob, UpdateJob

router = APIRouter()

FORM: Final = "application/x-www-form-urlencoded"
QUERY: Final = "application/sparql-query"
UPDATE: Final = "application/sparql-update"
_ALLOW: Final = {"Allow": "GET, POST"}
SD: Final = "http://www.w3.org/ns/sparql-service-description#"
FORMATS_NS: Final = "http://www.w3.org/ns/formats/"


class Operation:
    """What a request asks for, once its method and media type are read."""

    def __init__(self, params: dict[str, list[str]]) -> None:
        self.params = params

    def one(self, name: str) -> str | None:
        values = self.params.get(name, [])
        if len(values) > 1:
            raise APIError(400, "bad_request", f"exactly one {name} per request, not {len(values)}")
        return values[0] if values else None

    def many(self, name: str) -> list[str]:
        return self.params.get(name, [])


@router.get("/sparql", name="sparql")
async def sparql_get(request: Request) -> Response:
    op = Operation(_multi(request.query_params.multi_items()))
    if op.many("update"):
        raise APIError(400, "bad_request", "updates must be sent with POST, never GET")
    query = op.one("query")
    if query is None:
        if neg.prefers_html(request.headers.get("accept")):
            return RedirectResponse(request.url_for("query_page"), status_code=303)
        return service_description(request)
    return await answer_query(request, query, op)


@router.post("/sparql")
async def sparql_post(request: Request) -> Response:
    media, charset = _content_type(request.headers.get("content-type"))
    body = await request.body()
    url_params = _multi(request.query_params.multi_items())
    if media == FORM:
        text = _utf8(body, "form body")
        try:
            form = parse_qs(text, keep_blank_values=True, errors="strict")
        except UnicodeDecodeError as e:
            raise APIError(400, "bad_request", f"the form body percent-encodes bytes that are not UTF-8 ({e.reason})") from None
        op = Operation({k: url_params.get(k, []) + form.get(k, []) for k in {*url_params, *form}})
        query, update = op.one("query"), op.one("update")
        if query is not None and update is not None:
            raise APIError(400, "bad_request", "a request holds a query or an update, not both")
        if update is not None:
            return await answer_update(request, update, op)
        if query is None:
            raise APIError(400, "bad_request", "the form has no query= (or update=) parameter")
        return await answer_query(request, query, op)
    if media in (QUERY, UPDATE):
        if charset not in (None, "utf-8", "utf8"):
            raise APIError(415, "unsupported_media_type", f"{media} must be UTF-8, not charset={charset}")
        text = _utf8(body, media)
        op = Operation(url_params)
        if op.many("query") or op.many("update"):
            raise APIError(400, "bad_request", f"with {media} the body is the operation; no query= or update=")
        if media == UPDATE:
            return await answer_update(request, text, op)
        return await answer_query(request, text, op)
    shown = media or "no Content-Type"
    raise APIError(
        415,
        "unsupported_media_type",
        f"POST /sparql takes {FORM}, {QUERY} or {UPDATE}, not {shown}",
    )


@router.api_route("/sparql", methods=["PUT", "DELETE", "PATCH", "OPTIONS"], include_in_schema=False)
async def sparql_other(request: Request) -> Response:
    raise APIError(405, "method_not_allowed", f"{request.method} is not a SPARQL protocol method", _ALLOW)


# --- answering -------------------------------------------------------------------------------------


async def answer_query(request: Request, query: str, op: Operation) -> Response:
    st = state_of(request)
    accept = request.headers.get("accept")
    result_type = neg.choose(accept, neg.RESULT_OFFERS)
    boolean_type = neg.choose(accept, neg.BOOLEAN_OFFERS)
    graph_type = neg.choose(accept, neg.GRAPH_OFFERS)
    if result_type is None and graph_type is None:
        raise _not_acceptable(accept, "any result")
    defaults, named = op.many("default-graph-uri"), op.many("named-graph-uri")
    base = endpoint_iri(request)
    try:
        check_query(query, st.index.graphs, base_iri=base, default_graphs=defaults, named_graphs=named)
    except QueryError as e:
        raise query_error(e) from None
    dataset = bool(defaults or named)
    job = QueryJob(
        query,
        result_format=neg.RESULT_TYPES[result_type] if result_type else None,
        boolean_format=neg.BOOLEAN_TYPES[boolean_type] if boolean_type else None,
        graph_format=neg.GRAPH_TYPES[graph_type] if graph_type else None,
        base_iri=base,
        default_graphs=tuple(defaults) if dataset else None,
        named_graphs=tuple(named) if dataset else None,
        cap=st.settings.result_cap,
        max_chars=st.settings.result_bytes,
    )
    reply = await st.run("sparql", job)
    assert isinstance(reply, QueryReply)
    chosen = {"solutions": result_type, "boolean": boolean_type, "graph": graph_type}[reply.kind]
    if reply.format is None or chosen is None:
        raise _not_acceptable(accept, {"solutions": "solutions", "boolean": "a boolean", "graph": "triples"}[reply.kind])
    return Response(reply.body, media_type=_with_charset(chosen), headers=result_headers(reply, st))


async def answer_update(request: Request, update: str, op: Operation) -> Response:
    st = state_of(request)
    if not st.settings.updates_enabled:
        raise APIError(403, "read_only", "this endpoint is read-only; start `kg serve` with --update-token to allow updates")
    if not authorized(request.headers.get("authorization"), st.settings.update_token):
        raise APIError(
            401,
            "unauthorized",
            "updates need the header 'Authorization: Bearer <token>' with the server's update token",
            {"WWW-Authenticate": 'Bearer realm="fazhi-kg"'},
        )
    try:
        text = check_update(update, op.many("using-graph-uri"), op.many("using-named-graph-uri"))
    except QueryError as e:
        raise query_error(e) from None
    try:
        await st.pool.update(UpdateJob(text, endpoint_iri(request)))
    finally:
        st.index = await st.pool.run("pages", IndexJob(st.settings.kg.base), st.index_time_limit)
    return Response(b'{"ok":true,"message":"update applied"}', media_type="application/json")


def result_headers(reply: QueryReply, st: State) -> dict[str, str]:
    headers = {"Vary": "Accept", "X-Result-Rows": str(reply.rows)}
    if reply.truncated:
        headers["X-Result-Truncated"] = f"true; limit={st.settings.result_cap}"
    return headers


def endpoint_iri(request: Request) -> str:
    """The endpoint's own URL: the base IRI of relative IRIs in queries and updates."""
    return str(request.url_for("sparql"))


def service_description(request: Request) -> Response:
    """The SPARQL 1.1 Service Description of this endpoint, in the format the client accepts."""
    st = state_of(request)
    accept = request.headers.get("accept")
    graph_type = neg.choose(accept, neg.GRAPH_OFFERS)
    if graph_type is None:
        raise _not_acceptable(accept, "the service description")
    me = ox.NamedNode(endpoint_iri(request))
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    triples = [
        ox.Triple(me, rdf_type, ox.NamedNode(SD + "Service")),
        ox.Triple(me, ox.NamedNode(SD + "endpoint"), me),
        ox.Triple(me, ox.NamedNode(SD + "supportedLanguage"), ox.NamedNode(SD + "SPARQL11Query")),
        ox.Triple(me, ox.NamedNode(SD + "feature"), ox.NamedNode(SD + "UnionDefaultGraph")),
    ]
    if st.settings.updates_enabled:
        triples.append(ox.Triple(me, ox.NamedNode(SD + "supportedLanguage"), ox.NamedNode(SD + "SPARQL11Update")))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV"):
        triples.append(ox.Triple(me, ox.NamedNode(SD + "resultFormat"), ox.NamedNode(FORMATS_NS + name)))
    for name in ("Turtle", "N-Triples", "RDF_XML", "JSON-LD"):
        triples.append(ox.Triple(me, ox.NamedNode(SD + "resultFormat"), ox.NamedNode(FORMATS_NS + name)))
    fmt = neg.GRAPH_TYPES[graph_type]
    body = ox.serialize(triples, format=GRAPH_FORMATS[fmt], prefixes={"sd": SD} | dict(PREFIXES))
    return Response(body or b"", media_type=_with_charset(graph_type), headers={"Vary": "Accept"})


# --- reading requests ------------------------------------------------------------------------------


def _multi(items: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in items:
        out.setdefault(key, []).append(value)
    return out


def _content_type(header: str | None) -> tuple[str | None, str | None]:
    if not header:
        return None, None
    parts = [p.strip() for p in header.split(";")]
    charset = None
    for p in parts[1:]:
        name, _, value = p.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return parts[0].lower(), charset


def _utf8(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise APIError(415, "unsupported_media_type", f"the {what} is not valid UTF-8 ({e.reason} at byte {e.start})") from None


def _with_charset(media_type: str) -> str:
    if media_type.startswith("text/") and "charset" not in media_type:
        return media_type + "; charset=utf-8"
    return media_type


def _not_acceptable(accept: str | None, what: str) -> APIError:
    offers = sorted({*neg.RESULT_OFFERS, *neg.GRAPH_OFFERS})
    return APIError(
        406,
        "not_acceptable",
        f"Accept: {accept or '(none)'} allows no format for {what}; available: {', '.join(offers)}",
    )


__all__ = ["router", "service_description"]
