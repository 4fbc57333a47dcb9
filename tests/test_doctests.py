"""Every docstring example in the package runs."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import kg

MODULES = sorted(
    name
    for _, name, _ in pkgutil.walk_packages(kg.__path__, "kg.")
    if ">>>" in (importlib.util.find_spec(name).loader.get_source(name) or "")  # type: ignore[union-attr]
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_there_are_docstring_examples() -> None:
    assert len(MODULES) >= 5
