"""The shared CSV reader of ontology/ files."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.datafiles import read_csv
from kg.errors import DataFileError


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "x.csv"
    p.write_text(text, encoding="utf-8")
    return p


def test_comments_header_line_numbers_and_multi_values(tmp_path: Path) -> None:
    p = write(tmp_path, "# a comment\nid,labels\n\n# another\na,x|y| z\n")
    rows = list(read_csv(p, ("id", "labels")))
    assert [(r.line, r["id"], r.multi("labels")) for r in rows] == [(5, "a", ("x", "y", "z"))]


def test_missing_column_names_the_header_line(tmp_path: Path) -> None:
    p = write(tmp_path, "# c\nid\na\n")
    with pytest.raises(DataFileError, match=r"x\.csv:2: missing column\(s\) labels"):
        list(read_csv(p, ("id", "labels")))


def test_too_many_fields_and_bad_regex_name_the_line(tmp_path: Path) -> None:
    p = write(tmp_path, "id,pattern\na,b,c\n")
    with pytest.raises(DataFileError, match=r"x\.csv:2: 3 fields, the header has 2"):
        list(read_csv(p))
    p = write(tmp_path, "id,pattern\na,[\n")
    row = next(read_csv(p))
    with pytest.raises(DataFileError, match=r"x\.csv:2: bad regex in column 'pattern'"):
        row.regex("pattern")


def test_missing_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="no such file"):
        list(read_csv(tmp_path / "nope.csv"))
    p = tmp_path / "gbk.csv"
    p.write_bytes("id\n司法局\n".encode("gbk"))
    with pytest.raises(DataFileError, match="not UTF-8"):
        list(read_csv(p))
