"""Settings: defaults, environment, overrides, and errors that name the key and value."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import config
from kg.errors import ConfigError


def test_defaults() -> None:
    s = config.load(environ={})
    assert s.store == Path("fazhi-kg-store")
    assert s.base == "https://w3id.org/fazhi-kg/"
    assert s.segmenter == "char"
    assert (s.ontology / "fk.ttl").is_file()


def test_environment_then_overrides() -> None:
    env = {"FAZHI_KG_STORE": "/tmp/a", "FAZHI_KG_BASE": "http://example.org/kg/"}
    assert config.load(environ=env).store == Path("/tmp/a")
    s = config.load({"store": "/tmp/b"}, environ=env)
    assert s.store == Path("/tmp/b") and s.base == "http://example.org/kg/"


def test_none_override_keeps_environment() -> None:
    assert config.load({"store": None}, environ={"FAZHI_KG_STORE": "/x"}).store == Path("/x")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"segmenter": "jieba"}, "Setting 'segmenter' has value 'jieba'. Allowed values: char, pkuseg."),
        ({"base": "http://x.org/kg"}, "Setting 'base' has value 'http://x.org/kg'. It must end with '/' or '#'."),
        ({"workers": "two"}, "Setting 'workers' has value 'two'. Not a valid int."),
        ({"workers": 0}, "Setting 'workers' has value 0. It must be 1 or more."),
        ({"segmenter": "pkuseg"}, "'pkuseg_model' is empty"),
        ({"colour": "red"}, "Unknown setting(s) colour. Allowed settings:"),
    ],
)
def test_bad_values_name_key_and_value(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as info:
        config.load(overrides, environ={})
    assert message in str(info.value)


def test_with_returns_a_validated_copy() -> None:
    s = config.load(environ={})
    assert s.with_(workers=2).workers == 2 and s.workers == 1
    with pytest.raises(ConfigError):
        s.with_(segmenter="x")


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for setting in config.SETTINGS:
        if setting.name != "workers":
            assert setting.env in readme, setting.env
