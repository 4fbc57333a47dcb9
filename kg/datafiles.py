"""Reading the project's CSV data files (ontology/): comments, header, line numbers, regexes.

Format shared by every CSV under ontology/: UTF-8, lines starting with ``#`` are
comments, the first other line is the header, ``|`` separates several values in
one field.  Errors are :class:`kg.errors.DataFileError` naming ``file:line``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.errors import DataFileError


@dataclass(frozen=True, slots=True)
class Row:
    path: str
    line: int
    values: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.values.get(key, "")

    def error(self, reason: str) -> DataFileError:
        return DataFileError(self.path, reason, self.line)

    def multi(self, key: str) -> tuple[str, ...]:
        """A ``|``-separated field as a tuple of non-empty, stripped values."""
        return tuple(v.strip() for v in self[key].split("|") if v.strip())

    def regex(self, key: str) -> re.Pattern[str]:
        try:
            return re.compile(self[key])
        except re.error as exc:
            raise self.error(f"bad regex in column {key!r}: {exc}") from None

    def integer(self, key: str) -> int:
        try:
            return int(self[key])
        except ValueError:
            raise self.error(f"column {key!r} has value {self[key]!r}, not a whole number") from None


def read_csv(path: str | Path, required: Sequence[str] = ()) -> Iterator[Row]:
    """Rows of a data file with their line numbers; checks the header has ``required`` columns."""
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise DataFileError(str(p), "no such file") from None
    except UnicodeDecodeError as exc:
        raise DataFileError(str(p), f"not UTF-8 ({exc.reason} at byte {exc.start})") from None
    numbered = [(i + 1, line) for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")]
    if not numbered:
        raise DataFileError(str(p), "no header row")
    reader = csv.reader([line for _, line in numbered])
    header = [h.strip() for h in next(reader)]
    missing = [c for c in required if c not in header]
    if missing:
        raise DataFileError(str(p), f"missing column(s) {', '.join(missing)}", numbered[0][0])
    for (lineno, _), fields in zip(numbered[1:], reader, strict=True):
        if len(fields) > len(header):
            raise DataFileError(str(p), f"{len(fields)} fields, the header has {len(header)}", lineno)
        values = {h: (fields[i].strip() if i < len(fields) else "") for i, h in enumerate(header)}
        yield Row(str(p), lineno, values)
