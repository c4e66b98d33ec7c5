"""Reading files, running rules over them, and fixing what they flag.

The cheap path first: each rule's optional `might_match(text)` looks at the raw text (one
regex pass), and only when some rule might find something is the Markdown parsed into a
prose view. Most files in a commit have nothing to report and never pay for the parse.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence

from lints.document import Document, Kind
from lints.errors import UnreadableFileError
from lints.finding import Finding
from lints.registry import RULES, Rule, might_match

TYPE_CHECKING = False  # not from typing: a pre-commit run imports this module
if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from lints.record import NamedTuple

TEXT_SUFFIXES = frozenset({".txt", ".text"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd", ".mdx"})
BOM = "\ufeff"
#: Files larger than this are linted piece by piece (`lints.stream`): flat memory.
STREAM_FROM = 1 << 20


class Source(NamedTuple):
    """A file's decoded text without its byte-order mark, and whether it had one."""

    text: str
    bom: bool = False


def kind_for(path: str | os.PathLike[str]) -> Kind:
    """Plain text for `.txt`; Markdown for everything else."""
    return "text" if suffix(path).lower() in TEXT_SUFFIXES else "markdown"


def is_lintable(path: str | os.PathLike[str]) -> bool:
    """Whether the lints read files with this name by default (Markdown and plain text)."""
    return suffix(path).lower() in TEXT_SUFFIXES | MARKDOWN_SUFFIXES


def suffix(path: str | os.PathLike[str]) -> str:
    """`Path(path).suffix`, without importing pathlib (a tenth of a one-file lint run)."""
    text = os.fspath(path).replace(os.altsep or os.sep, os.sep)
    parts = [part for part in text.split(os.sep) if part not in ("", ".")]
    name = parts[-1] if parts else ""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def read_source(path: str | os.PathLike[str], display: str | None = None) -> Source:
    """Read and decode a file. Raises UnreadableFileError naming the file and the fix."""
    from pathlib import Path

    shown = display or str(path)
    try:
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise UnreadableFileError(f"{shown}: is a directory, not a file") from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise UnreadableFileError(f"{shown}: cannot read it ({reason})") from None
    return decode(data, shown)


def decode(data: bytes, shown: str) -> Source:
    if b"\x00" in data:
        raise binary_file(shown)
    text = decode_utf8(data, shown)
    if text.startswith(BOM):
        return Source(text[1:], bom=True)
    return Source(text)


def binary_file(shown: str) -> UnreadableFileError:
    return UnreadableFileError(
        f"{shown}: looks binary (it contains NUL bytes); lint only Markdown and text files"
    )


def decode_utf8(data: bytes, shown: str, lines_before: int = 0) -> str:
    """`data` as UTF-8; an error names the line, counting `lines_before` lines before it."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = lines_before + data.count(b"\n", 0, error.start) + 1
        byte = data[error.start : error.start + 1].hex()
        raise UnreadableFileError(
            f"{shown}: line {line}: not valid UTF-8 (byte 0x{byte}); "
            "save the file as UTF-8, or leave it out of the lint"
        ) from None


def document_from_text(path: str, text: str, kind: Kind | None = None) -> Document:
    """A Document with its prose view. Offsets are those of `text` (BOM already removed)."""
    from lints.prose import extract

    chosen = kind or kind_for(path)
    extracted = extract(text, chosen)
    return Document(path, text, extracted.prose, chosen, extracted.html)


def load_document(path: str | os.PathLike[str], display: str | None = None) -> Document:
    shown = display or str(path)
    return document_from_text(shown, read_source(path, shown).text, kind_for(path))


def lint_document(doc: Document, rules: Iterable[Rule]) -> list[Finding]:
    """All findings of `rules` in `doc` that no suppression comment switches off, and the
    suppression comments that would switch nothing off, sorted."""
    from lints.suppress import problems, unsuppressed

    rules = list(rules)
    findings = {finding for rule in rules for finding in rule.check(doc)}
    known = {*RULES, *(rule.name for rule in rules)}
    return sorted([*unsuppressed(doc, findings), *problems(doc, known)], key=finding_order)


def lint_text(
    path: str, text: str, rules: Sequence[Rule], kind: Kind | None = None
) -> list[Finding]:
    """Lint decoded text, parsing the Markdown only when some rule might find something."""
    chosen = kind or kind_for(path)
    candidates = [rule for rule in rules if might_match(rule, text, chosen)]
    if not candidates:
        return []
    return lint_document(document_from_text(path, text, chosen), candidates)


def lint_file(
    path: str | os.PathLike[str], rules: Sequence[Rule], display: str | None = None
) -> list[Finding]:
    shown = display or str(path)
    return lint_text(shown, read_source(path, shown).text, rules, kind_for(path))


def fixable(findings: Iterable[Finding]) -> list[Finding]:
    """The findings `apply_fixes` would apply: with a suggestion, not overlapping, by offset."""
    chosen: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (f.start, f.end)):
        if finding.suggestion is None or finding.end <= finding.start:
            continue
        if chosen and finding.start < chosen[-1].end:
            continue
        chosen.append(finding)
    return chosen


def apply_fixes(text: str, findings: Iterable[Finding]) -> str:
    """`text` with each fixable finding's span replaced by its suggestion; nothing else."""
    pieces: list[str] = []
    done = 0
    for finding in fixable(findings):
        pieces.extend((text[done : finding.start], finding.suggestion or ""))
        done = finding.end
    pieces.append(text[done:])
    return "".join(pieces)


def write_source(path: str | os.PathLike[str], source: Source) -> None:
    """Write UTF-8 (with the BOM if the file had one) atomically: temp file, then replace."""
    import tempfile
    from pathlib import Path

    target = Path(path)
    data = ((BOM if source.bom else "") + source.text).encode("utf-8")
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        _copy_mode(target, Path(temp))
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _copy_mode(original: os.PathLike[str], temp: os.PathLike[str]) -> None:
    try:  # noqa: SIM105 - contextlib is one more import on the pre-commit path
        os.chmod(temp, os.stat(original).st_mode & 0o7777)
    except OSError:
        pass


def finding_order(finding: Finding) -> tuple[int, int, str, int]:
    return finding.line, finding.col, finding.rule, finding.end
