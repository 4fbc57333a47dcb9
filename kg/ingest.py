"""Stage ``ingest``: file bytes -> :class:`kg.model.Report`.

Reads a file, tells text from binary, finds the encoding (UTF-8, UTF-16, GB18030,
Big5 ...), turns HTML into text, drops the page boilerplate around a scraped report
(menus, breadcrumbs, share bars, footers) by the rules in
``ontology/ingest/boilerplate.tsv``, and builds the normalised match form
``Report.norm``: the cleaned text character for character (same length, so offsets
carry over), with full-width ASCII made half-width, every space a plain space and
traditional characters made simplified.

A file that is not a usable report raises :class:`kg.errors.InputError` naming the
file and the reason (empty, binary, garbled, not a report ...).  Data files, read once
from ``ontology/ingest/`` (the ``ontology`` setting): ``boilerplate.tsv`` (the page
boilerplate rules), ``t2s_overrides.tsv`` and ``char_variants.tsv`` (the match form;
jionlp's traditional -> simplified table is read from its package without importing
it), ``common_chars.txt`` (the 3,500 common characters that tell Chinese from garbage).

>>> normalise("ＡＢ１２３（區縣）")
'AB123(区县)'
"""

from __future__ import annotations

import codecs
import hashlib
import importlib.util
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from kg import config
from kg.errors import DataFileError, InputError
from kg.model import Report

NAME = "ingest"
REQUIRES: tuple[str, ...] = ()
PROVIDES = ("source", "text", "norm", "id", "encoding")

__all__ = [
    "MIN_HAN",
    "NAME",
    "PROVIDES",
    "REQUIRES",
    "SUFFIXES",
    "clean",
    "decode",
    "from_bytes",
    "html_to_text",
    "iter_inputs",
    "normalise",
    "read",
    "report_id",
]

#: file suffixes read as reports (compared case-insensitively)
SUFFIXES: tuple[str, ...] = (".htm", ".html", ".txt")
#: a report has at least this many Chinese characters after cleaning
MIN_HAN = 200
#: boilerplate rules only touch lines up to this many characters
MAX_RULE_LINE = 100
#: a body paragraph: at least this many characters and a sentence-ending mark
PARAGRAPH_MIN = 40
#: the page head (where cut and prefix rules apply) is at most this many non-blank lines
HEAD_MAX_LINES = 60
#: garbled text: fewer than this share of its Han characters are common ones
MIN_COMMON_SHARE = 0.85
#: a decoding whose Han characters are this much common ones is taken without trying others
GOOD_COMMON_SHARE = 0.95
#: garbled text: more than this share of its characters are U+FFFD
MAX_REPLACED_SHARE = 0.005
#: characters of cleaned text sampled for the garbled-text test and codec choice
SAMPLE_CHARS = 2000

_ONTOLOGY_ENV = next(s.env for s in config.SETTINGS if s.name == "ontology")
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive, e.g. DOCX or XLSX"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office document, e.g. DOC or XLS"),
    (b"{\\rtf", "RTF document"),
    (b"\x1f\x8b", "gzip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\x7fELF", "executable"),
    (b"MZ\x90\x00", "Windows executable"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
#: codecs tried, in order, for a file that is not UTF-8 (GB2312 and GBK are read as their superset GB18030)
_LEGACY = ("gb18030", "big5", "cp950", "big5hkscs")
_CONTROL_CHAR = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_CONTROL_BYTES = bytes([*range(0x01, 0x09), *range(0x0E, 0x1A), *range(0x1C, 0x20)])
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_HTML_START = re.compile(
    r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.IGNORECASE | re.DOTALL
)

_HAN_RUN = re.compile("[\u3400-\u9fff\uf900-\ufaff][\u3400-\u9fff\uf900-\ufaff]*")  # faster than [...]+
_HAN_HIGH_BYTES = bytes(range(0x34, 0xA0))  # high bytes of U+3400-U+9FFF in UTF-16
_SENTENCE_END = re.compile("[。！？；]")
_ODD_BREAK = re.compile("[\x0b\x0c\x85\u2028\u2029]")
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff]")
_ODD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u200b-\u200d\u2028\u2029\u2060\ufeff]")
_SPACE_RUN = re.compile(r"[ \t]+")
_LEADING_SPACE = re.compile(r"^\\s[*+]\??")
_TITLE_SPLIT = re.compile(r"\s+[-–—|｜]\s+|[_|｜]")


# --------------------------------------------------------------------------- inputs


def iter_inputs(paths: Iterable[str | Path]) -> Iterator[Path | InputError]:
    """The report files named by ``paths``: files as given, folders searched recursively.

    Folders yield their ``.txt``/``.html``/``.htm`` files (case-insensitive, hidden
    names skipped) sorted by name, depth first; a file reached twice is yielded once.
    A path that cannot be used yields an :class:`InputError` instead of raising, so
    the caller can report it and go on: a missing path, a named file of another type,
    a folder with no report files, a folder that cannot be listed.
    """
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = False
            for item in _walk(path, set()):
                found = True
                if isinstance(item, Path):
                    key = item.resolve()
                    if key in seen:
                        continue
                    seen.add(key)
                yield item
            if not found:
                yield InputError(str(path), f"folder holds no report files ({', '.join(SUFFIXES)})")
        elif not path.exists():
            yield InputError(str(path), "no such file or directory")
        elif path.suffix.lower() not in SUFFIXES:
            kind = path.suffix or "without a suffix"
            yield InputError(str(path), f"unsupported file type {kind} (supported: {', '.join(SUFFIXES)})")
        elif path.resolve() not in seen:
            seen.add(path.resolve())
            yield path


def _walk(folder: Path, visited: set[Path]) -> Iterator[Path | InputError]:
    real = folder.resolve()
    if real in visited:  # a symlink loop
        return
    visited.add(real)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as err:
        yield InputError(str(folder), _os_reason(err))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        if entry.is_dir():
            yield from _walk(path, visited)
        elif entry.is_file() and path.suffix.lower() in SUFFIXES:
            yield path


def _os_reason(err: OSError) -> str:
    if isinstance(err, FileNotFoundError):
        return "no such file or directory"
    if isinstance(err, IsADirectoryError):
        return "is a directory, not a file"
    if isinstance(err, PermissionError):
        return "permission denied"
    return f"cannot read: {(err.strerror or str(err)).lower()}"


# --------------------------------------------------------------------------- reading


def read(path: str | Path) -> Report:
    """Read one report file; raise :class:`InputError` naming it when it is no usable report."""
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise InputError(str(path), _os_reason(err)) from None
    return from_bytes(data, str(path))


def from_bytes(data: bytes, source: str) -> Report:
    """A report from the bytes of a file; ``source`` names it in the report and in errors.

    HTML (by the suffix of ``source`` or by its first tag) is turned into text first.
    """
    text, encoding = decode(data, source)
    title = None
    if source.lower().endswith((".html", ".htm")) or _HTML_START.match(text):
        text, title = html_to_text(text)
    cleaned = clean(text)
    if title:
        cleaned = _with_title(cleaned, title)
    norm = normalise(cleaned)
    _check_report(norm, source)
    report = Report(source=source, text=cleaned, norm=norm, id=report_id(norm), encoding=encoding)
    replaced = cleaned.count("\ufffd")
    if replaced:
        report.warnings.append(f"{source}: {replaced} undecodable byte sequence(s) replaced by U+FFFD")
    report.stages.append("ingest")
    return report


def report_id(norm: str) -> str:
    """The report's id: the first 16 hex digits of the SHA-256 of its normalised text."""
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16]


def _check_report(norm: str, source: str) -> None:
    """Raise :class:`InputError` when the normalised cleaned text is garbled or too short for a report."""
    sample = norm[:SAMPLE_CHARS]
    han = _han_total(sample)
    latin = sample.encode("utf-8").count(b"\xc3")  # U+00C0-U+00FF: UTF-8 read as Latin-1 gives å, æ, ç ...
    if latin >= 20 and latin > han:
        raise InputError(
            source,
            "garbled text (mojibake): Latin-1 letters where Chinese should be "
            "(UTF-8 read as Latin-1 or cp1252 and saved again?)",
        )
    replaced = sample.count("\ufffd")
    if replaced > 10 and replaced > MAX_REPLACED_SHARE * len(sample):
        raise InputError(
            source, f"garbled text (mojibake): {replaced} characters lost as U+FFFD in the first {len(sample)}"
        )
    if han >= 50:
        share = 1.0 - _rare_total(sample) / han
        if share < MIN_COMMON_SHARE:
            raise InputError(
                source,
                f"garbled text (mojibake): only {share:.0%} of its Chinese characters are common ones "
                f"(a report has over {MIN_COMMON_SHARE:.0%}; wrong encoding?)",
            )
    if han < MIN_HAN and len(norm) > len(sample):
        han = _han_total(norm)
    if han < MIN_HAN:
        raise InputError(
            source, f"does not look like a report: {han} Chinese characters after cleaning (at least {MIN_HAN})"
        )


def _han_total(text: str) -> int:
    """Han characters (U+3400-U+9FFF) in ``text``, counted in C by the high bytes of its UTF-16 code units."""
    high = text.encode("utf-16-le", "surrogatepass")[1::2]
    return len(high) - len(high.translate(None, _HAN_HIGH_BYTES))


def _rare_total(norm: str) -> int:
    """Han characters (U+3400-U+9FFF) of the normalised text ``norm`` that are not common ones."""
    return len(_tables(_data_dir()).rare.findall(norm))


def _common_share(text: str) -> float:
    """Share of the Han characters near the start of ``text`` that are common ones (0 when none).

    When the start has few (the head of an HTML page: scripts, styles), the Han
    characters of the first 100,000 characters are sampled instead.
    """
    sample = text[:SAMPLE_CHARS]
    if _han_total(sample) < SAMPLE_CHARS // 10:
        sample = "".join(_HAN_RUN.findall(text, 0, 100_000))[:SAMPLE_CHARS]
    sample = normalise(sample)
    han = _han_total(sample)
    return 1.0 - _rare_total(sample) / han if han else 0.0


# --------------------------------------------------------------------------- decoding


def decode(data: bytes, source: str) -> tuple[str, str]:
    """The text of ``data`` and the name of its encoding; ``source`` names the file in errors.

    In order: a byte-order mark (UTF-8, UTF-16, UTF-32); NUL bytes mean UTF-16 without
    a mark or a binary file; strict UTF-8 (a file that is valid UTF-8 is UTF-8, whatever
    its HTML meta says: scrapers re-encode pages and keep the meta); then the GB or Big5
    charset an HTML ``<meta>`` declares, GB18030 (which reads GB2312 and GBK too) and
    Big5, the first that decodes strictly into text with a report's share of common
    characters, or else the one with the largest share; a nearly valid UTF-8, GB18030
    or Big5 file with its few bad bytes replaced; last, charset-normalizer's guess.
    """
    if not data:
        raise InputError(source, "empty file")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                raise InputError(
                    source, f"cannot decode: starts with a {codec} byte-order mark but is not {codec}"
                ) from None
    if b"\x00" in data[:65536]:
        return _decode_utf16(data, source)
    _check_binary(data, source)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _decode_legacy(data, source, _declared_charset(data))


def _check_magic(data: bytes, source: str) -> None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise InputError(source, f"binary file ({kind}), not text")


def _check_binary(data: bytes, source: str) -> None:
    _check_magic(data, source)
    head = data[:2048]
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if controls > 0.01 * len(head):
        raise InputError(source, "binary file (control bytes), not text")


def _decode_utf16(data: bytes, source: str) -> tuple[str, str]:
    """UTF-16 without a byte-order mark (NULs nearly all on odd, or on even, offsets), else binary.

    ASCII characters put their NUL on one side; a few Han characters (一 U+4E00) on the other.
    """
    _check_magic(data, source)
    head = data[:65536]
    odd = head[1::2].count(0)
    even = head[0::2].count(0)
    codec = "utf-16-le" if odd > 4 * even else "utf-16-be" if even > 4 * odd else ""
    if codec and len(data) % 2 == 0:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            text = ""
        if text and len(_CONTROL_CHAR.findall(text[:2048])) <= 0.01 * len(text[:2048]):
            return text, codec
    raise InputError(source, "binary file (contains NUL bytes), not text")


def _declared_charset(data: bytes) -> str | None:
    """The charset of an HTML ``<meta charset>`` or ``http-equiv`` content type, GB ones as gb18030."""
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii").lower()
    if name.startswith(("gb", "x-gb", "cp936")):
        return "gb18030"
    try:
        return codecs.lookup(name.removeprefix("x-x-")).name
    except LookupError:
        return None


def _decode_legacy(data: bytes, source: str, declared: str | None) -> tuple[str, str]:
    """Text that is not UTF-8: the declared codec, GB18030 or Big5, the one that reads as Chinese.

    A codec whose text has a report's share of common characters wins at once (the
    declared one is tried first); otherwise the best of those that decode strictly, or
    failing that, of those that decode with at most a few bad bytes.
    """
    order = [declared] if declared in _LEGACY else []
    candidates: list[tuple[float, str, str]] = []
    for codec in [*order, *_LEGACY]:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        share = _common_share(text)
        if share >= GOOD_COMMON_SHARE:
            return text, codec
        candidates.append((share, text, codec))
    if not candidates:
        for codec in ("utf-8", *_LEGACY):
            text = data.decode(codec, errors="replace")
            if text.count("\ufffd") <= MAX_REPLACED_SHARE * len(text):
                candidates.append((_common_share(text), text, codec))
    if candidates:
        _, text, codec = max(candidates, key=lambda c: c[0])
        return text, codec
    return _decode_guess(data, source)


def _decode_guess(data: bytes, source: str) -> tuple[str, str]:
    from charset_normalizer import from_bytes as detect

    best = detect(data).best()
    if best is None:
        raise InputError(source, "cannot decode: not UTF-8, UTF-16, GB18030 or Big5 text")
    return str(best), best.encoding


# --------------------------------------------------------------------------- HTML


class _HTMLText(HTMLParser):
    """Body text of an HTML page: one line per block element, chrome elements left out."""

    SKIP = frozenset({"script", "style", "nav", "noscript", "iframe", "template", "svg", "select", "button", "aside"})
    CHROME = frozenset({"header", "footer"})  # skipped unless inside <article> or <main>
    BLOCK = frozenset(
        {"address", "article", "blockquote", "br", "center", "dd", "div", "dl", "dt", "figcaption", "figure"}
        | {"form", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main", "ol", "p", "pre", "section"}
        | {"table", "tbody", "thead", "tfoot", "tr", "ul"}
    )
    VOID = frozenset(
        {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
    )
    MARK = "\x00"  # a source line break inside text: dropped between CJK characters, else a space

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self._skip: list[str] = []  # open elements inside a skipped element
        self._in_title = False
        self._pre = 0
        self._content = 0  # depth of <article>/<main>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            if tag in self.BLOCK and not self._skip:
                self.parts.append("\n")
            return
        if self._skip:
            self._skip.append(tag)
            return
        if self._in_title and (tag == "body" or tag in self.BLOCK):  # a <title> left open
            self._in_title = False
        style = (dict(attrs).get("style") or "").replace(" ", "").lower()
        hidden = any(name == "hidden" for name, _ in attrs) or "display:none" in style
        if tag in self.SKIP or hidden or (tag in self.CHROME and not self._content):
            self._skip.append(tag)
        elif tag == "title":
            self._in_title = True
        else:
            self._content += tag in ("article", "main")
            self._pre += tag == "pre"
            if tag in self.BLOCK:
                self.parts.append("\n")
            elif tag in ("td", "th"):
                self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if self._skip:
            if tag in self._skip:
                while self._skip.pop() != tag:
                    pass
            return
        if tag == "title":
            self._in_title = False
        elif tag in self.BLOCK:
            self.parts.append("\n")
        if tag in ("article", "main") and self._content:
            self._content -= 1
        if tag == "pre" and self._pre:
            self._pre -= 1

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._in_title:
            self.title.append(data)
        elif self._pre:
            self.parts.append(data)
        else:
            self.parts.append(_HTML_SPACE.sub(lambda m: self.MARK if "\n" in m.group() else " ", data))


_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_MARK_BETWEEN_CJK = re.compile(f"(?<=[{_CJK}])\x00+(?=[{_CJK}])")


def html_to_text(html: str) -> tuple[str, str]:
    """The body text of an HTML page and its ``<title>``.

    Scripts, styles, menus (``nav``), page headers and footers (unless inside
    ``<article>``/``<main>``), ``aside``, ``iframe`` and hidden elements are left out;
    block elements and ``<br>`` become line breaks, entities are unescaped.
    """
    parser = _HTMLText()
    parser.feed(html.replace("\x00", ""))
    parser.close()
    body = _MARK_BETWEEN_CJK.sub("", "".join(parser.parts)).replace("\x00", " ")
    title = _SPACE_RUN.sub(" ", "".join(parser.title).replace("\n", " ")).strip()
    return body, title


def _with_title(text: str, title: str) -> str:
    """``text`` with the page title as its first line, unless a line near its top has it."""
    segment = max(_TITLE_SPLIT.split(title), key=len).strip()
    key = _squash(segment)
    if len(key) < 4:
        return text
    for line in text.split("\n", HEAD_MAX_LINES)[:HEAD_MAX_LINES]:
        have = _squash(line)
        if len(have) >= 4 and (key in have or (have in key and 2 * len(have) >= len(key))):
            return text
    return f"{segment}\n{text}" if text else segment


def _squash(line: str) -> str:
    return "".join(normalise(line).split())


# --------------------------------------------------------------------------- boilerplate


@dataclass(frozen=True, slots=True)
class _Matcher:
    """The patterns of one kind, joined: those anchored with ^ are tried at the line start only."""

    anchored: re.Pattern[str] | None
    floating: re.Pattern[str] | None

    def __call__(self, line: str) -> bool:
        return bool((self.anchored and self.anchored.match(line)) or (self.floating and self.floating.search(line)))


@dataclass(frozen=True, slots=True)
class _Rules:
    line: _Matcher
    prefix: _Matcher
    tail: _Matcher
    keep: _Matcher
    cut_any: _Matcher  # all cut patterns at once, to skip the lines none of them matches
    cut: tuple[re.Pattern[str], ...]


_KINDS = ("line", "cut", "prefix", "tail", "keep")


def clean(text: str) -> str:
    """``text`` without page boilerplate, each line stripped, runs of blank lines made one.

    The rules are read from ``ontology/ingest/boilerplate.tsv`` (see its header).  They
    touch only short lines outside the body (before its first paragraph or after its
    last), so the body between stays as it is.
    """
    rules = _rules(_data_dir())
    lines = [line.strip() for line in _plain_lines(text).split("\n")]
    paragraphs = [i for i, line in enumerate(lines) if len(line) >= PARAGRAPH_MIN and _SENTENCE_END.search(line)]
    first, last = (paragraphs[0], paragraphs[-1]) if paragraphs else (len(lines), -1)
    head_end = min(first, _nth_nonblank(lines, HEAD_MAX_LINES))
    start = _prefix_end(lines, head_end, rules)
    end = _tail_start(lines, last + 1, rules)
    out: list[str] = []
    for i in range(end):
        line = lines[i]
        if i < start and (i == start - 1 or not rules.keep(line)):
            continue
        if line and len(line) <= MAX_RULE_LINE and (i < first or i > last):
            # cut first: a header line that ends in page tools (来源:… 发布时间:… 字号 【打印】)
            # keeps its labels; a line that is only tools is cut to nothing
            if i < head_end and rules.cut_any(line):
                line = _cut(line, rules.cut)
                if not line:
                    continue
            if rules.line(line):
                continue
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def _plain_lines(text: str) -> str:
    """``text`` with every line break a ``\\n`` and invisible characters (controls, zero-width) dropped."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _ODD.search(text):
        text = _ODD_BREAK.sub("\n", _INVISIBLE.sub("", text))
    return text


def _nth_nonblank(lines: list[str], n: int) -> int:
    """Index just past the ``n``-th non-blank line (or the end)."""
    for i, line in enumerate(lines):
        if line:
            n -= 1
            if n == 0:
                return i + 1
    return len(lines)


def _prefix_end(lines: list[str], head_end: int, rules: _Rules) -> int:
    """Index just past the last prefix line of the head (0 when there is none)."""
    start = 0
    for i in range(head_end):
        if lines[i] and len(lines[i]) <= MAX_RULE_LINE and rules.prefix(lines[i]):
            start = i + 1
    return start


def _tail_start(lines: list[str], after: int, rules: _Rules) -> int:
    """Index of the first tail line at or after ``after`` (the end when there is none)."""
    for i in range(after, len(lines)):
        if lines[i] and len(lines[i]) <= MAX_RULE_LINE and rules.tail(lines[i]):
            return i
    return len(lines)


def _cut(line: str, cuts: tuple[re.Pattern[str], ...]) -> str:
    for pattern in cuts:
        line = pattern.sub("", line)
    return line.strip()


@lru_cache(maxsize=4)
def _rules(folder: Path) -> _Rules:
    path = folder / "boilerplate.tsv"
    found: dict[str, list[str]] = {kind: [] for kind in _KINDS}
    for number, cells in _tsv_rows(path):
        kind, pattern = cells[0], cells[1] if len(cells) > 1 else ""
        if kind not in found:
            raise DataFileError(str(path), f"unknown kind {kind!r} (allowed: {', '.join(_KINDS)})", number)
        try:
            re.compile(pattern)
        except re.error as err:
            raise DataFileError(str(path), f"bad pattern {pattern!r}: {err}", number) from None
        if not pattern:
            raise DataFileError(str(path), "empty pattern", number)
        found[kind].append(pattern)

    def union(kind: str, anchored: bool) -> re.Pattern[str] | None:
        patterns = [p for p in found[kind] if _anchored(p) == anchored]
        if not patterns:
            return None
        try:
            return re.compile("|".join(f"(?:{p})" for p in patterns))
        except re.error as err:
            raise DataFileError(
                str(path), f"{kind} patterns do not combine ({err}): no named groups or global flags"
            ) from None

    def matcher(kind: str) -> _Matcher:
        return _Matcher(union(kind, True), union(kind, False))

    cut = tuple(re.compile(p) for p in found["cut"])
    # the pre-filter of cut patterns drops their leading \s*: it matches where they do, and faster
    found["cut"] = [_LEADING_SPACE.sub("", p) or p for p in found["cut"]]
    return _Rules(matcher("line"), matcher("prefix"), matcher("tail"), matcher("keep"), matcher("cut"), cut)


def _anchored(pattern: str) -> bool:
    """Whether ``pattern`` can only match at the start: it starts with ^ and has no top-level |."""
    if not pattern.startswith("^"):
        return False
    depth, i, in_class = 0, 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 1
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            return False
        i += 1
    return True


def _tsv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of a data file, comments and blank lines skipped."""
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise DataFileError(str(path), f"cannot read: {err}") from None
    for number, raw in enumerate(content.split("\n"), 1):
        line = raw.rstrip("\r")
        if line.strip() and not line.startswith("#"):
            yield number, line.split("\t")


def _data_dir() -> Path:
    """``ontology/ingest`` of the settings' ontology folder (cached per environment value)."""
    return _data_dir_for(os.environ.get(_ONTOLOGY_ENV, ""))


@lru_cache(maxsize=8)
def _data_dir_for(env_value: str) -> Path:
    return config.load().ontology / "ingest"


# --------------------------------------------------------------------------- normalising


@dataclass(frozen=True, slots=True)
class _Tables:
    mapping: dict[int, str]
    single: dict[str, str]  # the same mapping keyed by character
    mappable: re.Pattern[str]  # captured runs of characters that normalise changes
    rare: re.Pattern[str]  # a Han character (U+3400-U+9FFF) that is not a common one


def normalise(text: str) -> str:
    """The match form of ``text``: same length, one character for one.

    Full-width ASCII (U+FF01-U+FF5E) becomes ASCII, every space a plain space, Kangxi
    radicals and compatibility ideographs their unified ideograph, traditional
    characters simplified ones (jionlp's table, corrected by
    ``ontology/ingest/t2s_overrides.tsv``), and the variants of
    ``ontology/ingest/char_variants.tsv`` their common form.  Chinese punctuation such as
    、。“”《》【】 is kept, and so are characters beyond the Basic Multilingual Plane
    (a class of BMP characters keeps the scan fast).
    """
    tables = _tables(_data_dir())
    parts = tables.mappable.split(text)  # text, run, text, run ... (the pattern captures the runs)
    if len(parts) > 1:
        single = tables.single.get
        parts[1::2] = [single(run) or run.translate(tables.mapping) for run in parts[1::2]]
    return "".join(parts)


@lru_cache(maxsize=4)
def _tables(folder: Path) -> _Tables:
    forms: dict[str, str] = {chr(cp): chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
    for cp in range(0x10000):
        char = chr(cp)
        if char.isspace() and char not in " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029":
            forms[char] = " "
    for lo, hi in ((0x2E80, 0x2FDF), (0xF900, 0xFAFF), (0xFE10, 0xFE6F)):
        for cp in range(lo, hi + 1):
            folded = unicodedata.normalize("NFKC", chr(cp))
            if len(folded) == 1 and folded != chr(cp):
                forms[chr(cp)] = folded
    forms.update(_char_pairs(folder / "char_variants.tsv"))
    t2s = _jionlp_t2s()
    t2s.update(_char_pairs(folder / "t2s_overrides.tsv"))
    step = {**t2s, **forms}
    mapping: dict[int, str] = {}
    for char in step:
        target = char
        for _ in range(4):  # follow chains: ﹁ -> 「 -> “ ; a compatibility ideograph -> traditional -> simplified
            target = forms.get(target, t2s.get(target, target))
        if target != char and ord(char) < 0x10000:
            mapping[ord(char)] = target
    # re scans a class of BMP characters fast (a bitmap), and [c][c]* faster than [c]+
    mappable = "[" + "".join(re.escape(chr(cp)) for cp in sorted(mapping)) + "]"
    common = set(_common_chars(folder))
    rare = "[" + "".join(chr(cp) for cp in range(0x3400, 0xA000) if chr(cp) not in common) + "]"
    single = {chr(cp): target for cp, target in mapping.items()}
    return _Tables(mapping, single, re.compile(f"({mappable}{mappable}*)"), re.compile(rare))


def _char_pairs(path: Path) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for number, cells in _tsv_rows(path):
        if len(cells) < 2 or len(cells[0]) != 1 or len(cells[1]) != 1:
            raise DataFileError(str(path), "expected from<TAB>to<TAB>comment, one character each", number)
        pairs[cells[0]] = cells[1]
    return pairs


def _jionlp_t2s() -> dict[str, str]:
    """jionlp's traditional -> simplified character table, read without importing jionlp."""
    spec = importlib.util.find_spec("jionlp")
    folders = list(spec.submodule_search_locations or []) if spec else []
    if not folders:
        raise DataFileError("jionlp/dictionary/tra2sim_char.txt", "not found: install jionlp (pip install jionlp)")
    table: dict[str, str] = {}
    for _, cells in _tsv_rows(Path(folders[0]) / "dictionary" / "tra2sim_char.txt"):
        if len(cells) == 2 and len(cells[0]) == 1 and len(cells[1]) == 1:
            table[cells[0]] = cells[1]
    return table


def _common_chars(folder: Path) -> str:
    path = folder / "common_chars.txt"
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise DataFileError(str(path), f"cannot read: {err}") from None
    chars = "".join("".join(line.split()) for line in content.split("\n") if not line.startswith("#"))
    if not chars:
        raise DataFileError(str(path), "no characters")
    return chars
