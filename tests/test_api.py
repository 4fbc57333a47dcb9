"""kg.api: the notebook API opens a built store and hands out DataFrames and networkx graphs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
import pytest

import kg
from kg import tables
from kg.errors import StoreError
from kg.store import Store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def graph(built_store: tuple[Any, Store]) -> Any:
    settings, _ = built_store
    with kg.open(settings.store) as g:
        yield g


def test_import_kg_stays_light() -> None:
    code = "import sys, kg; print('pandas' in sys.modules, 'networkx' in sys.modules, 'pyoxigraph' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False", "False"]
    assert kg.open is kg.api.open and "open" in kg.__all__ and "Graph" in kg.__all__


def test_every_table_method_returns_its_table(graph: Any) -> None:
    for name, method in [
        ("adoptions", graph.adoptions),
        ("matrix", graph.matrix),
        ("event-history", graph.event_history),
        ("adoption-by-year", graph.adoption_by_year),
        ("statistics", graph.statistics),
        ("documents", graph.documents),
        ("reports", graph.reports),
        ("jurisdictions", graph.jurisdictions),
    ]:
        data = method()
        assert isinstance(data, pd.DataFrame) and len(data) > 0, name
        fixed = [c.name for c in tables.TABLES[name].columns]
        assert list(data.columns[: len(fixed)]) == fixed, name
        assert list(graph.dictionary(name)["column"]) == list(data.columns), name
    assert graph.table("event-history", scheme="program")["scheme"].eq("program").all()


def test_networks_query_and_stats(graph: Any) -> None:
    assert isinstance(graph.network("citation"), nx.DiGraph)
    assert graph.network().graph["view"] == "adoption"
    reports = graph.query("PREFIX fk: <https://w3id.org/fazhi-kg/ontology#> SELECT ?r ?y { ?r fk:reportYear ?y }")
    assert list(reports.columns) == ["r", "y"] and len(reports) == 5 and set(reports["y"]) <= {2021, 2022, 2023}
    assert graph.stats(top=3).entities["reports"] == 5
    assert "quads" in repr(graph)


def test_open_needs_a_built_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store here"):
        kg.open(tmp_path / "none")


def test_the_readme_notebook_example_runs(built_store: tuple[Any, Store], capsys: pytest.CaptureFixture[str]) -> None:
    settings, _ = built_store
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Notebook API", 1)[1].split("\n## ", 1)[0]
    code = re.findall(r"```python\n(.+?)\n```", section, re.S)[0]
    assert 'kg.open("/tmp/kg")' in code
    exec(compile(code.replace('"/tmp/kg"', repr(str(settings.store))), "README.md", "exec"), {})  # noqa: S102
    printed = capsys.readouterr().out
    assert "concept" in printed and "label" in printed
