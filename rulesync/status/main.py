"""`rulesync status [--json] [--for claude|tmux|plain]`, without click: a status line runs on
every refresh, so start-up is the cost (benchmarks/bench_status.py).

It never fails for what it reads: a missing, damaged or strange file makes its part `?`,
and the rest is still shown. Exit 0, or 2 for a bad option.
"""

from __future__ import annotations

import os
import sys
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any, TextIO

    from rulesync.status.memo import Memo
    from rulesync.status.render import Facts

FORMATS = ("claude", "tmux", "plain")
PROVIDERS = ("claude", "codex", "gemini")
MAX_STDIN = 1024 * 1024
USAGE = """\
Usage: rulesync status [--json] [--for claude|tmux|plain]

  Each provider's rate-limit use and reset, quota errors from dispatch's run log, and
  whether the mirrored rules are in sync, in one line for a status bar.

  --json        one JSON object for scripts
  --for claude  read Claude Code's statusLine JSON on stdin: keep its rate limits for the
                other agents, and show model, context use and cost first
  --for tmux    colours in tmux's #[fg=…] syntax
  --for plain   no colours (the default colours only on a terminal, unless NO_COLOR is set)
  -h, --help    this text

  Details: docs/status.md.
"""


class UsageError(Exception):
    pass


def main(args: Sequence[str], root: str | None = None) -> int:
    """The command; `root` is the project (default: the current directory)."""
    try:
        as_json, fmt = parse(args)
    except UsageError as error:
        print(f"rulesync status: {error}\n\n{USAGE}", file=sys.stderr, end="")
        return 2
    if fmt == "help":
        print(USAGE, end="")
        return 0
    text = run(
        os.environ,
        root or os.getcwd(),
        time.time(),
        as_json=as_json,
        fmt=fmt,
        stdin=sys.stdin if fmt == "claude" else None,
        tty=sys.stdout.isatty(),
    )
    try:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        pass
    return 0


def parse(args: Sequence[str]) -> tuple[bool, str | None]:
    as_json, fmt = False, None
    rest = list(args)
    while rest:
        word = rest.pop(0)
        if word in ("-h", "--help"):
            return False, "help"
        if word == "--json":
            as_json = True
        elif word == "--for" or word.startswith("--for="):
            value = word[6:] if word.startswith("--for=") else (rest.pop(0) if rest else "")
            if value not in FORMATS:
                raise UsageError(f"--for: use one of {', '.join(FORMATS)} (got `{value}`)")
            fmt = value
        else:
            raise UsageError(f"unknown option `{word}`")
    return as_json, fmt


def run(
    environ: Mapping[str, str],
    root: str,
    now: float,
    *,
    as_json: bool = False,
    fmt: str | None = None,
    stdin: TextIO | None = None,
    tty: bool = False,
) -> str:
    from rulesync.status import render

    payload = _claude_payload(stdin, environ, now) if fmt == "claude" else None
    facts = gather(environ, root, now, payload)
    if as_json:
        import json

        from rulesync.terminal_text import printable_json  # vendor words: no raw bidi or C1

        return printable_json(json.dumps(render.as_json(facts), ensure_ascii=False))
    return render.line(facts, _style(fmt, tty, environ))


def gather(
    environ: Mapping[str, str], root: str, now: float, payload: Mapping[str, Any] | None = None
) -> Facts:
    from rulesync.status.drift import drift_state
    from rulesync.status.limits import availabilities
    from rulesync.status.memo import Memo
    from rulesync.status.registry import read_all
    from rulesync.status.render import Facts
    from rulesync.status.runlog import quota_marks

    memo = Memo(environ)
    readings = read_all(environ, now, PROVIDERS, memo)
    available = availabilities(PROVIDERS, readings, quota_marks(environ, memo), now)
    try:
        rules = drift_state(os.path.abspath(root), memo)
    except Exception:  # never a traceback in a status bar
        rules = "?"
    stale = _memory_stale(os.path.abspath(root), environ, now, memo)
    memo.save()
    return Facts(now, readings, available, rules, payload, _lint(environ, root, rules), stale)


def _lint(
    environ: Mapping[str, str], root: str, rules: str | None
) -> tuple[str, int | None] | None:
    """The `lint` segment's facts in a rulesync project (rulesync.status.lintstate)."""
    if rules is None:
        return None
    from rulesync.status.lintstate import UNKNOWN, lint_state

    try:
        return lint_state(os.path.realpath(root), environ)
    except Exception:  # never a traceback in a status bar
        return UNKNOWN, None


def _memory_stale(root: str, environ: Mapping[str, str], now: float, memo: Memo) -> int | None:
    from rulesync.status.memory_stale import memory_stale

    try:
        return memory_stale(root, environ, now, memo)
    except Exception:  # never a traceback in a status bar; no count is no segment
        return None


def _claude_payload(stdin: TextIO | None, environ: Mapping[str, str], now: float) -> dict[str, Any]:
    """Claude's statusLine JSON ({} when absent or damaged); its rate limits are kept."""
    import json

    from rulesync.status.claude import remember

    try:
        raw = stdin.read(MAX_STDIN) if stdin is not None else ""
        payload = json.loads(raw) if raw.strip() else {}
    except (OSError, ValueError, RecursionError):
        payload = {}
    if not isinstance(payload, dict):
        return {}
    remember(payload, environ, now)
    return payload


def _style(fmt: str | None, tty: bool, environ: Mapping[str, str]) -> str:
    if fmt in ("tmux", "plain"):
        return fmt
    if fmt == "claude":
        return "plain" if environ.get("NO_COLOR") else "tty"
    return "tty" if tty and not environ.get("NO_COLOR") else "plain"
