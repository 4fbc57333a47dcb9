"""Fixtures of the server tests: one live uvicorn server on the example store per test session.

Imported by tests/conftest.py.  The server runs in a thread of the test process,
with its own worker processes, on a free loopback port; a short time limit lets the
tests see a runaway query stopped.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

LIVE_TIME_LIMIT = 8.0  # short enough to test the limit, long enough for pages on a busy 2-core machine
LIVE_RESULT_CAP = 2000


@dataclass(frozen=True)
class Live:
    url: str  #: http://127.0.0.1:PORT
    store: Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerThread:
    """A uvicorn server for ``app`` in a background thread."""

    def __init__(self, app: object, port: int) -> None:
        import uvicorn

        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True, name="kg-test-server")

    def __enter__(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(30)


def server_settings(store: Path, **overrides: object) -> object:
    from kg import config
    from kg.server import settings

    kg_settings = config.load({"store": str(store)}, environ={})
    return settings.load({k: v for k, v in overrides.items()}, environ={}, kg_settings=kg_settings)


@pytest.fixture(scope="session")
def live_server(built_store: tuple[object, object]) -> Iterator[Live]:
    """The example store served read-only at a free port, time limit LIVE_TIME_LIMIT, result cap 2000."""
    from kg.server.app import create_app

    kg_settings = built_store[0]
    store = Path(kg_settings.store)  # type: ignore[attr-defined]
    port = free_port()
    app = create_app(server_settings(store, time_limit=LIVE_TIME_LIMIT, result_cap=LIVE_RESULT_CAP, port=port))  # type: ignore[arg-type]
    with ServerThread(app, port):
        yield Live(f"http://127.0.0.1:{port}", store)
