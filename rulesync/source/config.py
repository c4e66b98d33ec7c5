"""`rulesync.yaml`: targets, the source dir, per-target options, lint and dispatch settings.

Read with ruamel.yaml so every error can name the line it comes from. The parse of a text
that read cleanly is kept in the user's cache (`rulesync.source.cache`), so an unchanged file
costs neither ruamel's import nor its parse on the next run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from rulesync.errors import ConfigError, Problem
from rulesync.record import Frozen
from rulesync.source.names import TARGET_ALIASES, TARGETS, canonical_target, did_you_mean

TYPE_CHECKING = False  # not from typing: dispatch's start-up counts (docs/dispatch.md)
if TYPE_CHECKING:
    from typing import Any

CONFIG_NAME = "rulesync.yaml"
#: Cache kind of a parsed rulesync.yaml; a new shape of entry needs a new kind.
CACHE_KIND = "config-v1"
#: Cache kind of a rulesync.yaml whose `dispatch:` block passed its checks.
DISPATCH_CHECKED_KIND = "dispatch-checked-v1"
DEFAULT_SOURCE = ".rulesync"

KeyPath = tuple[str | int, ...]

#: Options each target accepts in its own block (`claude:`, `gemini:`, `codex:`), with defaults.
TARGET_OPTIONS: dict[str, dict[str, Any]] = {
    "claude": {"hooks": True, "status_line": False},
    "gemini": {"hooks": True, "skills_dir": "auto"},
    "codex": {"max_bytes": 32768},
}
TOP_LEVEL_KEYS = (
    "targets", "source", "lint", "dispatch", "memory", "mcp", "sources", *TARGET_ALIASES,
    "scopes", "packages",
)  # fmt: skip
#: Options of the `memory:` block (docs/memory.md), with their defaults.
MEMORY_OPTIONS: dict[str, bool] = {"hooks": False, "mcp": False}
#: The lints a `lint:` block configures (rulesync.linting.lint_run reads their options).
LINT_KEYS = ("identity", "umlaut")


class Config(Frozen):
    """The validated configuration of one project."""

    __slots__ = (  # noqa: RUF023 - the field order: positional arguments, repr and replace
        "root",
        "path",
        "targets",
        "source",
        "target_options",
        "lint",
        "dispatch",
        "exists",
        "lines",
        "memory",
        "mcp",
        "scopes",
        "packages",
        "sources",
    )
    _unseen = frozenset({"lines"})  # as a dataclass field's compare=False, repr=False
    root: Path
    path: Path
    targets: tuple[str, ...]
    source: str
    target_options: Mapping[str, Mapping[str, Any]]
    lint: dict[str, Any]
    dispatch: dict[str, Any]
    exists: bool
    lines: Mapping[KeyPath, int]
    memory: Mapping[str, Any]
    #: the MCP servers of the `mcp:` block (rulesync.source.mcp_config.McpServer)
    mcp: tuple[Any, ...]
    #: `scopes:` nested (scoped rules go to their folder's files) or root (docs/mirror.md)
    scopes: str
    #: `packages:` folder patterns of a monorepo (rulesync.source.packages)
    packages: tuple[str, ...]
    #: the pinned rule packs of the `sources:` block (rulesync.sources.spec.SourceSpec)
    sources: tuple[Any, ...]

    def __init__(
        self,
        root: Path,
        path: Path,
        targets: tuple[str, ...] = TARGETS,
        source: str = DEFAULT_SOURCE,
        target_options: Mapping[str, Mapping[str, Any]] | None = None,
        lint: dict[str, Any] | None = None,
        dispatch: dict[str, Any] | None = None,
        exists: bool = True,
        lines: Mapping[KeyPath, int] | None = None,
        memory: Mapping[str, Any] | None = None,
        mcp: tuple[Any, ...] = (),
        scopes: str = "nested",
        packages: tuple[str, ...] = (),
        sources: tuple[Any, ...] = (),
    ) -> None:
        """None for a mapping: a new empty one (a dataclass's `default_factory=dict`)."""
        self._set(
            root=root,
            path=path,
            targets=targets,
            source=source,
            target_options={} if target_options is None else target_options,
            lint={} if lint is None else lint,
            dispatch={} if dispatch is None else dispatch,
            exists=exists,
            lines={} if lines is None else lines,
            memory={} if memory is None else memory,
            mcp=mcp,
            scopes=scopes,
            packages=packages,
            sources=sources,
        )

    @property
    def memory_hooks(self) -> bool:
        """`memory: {hooks: true}`: mirror installs the memory's session-start and
        post-write hooks (and Codex's standing order)."""
        return self.memory.get("hooks", MEMORY_OPTIONS["hooks"]) is True

    @property
    def memory_mcp(self) -> bool:
        """`memory: {mcp: true}`: mirror registers `rulesync memory serve` in each agent's
        MCP config (rulesync.memory.mcp_entry)."""
        return self.memory.get("mcp", MEMORY_OPTIONS["mcp"]) is True

    @property
    def source_dir(self) -> Path:
        return self.root / self.source

    @property
    def display_path(self) -> str:
        return CONFIG_NAME

    def line_of(self, *key_path: str | int) -> int | None:
        """1-based line of a key (or list item) in rulesync.yaml, or of its nearest parent."""
        return _nearest_line(self.lines, tuple(key_path))

    def options_for(self, target: str) -> Mapping[str, Any]:
        return self.target_options.get(target, TARGET_OPTIONS.get(target, {}))


def load_config(root: Path, *, required: bool = True) -> Config:
    """Load and validate `root/rulesync.yaml`. Raises ConfigError naming the line and the fix."""
    path = root / CONFIG_NAME
    if not path.is_file():
        if required:
            raise ConfigError(
                [
                    Problem(
                        CONFIG_NAME,
                        f"no {CONFIG_NAME} in {root}",
                        fix="run `rulesync init`, or pass -C DIR to point at the project",
                    )
                ]
            )
        return Config(root=root, path=path, exists=False)
    text = _read_text(path)
    data, lines = _read_yaml(text)
    return _validate(root, path, data, lines, text)


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ConfigError(
            [Problem(CONFIG_NAME, f"not valid UTF-8 ({error.reason})", fix="save it as UTF-8")]
        ) from None
    except OSError as error:
        raise ConfigError(
            [Problem(CONFIG_NAME, f"cannot read: {error.strerror}", fix="check its permissions")]
        ) from None


def _read_yaml(text: str) -> tuple[dict[str, Any], dict[KeyPath, int]]:
    from rulesync.source import cache  # its json import is spared where there is no file

    _reject_unreadable_characters(text)
    cached = _from_cache(cache.load(CACHE_KIND, text))
    if cached is not None:
        return cached
    data, lines = _parse_yaml(text)
    cache.store(CACHE_KIND, text, {"data": data, "lines": [[*k, v] for k, v in lines.items()]})
    return data, lines


def _reject_unreadable_characters(text: str) -> None:
    """A control character (NUL, BEL, ...) is located here, before the YAML reader sees it.

    The distinct characters of a config are few, so they are checked first without the
    frontmatter module (its large character classes cost milliseconds to compile); only a
    text that holds a refused character is searched for where it is.
    """
    if all(_yaml_printable(ord(char)) for char in set(text)):
        return
    from rulesync.source.frontmatter import YAML_UNPRINTABLE, describe_character, find_character

    found = find_character(text, YAML_UNPRINTABLE)
    if found is None:
        return
    line, column, char = found
    message = f"column {column}: the character {describe_character(char)} is not allowed in YAML"
    fix = "delete it; an editor that shows invisible characters finds it"
    raise ConfigError([Problem(CONFIG_NAME, message, line, fix)])


def _yaml_printable(code: int) -> bool:
    """As rulesync.source.frontmatter.YAML_UNPRINTABLE, negated (YAML 1.2, 5.1)."""
    return (
        0x20 <= code <= 0x7E
        or code in (0x09, 0x0A, 0x0D, 0x85)
        or 0xA0 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def _parse_yaml(text: str) -> tuple[dict[str, Any], dict[KeyPath, int]]:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        raw = YAML(typ="rt").load(text)
        if raw is None:
            return {}, {}
        if not isinstance(raw, Mapping):
            raise ConfigError([Problem(CONFIG_NAME, "must be a mapping of keys to values", 1)])
        lines: dict[KeyPath, int] = {}
        plain = _to_plain(raw, (), lines)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        raise ConfigError(
            [Problem(CONFIG_NAME, f"invalid YAML: {error.problem}", line, "fix the YAML syntax")]
        ) from None
    except YAMLError as error:  # e.g. the reader's: no mark, only a position in the text
        first_line = str(error).strip().splitlines()[0]
        raise ConfigError(
            [Problem(CONFIG_NAME, f"invalid YAML: {first_line}", fix="fix the YAML syntax")]
        ) from None
    except RecursionError:
        raise ConfigError(
            [Problem(CONFIG_NAME, "nested too deeply to read", fix="flatten the YAML")]
        ) from None
    assert isinstance(plain, dict)
    return plain, lines


def _from_cache(entry: Any) -> tuple[dict[str, Any], dict[KeyPath, int]] | None:
    """The (data, lines) of a cache entry, or None when it has not their shape."""
    if not isinstance(entry, dict) or not isinstance(entry.get("data"), dict):
        return None
    try:
        lines = {tuple(row[:-1]): int(row[-1]) for row in entry["lines"]}
    except (KeyError, TypeError, ValueError, IndexError):
        return None
    return entry["data"], lines


def _to_plain(node: Any, path: KeyPath, lines: dict[KeyPath, int]) -> Any:
    """ruamel's commented nodes -> plain dicts and lists, recording each key's line."""
    if isinstance(node, Mapping):
        result: dict[str, Any] = {}
        for key, value in node.items():
            child = (*path, str(key))
            position = node.lc.key(key) if hasattr(node, "lc") else None
            if position is not None:
                lines[child] = position[0] + 1
            result[str(key)] = _to_plain(value, child, lines)
        return result
    if isinstance(node, list):
        items = []
        for index, value in enumerate(node):
            child = (*path, index)
            if hasattr(node, "lc"):
                lines[child] = node.lc.item(index)[0] + 1
            items.append(_to_plain(value, child, lines))
        return items
    return node


def _validate(
    root: Path, path: Path, data: dict[str, Any], lines: dict[KeyPath, int], text: str
) -> Config:
    problems: list[Problem] = []

    def problem(message: str, key_path: KeyPath, fix: str | None = None) -> None:
        line = _nearest_line(lines, key_path)
        problems.append(Problem(CONFIG_NAME, message, line, fix))

    for key in data:
        if key not in TOP_LEVEL_KEYS:
            problem(f"unknown key `{key}`", (key,), _unknown_key_fix(str(key), data[key]))
    targets = _validate_targets(data.get("targets", list(TARGETS)), problem)
    source = data.get("source", DEFAULT_SOURCE)
    if not isinstance(source, str) or not source.strip():
        fix = "e.g. `source: .rulesync`"
        if isinstance(source, list):
            fix += f"; a list of rule packs from git goes under `sources:` ({_SOURCES_MEANING})"
        problem("`source` must be a directory path", ("source",), fix)
        source = DEFAULT_SOURCE
    elif _leaves_project(source):
        problem("`source` must stay inside the project", ("source",), "use a relative path")
    target_options = _validate_target_options(data, problem)
    lint = _mapping_or_problem(data, "lint", problem)
    for key in lint:
        if key not in LINT_KEYS:
            fix = did_you_mean(str(key), LINT_KEYS) or f"known lints: {', '.join(LINT_KEYS)}"
            problem(f"unknown lint `{key}`", ("lint", key), fix)
    dispatch = _mapping_or_problem(data, "dispatch", problem)
    if dispatch:
        problems.extend(_dispatch_problems(dispatch, lines, text))
    memory = _validate_memory(_mapping_or_problem(data, "memory", problem), problem)
    mcp = _mcp_servers(data, targets, lines, problems)
    if memory.get("mcp") is True:
        from rulesync.memory.mcp_entry import with_memory_server

        mcp = with_memory_server(mcp, targets)
    from rulesync.source.scopes import layout_of, packages_of

    scopes = layout_of(data.get("scopes"), problem)
    packages = packages_of(data.get("packages"), problem)
    sources = _sources(data, lines, problems)
    if problems:
        raise ConfigError(sorted(problems, key=lambda p: p.line or 0))
    return Config(
        root, path, targets, source.rstrip("/"), target_options, lint, dispatch, True, lines,
        memory=memory, mcp=mcp, scopes=scopes, packages=packages, sources=sources,
    )  # fmt: skip


def _validate_memory(memory: dict[str, Any], problem: Reporter) -> dict[str, Any]:
    for key, value in memory.items():
        if key == "dir":
            if not isinstance(value, str) or not value.strip():
                problem("`memory.dir` must be a folder path", ("memory", key), "e.g. `memory`")
            elif _leaves_project(value):
                problem("`memory.dir` must stay inside the project", ("memory", key), None)
            continue
        if key not in MEMORY_OPTIONS:
            fix = did_you_mean(str(key), (*MEMORY_OPTIONS, "dir")) or "known: hooks, mcp, dir"
            problem(f"unknown memory option `{key}`", ("memory", key), fix)
        elif not isinstance(value, bool):
            problem(f"`memory.{key}` must be true or false", ("memory", key), None)
    return memory


def _mcp_servers(
    data: dict[str, Any],
    targets: tuple[str, ...],
    lines: Mapping[KeyPath, int],
    problems: list[Problem],
) -> tuple[Any, ...]:
    if data.get("mcp") is None:
        return ()
    from rulesync.source.mcp_config import problems_of

    servers, found = problems_of(data["mcp"], targets, lambda k: _nearest_line(lines, k))
    problems.extend(found)
    return servers


_SOURCE_MEANING = "`source:` is the folder of your own rules, default `.rulesync`"
_SOURCES_MEANING = "`sources:` lists rule packs pinned from git, `- repo: …` and `rev: …`"


def _unknown_key_fix(key: str, value: object) -> str | None:
    """did-you-mean; `source` and `sources` differ by one letter, so a typo of either names
    both, the likelier one (by the value's shape: a list is packs) first."""
    hint = did_you_mean(key, TOP_LEVEL_KEYS)
    if "`source`" not in hint and "`sources`" not in hint:
        return hint or None
    if isinstance(value, list):
        return f"did you mean `sources`? {_SOURCES_MEANING}; {_SOURCE_MEANING}"
    return f"did you mean `source`? {_SOURCE_MEANING}; {_SOURCES_MEANING}"


def _sources(
    data: dict[str, Any], lines: Mapping[KeyPath, int], problems: list[Problem]
) -> tuple[Any, ...]:
    if data.get("sources") is None:
        return ()
    from rulesync.sources.spec import parse_sources

    specs, found = parse_sources(data["sources"], lambda *k: _nearest_line(lines, k))
    problems.extend(found)
    return specs


Reporter = Callable[[str, KeyPath, "str | None"], None]


def _validate_targets(value: Any, problem: Reporter) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        problem(
            "`targets` must be a non-empty list",
            ("targets",),
            "e.g. `targets: [claude, gemini, codex]`",
        )
        return TARGETS
    chosen: list[str] = []
    for index, name in enumerate(value):
        target = canonical_target(str(name))
        if target is None:
            hint = did_you_mean(str(name), TARGET_ALIASES) or f"use one of {', '.join(TARGETS)}"
            problem(f"unknown target `{name}`", ("targets", index), hint)
        elif target not in chosen:
            chosen.append(target)
    return tuple(t for t in TARGETS if t in chosen)


def _validate_target_options(data: dict[str, Any], problem: Reporter) -> dict[str, dict[str, Any]]:
    options = {target: dict(defaults) for target, defaults in TARGET_OPTIONS.items()}
    for key, block in data.items():
        target = canonical_target(key) if key in TARGET_ALIASES else None
        if target is None:
            continue
        if not isinstance(block, dict):
            problem(f"`{key}` must be a mapping of options", (key,), None)
            continue
        for option, value in block.items():
            known = TARGET_OPTIONS[target]
            if option not in known:
                hint = did_you_mean(option, known) or f"known options: {', '.join(known) or 'none'}"
                problem(f"unknown {target} option `{option}`", (key, option), hint)
            elif (wrong := _option_problem(option, value, known[option])) is not None:
                problem(f"`{key}.{option}` {wrong}", (key, option), None)
            else:
                options[target][option] = value
    return options


def _option_problem(option: str, value: Any, default: Any) -> str | None:
    """What is wrong with a target option's value (typed like its default), or None."""
    if isinstance(default, bool):
        return None if isinstance(value, bool) else "must be true or false"
    if isinstance(default, int):
        whole = isinstance(value, int) and not isinstance(value, bool)
        return None if whole and value > 0 else "must be an integer greater than 0"
    if not isinstance(value, str) or not value.strip():
        return "must be text"
    if option == "skills_dir" and value != "auto" and _leaves_project(value):
        return "must be a folder inside the project, or `auto`"
    return None


def _leaves_project(relative: str) -> bool:
    return Path(relative).is_absolute() or ".." in Path(relative).parts


def _dispatch_problems(
    section: dict[str, Any], lines: Mapping[KeyPath, int], text: str
) -> list[Problem]:
    """The `dispatch:` block, checked as `rulesync dispatch` reads it.

    Its checks cost an import of about 15 ms (the vendor registry), so a text that passed
    them is remembered in the cache, like its parse: an unchanged file costs nothing.
    """
    from rulesync.source import cache

    if cache.load(DISPATCH_CHECKED_KIND, text) is True:
        return []
    from rulesync.dispatch.settings import parse_settings

    try:
        parse_settings(section, lambda *key_path: _nearest_line(lines, key_path))
    except ConfigError as error:
        return list(error.problems)
    cache.store(DISPATCH_CHECKED_KIND, text, True)
    return []


def _mapping_or_problem(data: dict[str, Any], key: str, problem: Reporter) -> dict[str, Any]:
    value = data.get(key, {})
    if value is None:
        return {}
    if not isinstance(value, dict):
        problem(f"`{key}` must be a mapping", (key,), None)
        return {}
    return value


def _nearest_line(lines: Mapping[KeyPath, int], key_path: KeyPath) -> int | None:
    path = key_path
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return None
