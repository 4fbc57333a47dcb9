"""Gold files -> scores: how much of what a careful reader finds in a report the pipeline finds.

A gold folder holds ``NAME.txt`` (a report; for offsets to agree, the cleaned text that
``kg extract FILE --text`` prints) and ``NAME.json``::

    {"url": null, "gold": {"jurisdiction": "天津市宁河区", "level": "county", "report_year": 2023,
      "published": "2024-03-07", "doc_type": "government_report",
      "documents": [...], "mechanisms": [...], "agencies": [...], "governments": [...]}}

``governments`` (people's governments and Party committees, kept apart from agencies proper)
is optional; without it the predicted governments are scored as agencies, which is what
the DESIGN contract's plain ``agencies`` list means.  ``examples/gold/GUIDELINES.md`` says
what each list holds.

Scores (:func:`evaluate`):

- report fields (jurisdiction as its full name, level, report_year, published, doc_type):
  accuracy;
- per entity type, precision, recall and F1, per report and micro-averaged over the folder:

  - documents: a predicted title matches a gold title when both are equal after
    :func:`kg.resolve.canonical_title` (spaces, bracket widths, dashes) and dropping a
    leading 中华人民共和国;
  - mechanisms: a predicted concept matches a gold name when one of its labels (or a label
    of a concept it ``includes``) equals the name (DESIGN: "a mechanism counts as found
    when any of its labels equals a gold name"); quotes “” do not count;
  - agencies and governments: the surface text as written.

  Matching is lenient on both sides, so recall counts the gold names some prediction
  matches and precision counts the predictions that match some gold name
  (:class:`Counts`).  Both sides are sets: a name found twice counts once.

>>> c = Counts(gold=4, predicted=3, found=2, correct=2)
>>> (c.precision, c.recall, round(c.f1, 4))
(0.6666666666666666, 0.5, 0.5714)
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from kg import vocab as vocabulary
from kg.config import Settings
from kg.errors import ConfigError, DataFileError, InputError, KGError
from kg.model import DOC_TYPES, LEVELS, Mention, Report
from kg.resolve import NATIONAL_LAW_PREFIX, canonical_title

FIELDS: tuple[str, ...] = ("jurisdiction", "level", "report_year", "published", "doc_type")
ENTITY_TYPES: tuple[str, ...] = ("documents", "mechanisms", "agencies", "governments")
LISTS_REQUIRED: tuple[str, ...] = ("documents", "mechanisms", "agencies")
LISTS_OPTIONAL: tuple[str, ...] = ("governments",)
#: agency kinds (ontology/vocab/agency_kinds.csv) and national organs (national_organs.csv) that
#: are people's governments or Party committees; gold files list them under "governments"
_QUOTES = re.compile(r"[“”‘’\"']")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class GoldError(DataFileError):
    """A gold folder or file that cannot be used: names the file and the problem."""


# -- gold files ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Gold:
    """One gold report: its text file and what a careful reader found in it."""

    name: str
    path: Path  # NAME.txt
    url: str | None
    fields: Mapping[str, Any]
    entities: Mapping[str, tuple[str, ...]]  # governments absent when the file has none

    @property
    def separate_governments(self) -> bool:
        return "governments" in self.entities


def load_gold(folder: str | Path) -> list[Gold]:
    """Every gold report of ``folder``, checked; raises :class:`GoldError` naming the file and problem."""
    root = Path(folder)
    if not root.is_dir():
        raise GoldError(str(root), "no such folder")
    texts = {p.stem: p for p in root.glob("*.txt")}
    jsons = {p.stem: p for p in root.glob("*.json")}
    for stem in sorted(set(jsons) - set(texts)):
        raise GoldError(str(root / f"{stem}.txt"), f"missing: {stem}.json has no report text beside it")
    if not texts:
        raise GoldError(str(root), "no gold files here (each report is NAME.txt with its NAME.json)")
    out = []
    for stem in sorted(texts):
        if stem not in jsons:
            raise GoldError(str(root / f"{stem}.json"), f"missing: every report needs its gold file ({stem}.txt)")
        out.append(parse_gold(jsons[stem], texts[stem]))
    return out


def parse_gold(json_path: Path, text_path: Path) -> Gold:
    where = str(json_path)
    try:
        data = json.loads(json_path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise GoldError(where, f"not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise GoldError(where, f"not valid JSON: {exc.msg} at column {exc.colno}", exc.lineno) from None
    except OSError as exc:
        raise GoldError(where, f"cannot be read ({exc.strerror})") from None
    if not isinstance(data, dict):
        raise GoldError(where, 'expected a JSON object {"url": ..., "gold": {...}}')
    missing = [k for k in ("url", "gold") if k not in data]
    if missing:
        raise GoldError(where, f"missing key(s) {', '.join(missing)}")
    url, gold = data["url"], data["gold"]
    if url is not None and not isinstance(url, str):
        raise GoldError(where, f"'url' must be a string or null, not {url!r}")
    if not isinstance(gold, dict):
        raise GoldError(where, "'gold' must be an object")
    allowed = (*FIELDS, *LISTS_REQUIRED, *LISTS_OPTIONAL)
    missing = [k for k in (*FIELDS, *LISTS_REQUIRED) if k not in gold]
    if missing:
        raise GoldError(where, f"'gold' lacks key(s) {', '.join(missing)}")
    unknown = sorted(set(gold) - set(allowed))
    if unknown:
        raise GoldError(where, f"'gold' has unknown key(s) {', '.join(unknown)} (allowed: {', '.join(allowed)})")
    _check_fields(where, gold)
    entities: dict[str, tuple[str, ...]] = {}
    for key in (*LISTS_REQUIRED, *LISTS_OPTIONAL):
        if key not in gold:
            continue
        value = gold[key]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise GoldError(where, f"'gold.{key}' must be a list of non-empty strings")
        entities[key] = tuple(value)
    return Gold(text_path.stem, text_path, url, {k: gold[k] for k in FIELDS}, entities)


def _check_fields(where: str, gold: Mapping[str, Any]) -> None:
    checks: dict[str, tuple[Callable[[Any], bool], str]] = {
        "jurisdiction": (lambda v: isinstance(v, str) and bool(v.strip()), "a full name such as 天津市宁河区"),
        "level": (lambda v: v in LEVELS, f"one of {', '.join(LEVELS)}"),
        "report_year": (lambda v: isinstance(v, int) and not isinstance(v, bool), "a year such as 2023"),
        "published": (lambda v: isinstance(v, str) and bool(_DATE.fullmatch(v)), "a date YYYY-MM-DD"),
        "doc_type": (lambda v: v in DOC_TYPES, f"one of {', '.join(DOC_TYPES)}"),
    }
    for key, (ok, what) in checks.items():
        value = gold[key]
        if value is None and key != "doc_type":
            continue  # unknown in the report itself
        if not ok(value):
            raise GoldError(where, f"'gold.{key}' has value {value!r}; expected {what}")


# -- matching --------------------------------------------------------------------------------


def title_key(title: str) -> str:
    """The form titles are compared in: normalised, canonical spelling, no leading 中华人民共和国.

    >>> title_key("中华人民共和国行政复议法") == title_key("行政复议法")
    True
    """
    t = canonical_title(vocabulary.normalise(title.strip().strip("《》")))
    return t[len(NATIONAL_LAW_PREFIX) :] if t.startswith(NATIONAL_LAW_PREFIX) and len(t) > len(NATIONAL_LAW_PREFIX) else t


def name_key(name: str) -> str:
    """The form mechanism labels and names are compared in: normalised, no spaces or quotes."""
    return _QUOTES.sub("", re.sub(r"\s+", "", vocabulary.normalise(name)))


def text_key(text: str) -> str:
    """The form agency and government names are compared in: normalised, no spaces."""
    return re.sub(r"\s+", "", vocabulary.normalise(text))


@dataclass(slots=True)
class Predicted:
    """One distinct prediction: what it is shown as and the gold names (as keys) it may match."""

    shown: str
    keys: frozenset[str]


def is_government(m: Mention) -> bool:
    return m.attrs.get("org_kind") in vocabulary.GOVERNING_ORG_KINDS


def predictions(
    report: Report, voc: vocabulary.Vocabulary, separate_governments: bool = True
) -> dict[str, list[Predicted]]:
    """The distinct predictions of ``report`` per entity type, with the keys each may match."""
    out: dict[str, dict[str, Predicted]] = {t: {} for t in ENTITY_TYPES}
    for m in report.mentions:
        if m.type == "document":
            key = title_key(str(m.attrs.get("title") or m.text))
            out["documents"].setdefault(key, Predicted(key, frozenset({key})))
        elif m.type == "mechanism" and m.concept:
            if m.concept not in out["mechanisms"]:
                out["mechanisms"][m.concept] = Predicted(f"{m.canonical or m.concept} ({m.text})", _labels(voc, m))
        elif m.type == "agency":
            kind = "governments" if separate_governments and is_government(m) else "agencies"
            key = text_key(m.text)
            out[kind].setdefault(key, Predicted(m.text, frozenset({key})))
    return {t: list(v.values()) for t, v in out.items()}


def _labels(voc: vocabulary.Vocabulary, m: Mention) -> frozenset[str]:
    labels = set(m.labels)
    try:
        for cid in voc.counts_as("mechanism", str(m.concept)):
            labels.update(voc.concept("mechanism", cid).labels)
    except KeyError:  # a concept of another ontology folder: its own labels only
        pass
    return frozenset(name_key(label) for label in labels if label)


# -- scores ----------------------------------------------------------------------------------


@dataclass(slots=True)
class Counts:
    """Set sizes behind one precision/recall pair.

    ``found`` gold names are matched by some prediction (recall = found / gold); ``correct``
    predictions match some gold name (precision = correct / predicted).  An empty side is
    perfect by convention: nothing predicted is precision 1, nothing to find is recall 1.
    """

    gold: int = 0
    predicted: int = 0
    found: int = 0
    correct: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.gold + other.gold,
            self.predicted + other.predicted,
            self.found + other.found,
            self.correct + other.correct,
        )

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "found": self.found,
            "correct": self.correct,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass(frozen=True, slots=True)
class FieldResult:
    gold: Any
    predicted: Any

    @property
    def ok(self) -> bool:
        return bool(self.gold == self.predicted)


@dataclass(slots=True)
class ReportScore:
    name: str
    fields: dict[str, FieldResult]
    entities: dict[str, Counts]
    false_positives: dict[str, list[str]] = field(default_factory=dict)
    false_negatives: dict[str, list[str]] = field(default_factory=dict)

    @property
    def fields_correct(self) -> int:
        return sum(r.ok for r in self.fields.values())

    def as_json(self, errors: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "fields": {k: {"gold": r.gold, "predicted": r.predicted, "ok": r.ok} for k, r in self.fields.items()},
            "entities": {k: c.as_json() for k, c in self.entities.items()},
        }
        if errors:
            out["false_positives"] = self.false_positives
            out["false_negatives"] = self.false_negatives
        return out


@dataclass(slots=True)
class Scores:
    folder: str
    reports: list[ReportScore]

    def field_correct(self, name: str) -> int:
        return sum(r.fields[name].ok for r in self.reports)

    def field_accuracy(self, name: str) -> float:
        return self.field_correct(name) / len(self.reports) if self.reports else 1.0

    def totals(self) -> dict[str, Counts]:
        """Micro-averaged counts over the folder, per entity type."""
        out = {t: Counts() for t in ENTITY_TYPES}
        for r in self.reports:
            for t, c in r.entities.items():
                out[t] = out[t] + c
        return out

    def as_json(self, errors: bool = False) -> dict[str, Any]:
        n = len(self.reports)
        return {
            "folder": self.folder,
            "reports": n,
            "fields": {
                f: {"correct": self.field_correct(f), "total": n, "accuracy": round(self.field_accuracy(f), 4)}
                for f in FIELDS
            },
            "entities": {t: c.as_json() for t, c in self.totals().items()},
            "per_report": {r.name: r.as_json(errors) for r in self.reports},
        }


def report_fields(report: Report) -> dict[str, Any]:
    j = report.jurisdiction
    return {
        "jurisdiction": j.full_name if j else None,
        "level": j.level if j else None,
        "report_year": report.report_year,
        "published": report.published,
        "doc_type": report.doc_type,
    }


def score_report(gold: Gold, report: Report, voc: vocabulary.Vocabulary) -> ReportScore:
    """Compare what ``report`` yields with ``gold`` (pure: no files, no pipeline)."""
    predicted = report_fields(report)
    fields = {f: FieldResult(gold.fields[f], predicted[f]) for f in FIELDS}
    found = predictions(report, voc, gold.separate_governments)
    key_of: dict[str, Callable[[str], str]] = {
        "documents": title_key,
        "mechanisms": name_key,
        "agencies": text_key,
        "governments": text_key,
    }
    score = ReportScore(gold.name, fields, {})
    for etype in ENTITY_TYPES:
        if etype not in gold.entities:
            continue
        names = {key_of[etype](n): n for n in gold.entities[etype]}  # duplicates collapse
        preds = found[etype]
        matched = set().union(*(p.keys for p in preds)) if preds else set()
        fn = [shown for key, shown in names.items() if key not in matched]
        fp = [p.shown for p in preds if not p.keys & names.keys()]
        score.entities[etype] = Counts(len(names), len(preds), len(names) - len(fn), len(preds) - len(fp))
        score.false_negatives[etype] = fn
        score.false_positives[etype] = fp
    return score


Predict = Callable[[Path], Report]


def evaluate(gold_dir: str | Path, settings: Settings, predict: Predict | None = None) -> Scores:
    """Run the pipeline (or ``predict``) on every gold report of ``gold_dir`` and score it.

    Raises :class:`GoldError` for a bad gold folder (a missing or malformed file, a report
    text that cannot be read).
    """
    golds = load_gold(gold_dir)
    voc = vocabulary.load(settings.ontology)
    if predict is None:
        from kg.pipeline import Pipeline

        predict = Pipeline(settings).report
    reports = []
    for gold in golds:
        try:
            report = predict(gold.path)
        except InputError as exc:
            raise GoldError(exc.path, exc.reason) from None
        reports.append(score_report(gold, report, voc))
    return Scores(str(gold_dir), reports)


# -- rendering -------------------------------------------------------------------------------


def _prf(c: Counts) -> str:
    return f"{c.precision:.2f}/{c.recall:.2f}/{c.f1:.2f}"


def render(scores: Scores, errors: bool = False) -> str:
    """The scores as plain-text tables (what ``kg evaluate`` prints)."""
    n = len(scores.reports)
    lines = [f"{n} gold report(s) in {scores.folder}", "", f"{'report field':<14}{'correct':>9}{'accuracy':>10}"]
    for f in FIELDS:
        lines.append(f"{f:<14}{f'{scores.field_correct(f)}/{n}':>9}{scores.field_accuracy(f):>10.3f}")
    lines += ["", f"{'entity type':<13}" + "".join(f"{h:>10}" for h in ("gold", "predicted", "found", "correct"))]
    lines[-1] += "".join(f"{h:>11}" for h in ("precision", "recall", "f1"))
    for t, c in scores.totals().items():
        row = f"{t:<13}" + "".join(f"{v:>10}" for v in (c.gold, c.predicted, c.found, c.correct))
        lines.append(row + f"{c.precision:>11.3f}{c.recall:>11.3f}{c.f1:>11.3f}")
    lines += [
        "",
        "per report (precision/recall/f1)",
        f"{'report':<28}{'fields':>7}  " + "  ".join(f"{t:<14}" for t in ENTITY_TYPES),
    ]
    for r in scores.reports:
        cells = "  ".join(f"{_prf(r.entities[t]) if t in r.entities else '-':<14}" for t in ENTITY_TYPES)
        lines.append(f"{r.name:<28}{f'{r.fields_correct}/{len(r.fields)}':>7}  {cells}")
    if errors:
        lines += ["", "errors (FN: in the gold file, not found; FP: found, not in the gold file)"]
        for r in scores.reports:
            lines.append(r.name)
            for f, res in r.fields.items():
                if not res.ok:
                    lines.append(f"  field {f}: gold {res.gold!r}, predicted {res.predicted!r}")
            for t in ENTITY_TYPES:
                for label, items in (("FN", r.false_negatives.get(t, [])), ("FP", r.false_positives.get(t, []))):
                    if items:
                        lines.append(f"  {t} {label} ({len(items)}):")
                        lines.extend(f"    {item}" for item in items)
    return "\n".join(line.rstrip() for line in lines) + "\n"


# -- command ---------------------------------------------------------------------------------


@click.command("evaluate")
@click.argument("gold_dir", type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--show-errors", is_flag=True, help="List false negatives and false positives per report.")
def evaluate_command(gold_dir: str, as_json: bool, show_errors: bool) -> None:
    """Score extraction against a gold folder (NAME.txt + NAME.json per report).

    Prints the accuracy of the report fields and precision, recall and F1 of documents,
    mechanisms, agencies and governments, over the folder and per report. Exit 0, or 2
    on a bad gold folder (the file and the problem are named).
    """
    from kg import config

    try:
        settings = config.load()
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    try:
        scores = evaluate(gold_dir, settings)
    except GoldError as exc:
        click.echo(f"kg: bad gold folder: {exc}", err=True)
        raise SystemExit(2) from None
    except KGError as exc:
        click.echo(f"kg: {exc}", err=True)
        raise SystemExit(1) from None
    if as_json:
        click.echo(json.dumps(scores.as_json(show_errors), ensure_ascii=False, indent=2))
    else:
        click.echo(render(scores, show_errors), nl=False)


__all__ = [
    "ENTITY_TYPES",
    "FIELDS",
    "Counts",
    "Gold",
    "GoldError",
    "ReportScore",
    "Scores",
    "evaluate",
    "evaluate_command",
    "load_gold",
    "name_key",
    "render",
    "score_report",
    "text_key",
    "title_key",
]
