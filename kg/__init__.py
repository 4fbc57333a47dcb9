"""fazhi-kg: a knowledge graph of Chinese local governments' rule-of-law reports."""

from __future__ import annotations

__version__ = "0.1.0"
