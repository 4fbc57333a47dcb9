"""fazhi-kg: a knowledge graph of Chinese local governments' rule-of-law reports.

``kg.open(path)`` opens a built store for analysis (:mod:`kg.api`); it is imported on
first use, so ``import kg`` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from kg.api import Graph, open

__all__ = ["Graph", "__version__", "open"]


def __getattr__(name: str) -> Any:
    if name in ("Graph", "open"):
        from kg import api

        return getattr(api, name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
