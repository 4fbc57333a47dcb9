"""kg.stats and `kg stats`: counts, reports per province and year, the most adopted, warnings."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner

from kg.cli import main
from kg.stats import ENTITY_TYPES, stats
from kg.store import Store

from . import synthetic


def test_stats_of_the_examples(built_store: tuple[Any, Store]) -> None:
    _, st = built_store
    result = stats(st, top=5)
    assert set(result.entities) == set(ENTITY_TYPES)
    assert result.entities["reports"] == 5 and all(n > 0 for n in result.entities.values())
    by = result.reports_by_province_year
    assert int(by["reports"].sum()) == 5 and set(by["province"]) == {"天津市", "河南省", "浙江省", "黑龙江省", "江苏省"}
    top = result.top_mechanisms
    assert len(top) == 5 and list(top["jurisdictions"]) == sorted(top["jurisdictions"], reverse=True)
    assert top["label"].notna().all() and top["jurisdictions"].max() <= 5
    assert not [w for w in result.warnings if w.kind in ("no_code", "no_year")]


def test_warnings_name_reports_without_jurisdiction_or_year_and_concepts_outside_the_vocabulary() -> None:
    reports = [
        synthetic.Report("dated", synthetic.COUNTY, 2021, [("mechanism", "made-up", "编造机制", "practised")]),
        synthetic.Report("undated", synthetic.COUNTY, None, []),
        synthetic.Report("nowhere", None, 2021, []),
    ]
    with synthetic.store(reports, [("mechanism", "fengqiao-experience", "枫桥经验")]) as st:
        result = stats(st)
    kinds = {w.kind: w for w in result.warnings}
    assert kinds["no_code"].items == ["nowhere (nowhere.txt)"]
    assert kinds["no_year"].items == ["undated (undated.txt)"]
    assert kinds["outside_vocabulary_mechanism"].items == ["编造机制 ×1"]
    text = result.format_text()
    assert "warning: 1 report(s) with no jurisdiction: nowhere (nowhere.txt)" in text
    assert "warning: 1 mechanism mention(s) are not in the store's vocabulary: 编造机制 ×1" in text


def test_the_stats_command(built_store: tuple[Any, Store]) -> None:
    settings, _ = built_store
    result = CliRunner().invoke(main, ["stats", "--store", str(settings.store), "--top", "3"])
    assert result.exit_code == 0
    for heading in ("Entities found in reports", "Reports per province and year", "Most adopted mechanisms", "Coverage"):
        assert heading in result.stdout
    data = json.loads(CliRunner().invoke(main, ["stats", "--store", str(settings.store), "--json"]).stdout)
    assert data["entities"]["reports"] == 5 and len(data["top_mechanisms"]) == 10
    assert {"province", "year", "reports"} == set(data["reports_by_province_year"][0])
    assert all({"kind", "message", "count", "items"} == set(w) for w in data["warnings"])


def test_stats_without_a_store_says_so(tmp_path: Any) -> None:
    result = CliRunner().invoke(main, ["stats", "--store", str(tmp_path / "none")])
    assert result.exit_code == 1 and "run `kg build` first" in result.stderr
