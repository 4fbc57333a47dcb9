"""The examples in the server modules' docstrings run (and so stay true)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "kg.server.negotiation",
    "kg.server.safety",
    "kg.server.settings",
    "kg.server.templating",
    "kg.server.views.common",
    "kg.server.views.report",
    "kg.server.views.search",
    "kg.store",
]


@pytest.mark.parametrize("name", MODULES)
def test_module_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0 and result.attempted > 0
