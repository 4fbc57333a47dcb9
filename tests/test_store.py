"""kg.store: graphs replaced atomically and idempotently, one writer, guarded queries."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import config
from kg.errors import DataFileError, QueryError, StoreError
from kg.store import Store, open_store, scan

ROOT = Path(__file__).resolve().parent.parent
EX = "https://example.org/"
G1, G2, G3 = EX + "report/1", EX + "report/2", EX + "report/3"


def triples(n: int, tag: str = "a") -> list[ox.Triple]:
    """``n`` triples about ``tag``, with Chinese literals, numbers and IRIs."""
    out = []
    for i in range(n):
        s = ox.NamedNode(f"{EX}{tag}/m{i // 3}")
        if i % 3 == 0:
            out.append(ox.Triple(s, ox.NamedNode(EX + "text"), ox.Literal(f"区司法局推进府院联动{i}", language="zh")))
        elif i % 3 == 1:
            out.append(ox.Triple(s, ox.NamedNode(EX + "start"), ox.Literal(i)))
        else:
            out.append(ox.Triple(s, ox.NamedNode(EX + "concept"), ox.NamedNode(f"{EX}concept/{i % 7}")))
    return out


def content(store: Store, graph: str) -> set[ox.Triple]:
    return {q.triple for q in store.db.quads_for_pattern(None, None, None, ox.NamedNode(graph))}


def run_python(code: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=env, timeout=120, **kwargs
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "store") as st:
        yield st


# --- opening --------------------------------------------------------------------------------------


def test_an_on_disk_store_is_created_and_reopened(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "store"
    with Store(folder) as st:
        assert st.replace_graph(G1, triples(10)) == 10
    assert (folder / "CURRENT").is_file()
    with Store(folder) as st:
        assert st.count() == 10
        assert st.graphs() == [G1]


def test_open_store_uses_the_settings_folder(tmp_path: Path) -> None:
    settings = config.load({"store": str(tmp_path / "s")}, environ={})
    with open_store(settings) as st:
        assert st.path == tmp_path / "s"
    assert (tmp_path / "s").is_dir()


def test_a_second_writer_in_another_process_is_refused(store: Store) -> None:
    store.replace_graph(G1, triples(3))
    done = run_python(
        f"""
        from kg.errors import StoreError
        from kg.store import Store
        try:
            Store({str(store.path)!r})
        except StoreError as e:
            print("refused:", e)
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"refused: {store.path}: the store is in use by another process (")


def test_a_second_writer_in_the_same_process_is_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="in use by another process"):
        Store(store.path)


def test_close_releases_the_lock(tmp_path: Path) -> None:
    st = Store(tmp_path / "s")
    st.replace_graph(G1, triples(3))
    st.close()
    with Store(tmp_path / "s") as again:
        assert again.count() == 3
    with pytest.raises(StoreError, match="closed"):
        st.count()


def test_a_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    with pytest.raises(StoreError, match=r"f: not a folder"):
        Store(tmp_path / "f")
    with pytest.raises(StoreError, match=r"f/sub: cannot create the store folder"):
        Store(tmp_path / "f" / "sub")


def test_the_writable_check_names_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kg.store.os.access", lambda path, mode: False)  # as root, nothing is unwritable
    with pytest.raises(StoreError, match=r"ro: the folder is not writable"):
        Store(tmp_path / "ro")


def test_read_only_reads_and_refuses_writes(tmp_path: Path) -> None:
    with Store(tmp_path / "s") as st:
        st.replace_graph(G1, triples(6))
    with Store(tmp_path / "s", read_only=True) as ro:
        assert ro.count(G1) == 6
        assert ro.graphs() == [G1]
        with pytest.raises(StoreError, match="read-only"):
            ro.replace_graph(G2, triples(1))
        with pytest.raises(StoreError, match="read-only"):
            ro.update("CLEAR ALL")


def test_read_only_needs_an_existing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store here"):
        Store(tmp_path / "missing", read_only=True)
    assert not (tmp_path / "missing").exists()


# --- replacing graphs ----------------------------------------------------------------------------


def test_building_twice_gives_the_same_quads(store: Store) -> None:
    store.replace_graph(G1, triples(50))
    store.replace_graph(G2, triples(20, "b"))
    once = set(store.db)
    assert store.replace_graph(G1, triples(50)) == 50
    assert store.replace_graph(G2, triples(20, "b")) == 20
    assert store.count() == len(once) == 70
    assert set(store.db) == once


def test_replace_leaves_exactly_the_new_triples(store: Store) -> None:
    store.replace_graph(G1, triples(30))
    new = triples(20) + triples(5, "c")  # 10 removed, 5 added
    assert store.replace_graph(G1, new) == 25
    assert content(store, G1) == set(new)


def test_two_graphs_are_independent(store: Store) -> None:
    shared = triples(5, "shared")
    store.replace_graph(G1, triples(10) + shared)
    store.replace_graph(G2, triples(10, "b") + shared)
    store.replace_graph(G1, triples(3))
    assert content(store, G2) == set(triples(10, "b") + shared)
    assert store.remove_graph(G1) is True
    assert store.remove_graph(G1) is False
    assert store.graphs() == [G2]
    assert content(store, G2) == set(triples(10, "b") + shared)


def test_replace_accepts_n_triples_bytes(store: Store) -> None:
    data = ox.serialize(triples(12), format=ox.RdfFormat.N_TRIPLES)
    assert store.replace_graph(G1, data) == 12
    assert store.replace_graph(G1, data + data) == 12  # duplicates count once
    assert content(store, G1) == set(triples(12))


def test_invalid_n_triples_leave_the_graph_as_it_was(store: Store) -> None:
    store.replace_graph(G1, triples(4))
    with pytest.raises(StoreError, match="not valid N-Triples"):
        store.replace_graph(G1, b'<https://example.org/a> <https://example.org/p> "unclosed .\n')
    assert content(store, G1) == set(triples(4))


def test_empty_content_removes_the_graph(store: Store) -> None:
    store.replace_graph(G1, triples(4))
    assert store.replace_graph(G1, []) == 0
    assert store.graphs() == []
    assert store.replace_graph(G2, []) == 0
    assert store.graphs() == []


def test_literals_that_need_escaping_survive_replacement(store: Store) -> None:
    nasty = [
        'a"b',
        "back\\slash \\u0022",
        "nl\nx\r\ty",
        "".join(map(chr, range(32))),
        "'''",
        '"""',
        "𠀀中文",
        "}",
        "x #",
    ]
    s, p = ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p")
    old = [ox.Triple(s, p, ox.Literal(v)) for v in nasty]
    new = [ox.Triple(s, p, ox.Literal(v + "!")) for v in nasty] + old[:3]
    store.replace_graph(G1, old)
    store.replace_graph(G1, new)  # deletes and inserts through SPARQL update text
    assert content(store, G1) == set(new)
    store.replace_graph(G1, old)
    assert content(store, G1) == set(old)


def test_blank_nodes_are_never_shared_between_graphs(store: Store) -> None:
    b = ox.BlankNode("b0")
    g = [
        ox.Triple(b, ox.NamedNode(EX + "p"), ox.Literal("x")),
        ox.Triple(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "q"), b),
    ]
    store.replace_graph(G1, g)
    store.replace_graph(G2, g)
    subjects = {q.subject for q in store.db if isinstance(q.subject, ox.BlankNode)}
    assert len(subjects) == 2
    store.replace_graph(G1, g)
    assert store.count() == 4


def test_count_graphs_and_len(store: Store) -> None:
    store.replace_graph(G2, triples(7))
    store.replace_graph(G1, triples(5, "b"))
    assert store.graphs() == [G1, G2]
    assert store.count(G1) == 5
    assert store.count(G3) == 0
    assert store.count() == len(store) == 12


def test_a_bad_graph_name_is_a_value_error(store: Store) -> None:
    with pytest.raises(ValueError, match="not a valid graph IRI"):
        store.replace_graph("not an iri> .", triples(1))


def test_load_file_replaces_its_graph(store: Store, tmp_path: Path) -> None:
    ttl = tmp_path / "fk.ttl"
    ttl.write_text(
        "@prefix ex: <https://example.org/> .\nex:a ex:label '机制'@zh , 'mechanism'@en .\n", encoding="utf-8"
    )
    assert store.load_file(ttl, graph=G3) == 2
    assert store.load_file(ttl, "ttl", G3) == 2
    assert store.count() == 2


def test_load_file_names_the_line_of_a_syntax_error(store: Store, tmp_path: Path) -> None:
    ttl = tmp_path / "bad.ttl"
    ttl.write_text("@prefix ex: <https://example.org/> .\n\nex:a ex:b .\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        store.load_file(ttl, graph=G3)
    assert caught.value.line == 3
    assert str(caught.value).startswith(f"{ttl}:3: ")


def test_load_file_without_a_graph_keeps_the_file_graphs(store: Store, tmp_path: Path) -> None:
    trig = tmp_path / "two.trig"
    trig.write_text(f"<{G1}> {{ <{EX}a> <{EX}p> 1 }}\n<{G2}> {{ <{EX}a> <{EX}p> 2 }}\n", encoding="utf-8")
    assert store.load_file(trig) == 2
    assert store.graphs() == [G1, G2]


def test_in_memory_store(tmp_path: Path) -> None:
    with Store(None) as st:
        assert st.replace_graph(G1, triples(9)) == 9
        assert st.replace_graph(G1, triples(9)) == 9
        assert st.count() == 9
    assert list(tmp_path.iterdir()) == []


# --- a writer killed mid-write ------------------------------------------------------------------

_KILLED_WRITER = """
    import sys
    import pyoxigraph as ox
    sys.path.insert(0, {tests!r})
    from test_store import triples, G2, G3
    from kg.store import Store
    st = Store({path!r})
    versions = [triples(3000, "v0"), triples(3000, "v1")]
    print("writing", flush=True)
    i = 0
    while True:
        st.replace_graph(G2, versions[i % 2])  # changes every triple: one big update
        st.replace_graph(G3, triples(2000, "new")) if i % 2 else st.remove_graph(G3)  # bulk load of a new graph
        i += 1
"""


def test_a_killed_writer_leaves_every_graph_whole(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with Store(path) as st:
        st.replace_graph(G1, triples(500, "keep"))
        st.replace_graph(G2, triples(3000, "v0"))
    code = textwrap.dedent(_KILLED_WRITER).format(tests=str(ROOT / "tests"), path=str(path))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env) as child:
        assert child.stdout is not None
        assert child.stdout.readline() == "writing\n"
        time.sleep(1.5)
        assert child.poll() is None, "the writer stopped before it was killed"
        os.kill(child.pid, signal.SIGKILL)
    assert child.returncode == -signal.SIGKILL
    with Store(path) as st:
        assert content(st, G1) == set(triples(500, "keep"))
        assert content(st, G2) in (set(triples(3000, "v0")), set(triples(3000, "v1")))
        assert content(st, G3) in (set(), set(triples(2000, "new")))


# --- queries ------------------------------------------------------------------------------------------


@pytest.fixture
def mem() -> Iterator[Store]:
    with Store(None) as st:
        st.replace_graph(G1, [ox.Triple(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.Literal("府院联动"))])
        st.replace_graph(G2, [ox.Triple(ox.NamedNode(EX + "b"), ox.NamedNode(EX + "p"), ox.Literal("枫桥经验"))])
        yield st


def values(result: object) -> list[str]:
    assert isinstance(result, ox.QuerySolutions)
    return sorted(s[0].value for s in result)


def test_the_default_graph_is_the_union_of_the_graphs(mem: Store) -> None:
    assert values(mem.query("SELECT ?o { ?s ?p ?o }")) == ["府院联动", "枫桥经验"]
    assert values(mem.query("SELECT ?o { ?s ?p ?o }", use_default_graph_as_union=False)) == []


def test_from_names_the_default_graph(mem: Store) -> None:
    assert values(mem.query(f"SELECT ?o FROM <{G1}> {{ ?s ?p ?o }}")) == ["府院联动"]
    assert values(mem.query(f"SELECT ?o FROM NAMED <{G2}> {{ GRAPH ?g {{ ?s ?p ?o }} }}")) == ["枫桥经验"]


def test_ask_and_construct(mem: Store) -> None:
    assert bool(mem.query('ASK { ?s ?p "府院联动" }'))
    assert len(list(mem.query("CONSTRUCT WHERE { ?s ?p ?o }"))) == 2  # type: ignore[arg-type]


def test_a_syntax_error_carries_the_parser_message(mem: Store) -> None:
    with pytest.raises(QueryError, match=r"^error at 1:\d+: expected") as caught:
        mem.query("SELECT ?s WHERE { ?s ?p ?o ")
    assert caught.value.refused is False


@pytest.mark.parametrize(
    "sparql",
    [
        "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "select * { service silent <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * {\n  ?s ?p ?o .\n  SERVICE?x{ ?s ?p ?o }\n}",
        "PREFIX ex: <https://example.org/>\nSELECT * { ex:a ex:p ?o . Service <http://x/> {} }",
    ],
)
def test_service_is_refused(mem: Store, sparql: str) -> None:
    with pytest.raises(QueryError, match="SERVICE") as caught:
        mem.query(sparql)
    assert caught.value.refused is True


@pytest.mark.parametrize(
    "sparql", ["LOAD <file:///etc/passwd>", "INSERT DATA { <a:a> <a:b> 1 }", "DROP ALL", "CLEAR GRAPH <a:g>"]
)
def test_updates_and_load_are_refused_in_query(mem: Store, sparql: str) -> None:
    with pytest.raises(QueryError, match="refused") as caught:
        mem.query(sparql)
    assert caught.value.refused is True
    assert mem.count() == 2


@pytest.mark.parametrize(
    "sparql",
    [
        'SELECT ?o { ?s ?p ?o FILTER(?o != "SERVICE <http://x/> {}") }',
        "SELECT ?o { ?s ?p ?o FILTER(?o != '''LOAD\nSERVICE''') }",
        "SELECT ?o { ?s ?p ?o FILTER(?s != <http://example.org/SERVICE/LOAD>) }",
        "SELECT ?o { ?s ?p ?o } # SERVICE <http://x/> { } and LOAD",
        "PREFIX service: <https://example.org/>\nSELECT ?o { ?s ?p ?o FILTER(?s != service:load) }",
        "SELECT ?o { ?s ?p ?o OPTIONAL { ?s <a:x> ?service } }",
        'SELECT ?o { ?s ?p ?o FILTER(?o != "x"@service) }',
    ],
)
def test_the_words_inside_strings_iris_names_and_comments_are_allowed(mem: Store, sparql: str) -> None:
    assert values(mem.query(sparql)) == ["府院联动", "枫桥经验"]


def test_scan_reads_bare_keywords_only() -> None:
    shape = scan("PREFIX ex: <http://ex/SERVICE#> SELECT ?load FROM <g:x> { ex:drop ?p 'INSERT' }")
    assert shape.keywords == {"PREFIX", "SELECT", "FROM"}
    assert shape.has_dataset
    assert not shape.remote_keywords and not shape.update_keywords


def test_bindings_are_substituted_not_pasted(mem: Store) -> None:
    assert values(mem.query("SELECT ?o ?s { ?s ?p ?o }", bindings={"s": ox.NamedNode(EX + "b")})) == ["枫桥经验"]
    assert values(mem.query("SELECT ?s ?o { ?s ?p ?o }", bindings={"?o": "府院联动"})) == [EX + "a"]
    injection = '" } } ; DROP ALL ; SELECT * { ?s ?p "'
    assert values(mem.query("SELECT ?s ?o { ?s ?p ?o }", bindings={"o": injection})) == []
    assert mem.count() == 2


def test_a_binding_of_a_variable_not_selected_is_a_query_error(mem: Store) -> None:
    with pytest.raises(QueryError, match="zz"):
        mem.query("SELECT ?s { ?s ?p ?o }", bindings={"zz": 1})


def test_update_runs_and_still_refuses_load(mem: Store) -> None:
    mem.update(f"INSERT DATA {{ GRAPH <{G3}> {{ <{EX}c> <{EX}p> 3 }} }}")
    assert mem.count(G3) == 1
    with pytest.raises(QueryError, match="LOAD") as caught:
        mem.update(f"LOAD <http://127.0.0.1:9/x.ttl> INTO GRAPH <{G3}>")
    assert caught.value.refused
    with pytest.raises(QueryError, match="error at"):
        mem.update("INSERT DATA {")


# --- dump -------------------------------------------------------------------------------------------


def test_dump_writes_the_union_once_for_graph_formats(mem: Store) -> None:
    mem.replace_graph(G3, [ox.Triple(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.Literal("府院联动"))])
    out = io.BytesIO()
    mem.dump("nt", out)
    assert sorted(out.getvalue().decode().splitlines()) == [
        f'<{EX}a> <{EX}p> "府院联动" .',
        f'<{EX}b> <{EX}p> "枫桥经验" .',
    ]
    one = io.BytesIO()
    mem.dump("nq", one, G2)
    assert one.getvalue().decode() == f'<{EX}b> <{EX}p> "枫桥经验" .\n'
    with pytest.raises(ValueError, match="known formats: nt, nq, ttl, trig, jsonld, xml"):
        mem.dump("n3", out)
