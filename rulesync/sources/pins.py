"""`.rulesync/sources.lock`: the commit each source resolved to and the hash of the files used.

Beside `mirror.lock`, and held to its guarantees: a link, a folder or a FIFO in its place is
refused, a damaged file is an error naming the fix, and nothing read from it is used before
it is checked (a commit is 40 hex digits, a hash 64). It is committed with the project, so a
teammate's mirror uses the same commit, and a tag moved upstream shows in `rulesync check`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from rulesync.errors import ConfigError, Problem
from rulesync.sources.spec import SourceSpec

PINS_NAME = "sources.lock"
PINS_VERSION = 1
HEX64 = re.compile(r"[0-9a-f]{64}")
COMMIT = re.compile(r"[0-9a-f]{40}")
FIX = "restore it from git, or delete it and run `rulesync mirror` (it pins every source again)"


@dataclass(frozen=True)
class Pin:
    repo: str
    rev: str
    path: str
    include: tuple[str, ...]
    commit: str
    content: str

    def matches(self, spec: SourceSpec) -> bool:
        """Same repo and rev: the commit holds. (path/include change only the content.)"""
        return self.repo == spec.repo and self.rev == spec.rev

    def same_selection(self, spec: SourceSpec) -> bool:
        return self.matches(spec) and self.path == spec.path and self.include == spec.include

    def as_json(self) -> dict[str, object]:
        return {
            "repo": self.repo, "rev": self.rev, "path": self.path,
            "include": list(self.include), "commit": self.commit, "content": self.content,
        }  # fmt: skip


def pins_path(source_dir: Path) -> Path:
    return source_dir / PINS_NAME


def read_pins(path: Path, display: str) -> tuple[Pin, ...]:
    from rulesync.sync.safety import NotAFile, read_regular

    try:
        raw = read_regular(path)
    except OSError as error:
        raise ConfigError([Problem(display, f"cannot read ({error.strerror})", fix=FIX)]) from None
    if raw is None:
        return ()
    if isinstance(raw, NotAFile):
        raise ConfigError([Problem(display, f"is {raw.what}, not a regular file", fix=FIX)])
    try:
        data = json.loads(raw)
        if data.get("version") != PINS_VERSION:
            raise ValueError(f"unknown version {data.get('version')!r}")
        return tuple(_pin(entry) for entry in data["sources"])
    except RecursionError:
        raise ConfigError([Problem(display, "damaged (nested too deeply)", fix=FIX)]) from None
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ConfigError([Problem(display, f"damaged ({error})", fix=FIX)]) from None


def _pin(entry: dict[str, object]) -> Pin:
    include = entry.get("include", [])
    if not isinstance(include, list):
        raise TypeError("include must be a list")
    pin = Pin(
        _text(entry["repo"]), _text(entry["rev"]), _text(entry.get("path", "")),
        tuple(_text(i) for i in include), _text(entry["commit"]), _text(entry["content"]),
    )  # fmt: skip
    if not COMMIT.fullmatch(pin.commit):
        raise ValueError(f"commit {pin.commit[:60]!r} is not 40 hex digits")
    if not HEX64.fullmatch(pin.content):
        raise ValueError(f"content hash {pin.content[:80]!r} is not 64 hex digits")
    return pin


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, not {type(value).__name__}")
    return value


def pins_bytes(pins: tuple[Pin, ...]) -> bytes:
    """Stable JSON, one source per line (readable in review)."""
    body = ",\n".join(f"    {json.dumps(p.as_json(), ensure_ascii=False)}" for p in pins)
    sources = f"[\n{body}\n  ]" if body else "[]"
    return f'{{\n  "version": {PINS_VERSION},\n  "sources": {sources}\n}}\n'.encode()


def pins_changed(source_dir: Path, pins: tuple[Pin, ...]) -> bool:
    from rulesync.sync.safety import read_regular

    return read_regular(pins_path(source_dir)) != pins_bytes(pins)


def write_pins(source_dir: Path, pins: tuple[Pin, ...]) -> bool:
    """Write the pins when they changed (atomically, never through a link); True if written."""
    from rulesync.sync.safety import read_regular
    from rulesync.sync.writer import write_atomic

    path = pins_path(source_dir)
    wanted = pins_bytes(pins)
    if read_regular(path) == wanted:
        return False
    write_atomic(path, wanted, root=source_dir)
    return True
