"""A phrase index: many labels, one pass over the text (Aho-Corasick, leftmost-longest).

Labels are matched on the normalised text (:func:`kg.ingest.normalise`), so a label
written with full-width characters or in traditional characters still matches.
Offsets are character offsets, valid in the original text too (same length).

>>> idx = PhraseIndex({"枫桥经验": "a", "新时代“枫桥经验”": "b"})
>>> [(m.start, m.end, m.payload) for m in idx.find("坚持新时代“枫桥经验”,推广枫桥经验")]
[(2, 11, 'b'), (14, 18, 'a')]
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

import ahocorasick_rs

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Match(Generic[T]):
    start: int
    end: int
    label: str
    payload: T


class PhraseIndex(Generic[T]):
    """Labels mapped to payloads; :meth:`find` yields non-overlapping leftmost-longest matches."""

    def __init__(self, labels: Mapping[str, T]) -> None:
        self._labels = [label for label in labels if label]
        self._payloads = [labels[label] for label in self._labels]
        self._lookup: dict[str, T] | None = None
        self._ac = (
            ahocorasick_rs.AhoCorasick(self._labels, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
            if self._labels
            else None
        )

    def __len__(self) -> int:
        return len(self._labels)

    def get(self, label: str) -> T | None:
        """The payload of ``label`` when it is one of the index's labels."""
        if self._lookup is None:
            self._lookup = dict(zip(self._labels, self._payloads, strict=True))
        return self._lookup.get(label)

    def shorter(self, text: str, match: Match[T]) -> Match[T] | None:
        """The longest label starting where ``match`` starts and ending before it ends."""
        for end in range(match.end - 1, match.start, -1):
            payload = self.get(text[match.start : end])
            if payload is not None:
                return Match(match.start, end, text[match.start : end], payload)
        return None

    def find(self, text: str) -> Iterator[Match[T]]:
        if self._ac is None:
            return
        for i, start, end in self._ac.find_matches_as_indexes(text):
            yield Match(start, end, self._labels[i], self._payloads[i])
