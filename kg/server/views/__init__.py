"""The pages, one module per page type; :func:`routers` gives their routers to the app."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> list[APIRouter]:
    from kg.server.views import (
        agency,
        concept,
        document,
        explorer,
        home,
        jurisdiction,
        mapview,
        query,
        report,
        resource,
        search,
        timeline,
    )

    modules = (home, query, explorer, concept, jurisdiction, agency, document, report, resource, search, timeline, mapview)
    return [m.router for m in modules]


__all__ = ["routers"]
