"""One settings object: defaults in one place, read from the environment, validated on load.

Every setting has a name, a default, an environment variable and a help text
(:data:`SETTINGS`).  A bad value raises :class:`kg.errors.ConfigError` naming the key
and the value.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from kg.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    env: str
    help: str
    choices: tuple[str, ...] = ()


SETTINGS: tuple[Setting, ...] = (
    Setting("store", "fazhi-kg-store", "FAZHI_KG_STORE", "folder of the on-disk store"),
    Setting("base", "https://w3id.org/fazhi-kg/", "FAZHI_KG_BASE", "base of every minted IRI"),
    Setting("ontology", str(ROOT / "ontology"), "FAZHI_KG_ONTOLOGY", "folder of ontology and vocabulary files"),
    Setting("queries", str(ROOT / "queries"), "FAZHI_KG_QUERIES", "folder of saved SPARQL queries"),
    Setting(
        "segmenter",
        "char",
        "FAZHI_KG_SEGMENTER",
        "spaCy Chinese segmenter: char keeps every vocabulary term matchable; pkuseg needs pkuseg_model",
        ("char", "pkuseg"),
    ),
    Setting("pkuseg_model", "", "FAZHI_KG_PKUSEG_MODEL", "folder of a spacy-pkuseg model (segmenter=pkuseg)"),
    Setting("workers", "1", "FAZHI_KG_WORKERS", "processes used to extract reports in kg build"),
)
_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True, slots=True)
class Settings:
    store: Path = Path(str(_BY_NAME["store"].default))
    base: str = str(_BY_NAME["base"].default)
    ontology: Path = Path(str(_BY_NAME["ontology"].default))
    queries: Path = Path(str(_BY_NAME["queries"].default))
    segmenter: str = "char"
    pkuseg_model: str = ""
    workers: int = 1
    extra: dict[str, str] = field(default_factory=dict)

    def with_(self, **changes: Any) -> Settings:
        """A copy with some settings changed, validated like values from the environment."""
        return load({**{f.name: getattr(self, f.name) for f in fields(self) if f.name != "extra"}, **changes})

    def __post_init__(self) -> None:
        if not self.base.endswith(("/", "#")):
            raise ConfigError(f"Setting 'base' has value {self.base!r}. It must end with '/' or '#'.")
        if self.segmenter not in _BY_NAME["segmenter"].choices:
            allowed = ", ".join(_BY_NAME["segmenter"].choices)
            raise ConfigError(f"Setting 'segmenter' has value {self.segmenter!r}. Allowed values: {allowed}.")
        if self.segmenter == "pkuseg" and not self.pkuseg_model:
            raise ConfigError(
                "Setting 'segmenter' is 'pkuseg' but 'pkuseg_model' is empty: "
                "give the folder of a spacy-pkuseg model (FAZHI_KG_PKUSEG_MODEL)."
            )
        if self.workers < 1:
            raise ConfigError(f"Setting 'workers' has value {self.workers!r}. It must be 1 or more.")


def load(overrides: dict[str, Any] | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Settings from defaults, then the environment, then ``overrides`` (e.g. CLI options).

    >>> load({"segmenter": "char"}).segmenter
    'char'
    """
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for s in SETTINGS:
        raw: Any = s.default
        if s.env in env and env[s.env] != "":
            raw = env[s.env]
        if overrides and overrides.get(s.name) is not None:
            raw = overrides[s.name]
        values[s.name] = raw
    unknown = set(overrides or {}) - set(_BY_NAME)
    if unknown:
        allowed = ", ".join(sorted(_BY_NAME))
        raise ConfigError(f"Unknown setting(s) {', '.join(sorted(unknown))}. Allowed settings: {allowed}.")
    try:
        workers = int(values["workers"])
    except (TypeError, ValueError):
        raise ConfigError(f"Setting 'workers' has value {values['workers']!r}. Not a valid int.") from None
    return Settings(
        store=Path(values["store"]),
        base=str(values["base"]),
        ontology=Path(values["ontology"]),
        queries=Path(values["queries"]),
        segmenter=str(values["segmenter"]),
        pkuseg_model=str(values["pkuseg_model"] or ""),
        workers=workers,
    )


__all__ = ["SETTINGS", "Setting", "Settings", "load", "replace"]
