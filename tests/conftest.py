"""Shared fixtures: the example reports, settings with a temporary store, a built store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kg import config
from tests.conftest_server import *  # noqa: F403 - the server tests' fixtures

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "reports"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.txt"))

#: expected report fields of the five examples (examples/reports/ATTRIBUTION.md)
EXPECTED = {
    "000_232ff2299bc2df5b.txt": ("天津市宁河区", "120117", "county", 2023, "2024-03-07", "government_report"),
    "001_e10a0e56933b9f5e.txt": ("河南省漯河市", "411100", "prefecture", 2023, "2024-03-01", "congress_inspection"),
    "002_b8d8df5b3e13fe6a.txt": ("浙江省宁波市宁海县", "330226", "county", 2021, "2022-03-31", "government_report"),
    "003_f5c466d3cd50af3f.txt": ("黑龙江省哈尔滨市平房区", "230108", "county", 2023, "2024-02-28", "government_report"),
    "004_ab064c072fb254ba.txt": ("江苏省无锡市锡山区", "320205", "county", 2022, "2023-02-08", "government_report"),
}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/*/expected.nt")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def settings(tmp_path: Path) -> config.Settings:
    return config.load({"store": str(tmp_path / "store")}, environ={})


@pytest.fixture(scope="session")
def pipeline() -> Iterator[object]:
    from kg.pipeline import Pipeline

    yield Pipeline(config.load(environ={}))


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[config.Settings, object]]:
    """A store built once from the five examples, opened read-only for the tests that read it."""
    from kg.pipeline import build
    from kg.store import Store

    folder = tmp_path_factory.mktemp("built") / "store"
    settings = config.load({"store": str(folder)}, environ={})
    with Store(folder) as st:
        summary = build([EXAMPLES], settings, st)
    assert summary.ok, summary.failed
    with Store(folder, read_only=True) as st:
        yield settings, st


@pytest.fixture(scope="module")
def diffusion() -> Iterator[object]:
    """A small synthetic store in which mechanisms spread from prefectures to counties over years."""
    from tests import synthetic

    st = synthetic.store(synthetic.DIFFUSION, synthetic.CONCEPTS)
    yield st
    st.close()


@pytest.fixture(scope="module")
def examples(built_store: tuple[config.Settings, object]) -> object:
    """The store built from the five examples."""
    return built_store[1]
