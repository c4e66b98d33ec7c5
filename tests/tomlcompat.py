"""`tomllib` on Python 3.11+, its backport `tomli` on 3.10 (the versions the package declares)."""

from __future__ import annotations

import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised by the 3.10 run in .ci/run
    import tomli as tomllib

__all__ = ["tomllib"]
