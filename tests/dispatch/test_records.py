"""Dispatch's records are `Frozen` classes, not dataclasses: same defaults, equality and
immutability, and no `dataclasses` (with `inspect`) imported on the way to the vendor."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rulesync.dispatch.command import Options
from rulesync.dispatch.dispatcher import Job
from rulesync.dispatch.request import Invocation, Request
from rulesync.dispatch.result import Attempt, Result
from rulesync.dispatch.runlog import _COLUMNS, Row
from rulesync.dispatch.settings import DispatchSettings, TargetSettings

DISPATCH_MODULES = (
    "quick", "command", "chain", "dispatcher", "routing", "rules", "runner", "settings",
    "result", "classify", "messages", "runlog", "capture", "proctree", "request",
)  # fmt: skip


def test_the_dispatch_modules_do_not_import_dataclasses() -> None:
    imports = "; ".join(f"import rulesync.dispatch.{name}" for name in DISPATCH_MODULES)
    check = f"import sys; {imports}; print(sorted({{'dataclasses', 'inspect'}} & set(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_defaults_are_those_of_the_dataclasses() -> None:
    assert Options() == Options(None, None, None, None, None, prompt=())
    assert Options().trust is False and Options().prompt == ()
    request = Request("claude", "hi", ("claude",))
    assert (request.model, request.args, request.trust, request.rules) == (None, (), False, None)
    assert Invocation(("claude",), None).env == {}
    assert DispatchSettings().targets == {} and DispatchSettings().roles == {}
    assert DispatchSettings().for_target("claude") == TargetSettings()
    job = Job(Path("/p"), ("claude",), "hi", "r1", {})
    assert (job.sync, job.brief, job.skipped, job.exhausted) == (True, True, (), None)


def test_records_are_immutable_compared_and_repr_by_field() -> None:
    request = Request("claude", "hi", ("claude",))
    with pytest.raises(AttributeError, match="frozen"):
        request.prompt = "other"  # type: ignore[misc]
    assert request == Request("claude", "hi", ("claude",))
    assert request != Request("claude", "hi", ("claude",), trust=True)
    assert hash(request) == hash(Request("claude", "hi", ("claude",)))
    assert repr(request).startswith("Request(target='claude', prompt='hi', command=('claude',),")
    assert pickle.loads(pickle.dumps(request)) == request


def _row() -> Row:
    return Row(
        "r1", 1, None, "claude", None, "ok", 0, 0, 0.5, "2026-01-01T00:00:00Z", 2, "ab", None,
        None, "claude finished", "/p",
    )  # fmt: skip


def test_run_log_row_columns_and_dict_keep_the_field_order() -> None:
    assert _COLUMNS[:7] == (
        "run_id", "attempt", "parent_run_id", "target", "model", "class", "exit_code",
    )  # fmt: skip
    data = _row().as_dict()
    assert list(data)[:5] == ["run_id", "attempt", "parent_run_id", "target", "model"]
    assert data["class"] == "ok" and "failure_class" not in data
    assert data["cwd"] == "/p" and len(data) == len(_COLUMNS)


def test_result_reads_its_last_attempt() -> None:
    attempt = Attempt("claude", None, "ok", 0, 0.1, "t", None, "claude finished", "", False)
    result = Result("r1", None, (attempt,))
    assert result.note is None and result.message == "claude finished"
    assert result.exit_code == 0


#: A dispatch run up to the vendor's start, in a fresh interpreter: `run_process` is replaced
#: by one that prints which of these modules are loaded by then, and stops.
_TO_THE_EXEC = """
import sys
import rulesync.dispatch.dispatcher as dispatcher
def stop(*args, **kwargs):
    print(sorted({'dataclasses', 'inspect', 'typing'} & set(sys.modules)))
    raise SystemExit(0)
dispatcher.run_process = stop
from rulesync.cli import main
main(['dispatch', '--to', 'claude', 'hi'])
"""


def test_a_dispatch_in_a_project_imports_no_dataclasses_or_typing_before_the_exec(
    build_tree: Callable[[dict[str, str]], Path], fakes: Any, run_cli: Callable[..., Any]
) -> None:
    root = build_tree(
        {
            "rulesync.yaml": (
                "targets: [claude, codex]\nscopes: nested\npackages: [pkg/*]\n"
                "lint:\n  umlaut: {lang: de}\ndispatch:\n  roles:\n    code: [codex, claude]\n"
            ),
            ".rulesync/rules/main.md": "---\nroot: true\n---\n# Rules\n\nBe brief.\n",
            ".rulesync/rules/api.md": "---\nglobs: [pkg/api/**]\n---\n# API\n\nTest it.\n",
        }
    )
    assert run_cli("-C", root, "mirror").exit_code == 0
    _date_back(root, 60)  # files written this second are never vouched for by the memo
    assert run_cli("-C", root, "dispatch", "--to", "claude", "hi").exit_code == 0  # the memo
    done = subprocess.run(
        [sys.executable, "-c", _TO_THE_EXEC], cwd=root, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def _date_back(root: Path, seconds: float) -> None:
    when = time.time() - seconds
    for folder, dirs, files in os.walk(root):
        for name in (*dirs, *files):
            os.utime(os.path.join(folder, name), (when, when), follow_symlinks=False)
