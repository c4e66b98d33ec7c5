"""The failure classes of a dispatch, their exit codes and what each means.

A tiny module on purpose: `--help`, settings and the chain need the names and codes before
the vendor runs; the matching itself (classify.py) is imported only after it exits.
"""

from __future__ import annotations

from rulesync.errors import EXIT_USAGE

OK = "ok"
NOT_INSTALLED = "not-installed"
AUTH = "auth"
QUOTA = "quota"
UNTRUSTED = "untrusted-workspace"
TIMEOUT = "timeout"
INTERRUPTED = "interrupted"
FAILED = "failed"

#: Failure class -> exit code of `rulesync dispatch`. The codes follow conventions where one
#: exists: sysexits.h (75 temporary failure, 77 permission denied, 78 configuration), GNU
#: timeout (124), the shell's "command not found" (127) and SIGINT (128 + 2).
EXIT_CODES: dict[str, int] = {
    OK: 0,
    FAILED: 1,
    QUOTA: 75,
    AUTH: 77,
    UNTRUSTED: 78,
    TIMEOUT: 124,
    NOT_INSTALLED: 127,
    INTERRUPTED: 130,
}
#: The target's mirrored rules are not in place (stale with --no-sync, or edited by hand);
#: the vendor was not started.
EXIT_RULES_NOT_IN_PLACE = 3

#: (exit code, name, meaning) for `--help` and the docs, in exit-code order.
EXIT_CODE_TABLE: tuple[tuple[int, str, str], ...] = (
    (0, OK, "the vendor CLI finished with exit code 0"),
    (1, FAILED, "the vendor CLI failed for another reason"),
    (EXIT_USAGE, "usage", "bad option, bad rulesync.yaml or source error; nothing ran"),
    (
        EXIT_RULES_NOT_IN_PLACE,
        "rules",
        "rules stale with --no-sync, or edited by hand; nothing ran",
    ),
    (75, QUOTA, "rate limit or usage quota; the reset time is shown when printed"),
    (77, AUTH, "not logged in, or no valid API key"),
    (78, UNTRUSTED, "the CLI does not trust the folder (see --trust)"),
    (124, TIMEOUT, "no result within --timeout; the vendor and what it started were killed"),
    (127, NOT_INSTALLED, "the CLI is not on PATH, or its local server is down"),
    (130, INTERRUPTED, "Ctrl-C or SIGTERM; the vendor and what it started were killed"),
)
