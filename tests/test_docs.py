"""Docs tested against code: every command, saved query and ontology term used is documented or defined."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_cli_command_is_in_the_readme_and_has_help() -> None:
    for name, command in main.commands.items():  # type: ignore[attr-defined]
        assert f"kg {name}" in README, name
        assert command.help
        assert CliRunner().invoke(main, [name, "--help"]).exit_code == 0


def test_every_saved_query_has_a_header_and_is_in_the_readme() -> None:
    for rq in sorted((ROOT / "queries").glob("*.rq")):
        head = rq.read_text(encoding="utf-8").splitlines()[:2]
        assert head[0].startswith("# title: ") and head[1].startswith("# description: "), rq.name
        assert f"queries/{rq.name}" in README, rq.name


def test_the_readme_gives_exactly_the_two_fresh_machine_commands() -> None:
    section = README.split("## On a fresh machine", 1)[1].split("\n## ", 1)[0]
    assert re.findall(r"```\n(.+?)\n```", section) == ["scripts/demo", "scripts/test"]
    assert "scripts/test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_ontology_term_used_in_code_and_queries_is_defined() -> None:
    defined = set(re.findall(r"^fk:([A-Za-z_-]+) a ", (ROOT / "ontology" / "fk.ttl").read_text(encoding="utf-8"), re.M))
    used: set[str] = set()
    for path in [*ROOT.glob("kg/**/*.py"), *ROOT.glob("queries/*.rq")]:
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"\bfk:([A-Za-z][A-Za-z_-]*)", text))
        used |= set(re.findall(r'\bfk\("([A-Za-z][A-Za-z_-]*)"\)', text))
    missing = sorted(used - defined)
    assert not missing, f"terms used but not defined in ontology/fk.ttl: {missing}"
