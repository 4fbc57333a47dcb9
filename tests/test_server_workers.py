"""Worker processes: queries under a time limit that really stops them, updates alone, crashes survived."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import QueryError
from kg.server.engine import QueryFailed, QueryJob, QueryReply
from kg.server.workers import Gate, IndexJob, QueryTimeout, UpdateJob, WorkerPool

pytestmark = pytest.mark.slow
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


@pytest.fixture
def store(tmp_path: Path) -> Path:
    folder = tmp_path / "store"
    db = ox.Store(str(folder))
    g = ox.NamedNode("http://g/1")
    for i in range(60):
        db.add(ox.Quad(ox.NamedNode(f"http://s/{i}"), ox.NamedNode("http://p"), ox.Literal(str(i)), g))
    db.flush()
    del db
    return folder


def ask(sparql: str) -> QueryJob:
    return QueryJob(sparql, result_format="json", boolean_format="json")


def test_a_query_past_the_limit_is_killed_and_its_worker_replaced(store: Path) -> None:
    async def scenario() -> None:
        pool = WorkerPool(store, {"sparql": 1}, time_limit=1.0)
        await pool.start()
        try:
            started = time.monotonic()
            with pytest.raises(QueryTimeout, match="time limit of 1 s"):
                await pool.run("sparql", ask(RUNAWAY))
            assert time.monotonic() - started < 5 and pool.killed == 1
            reply = await pool.run("sparql", ask("ASK { ?s ?p ?o }"))
            assert isinstance(reply, QueryReply) and reply.boolean is True
        finally:
            await pool.close()

    asyncio.run(scenario())


def test_a_cancelled_request_stops_its_query(store: Path) -> None:
    async def scenario() -> None:
        pool = WorkerPool(store, {"sparql": 1}, time_limit=60)
        await pool.start()
        try:
            task = asyncio.create_task(pool.run("sparql", ask(RUNAWAY)))
            await asyncio.sleep(0.5)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert pool.killed == 1
            started = time.monotonic()
            assert (await pool.run("sparql", ask("ASK {}"))).boolean is True
            assert time.monotonic() - started < 5
        finally:
            await pool.close()

    asyncio.run(scenario())


def test_errors_come_back_as_the_right_kind(store: Path) -> None:
    async def scenario() -> None:
        pool = WorkerPool(store, {"pages": 1}, time_limit=10)
        await pool.start()
        try:
            with pytest.raises(QueryError, match="1:") as syntax:
                await pool.run("pages", ask("SELECT * WHERE {"))
            assert not isinstance(syntax.value, QueryFailed)
            with pytest.raises(QueryFailed, match="projection"):
                await pool.run("pages", QueryJob("SELECT ?s WHERE { ?s ?p ?o }", bindings=(("o", ox.Literal("1")),)))
            index = await pool.run("pages", IndexJob("https://w3id.org/fazhi-kg/"))
            assert index.graphs == frozenset({"http://g/1"}) and index.counts["quads"] == 60
        finally:
            await pool.close()

    asyncio.run(scenario())


def test_an_update_runs_alone_and_the_workers_see_it(store: Path) -> None:
    async def scenario() -> None:
        pool = WorkerPool(store, {"sparql": 2}, time_limit=10)
        await pool.start()
        try:
            count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
            before = (await pool.run("sparql", QueryJob(count, result_format="cells"))).table.rows[0][0][1]
            await asyncio.gather(
                pool.update(UpdateJob("INSERT DATA { GRAPH <http://g/2> { <http://a> <http://b> <test> } }", "http://h/sparql")),
                pool.run("sparql", ask("ASK { GRAPH ?g { ?s ?p ?o } }")),
            )
            after = (await pool.run("sparql", QueryJob(count, result_format="cells"))).table.rows[0][0][1]
            assert (int(before), int(after)) == (60, 61)
            relative = await pool.run("sparql", QueryJob("SELECT ?o WHERE { GRAPH <http://g/2> { ?s ?p ?o } }", result_format="cells"))
            assert relative.table.rows[0][0][1] == "http://h/test"
            with pytest.raises(QueryFailed, match="does not exist"):
                await pool.update(UpdateJob("CLEAR GRAPH <http://never/>"))
            with pytest.raises(QueryError):
                await pool.update(UpdateJob("CLEAR XYZ"))
            assert (await pool.run("sparql", ask("ASK {}"))).boolean is True
        finally:
            await pool.close()

    asyncio.run(scenario())


def test_the_gate_lets_readers_share_and_a_writer_wait_for_them() -> None:
    async def scenario() -> list[str]:
        gate, log = Gate(), []

        async def reader(name: str, hold: float) -> None:
            async with gate.reading():
                log.append(f"{name}+")
                await asyncio.sleep(hold)
                log.append(f"{name}-")

        async def writer() -> None:
            await asyncio.sleep(0.01)
            async with gate.writing():
                log.append("w")

        async def late_reader() -> None:
            await asyncio.sleep(0.02)
            await reader("late", 0)

        await asyncio.gather(reader("a", 0.05), reader("b", 0.05), writer(), late_reader())
        return log

    log = asyncio.run(scenario())
    assert log.index("w") > log.index("a-") and log.index("w") > log.index("b-")
    assert log.index("late+") > log.index("w")  # a reader arriving while the writer waits goes after it
