"""Trust review: the shell lines a pack puts into your agents' files, accepted once each.

A shell line is a `` !`command` `` in any file a source supplies (Claude Code runs it when the
command is used; the Gemini rendering runs it as `!{…}`), and a file a pack ships as
executable (a skill's script). Each accepted line is recorded, by a hash of the repository,
the file and the line's text, in the user's state folder
(`$XDG_STATE_HOME/rulesync/trusted-shell-lines.json`): never in the project, so a pull request
cannot vouch for its own lines. A changed or new line is asked about again.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from rulesync.errors import Problem, RulesyncError
from rulesync.sources.overlay import Resolved

STORE_NAME = "trusted-shell-lines.json"


@dataclass(frozen=True)
class ShellLine:
    source: str  # the pack's label
    path: str  # inside the pack
    line: int  # 0: the whole file runs (an executable file)
    text: str
    key: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.path}" + (f":{self.line}" if self.line else "")
        return f"{where}: {self.text}"


class TrustRefused(RulesyncError):
    """New shell lines from a source were not accepted; nothing was written."""


def shell_lines(resolved: Resolved, hidden: frozenset[str] = frozenset()) -> list[ShellLine]:
    """Every shell line the source supplies, in file order (but in files a higher layer
    replaces: `hidden` holds their override keys). Found at checkout: nothing is read here."""
    found = []
    prefix = f"{resolved.spec.path}/" if resolved.spec.path else ""
    for relative in sorted(resolved.selected):
        if override_key(relative) in hidden:
            continue
        path = prefix + relative
        if relative in resolved.executable:
            found.append(_line(resolved, path, 0, "(an executable file, run as a script)"))
        found += [_line(resolved, path, n, text) for n, text in resolved.shell.get(relative, [])]
    return found


def _line(resolved: Resolved, path: str, number: int, text: str) -> ShellLine:
    key = hashlib.sha256(f"{resolved.spec.repo}\0{path}\0{text}".encode()).hexdigest()
    return ShellLine(resolved.spec.label, path, number, text, key)


def override_key(relative: str) -> str:
    """What a higher layer's file replaces: a skill's folder, else the file itself."""
    parts = relative.split("/")
    return "/".join(parts[:2]) if parts[0] == "skills" else relative


def untrusted(resolved: tuple[Resolved, ...], local: Path | None = None) -> list[ShellLine]:
    """The lines not accepted yet, in files that are rendered: a later source's or the
    project's own (`local`, the source folder) file of the same name replaces a pack's."""
    if not any(item.shell or item.executable for item in resolved):
        return []
    accepted = _accepted()
    pending = []
    for index, item in enumerate(resolved):
        lines = [line for line in shell_lines(item) if line.key not in accepted]
        if lines:
            hidden = _replaced(item, resolved[index + 1 :], local)
            pending += [line for line in shell_lines(item, hidden) if line.key not in accepted]
    return pending


def _replaced(item: Resolved, later: tuple[Resolved, ...], local: Path | None) -> frozenset[str]:
    """Override keys of the item's files that a later source or the project replaces."""
    above = {override_key(p) for other in later for p in other.selected}
    keys = {override_key(p) for p in (*item.shell, *item.executable)}
    if local is not None:
        above |= {key for key in keys if (local / key).exists()}
    return frozenset(above)


def accept(lines: list[ShellLine]) -> None:
    """Record the lines as accepted (atomically; the store is the user's own)."""
    if not lines:
        return
    keys = _accepted() | {line.key for line in lines}
    path = _store()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps({"accepted": sorted(keys)}, indent=0), "utf-8")
    os.replace(temporary, path)


def refusal(lines: list[ShellLine], why: str) -> TrustRefused:
    problems = [
        Problem(str(line), "a shell line from a source is not trusted yet") for line in lines
    ]
    problems.append(
        Problem("rulesync", f"{why}; nothing was written",
                fix="read the lines above, then run again with --yes to accept them")
    )  # fmt: skip
    return TrustRefused(problems)


def _store() -> Path:
    chosen = os.environ.get("RULESYNC_STATE_DIR")
    if not chosen:
        base = os.environ.get("XDG_STATE_HOME") or os.path.join(
            os.path.expanduser("~"), ".local", "state"
        )
        chosen = os.path.join(base, "rulesync")
    return Path(chosen) / STORE_NAME


def _accepted() -> set[str]:
    try:
        data = json.loads(_store().read_text("utf-8"))
        return {k for k in data["accepted"] if isinstance(k, str)}
    except (OSError, ValueError, KeyError, TypeError):
        return set()
