"""The one wrapper around `git`: a missing binary, a failure or no network is a clear error.

Only `cache` calls it, and only on `rulesync sources update|fetch` or when the cache lacks
the pinned commit. Transports are limited (no `ext::`), prompts are off, and the user's and
system's git config cannot add hooks or aliases to the cache's bare repositories.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from rulesync.errors import ConfigError, Problem

#: `file` for local packs (monorepos, tests); ext:: and fd:: would run commands.
ALLOWED_PROTOCOLS = "file:git:http:https:ssh"


class GitFailed(ConfigError):
    """git ran and failed (exit != 0), or could not run."""


def git(
    args: Sequence[str], *, cwd: Path | None = None, label: str, stdin: bytes | None = None
) -> bytes:
    """Run `git ARGS` and return its stdout; raise GitFailed naming the source `label`."""
    import subprocess  # only here: reading a cached pack never runs git

    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            input=stdin if stdin is not None else b"",
            capture_output=True,
            env=_environment(),
            check=False,
        )
    except FileNotFoundError:
        raise GitFailed(
            [Problem(label, "git is not installed", fix="install git, then run the command again")]
        ) from None
    except OSError as error:
        raise GitFailed([Problem(label, f"cannot run git: {error.strerror}")]) from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        why = message[-1] if message else f"exit {done.returncode}"
        raise GitFailed([Problem(label, f"git {args[0]} failed: {why}")])
    return done.stdout


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_TERMINAL_PROMPT="0",
        GIT_ALLOW_PROTOCOL=ALLOWED_PROTOCOLS,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        LC_ALL="C",
    )
    for key in ("GIT_SSH_COMMAND", "GIT_SSH"):  # ssh keys and agents the user set up
        if key in os.environ:
            env[key] = os.environ[key]
    return env
