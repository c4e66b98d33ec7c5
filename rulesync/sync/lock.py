"""The lock file: what mirror wrote, by hash, so hand edits and orphans can be told apart."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from rulesync import __version__
from rulesync.errors import ConfigError, Problem
from rulesync.record import Frozen
from rulesync.render.outputs import Warning

LOCK_NAME = "mirror.lock"
LOCK_VERSION = 1
#: a name of an entry rulesync wrote into a merged file (`mcp.github`); names are data only
ENTRY_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,199}")
#: json.dumps(value, ensure_ascii=False), without building an encoder per call (~1,400 a run)
_as_json = json.JSONEncoder(ensure_ascii=False).encode


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


class Entry(Frozen):
    __slots__ = ("sha256", "source", "targets")
    sha256: str
    source: str
    targets: tuple[str, ...]

    def __init__(self, sha256: str, source: str, targets: tuple[str, ...]) -> None:
        self._set(sha256=sha256, source=source, targets=targets)


class Merged(Frozen):
    """A user's file rulesync added entries to: its hash after the mirror, and the names of
    the entries rulesync wrote there, so that the next mirror can take out exactly those of
    them the source no longer declares."""

    __slots__ = ("sha256", "names")  # noqa: RUF023 - the field order
    sha256: str
    names: tuple[str, ...]

    def __init__(self, sha256: str, names: tuple[str, ...] = ()) -> None:
        self._set(sha256=sha256, names=names)


class Lock(Frozen):
    """`files`: owned outputs. `merged`: user files we added entries to (never orphaned).
    `inputs`: fingerprint of everything rendering read, set only after a complete mirror.
    `warnings`: those of the render that wrote these files, shown again when nothing changed.

    Records here are `Frozen` (rulesync.record), not dataclasses: building a dataclass costs
    about a millisecond at import, and every mirror and check imports this module."""

    __slots__ = ("files", "merged", "inputs", "warnings")  # noqa: RUF023 - the field order
    files: dict[str, Entry]
    merged: dict[str, Merged]
    inputs: str | None
    warnings: tuple[Warning, ...]

    def __init__(
        self,
        files: dict[str, Entry] | None = None,
        merged: dict[str, Merged] | None = None,
        inputs: str | None = None,
        warnings: tuple[Warning, ...] = (),
    ) -> None:
        self._set(
            files={} if files is None else files,
            merged={} if merged is None else merged,
            inputs=inputs,
            warnings=warnings,
        )

    def to_bytes(self) -> bytes:
        """Stable JSON, one file per line (diffs of the lock stay readable in review)."""
        files = ",\n".join(
            f"    {json.dumps(path)}: "
            + _as_json({"sha256": e.sha256, "source": e.source, "targets": list(e.targets)})
            for path, e in sorted(self.files.items())
        )
        merged = ",\n".join(
            f"    {json.dumps(p)}: " + _as_json({"sha256": m.sha256, "names": list(m.names)})
            for p, m in sorted(self.merged.items())
        )
        head = {
            "version": LOCK_VERSION,
            "generator": f"rulesync {__version__}",
            "inputs": self.inputs,
        }
        lines = [f"  {json.dumps(k)}: {json.dumps(v)}," for k, v in head.items()]
        warnings = ",\n".join(
            "    " + _as_json({"path": w.path, "line": w.line, "message": w.message})
            for w in self.warnings
        )
        blocks = ",\n".join(
            (_block("files", files), _block("merged", merged), _list_block("warnings", warnings))
        )
        text = "{\n" + "\n".join(lines) + "\n" + blocks + "\n}\n"
        return text.encode("utf-8")


def _list_block(name: str, body: str) -> str:
    return f'  "{name}": [\n{body}\n  ]' if body else f'  "{name}": []'


def _block(name: str, body: str) -> str:
    return f'  "{name}": {{\n{body}\n  }}' if body else f'  "{name}": {{}}'


def lock_path(source_dir: Path) -> Path:
    return source_dir / LOCK_NAME


LOCK_FIX = "restore it from git, or delete it and run `rulesync mirror --force`"


def read_lock(path: Path, display: str) -> Lock:
    """The lock as recorded; its paths are not trusted yet (see `PathGuard.lock_problem`)."""
    from rulesync.sync.safety import NotAFile, read_regular

    try:
        raw = read_regular(path)
    except OSError as error:
        raise ConfigError(
            [Problem(display, f"cannot read the lock file ({error.strerror})", fix=LOCK_FIX)]
        ) from None
    if raw is None:
        return Lock()
    if isinstance(raw, NotAFile):
        raise ConfigError(
            [
                Problem(
                    display,
                    f"the lock file is {raw.what}, not a regular file",
                    fix="move it away (or restore it from git), then run `rulesync mirror`",
                )
            ]
        )
    try:
        data = json.loads(raw)
        files = {p: _entry(e) for p, e in data.get("files", {}).items()}
        merged = {p: _merged(m) for p, m in data.get("merged", {}).items()}
        warnings = tuple(
            Warning(w["path"], w["message"], w.get("line")) for w in data.get("warnings", [])
        )
        return Lock(files, merged, data.get("inputs"), warnings)
    except RecursionError:
        raise ConfigError(
            [Problem(display, "lock file is damaged (nested too deeply)", fix=LOCK_FIX)]
        ) from None
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ConfigError(
            [
                Problem(
                    display,
                    f"lock file is damaged ({error})",
                    fix="restore it from git, or delete it and run `rulesync mirror --force`",
                )
            ]
        ) from None


def _entry(data: dict[str, object]) -> Entry:
    targets = data.get("targets", ())
    if not isinstance(targets, (list, tuple)):
        raise TypeError(f"targets must be a list, not {targets!r}")
    return Entry(_text(data["sha256"]), _text(data.get("source", "")), tuple(map(_text, targets)))


def _merged(data: object) -> Merged:
    """`{"sha256": …, "names": […]}`, or a bare hash (locks written before names were kept)."""
    if isinstance(data, str):
        return Merged(data)
    if not isinstance(data, dict):
        raise TypeError(f"a merged entry must be an object, not {data!r}")
    names = data.get("names", [])
    if not isinstance(names, list):
        raise TypeError(f"names must be a list, not {names!r}")
    for name in names:
        if not isinstance(name, str) or not ENTRY_NAME.fullmatch(name):
            raise ValueError(f"{name!r:.80} is not the name of an entry rulesync writes")
    return Merged(_text(data["sha256"]), tuple(names))


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, not {value!r}")
    return value
