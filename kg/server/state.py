"""What the app holds while it runs: settings, worker pool, store index, saved queries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request

from kg.server.engine import QueryJob, QueryReply, Table, Term
from kg.server.index import StoreIndex
from kg.server.saved import SavedQuery
from kg.server.settings import ServerSettings
from kg.server.workers import WorkerPool


@dataclass
class State:
    settings: ServerSettings
    pool: WorkerPool
    index: StoreIndex
    saved: Mapping[str, SavedQuery] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return self.settings.kg.base

    @property
    def index_time_limit(self) -> float:
        """Building the index reads every adoption; at national size it takes longer than a query."""
        return max(self.settings.time_limit * 10, 300.0)

    async def run(self, lane: str, job: Any, time_limit: float | None = None) -> Any:
        return await self.pool.run(lane, job, time_limit)

    async def select(
        self, sparql: str, bindings: Mapping[str, Term] | Sequence[tuple[str, Term]] = (), *, cap: int | None = None
    ) -> Table:
        """Rows of one of the pages' own queries, with bound values (never pasted into the text)."""
        items = tuple(bindings.items()) if isinstance(bindings, Mapping) else tuple(bindings)
        job = QueryJob(sparql, result_format="cells", bindings=items, cap=cap or self.settings.result_cap)
        reply = await self.pool.run("pages", job)
        assert isinstance(reply, QueryReply) and reply.table is not None
        return reply.table


def state_of(request: Request) -> State:
    st = request.app.state.kg
    assert isinstance(st, State)
    return st


__all__ = ["State", "state_of"]
