"""Add rulesync's hooks to a project's `.pre-commit-config.yaml`, keeping everything else.

The hooks are a `repo: local` entry that runs the `rulesync` installed on the machine
(`language: system`), with the same settings as this package's .pre-commit-hooks.yaml: it works
today, with no published repository to fetch, and runs the same version as the CLI.

ruamel.yaml's round trip keeps the user's comments, key order, quoting and indentation. A hook
id that any repo in the file already provides is not added again, so a second run adds nothing
and leaves the file byte for byte as it was. An entry for the placeholder repository that
earlier versions of `init` wrote (it never existed) is replaced by the local hooks.
"""

from __future__ import annotations

import io
import itertools
import re
from dataclasses import dataclass
from typing import Any

from rulesync.errors import Problem, RulesyncError

PRE_COMMIT_CONFIG = ".pre-commit-config.yaml"
#: What earlier versions of `init` wrote as the hooks' repository: it was never published.
PLACEHOLDER_REPO = "https://github.com/rulesync-py/rulesync"
LOCAL = "local"
TEXT_FILES = ("markdown", "plain-text")
#: Each hook as a local hook: the settings of .pre-commit-hooks.yaml, run by the installed CLI.
HOOKS: dict[str, dict[str, Any]] = {
    "rulesync-check": {
        "name": "rulesync check",
        "entry": "rulesync check",
        "language": "system",
        "pass_filenames": False,
        "always_run": True,
    },
    "identity-lint": {
        "name": "identity lint",
        "entry": "rulesync lint --only identity",
        "language": "system",
        "types_or": list(TEXT_FILES),
        "require_serial": False,
    },
    "umlaut-lint": {
        "name": "umlaut lint",
        "entry": "rulesync lint --only umlaut",
        "language": "system",
        "types_or": list(TEXT_FILES),
        "require_serial": False,
    },
}
HOOK_IDS = tuple(HOOKS)
LOCAL_NOTE = "rulesync's hooks run the installed `rulesync`: it must be on PATH when you commit"


@dataclass(frozen=True)
class HookUpdate:
    """The config file as it should be, and which hook ids that adds (none: unchanged)."""

    content: bytes
    added: tuple[str, ...]
    created: bool


def add_hooks(current: bytes | None) -> HookUpdate:
    """`.pre-commit-config.yaml` with rulesync's hooks added (the file's bytes, or None)."""
    if current is None or not current.strip():
        return HookUpdate(_new_config().encode("utf-8"), HOOK_IDS, current is None)
    text = _decode(current)
    data, yaml = _load(text)
    repos = _repos(data)
    replaced = _drop_placeholder(repos)
    missing = [hook for hook in HOOK_IDS if hook not in _hook_ids(repos)]
    if not missing:
        return HookUpdate(current, (), False)
    _add_to(repos, missing, separate=_has_blank_lines(text) and not replaced)
    out = io.StringIO()
    yaml.dump(data, out)
    result = out.getvalue()
    if "\r\n" in text:
        result = result.replace("\n", "\r\n")
    return HookUpdate(result.encode("utf-8"), tuple(missing), False)


def _new_config() -> str:
    hooks = "".join(_hook_lines(hook) for hook in HOOK_IDS)
    return (
        "# See https://pre-commit.com for more information\n"
        "repos:\n"
        f"  # {LOCAL_NOTE}\n"
        f"  - repo: {LOCAL}\n"
        "    hooks:\n"
        f"{hooks}"
    )


def _hook_lines(hook: str) -> str:
    lines = [f"      - id: {hook}\n"]
    for key, value in HOOKS[hook].items():
        lines.append(f"        {key}: {_scalar(value)}\n")
    return "".join(lines)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(value) + "]"
    return str(value)


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


def _drop_placeholder(repos: Any) -> bool:
    """Remove the entries of the never-published placeholder repository; were there any?"""
    keep = [r for r in repos if not (isinstance(r, dict) and r.get("repo") == PLACEHOLDER_REPO)]
    if len(keep) == len(repos):
        return False
    repos[:] = keep
    return True


def _hook_map(hook: str) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    entry = CommentedMap([("id", hook)])
    for key, value in HOOKS[hook].items():
        if isinstance(value, list):
            value = CommentedSeq(value)
            value.fa.set_flow_style()
        entry[key] = value
    return entry


def _add_to(repos: Any, missing: list[str], *, separate: bool) -> None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    ours = next((r for r in repos if _is_our_local_repo(r)), None)
    if ours is not None:
        for hook in missing:
            ours["hooks"].append(_hook_map(hook))
        return
    entry = CommentedMap(
        [("repo", LOCAL), ("hooks", CommentedSeq(_hook_map(hook) for hook in missing))]
    )
    repos.fa.set_block_style()
    repos.append(entry)
    if separate and len(repos) > 1:
        repos.yaml_set_comment_before_after_key(len(repos) - 1, before="\n")


def _is_our_local_repo(repo: Any) -> bool:
    """A `repo: local` entry that holds one of rulesync's hooks already."""
    if not isinstance(repo, dict) or repo.get("repo") != LOCAL:
        return False
    hooks = repo.get("hooks")
    return isinstance(hooks, list) and any(
        isinstance(hook, dict) and hook.get("id") in HOOKS for hook in hooks
    )


def _has_blank_lines(text: str) -> bool:
    lines = text.split("\n")
    body = lines[: len(lines) - 1] if not lines[-1] else lines
    return any(not line.strip() for line in body[1:])


def _manual_fix() -> str:
    hooks = ", ".join(HOOK_IDS)
    return (
        f"fix it, or add a `repo: local` entry with the hooks {hooks} by hand "
        "(language: system, entries as in rulesync's .pre-commit-hooks.yaml)"
    )
