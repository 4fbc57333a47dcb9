"""Server settings and the ``kg serve`` command (argument handling only; the app is tested live)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import ConfigError, StoreError
from kg.server import cli as server_cli
from kg.server.settings import ServerSettings, load


def test_defaults_are_safe() -> None:
    s = load(environ={})
    assert s.host == "127.0.0.1" and s.port == 8000 and s.time_limit == 30.0
    assert not s.updates_enabled and s.cors_origins == () and s.result_cap == 10_000 and s.max_body == 1024 * 1024


def test_environment_then_overrides() -> None:
    env = {"FAZHI_KG_PORT": "9000", "FAZHI_KG_CORS_ORIGINS": "http://a.example, http://b.example", "FAZHI_KG_TIME_LIMIT": "2.5"}
    s = load({"port": "9100"}, environ=env)
    assert s.port == 9100 and s.time_limit == 2.5
    assert s.cors_origins == ("http://a.example", "http://b.example")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"port": "http"}, "Setting 'port' has value 'http'. Not a valid int."),
        ({"port": 0}, "Setting 'port' has value 0"),
        ({"time_limit": "-1"}, "Setting 'time_limit' has value -1.0"),
        ({"result_cap": 0}, "Setting 'result_cap' has value 0"),
        ({"update_token": "short"}, "Setting 'update_token' is too short"),
        ({"colour": "red"}, "Unknown server setting(s) colour. Allowed:"),
    ],
)
def test_bad_values_name_the_key_and_value(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as e:
        load(overrides, environ={})
    assert message in str(e.value)


def test_serve_builds_settings_from_options(monkeypatch: pytest.MonkeyPatch, built_store: tuple[Any, Any]) -> None:
    seen: list[ServerSettings] = []
    monkeypatch.setattr(server_cli, "run_serve", lambda settings, log_level: seen.append(settings))
    store = str(built_store[0].store)
    result = CliRunner().invoke(
        main,
        ["serve", "--store", store, "--port", "8123", "--update-token", "a-long-enough-token-123", "--time-limit", "5",
         "--cors-origin", "http://lab.example", "--workers", "3"],
        env={"FAZHI_KG_UPDATE_TOKEN": ""},
    )
    assert result.exit_code == 0, result.output
    (s,) = seen
    assert s.port == 8123 and s.time_limit == 5 and s.query_workers == 3 and s.updates_enabled
    assert s.cors_origins == ("http://lab.example",) and str(s.kg.store) == store
    assert "updates with the token" in result.output


def test_serve_warns_off_loopback_and_refuses_a_missing_store(monkeypatch: pytest.MonkeyPatch, built_store: tuple[Any, Any], tmp_path: Path) -> None:
    monkeypatch.setattr(server_cli, "run_serve", lambda settings, log_level: None)
    wide = CliRunner().invoke(main, ["serve", "--store", str(built_store[0].store), "--host", "0.0.0.0"])
    assert wide.exit_code == 0 and "reachable from other machines" in wide.output
    missing = CliRunner().invoke(main, ["serve", "--store", str(tmp_path / "nothing")])
    assert missing.exit_code == 1 and "no store here" in missing.output
    bad = CliRunner().invoke(main, ["serve", "--store", str(built_store[0].store), "--port", "70000"])
    assert bad.exit_code == 2 and "Setting 'port' has value 70000" in bad.output


def test_create_app_refuses_a_folder_without_a_store(tmp_path: Path) -> None:
    from kg import config
    from kg.server.app import create_app

    with pytest.raises(StoreError, match="no store here"):
        create_app(load(environ={}, kg_settings=config.load({"store": str(tmp_path)}, environ={})))


@pytest.mark.parametrize(("host", "loopback"), [("127.0.0.1", True), ("::1", True), ("localhost", True), ("0.0.0.0", False), ("example.org", False)])
def test_is_loopback(host: str, loopback: bool) -> None:
    assert server_cli.is_loopback(host) is loopback
