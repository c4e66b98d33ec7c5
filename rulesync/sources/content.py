"""The content hash of the files a source supplies: what the lock records and check compares."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable


def content_hash(files: Iterable[tuple[str, str]]) -> str:
    """sha256 over `(relative path, sha256 of its bytes)`, sorted by path."""
    hasher = hashlib.sha256()
    for path, digest in sorted(files):
        hasher.update(f"{digest} {path}\n".encode("utf-8", "surrogatepass"))
    return hasher.hexdigest()


def file_digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
