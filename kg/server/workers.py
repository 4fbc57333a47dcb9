"""Worker processes that run queries and can be killed: the server's time limit.

pyoxigraph has no query timeout, and a thread cannot be stopped, so every query runs
in a worker process holding its own read-only handle on the store
(``pyoxigraph.Store.read_only``, which takes no lock).  The server's process only
waits: when a query passes its time limit, or its client goes away, the worker is
killed (SIGKILL) and a fresh one started in its place.

Workers are grouped in *lanes* (``sparql`` for the endpoint and saved queries,
``pages`` for the pages' own queries), so that users' runaway queries filling the
``sparql`` lane never hold up the pages.  A lane's idle workers wait in a queue;
a request waits for one in turn.

Updates (only with an update token) run in a one-off writer process, also under the
time limit: pyoxigraph's transactions are atomic, so killing it loses the update and
nothing else.  While it runs, queries wait (:class:`Gate`), and every worker lets go of
its handle first, since reading while another process writes is undefined; after
it, the workers open the store again and see the change.

A worker is a fresh ``python -m kg.server.workers`` talking over two pipes, so it
imports only pyoxigraph and this package (never the program that started the
server) and is ready in a fraction of a second.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import subprocess
import sys
import traceback
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from kg.errors import KGError, QueryError


class _Child:
    """A ``python -m kg.server.workers`` process and the two pipe ends the server keeps."""

    def __init__(self, *args: str) -> None:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "kg.server.workers", str(to_child_r), str(from_child_w), *args],
                pass_fds=(to_child_r, from_child_w),
                stdin=subprocess.DEVNULL,
            )
        finally:
            os.close(to_child_r)
            os.close(from_child_w)
        self.send_end = Connection(to_child_w, readable=False)
        self.recv_end = Connection(from_child_r, writable=False)

    def send(self, obj: Any) -> None:
        self.send_end.send(obj)

    def recv(self) -> Any:
        return self.recv_end.recv()

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.alive():
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)
        for end in (self.send_end, self.recv_end):
            with contextlib.suppress(OSError):
                end.close()


class QueryTimeout(KGError):
    """A query ran past its time limit; its worker was stopped."""


class WorkerFailed(KGError):
    """A worker died or failed in a way that is our bug, not the query's."""


@dataclass(frozen=True, slots=True)
class UpdateJob:
    sparql: str
    base_iri: str | None = None


@dataclass(frozen=True, slots=True)
class IndexJob:
    base: str


@dataclass(frozen=True, slots=True)
class _Failure:
    kind: str  #: query (does not parse), failed (cannot be carried out) or internal (our bug)
    message: str
    refused: bool = False


# --- inside a worker ---------------------------------------------------------------------------


def _worker_main(inbox: Connection, conn: Connection, path: str) -> None:  # pragma: no cover - child
    import pyoxigraph as ox

    from kg.server import engine, index

    db: ox.Store | None = ox.Store.read_only(path)
    while True:
        try:
            job = inbox.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            if job == "close":
                db = None
                gc.collect()
                conn.send("closed")
                continue
            if job == "open":
                db = ox.Store.read_only(path)
                conn.send("opened")
                continue
            assert db is not None, "the store handle is closed"
            if isinstance(job, engine.QueryJob):
                conn.send(engine.run_query(db, job))
            elif isinstance(job, IndexJob):
                conn.send(index.build_index(db, job.base))
            else:
                conn.send(_Failure("internal", f"unknown job {type(job).__name__}"))
        except engine.QueryFailed as e:
            conn.send(_Failure("failed", str(e)))
        except QueryError as e:
            conn.send(_Failure("query", str(e), e.refused))
        except Exception as e:  # noqa: BLE001 - reported to the server, which answers 500
            conn.send(_Failure("internal", "".join(traceback.format_exception_only(e)).strip()))


def _writer_main(inbox: Connection, conn: Connection, path: str) -> None:  # pragma: no cover - child
    import pyoxigraph as ox

    try:
        job = inbox.recv()
        db = ox.Store(path)
        db.update(job.sparql, base_iri=job.base_iri)
        db.flush()
        del db
        conn.send("done")
    except SyntaxError as e:
        conn.send(_Failure("query", str(e)))
    except (RuntimeError, ValueError) as e:
        conn.send(_Failure("failed", str(e)))
    except OSError as e:
        conn.send(_Failure("internal", f"cannot write the store: {e}"))


def main(argv: list[str]) -> None:  # pragma: no cover - the child's entry point
    """``python -m kg.server.workers READ_FD WRITE_FD worker|writer STORE``."""
    inbox = Connection(int(argv[0]), writable=False)
    outbox = Connection(int(argv[1]), readable=False)
    if argv[2] == "writer":
        _writer_main(inbox, outbox, argv[3])
    else:
        _worker_main(inbox, outbox, argv[3])


# --- in the server ---------------------------------------------------------------------------------


class _Worker(_Child):
    def __init__(self, path: Path, lane: str) -> None:
        super().__init__("worker", str(path))
        self.lane = lane


class Gate:
    """Many queries at once, or one update alone: a readers-writer lock for asyncio."""

    def __init__(self) -> None:
        self._readers = 0
        self._writing = False
        self._cond = asyncio.Condition()

    @contextlib.asynccontextmanager
    async def reading(self) -> AsyncIterator[None]:
        async with self._cond:
            await self._cond.wait_for(lambda: not self._writing)
            self._readers += 1
        try:
            yield
        finally:
            async with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextlib.asynccontextmanager
    async def writing(self) -> AsyncIterator[None]:
        async with self._cond:
            await self._cond.wait_for(lambda: not self._writing)
            self._writing = True
            await self._cond.wait_for(lambda: self._readers == 0)
        try:
            yield
        finally:
            async with self._cond:
                self._writing = False
                self._cond.notify_all()


class WorkerPool:
    """Lanes of worker processes on the store at ``path``; :meth:`run` sends a job to one."""

    def __init__(self, path: str | Path, lanes: Mapping[str, int], time_limit: float) -> None:
        self.path = Path(path)
        self.sizes = dict(lanes)
        self.time_limit = time_limit
        self.gate = Gate()
        self._idle: dict[str, asyncio.Queue[_Worker]] = {}
        self._all: set[_Worker] = set()
        self.killed = 0  #: workers stopped for running too long or being abandoned

    async def start(self) -> None:
        for lane, size in self.sizes.items():
            self._idle[lane] = asyncio.Queue()
            for _ in range(size):
                await self._add(lane)

    async def close(self) -> None:
        for worker in list(self._all):
            with contextlib.suppress(OSError):
                worker.send(None)
        for worker in list(self._all):
            with contextlib.suppress(subprocess.TimeoutExpired):
                await asyncio.to_thread(worker.process.wait, 2)
            worker.kill()
        self._all.clear()

    async def run(self, lane: str, job: Any, time_limit: float | None = None) -> Any:
        """The reply of one worker of ``lane`` to ``job``.

        Raises :class:`~kg.errors.QueryError` for the query's own faults,
        :class:`QueryTimeout` past the time limit and :class:`WorkerFailed` for ours.
        """
        limit = self.time_limit if time_limit is None else time_limit
        async with self.gate.reading():
            worker = await self._idle[lane].get()
            try:
                reply = await asyncio.wait_for(_exchange(worker, job), limit)
            except TimeoutError:
                await self._replace(worker)
                raise QueryTimeout(
                    f"the query ran longer than the time limit of {limit:g} s and was stopped"
                ) from None
            except asyncio.CancelledError:  # the client went away: stop its query too
                await self._replace(worker)
                raise
            except (EOFError, OSError) as e:
                await self._replace(worker, killed=False)
                raise WorkerFailed(f"a query worker died ({e or 'no reply'})") from None
            self._idle[lane].put_nowait(worker)
        return _unwrap(reply)

    async def update(self, job: UpdateJob, time_limit: float | None = None) -> None:
        """Run an update alone: queries wait, workers close the store, a writer writes, workers reopen."""
        limit = self.time_limit if time_limit is None else time_limit
        async with self.gate.writing():
            workers = [w for lane in self._idle.values() for w in _drain(lane)]
            try:
                await asyncio.gather(*(_exchange(w, "close") for w in workers))
                writer = await asyncio.to_thread(_Child, "writer", str(self.path))
                try:
                    reply = await asyncio.wait_for(_exchange(writer, job), limit)
                except TimeoutError:
                    raise QueryTimeout(
                        f"the update ran longer than the time limit of {limit:g} s and was stopped; nothing was written"
                    ) from None
                except (EOFError, OSError) as e:
                    raise WorkerFailed(f"the update's writer died ({e or 'no reply'})") from None
                finally:
                    await asyncio.to_thread(writer.kill)
                _unwrap(reply)
            finally:
                for w in workers:
                    try:
                        await _exchange(w, "open")
                        self._idle[w.lane].put_nowait(w)
                    except (EOFError, OSError):
                        await self._replace(w, killed=False)

    async def _add(self, lane: str) -> None:
        worker = await asyncio.to_thread(_Worker, self.path, lane)
        self._all.add(worker)
        self._idle[lane].put_nowait(worker)

    async def _replace(self, worker: _Worker, killed: bool = True) -> None:
        self._all.discard(worker)
        if killed:
            self.killed += 1
        await asyncio.to_thread(worker.kill)
        await self._add(worker.lane)


def _drain(queue: asyncio.Queue[_Worker]) -> list[_Worker]:
    out = []
    while not queue.empty():
        out.append(queue.get_nowait())
    return out


async def _exchange(child: _Child, job: Any) -> Any:
    child.send(job)
    return await asyncio.to_thread(child.recv)


def _unwrap(reply: Any) -> Any:
    if isinstance(reply, _Failure):
        if reply.kind == "query":
            raise QueryError(reply.message, refused=reply.refused)
        if reply.kind == "failed":
            from kg.server.engine import QueryFailed

            raise QueryFailed(reply.message)
        raise WorkerFailed(reply.message)
    return reply


__all__ = ["Gate", "IndexJob", "QueryTimeout", "UpdateJob", "WorkerFailed", "WorkerPool"]


if __name__ == "__main__":  # pragma: no cover - run as a module, use the importable module's classes
    from kg.server.workers import main as _main

    _main(sys.argv[1:])
