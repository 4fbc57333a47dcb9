"""The server's settings: defaults in one place, read from the environment, validated on load.

They sit on top of :class:`kg.config.Settings` (store, base, saved-query folder) and
add what only ``kg serve`` needs.  Each has a name, a default, an environment variable
and a help text (:data:`SERVER_SETTINGS`); a bad value raises
:class:`~kg.errors.ConfigError` naming the key and the value.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kg import config
from kg.errors import ConfigError


@dataclass(frozen=True, slots=True)
class ServerSetting:
    name: str
    default: Any
    env: str
    help: str


SERVER_SETTINGS: tuple[ServerSetting, ...] = (
    ServerSetting("host", "127.0.0.1", "FAZHI_KG_HOST", "interface to listen on; loopback unless you mean to share"),
    ServerSetting("port", 8000, "FAZHI_KG_PORT", "TCP port"),
    ServerSetting(
        "update_token",
        "",
        "FAZHI_KG_UPDATE_TOKEN",
        "enables SPARQL updates for requests carrying 'Authorization: Bearer <token>'; empty = read-only",
    ),
    ServerSetting("time_limit", 30.0, "FAZHI_KG_TIME_LIMIT", "seconds a query may run before its worker is killed"),
    ServerSetting("result_cap", 10_000, "FAZHI_KG_RESULT_CAP", "rows (or triples) a result holds at most"),
    ServerSetting(
        "result_bytes", 64 * 1024 * 1024, "FAZHI_KG_RESULT_BYTES", "characters of values a result holds at most"
    ),
    ServerSetting("max_body", 1024 * 1024, "FAZHI_KG_MAX_BODY", "largest request body accepted, in bytes"),
    ServerSetting(
        "cors_origins", "", "FAZHI_KG_CORS_ORIGINS", "comma-separated origins allowed by CORS; empty = no CORS"
    ),
    ServerSetting("query_workers", 2, "FAZHI_KG_QUERY_WORKERS", "worker processes for /sparql and saved queries"),
    ServerSetting("page_workers", 1, "FAZHI_KG_PAGE_WORKERS", "worker processes for the pages' own queries"),
    ServerSetting(
        "explorer_max_nodes",
        600,
        "FAZHI_KG_EXPLORER_MAX_NODES",
        "above this many nodes the explorer opens on provinces instead of jurisdictions",
    ),
)
_BY_NAME = {s.name: s for s in SERVER_SETTINGS}
_INTS = ("port", "result_cap", "result_bytes", "max_body", "query_workers", "page_workers", "explorer_max_nodes")


@dataclass(frozen=True, slots=True)
class ServerSettings:
    kg: config.Settings = field(default_factory=config.Settings)
    host: str = "127.0.0.1"
    port: int = 8000
    update_token: str = ""
    time_limit: float = 30.0
    result_cap: int = 10_000
    result_bytes: int = 64 * 1024 * 1024
    max_body: int = 1024 * 1024
    cors_origins: tuple[str, ...] = ()
    query_workers: int = 2
    page_workers: int = 1
    explorer_max_nodes: int = 600

    def __post_init__(self) -> None:
        if not 0 < self.port < 65536:
            raise ConfigError(f"Setting 'port' has value {self.port!r}. It must be between 1 and 65535.")
        if self.time_limit <= 0:
            raise ConfigError(f"Setting 'time_limit' has value {self.time_limit!r}. It must be more than 0.")
        for name in ("result_cap", "result_bytes", "max_body", "query_workers", "page_workers", "explorer_max_nodes"):
            if getattr(self, name) < 1:
                raise ConfigError(f"Setting {name!r} has value {getattr(self, name)!r}. It must be 1 or more.")
        if self.update_token and len(self.update_token) < 16:
            raise ConfigError("Setting 'update_token' is too short. Use at least 16 characters.")

    @property
    def updates_enabled(self) -> bool:
        return bool(self.update_token)


def load(
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    kg_settings: config.Settings | None = None,
) -> ServerSettings:
    """Server settings from defaults, then the environment, then ``overrides`` (CLI options).

    >>> load({"port": "8123"}, environ={}).port
    8123
    """
    env = os.environ if environ is None else environ
    unknown = set(overrides or {}) - set(_BY_NAME)
    if unknown:
        raise ConfigError(
            f"Unknown server setting(s) {', '.join(sorted(unknown))}. Allowed: {', '.join(sorted(_BY_NAME))}."
        )
    values: dict[str, Any] = {}
    for s in SERVER_SETTINGS:
        raw: Any = s.default
        if env.get(s.env):
            raw = env[s.env]
        if overrides and overrides.get(s.name) is not None:
            raw = overrides[s.name]
        values[s.name] = raw
    for name in _INTS:
        values[name] = _cast(name, values[name], int)
    values["time_limit"] = _cast("time_limit", values["time_limit"], float)
    origins = values["cors_origins"]
    if isinstance(origins, str):
        origins = tuple(o.strip() for o in origins.split(",") if o.strip())
    values["cors_origins"] = tuple(origins)
    values["update_token"] = str(values["update_token"] or "")
    values["host"] = str(values["host"])
    return ServerSettings(kg=kg_settings or config.load(environ=dict(env)), **values)


def _cast(name: str, value: Any, kind: type[int] | type[float]) -> Any:
    try:
        return kind(value)
    except (TypeError, ValueError):
        raise ConfigError(f"Setting {name!r} has value {value!r}. Not a valid {kind.__name__}.") from None


__all__ = ["SERVER_SETTINGS", "ServerSetting", "ServerSettings", "load"]
