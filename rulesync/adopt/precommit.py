"""Add rulesync's hooks to a project's `.pre-commit-config.yaml`, keeping everything else.

ruamel.yaml's round trip keeps the user's comments, key order, quoting and indentation. A hook
id that any repo in the file already provides is not added again, so a second run adds nothing
and leaves the file byte for byte as it was.
"""

from __future__ import annotations

import io
import itertools
import re
from dataclasses import dataclass
from typing import Any

from rulesync import __version__
from rulesync.errors import Problem, RulesyncError

PRE_COMMIT_CONFIG = ".pre-commit-config.yaml"
#: Where pre-commit fetches rulesync's hooks from. A placeholder until the project is published.
RULESYNC_REPO = "https://github.com/rulesync-py/rulesync"
HOOK_IDS = ("rulesync-check", "identity-lint", "umlaut-lint")


@dataclass(frozen=True)
class HookUpdate:
    """The config file as it should be, and which hook ids that adds (none: unchanged)."""

    content: bytes
    added: tuple[str, ...]
    created: bool


def rulesync_rev() -> str:
    return f"v{__version__}"


def add_hooks(current: bytes | None) -> HookUpdate:
    """`.pre-commit-config.yaml` with rulesync's hooks added (the file's bytes, or None)."""
    if current is None or not current.strip():
        return HookUpdate(_new_config().encode("utf-8"), HOOK_IDS, current is None)
    text = _decode(current)
    data, yaml = _load(text)
    repos = _repos(data)
    missing = [hook for hook in HOOK_IDS if hook not in _hook_ids(repos)]
    if not missing:
        return HookUpdate(current, (), False)
    _add_to(repos, missing, separate=_has_blank_lines(text))
    out = io.StringIO()
    yaml.dump(data, out)
    result = out.getvalue()
    if "\r\n" in text:
        result = result.replace("\n", "\r\n")
    return HookUpdate(result.encode("utf-8"), tuple(missing), False)


def _new_config() -> str:
    hooks = "".join(f"      - id: {hook}\n" for hook in HOOK_IDS)
    return (
        "# See https://pre-commit.com for more information\n"
        "repos:\n"
        f"  - repo: {RULESYNC_REPO}\n"
        f"    rev: {rulesync_rev()}\n"
        "    hooks:\n"
        f"{hooks}"
    )


def _decode(current: bytes) -> str:
    try:
        return current.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RulesyncError(
            [Problem(PRE_COMMIT_CONFIG, "is not valid UTF-8", fix="save it as UTF-8")]
        ) from None


def _load(text: str) -> tuple[Any, Any]:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.util import load_yaml_guess_indent

    try:
        _data, sequence, offset = load_yaml_guess_indent(text)
        sequence, offset = sequence or 2, offset or 0
        yaml = YAML(typ="rt")
        yaml.preserve_quotes = True
        yaml.width = 4096  # never re-wrap the user's long lines
        mapping = _mapping_indent(text) or (sequence - offset if offset else sequence)
        yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
        yaml.explicit_start = text.lstrip().startswith("---")
        return yaml.load(text), yaml
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(error, "problem", None) or str(error)
        raise RulesyncError(
            [Problem(PRE_COMMIT_CONFIG, f"invalid YAML: {problem}", line, _manual_fix())]
        ) from None


_TOP_KEY = re.compile(r"^[\w\"'-]+:\s*(#.*)?$")
_NESTED_KEY = re.compile(r"^( +)[\w\"'-]+:")


def _mapping_indent(text: str) -> int | None:
    """The indent of a mapping nested in a top-level key (`ci:` then `  autofix:`), if any.

    ruamel guesses one indent from the sequences; a file indenting its mappings by 2 and its
    sequences by 4 (`  - repo:`) would otherwise have its other blocks re-indented.
    """
    lines = [
        line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]
    for line, following in itertools.pairwise(lines):
        nested = _NESTED_KEY.match(following)
        if _TOP_KEY.match(line) and nested:
            return len(nested.group(1))
    return None


def _repos(data: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if not isinstance(data, CommentedMap):
        raise RulesyncError(
            [Problem(PRE_COMMIT_CONFIG, "must be a mapping with a `repos:` list", 1)]
        )
    if data.get("repos") is None:
        data["repos"] = CommentedSeq()
    repos = data["repos"]
    if not isinstance(repos, CommentedSeq):
        line = data.lc.key("repos")[0] + 1
        raise RulesyncError(
            [Problem(PRE_COMMIT_CONFIG, "`repos` must be a list", line, _manual_fix())]
        )
    return repos


def _hook_ids(repos: Any) -> set[str]:
    ids: set[str] = set()
    for repo in repos:
        hooks = repo.get("hooks") if isinstance(repo, dict) else None
        for hook in hooks or []:
            if isinstance(hook, dict) and "id" in hook:
                ids.add(str(hook["id"]))
    return ids


def _add_to(repos: Any, missing: list[str], *, separate: bool) -> None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    ours = next((r for r in repos if isinstance(r, dict) and r.get("repo") == RULESYNC_REPO), None)
    if ours is not None and isinstance(ours.get("hooks"), list):
        for hook in missing:
            ours["hooks"].append(CommentedMap([("id", hook)]))
        return
    entry = CommentedMap(
        [
            ("repo", RULESYNC_REPO),
            ("rev", rulesync_rev()),
            ("hooks", CommentedSeq(CommentedMap([("id", hook)]) for hook in missing)),
        ]
    )
    repos.fa.set_block_style()
    repos.append(entry)
    if separate and len(repos) > 1:
        repos.yaml_set_comment_before_after_key(len(repos) - 1, before="\n")


def _has_blank_lines(text: str) -> bool:
    lines = text.split("\n")
    body = lines[: len(lines) - 1] if not lines[-1] else lines
    return any(not line.strip() for line in body[1:])


def _manual_fix() -> str:
    hooks = ", ".join(HOOK_IDS)
    return (
        f"fix it, or add the repo {RULESYNC_REPO} (rev {rulesync_rev()}) with hooks {hooks} by hand"
    )
