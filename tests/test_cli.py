"""The CLI contract: commands, options, JSON shapes and exit codes (0, 1, 2)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main

from .conftest import EXAMPLE_FILES, EXAMPLES, EXPECTED

KG = Path(sys.executable).parent / "kg"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_build_json_summary_and_exit_0(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["build", str(EXAMPLES), "--store", str(tmp_path / "s"), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["reports"] == 5 and summary["failures"] == 0 and summary["quads"] > 10_000
    got = {Path(b["path"]).name: (b["jurisdiction"], b["code"], b["report_year"], b["published"], b["doc_type"]) for b in summary["built"]}
    assert got == {k: (v[0], v[1], v[3], v[4], v[5]) for k, v in EXPECTED.items()}


def test_build_exit_1_names_each_failure(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    result = runner.invoke(main, ["build", str(EXAMPLE_FILES[0]), str(tmp_path / "empty.txt"), "--store", str(tmp_path / "s")])
    assert result.exit_code == 1
    assert "failed " + str(tmp_path / "empty.txt") + ": empty file" in result.stderr
    assert "1 report(s) built, 1 failed" in result.stdout


def test_wrong_usage_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(main, ["build"]).exit_code == 2
    assert runner.invoke(main, ["query", "SELECT * {}", "--format", "xlsx"]).exit_code == 2
    assert runner.invoke(main, ["extract", str(EXAMPLE_FILES[0]), "--json", "--text"]).exit_code == 2
    assert runner.invoke(main, ["frobnicate"]).exit_code == 2


def test_store_from_environment(runner: CliRunner, tmp_path: Path) -> None:
    store = tmp_path / "env-store"
    result = runner.invoke(main, ["build", str(EXAMPLE_FILES[3])], env={"FAZHI_KG_STORE": str(store)})
    assert result.exit_code == 0, result.output
    assert store.is_dir()


def test_extract_json_contract_and_text_offsets(runner: CliRunner) -> None:
    path = str(EXAMPLE_FILES[0])
    data = json.loads(runner.invoke(main, ["extract", path, "--json"]).stdout)
    text = runner.invoke(main, ["extract", path, "--text"]).stdout
    assert data["report"] == {
        "id": data["report"]["id"],
        "title": "天津市宁河区人民政府2023年法治政府建设情况报告",
        "jurisdiction": {"name": "天津市宁河区", "code": "120117", "level": "county"},
        "report_year": 2023,
        "published": "2024-03-07",
        "doc_type": "government_report",
    }
    types = {e["type"] for e in data["entities"]}
    assert types == {"jurisdiction", "agency", "mechanism", "document", "program", "honor", "metric"}
    for e in data["entities"]:
        assert text[e["start"] : e["end"]] == e["text"]
        assert e["canonical"] and e["canonical"] in e["labels"] or e["type"] in ("metric", "agency", "jurisdiction")
        assert e["iri"].startswith("https://w3id.org/fazhi-kg/")
        assert e["section_role"] in ("practice", "problem", "plan", "recommendation", "background")
    metric = next(e for e in data["entities"] if e["type"] == "metric")
    assert {"indicator", "value", "unit"} <= set(metric)


def test_extract_bad_file_is_one_line_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    result = runner.invoke(main, ["extract", str(tmp_path / "x.txt"), "--json"])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "x.txt" in result.stderr


def test_query_inline_and_file_in_every_format(runner: CliRunner, tmp_path: Path) -> None:
    store = str(tmp_path / "s")
    assert runner.invoke(main, ["build", str(EXAMPLE_FILES[1]), "--store", store]).exit_code == 0
    q = "PREFIX fk: <https://w3id.org/fazhi-kg/ontology#> SELECT (COUNT(?r) AS ?n) WHERE { ?r a fk:Report }"
    csv = runner.invoke(main, ["query", q, "--store", store, "--format", "csv"])
    assert csv.exit_code == 0 and csv.stdout.splitlines() == ["n", "1"]
    js = json.loads(runner.invoke(main, ["query", q, "--store", store, "--format", "json"]).stdout)
    assert js["results"]["bindings"][0]["n"]["value"] == "1"
    tsv = runner.invoke(main, ["query", q, "--store", store, "--format", "tsv"]).stdout
    assert tsv.splitlines()[0] == "?n"
    rq = Path(__file__).resolve().parent.parent / "queries" / "reports.rq"
    table = runner.invoke(main, ["query", str(rq), "--store", store])
    assert table.exit_code == 0 and "河南省漯河市" in table.stdout


def test_query_syntax_error_is_exit_1_with_the_parser_message(runner: CliRunner, tmp_path: Path) -> None:
    store = str(tmp_path / "s")
    runner.invoke(main, ["build", str(EXAMPLE_FILES[1]), "--store", store])
    result = runner.invoke(main, ["query", "SELECT ?x WHERE { ?x", "--store", store])
    assert result.exit_code == 1 and "query error" in result.stderr


def test_query_without_a_store_says_so(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["query", "ASK {}", "--store", str(tmp_path / "none")])
    assert result.exit_code == 1 and "run `kg build` first" in result.stderr


@pytest.mark.parametrize("fmt", ["ttl", "nt", "nq", "trig", "jsonld"])
def test_export_formats_parse_back(runner: CliRunner, tmp_path: Path, fmt: str) -> None:
    import rdflib

    store = str(tmp_path / "s")
    runner.invoke(main, ["build", str(EXAMPLE_FILES[1]), "--store", store])
    out = tmp_path / f"out.{fmt}"
    assert runner.invoke(main, ["export", "--store", store, "--format", fmt, "-o", str(out)]).exit_code == 0
    rdflib_format = {"ttl": "turtle", "nt": "nt", "nq": "nquads", "trig": "trig", "jsonld": "json-ld"}[fmt]
    ds = rdflib.Dataset()
    ds.parse(out, format=rdflib_format)
    assert len(ds) > 1000 or sum(len(g) for g in ds.graphs()) > 1000
    if fmt in ("nq", "trig"):
        assert any("/graph/report/" in str(g.identifier) for g in ds.graphs())


@pytest.mark.slow
def test_installed_console_script_builds_with_real_exit_codes(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(EXAMPLE_FILES[2], folder)
    (folder / "bad.txt").write_bytes(b"")
    proc = subprocess.run([str(KG), "build", str(folder), "--store", str(tmp_path / "s")], capture_output=True, text=True)
    assert proc.returncode == 1
    assert "bad.txt: empty file" in proc.stderr
    assert "\r" not in proc.stderr  # no progress bar when stderr is not a terminal
