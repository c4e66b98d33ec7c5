"""`rulesync init`: what to write (worked out first, so a problem writes nothing), then write it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rulesync.errors import Problem, RulesyncError
from rulesync.source.config import CONFIG_NAME

from .detect import existing_setups
from .init_files import config_file, skeleton
from .precommit import PRE_COMMIT_CONFIG, HookUpdate, add_hooks
from .sourcefile import SourceFile


@dataclass(frozen=True)
class InitPlan:
    root: Path
    files: tuple[SourceFile, ...]  # to create; none exists yet
    hooks: HookUpdate
    setups: tuple[str, ...]  # existing setups `rulesync import` can bring in


def plan_init(root: Path, targets: Sequence[str], *, hooks_only: bool = False) -> InitPlan:
    """Raises RulesyncError (writing nothing) when rulesync.yaml exists or a file is unreadable."""
    config = root / CONFIG_NAME
    if config.exists() and not hooks_only:
        raise RulesyncError(
            [
                Problem(
                    CONFIG_NAME,
                    "exists already; init never overwrites it (nothing was written)",
                    fix="edit it by hand, or run `rulesync init --hooks-only` to add just the "
                    "pre-commit hooks",
                )
            ]
        )
    hooks = add_hooks(_read(root / PRE_COMMIT_CONFIG))
    setups = tuple(existing_setups(root))
    files: list[SourceFile] = []
    if not hooks_only:
        files.append(config_file(targets, "init"))
        files += skeleton(root, starter=not setups)
    return InitPlan(root, tuple(files), hooks, setups)


def apply_init(plan: InitPlan) -> None:
    from rulesync.sync.writer import write_atomic

    for file in plan.files:
        write_atomic(plan.root / file.path, file.content)
    if plan.hooks.added:
        write_atomic(plan.root / PRE_COMMIT_CONFIG, plan.hooks.content)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError as error:
        raise RulesyncError(
            [Problem(path.name, f"cannot read: {error.strerror}", fix="check its permissions")]
        ) from None
