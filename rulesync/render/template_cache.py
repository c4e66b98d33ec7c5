"""The templates' compiled code, kept between runs in jinja2's own bytecode cache.

Lexing, parsing and compiling the templates was ~7 ms of every run that renders. The cache
is `templates-VERSION/` in rulesync's cache folder (rulesync.source.cache); jinja2 checks
each entry against the template's source and against its own and Python's versions, and
compiles again when one differs. An entry that cannot be read is compiled again too: the
cache only ever saves time. The entries are code, so they are used only from a real folder
the user owns that no one else may write to (as Python's own `__pycache__`); otherwise, and
with `RULESYNC_NO_CACHE=1`, the templates are compiled in memory.

Imported only by rulesync.render.templates, when it builds the jinja2 environment.
"""

from __future__ import annotations

import os
import stat

import jinja2
from jinja2.bccache import Bucket

from rulesync import __version__
from rulesync.source.cache import cache_dir


class _FolderCache(jinja2.FileSystemBytecodeCache):
    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a truncated or damaged entry (jinja2 raises): compile again
            bucket.reset()


def bytecode_cache() -> jinja2.BytecodeCache | None:
    """jinja2's cache of compiled templates in a private folder of rulesync's cache."""
    base = cache_dir()
    if base is None or not hasattr(os, "geteuid"):
        return None
    folder = os.path.join(base, f"templates-{__version__}")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        status = os.lstat(folder)
    except OSError:
        return None
    return _FolderCache(folder) if private_folder(status) else None


def private_folder(status: os.stat_result) -> bool:
    """A real folder of this user that no one else may write to."""
    return (
        stat.S_ISDIR(status.st_mode)
        and status.st_uid == os.geteuid()
        and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )
