"""`sqlite_api.sqlite3()`: the extension module without `functools`, and nothing left behind."""

from __future__ import annotations

import subprocess
import sys

_USE = """
import sys
{before}
from rulesync.memory.sqlite_api import sqlite3
module = sqlite3()
print(module.__name__, "functools" in sys.modules)
connection = module.connect(":memory:")
connection.execute("CREATE TABLE t (x)")
for number in range(1000):  # 300 distinct statements: past the statement cache's 128
    connection.execute(f"INSERT INTO t VALUES ({{number % 300}})")
print(connection.execute("SELECT count(*), sum(x) FROM t").fetchone())
try:
    connection.execute("SELECT nothing FROM nowhere")
except module.Error as error:
    print(type(error).__name__)
import functools
print(functools.partial.__module__, functools.reduce(lambda a, b: a + b, [1, 2, 3]))
"""


def _run(before: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", _USE.format(before=before)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_the_extension_is_loaded_without_functools_and_caches_statements() -> None:
    assert _run("") == [
        "_sqlite3 False",
        "(1000, 139500)",
        "OperationalError",
        "functools 6",  # the real module, imported afresh: the stand-in is gone
    ]


def test_a_functools_already_imported_is_left_as_it_is() -> None:
    lines = _run("import functools\nreal = functools")
    assert lines[0] == "_sqlite3 True"
    assert lines[1:] == ["(1000, 139500)", "OperationalError", "functools 6"]
