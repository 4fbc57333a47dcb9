"""The build: stage order, idempotence, bad inputs, nothing stored is lost."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from kg import config, pipeline
from kg.errors import PipelineError
from kg.store import Store

from .conftest import EXAMPLE_FILES, EXAMPLES, EXPECTED


def test_stage_order_is_checked() -> None:
    a = SimpleNamespace(NAME="a", REQUIRES=())
    b = SimpleNamespace(NAME="b", REQUIRES=("a",))
    pipeline.check_order([a, b])  # type: ignore[list-item]
    with pytest.raises(PipelineError, match="stage 'b' needs a to run before it"):
        pipeline.check_order([b, a])  # type: ignore[list-item]


def test_build_of_the_examples_stores_five_report_graphs(built_store: tuple[config.Settings, Store]) -> None:
    _, st = built_store
    rows = st.query(
        """PREFIX fk: <https://w3id.org/fazhi-kg/ontology#>
           PREFIX dcterms: <http://purl.org/dc/terms/>
           PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
           SELECT ?g ?name ?code ?level ?year ?published ?type WHERE {
             GRAPH ?g { ?r a fk:Report ; fk:jurisdiction ?j ; fk:reportYear ?year ; dcterms:issued ?published ;
                           fk:docType ?type }
             ?j rdfs:label ?name ; fk:code ?code ; fk:level ?level }"""
    )
    found = {
        (str(r["name"].value), str(r["code"].value), str(r["level"].value).rsplit("#", 1)[1], int(r["year"].value),
         str(r["published"].value), str(r["type"].value).rsplit("#", 1)[1])
        for r in rows
    }
    assert found == set(EXPECTED.values())
    report_graphs = [g for g in st.graphs() if "/graph/report/" in g]
    assert len(report_graphs) == 5


def test_building_twice_keeps_the_quad_count(tmp_path: Path) -> None:
    settings = config.load({"store": str(tmp_path / "s")}, environ={})
    with Store(settings.store) as st:
        first = pipeline.build([EXAMPLES], settings, st)
        once = st.count()
        second = pipeline.build([EXAMPLES], settings, st)
        assert st.count() == once == second.quads
    assert first.ok and second.ok


def test_bad_inputs_fail_alone_and_lose_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(EXAMPLE_FILES[0], folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    mojibake = EXAMPLE_FILES[1].read_text(encoding="utf-8").encode("utf-8").decode("latin-1")
    (folder / "mojibake.txt").write_text(mojibake, encoding="utf-8")
    (folder / "english.txt").write_text("This is a page about something else entirely. " * 50, encoding="utf-8")
    settings = config.load({"store": str(tmp_path / "s")}, environ={})
    with Store(settings.store) as st:
        before = pipeline.build([EXAMPLE_FILES[2]], settings, st)
        kept = st.count()
        summary = pipeline.build([folder, tmp_path / "missing.txt"], settings, st)
        assert st.count() > kept  # the good file was added, the earlier report is still there
        graphs = st.graphs()
    assert before.ok and not summary.ok
    assert [Path(b.path).name for b in summary.built] == ["good.txt"]
    reasons = {Path(f.path).name: f.reason for f in summary.failed}
    assert set(reasons) == {"empty.txt", "image.txt", "mojibake.txt", "english.txt", "missing.txt"}
    assert "empty" in reasons["empty.txt"]
    assert "binary" in reasons["image.txt"] and "PNG" in reasons["image.txt"]
    assert "garbled" in reasons["mojibake.txt"] or "mojibake" in reasons["mojibake.txt"]
    assert "report" in reasons["english.txt"]
    assert "no such file" in reasons["missing.txt"]
    assert all("\n" not in r for r in reasons.values())
    assert len([g for g in graphs if "/graph/report/" in g]) == 2


@pytest.mark.slow
def test_workers_build_the_same_graphs_as_one_process(tmp_path: Path) -> None:
    one = config.load({"store": str(tmp_path / "one")}, environ={})
    two = one.with_(store=str(tmp_path / "two"), workers=2)
    with Store(one.store) as a:
        s1 = pipeline.build([EXAMPLES, tmp_path / "missing.txt"], one, a)
        dump_a = sorted(a.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"), key=str)  # type: ignore[arg-type]
    with Store(two.store) as b:
        s2 = pipeline.build([EXAMPLES, tmp_path / "missing.txt"], two, b)
        dump_b = sorted(b.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"), key=str)  # type: ignore[arg-type]
    assert [x.path for x in s1.built] == [x.path for x in s2.built]
    assert [f.path for f in s1.failed] == [f.path for f in s2.failed]
    assert len(dump_a) == len(dump_b) and [str(r) for r in dump_a] == [str(r) for r in dump_b]
