"""Page templates (files in ``viz/templates``) rendered with Jinja2, autoescaped.

The same environment renders the server's pages and the standalone explorer file
of ``kg viz``, so both look alike.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from kg.config import ROOT

VIZ: Final = ROOT / "viz"
TEMPLATES: Final = VIZ / "templates"
STATIC: Final = VIZ / "static"
#: first path segment of an IRI under the base -> that it has a page of its own
PAGE_KINDS: Final = frozenset({"mechanism", "program", "honor", "jurisdiction", "agency", "organ", "document", "report"})


def page_url(iri: str, base: str) -> str:
    """The local page of an IRI: its path under the base when it has a page type, else /resource.

    >>> page_url("https://w3id.org/fazhi-kg/jurisdiction/120117", "https://w3id.org/fazhi-kg/")
    '/jurisdiction/120117'
    >>> page_url("https://w3id.org/fazhi-kg/report/ab/mention/3-9-agency", "https://w3id.org/fazhi-kg/")
    '/report/ab#mention-3-9-agency'
    >>> page_url("http://www.w3.org/ns/org#Organization", "https://w3id.org/fazhi-kg/")
    '/resource?iri=http%3A%2F%2Fwww.w3.org%2Fns%2Forg%23Organization'
    """
    if iri.startswith(base):
        rest = iri[len(base) :]
        kind, _, tail = rest.partition("/")
        if kind in PAGE_KINDS and tail:
            if kind == "report" and tail.count("/") >= 2:
                rid, inner, part = tail.split("/", 2)
                return f"/report/{rid}#{inner}-{part}"
            return "/" + rest
    return "/resource?iri=" + quote(iri, safe="")


@lru_cache(maxsize=4)
def environment(folder: Path = TEMPLATES) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["n"] = lambda v: f"{v:,}" if isinstance(v, int) else v
    env.filters["local"] = lambda iri: str(iri).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return env


def script_json(value: Any) -> str:
    r"""JSON to put inside ``<script type="application/json">``: every ``<`` escaped, so no
    ``</script>`` or ``<!--`` in a value can end the element (still valid JSON).

    >>> script_json({"q": "</script>"})
    '{"q": "\\u003c/script>"}'
    """
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")


def render_string(name: str, context: Mapping[str, Any]) -> str:
    return environment().get_template(name).render(**context)


def render(
    request: Request,
    name: str,
    context: Mapping[str, Any],
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """A page: the template with the request, the store's counts and the page-link helper."""
    st = getattr(request.app.state, "kg", None)
    base = st.base if st is not None else ""
    full = {
        "request": request,
        "title": "",
        "base": base,
        "page": lambda iri: page_url(iri, base),
        "counts": st.index.counts if st is not None else {},
        **context,
    }
    return HTMLResponse(render_string(name, full), status_code=status_code, headers=dict(headers or {}))


__all__ = ["PAGE_KINDS", "STATIC", "TEMPLATES", "VIZ", "environment", "page_url", "render", "render_string", "script_json"]
