"""The lock file: what mirror wrote, by hash, so hand edits and orphans can be told apart."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from rulesync import __version__
from rulesync.errors import ConfigError, Problem

LOCK_NAME = "mirror.lock"
LOCK_VERSION = 1


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@dataclass(frozen=True)
class Entry:
    sha256: str
    source: str
    targets: tuple[str, ...]


@dataclass(frozen=True)
class Lock:
    """`files`: owned outputs. `merged`: user files we added entries to (never orphaned).
    `inputs`: fingerprint of everything rendering read, set only after a complete mirror."""

    files: dict[str, Entry] = field(default_factory=dict)
    merged: dict[str, str] = field(default_factory=dict)
    inputs: str | None = None

    def to_bytes(self) -> bytes:
        data = {
            "version": LOCK_VERSION,
            "generator": f"rulesync {__version__}",
            "inputs": self.inputs,
            "files": {
                path: {"sha256": e.sha256, "source": e.source, "targets": list(e.targets)}
                for path, e in sorted(self.files.items())
            },
            "merged": dict(sorted(self.merged.items())),
        }
        return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def lock_path(source_dir: Path) -> Path:
    return source_dir / LOCK_NAME


def read_lock(path: Path, display: str) -> Lock:
    if not path.is_file():
        return Lock()
    try:
        data = json.loads(path.read_bytes())
        files = {
            p: Entry(e["sha256"], e.get("source", ""), tuple(e.get("targets", ())))
            for p, e in data.get("files", {}).items()
        }
        return Lock(files, dict(data.get("merged", {})), data.get("inputs"))
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
