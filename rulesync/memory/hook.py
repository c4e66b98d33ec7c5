"""`rulesync memory hook`: index a memory file that an agent wrote with its own tools.

It runs after every file write of Claude Code (`PostToolUse`, tools Write, Edit, MultiEdit)
and Gemini CLI (`AfterTool`, tools write_file and replace). Both send the tool call as JSON
on stdin, with the written path at `tool_input.file_path` (absolute; Gemini resolves a
relative one against the payload's `cwd`). Most writes are not memory files, so the first
step is cheap string work on the path: no sqlite3, no click, no config. Only a `*.md` file
whose folder is this project's memory folder or the user's is indexed, and its MEMORY.md
rewritten when its block changes: by `hook_lean.py` on plain strings when it is sure to
leave what the store would, else by `Store.reindex` (`_index_fully`). When the payload holds
the file's text from before the write (Claude Code's and Gemini CLI's both do) and the edit
leaves the entry's MEMORY.md line and place as they were, the file goes to the journal of
`pending.py` instead of the index.

Hostile payloads: stdin is read up to `MAX_PAYLOAD` bytes; anything that is not the
expected shape, a path that is not a regular file (a symlink, a FIFO) and every error end
in exit 0 with at most a one-line note on stderr, never a traceback. A memory file holding
something shaped like a secret is not indexed: exit 2 tells the agent (Claude shows stderr
to the model after exit 2 of PostToolUse; Gemini sends it in place of the tool result).
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # not from typing: this module runs after every write, start-up counts
if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path
    from typing import IO

MAX_PAYLOAD = 4 << 20
EXIT_SECRET = 2


def main(stream: IO[bytes], root: str | Path | None = None) -> int:
    """The hook's exit code: 0 (nothing to do, or indexed), 2 (a secret in a memory file)."""
    try:
        return _main(stream, root)
    except Exception as error:  # a hook must never print a traceback into the agent's session
        print(f"rulesync memory hook: skipped ({_line(str(error))})", file=sys.stderr)
        return 0


def _main(stream: IO[bytes], root: str | Path | None) -> int:
    try:
        raw = stream.read(MAX_PAYLOAD + 1)
    except (OSError, ValueError):
        return 0
    if len(raw) > MAX_PAYLOAD:
        return 0  # no memory entry is this large (an entry file is at most 72 KiB)
    if not _mentions_memory(raw, os.environ):
        return 0  # most writes: no json, no pathlib, nothing more
    payload = _payload(raw)
    path = None if payload is None else written_path(payload)
    if path is None or not might_be_memory(path, os.environ):
        return 0
    return _index(path, root, original_text(payload))


def _mentions_memory(raw: bytes, environ: Mapping[str, str]) -> bool:
    """False only when the payload cannot name a memory file: it lacks `.md`, or both
    `memory` and the memory home's last name (when ASCII)."""
    if b".md" not in raw:
        return False
    if b"memory" in raw:
        return True
    for folder in (_memory_home(environ), _claude_custom(environ)):
        last = os.path.basename(folder or "")
        if not last:
            continue
        if not last.isascii() or '"' in last or "\\" in last:
            return True  # JSON may escape it: parse to be sure
        if last.encode() in raw:
            return True
    return False


def _payload(raw: bytes) -> dict[str, object] | None:
    from rulesync.lean_json import loads

    try:
        payload = loads(raw)  # json.loads, without importing json (and re) when it can
    except (ValueError, RecursionError):
        return None
    return payload if isinstance(payload, dict) else None


def written_path(payload: Mapping[str, object]) -> str | None:
    """The absolute, normalised path a Write/Edit/write_file/replace call wrote, or None."""
    tool_input = payload.get("tool_input")
    if not isinstance(tool_input, dict):
        return None
    path = tool_input.get("file_path")
    if not isinstance(path, str) or not path or "\x00" in path or len(path) > 4096:
        return None
    if not os.path.isabs(path):
        cwd = payload.get("cwd")
        if not isinstance(cwd, str) or not os.path.isabs(cwd) or "\x00" in cwd:
            return None
        path = os.path.join(cwd, path)
    return os.path.normpath(path)


def original_text(payload: Mapping[str, object] | None) -> bytes | None:
    """The file's text from before the write, or None. Claude Code's Write (an update) and
    Edit send it as `tool_response.originalFile` (2.1.197); Gemini CLI's write_file and
    replace as `tool_response.returnDisplay.originalContent`, with `isNewFile` (0.61.0).
    A text that cannot be the file's bytes (a U+FFFD from an undecodable file, a lone
    surrogate) is no evidence."""
    response = None if payload is None else payload.get("tool_response")
    if not isinstance(response, dict):
        return None
    original = response.get("originalFile")
    display = response.get("returnDisplay")
    if original is None and isinstance(display, dict) and display.get("isNewFile") is False:
        original = display.get("originalContent")
    if not isinstance(original, str) or "\ufffd" in original:
        return None
    try:
        return original.encode()
    except UnicodeEncodeError:
        return None


def might_be_memory(path: str, environ: Mapping[str, str]) -> bool:
    """Cheap: a visible `*.md` (not MEMORY.md) in a folder called `memory` or under the
    rulesync memory home. The exact check against the project's layout comes after."""
    folder, name = os.path.split(path)
    if not name.endswith(".md") or name.startswith(".") or name == "MEMORY.md":
        return False
    if os.path.basename(folder) == "memory":
        return True  # Claude Code's <config>/projects/<project>/memory/
    home = _memory_home(environ)
    if home and path.startswith(home.rstrip("/") + "/"):
        return True
    return folder == _claude_custom(environ)  # Claude's autoMemoryDirectory


def _claude_custom(environ: Mapping[str, str]) -> str | None:
    """Claude's `autoMemoryDirectory`, when set (claude_dir.py), as a string."""
    from rulesync.memory.claude_dir import memory_dir

    config = environ.get("CLAUDE_CONFIG_DIR")
    if config:
        claude_home = os.path.abspath(os.path.expanduser(config))
    else:
        claude_home = os.path.join(environ.get("HOME") or os.path.expanduser("~"), ".claude")
    return memory_dir(environ, claude_home)


def _memory_home(environ: Mapping[str, str]) -> str:
    """`layout.resolve`'s memory home, as a string (without importing pathlib or layout)."""
    explicit = environ.get("RULESYNC_MEMORY_HOME")
    if explicit:
        return os.path.abspath(os.path.expanduser(explicit))
    data = environ.get("XDG_DATA_HOME")
    if not data or not os.path.isabs(data):
        home = environ.get("HOME") or os.path.expanduser("~")
        data = os.path.join(home, ".local", "share")
    return os.path.join(data, "rulesync", "memory")


def _index(path: str, root: str | Path | None, original: bytes | None = None) -> int:
    if not os.environ.get("RULESYNC_NO_QUICK"):
        from rulesync.memory.hook_lean import SECRET, reindex

        start = os.path.realpath(os.fspath(root) if root else os.getcwd())
        done = reindex(path, start, os.environ, original)
        if done is not None:
            outcome, message = done
            if outcome == SECRET:
                print(message, file=sys.stderr)
                return EXIT_SECRET
            return 0
    return _index_fully(path, root)


def _index_fully(path: str, root: str | Path | None) -> int:
    """`Store.reindex`: the layout, the whole index and MEMORY.md, for any case."""
    import stat
    from pathlib import Path

    from rulesync.memory.layout import claude_is_target, project_root, resolve

    start = project_root((Path(root) if root else Path.cwd()).resolve())
    layout = resolve(start, os.environ, claude=claude_is_target(start))
    scope = _scope_of(path, layout.user_dir, layout.project_dir)
    if scope is None:
        return 0  # a file called *.md in some other `memory` folder: not ours
    from rulesync.memory.store import Store  # sqlite3 only now, for a memory file

    store = Store(layout)
    try:
        name = os.path.basename(path)
        try:
            status = os.lstat(path)
        except FileNotFoundError:
            store.reindex(scope, name)  # written, then removed: drop its row
            return 0
        if not stat.S_ISREG(status.st_mode):
            return 0
        secret = _secret_in(store.index.folder(scope), name)
        if secret is not None:
            print(secret, file=sys.stderr)
            return EXIT_SECRET
        store.reindex(scope, name)
    finally:
        store.close()
    for note in store.notes:
        print("note: " + _line(note), file=sys.stderr)
    return 0


def _scope_of(path: str, user_dir: Path, project_dir: Path) -> str | None:
    folder = os.path.realpath(os.path.dirname(path))
    if folder == os.path.realpath(project_dir):
        return "project"
    if folder == os.path.realpath(user_dir):
        return "user"
    return None


def _secret_in(folder: Path, name: str) -> str | None:
    from rulesync.memory import files
    from rulesync.memory.entry import MAX_FILE

    with files.open_folder(folder, create=False) as descriptor:
        raw = files.read_file(descriptor, name, MAX_FILE, display=str(folder / name))
    return None if raw is None else secret_message(str(folder / name), raw)


def secret_message(display: str, raw: bytes) -> str | None:
    """What the hook tells the agent when the file at `display` holds a secret, or None."""
    from rulesync.memory.secrets import find_secret

    found = find_secret({"file": raw.decode("utf-8", "replace")})
    if found is None:
        return None
    return (
        f"{display}:{found.line}: holds what looks like {found.kind}; not indexed. "
        "Remove it from the memory file: say where the secret is kept, never its value."
    )


def _line(text: str) -> str:
    from rulesync.terminal_text import printable

    return printable(text)[:300]
