"""`rulesync lint` without the CLI: rules from rulesync.yaml, files from paths, findings, fixes."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence

from lints.errors import LintConfigError, UnreadableFileError
from lints.finding import Finding
from rulesync.errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, ConfigError, Problem
from rulesync.record import Frozen

TYPE_CHECKING = False  # not from typing: a pre-commit run imports this module
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any, Protocol

    from lints.engine import Source
    from lints.registry import Rule
    from rulesync.linting.fixwrite import FixTarget
    from rulesync.linting.lint_config import LintSettings
    from rulesync.source.config import Config

    #: rulesync.yaml as the lints read it: whole, or just its `lint:` section
    Settings = Config | LintSettings
    #: a path as a string or a Path: a pre-commit run of one file imports no pathlib
    StrPath = str | os.PathLike[str]
else:
    from lints.record import Protocol

RULE_NAMES = ("identity", "umlaut")
#: `lint --only umlaut` without a `lint.umlaut` section: check only German paragraphs,
#: so that English docs (Sass, Hausse) are left alone.
UNCONFIGURED_UMLAUT_LANG = "auto"
LANGS = ("de", "de-CH", "auto")
CONFIG_NAME = "rulesync.yaml"
_SKIPPED_DIRS = frozenset({"node_modules", "venv", "__pycache__", "site-packages"})


class NothingToLint(ConfigError):
    """No lint is configured in rulesync.yaml (and none was asked for with --only)."""


class NoNames(ConfigError):
    """`--only identity`, but no names are configured: nothing to check (the hook passes)."""


# Records are `Frozen` classes, not NamedTuples: under `from __future__ import annotations`
# a NamedTuple compiles each field's annotation at import (a millisecond per class).


class Target(Frozen):
    __slots__ = ("path", "shown")

    path: StrPath  # where to read it
    shown: str  # how to name it in reports

    def __init__(self, path: StrPath, shown: str) -> None:
        self._set(path=path, shown=shown)


class FileResult(Frozen):
    """A file's findings, and where each one's flagged text ends (the text is not kept:
    a file linted in pieces never holds all of it)."""

    __slots__ = ("ends", "findings", "fixed", "not_fixed", "target")

    target: Target
    findings: tuple[Finding, ...]
    #: 1-based (line, col) just past each finding's flagged text, in the order of `findings`
    #: (in the text after fixes, if any).
    ends: tuple[tuple[int, int], ...]
    fixed: int
    not_fixed: str | None  # why --fix left this file alone (a link, outside the project)

    def __init__(
        self,
        target: Target,
        findings: tuple[Finding, ...],
        ends: tuple[tuple[int, int], ...],
        fixed: int = 0,
        not_fixed: str | None = None,
    ) -> None:
        self._set(target=target, findings=findings, ends=ends, fixed=fixed, not_fixed=not_fixed)

    @classmethod
    def of_text(
        cls, target: Target, text: str, findings: Sequence[Finding], fixed: int = 0
    ) -> FileResult:
        """The result of findings in `text`, their ends read from it."""
        from lints.finding import end_positions

        return cls(target, tuple(findings), tuple(end_positions(text, findings)), fixed)


#: What linting one target gives: its result, or why it could not be linted.
Outcome = FileResult | Problem


class LintRun(Frozen):
    __slots__ = ("problems", "results")

    results: tuple[FileResult, ...]
    problems: tuple[Problem, ...]

    def __init__(
        self, results: tuple[FileResult, ...] = (), problems: tuple[Problem, ...] = ()
    ) -> None:
        self._set(results=results, problems=problems)

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for result in self.results for f in result.findings)

    @property
    def fixed(self) -> int:
        return sum(result.fixed for result in self.results)

    def ends(self) -> dict[Finding, tuple[int, int]]:
        """Where each finding's flagged text ends: 1-based (line, col)."""
        return {
            finding: end
            for result in self.results
            for finding, end in zip(result.findings, result.ends, strict=True)
        }


def rules_from_config(
    config: Settings, only: str | None = None, lang: str | None = None
) -> list[Rule]:
    """The rules configured under `lint:`, or exactly `only`. Raises ConfigError."""
    from lints.registry import build_rule

    config = _with_source_names(config)
    section = config.lint or {}
    _check_rule_names(config, section)
    names = _identity_names(config, section)
    wanted = [only] if only else [r for r in RULE_NAMES if _configured(section, r, names)]
    if not wanted:
        raise NothingToLint([_nothing_configured(config)])
    if only == "identity" and not names:
        raise NoNames([_no_names(config)])
    rules = []
    for rule_name in wanted:
        options = _options(config, rule_name, names, lang)
        try:
            rules.append(build_rule(rule_name, options))
        except LintConfigError as error:
            raise ConfigError([_config_problem(config, rule_name, error)]) from None
        except ImportError:
            message = f"the {rule_name} lint is not available in this installation"
            raise ConfigError([Problem(CONFIG_NAME, message, fix="reinstall rulesync")]) from None
    return rules


def identity_names(config: Settings) -> list[str]:
    """The canonical names of `lint.identity.names` (empty when none or invalid)."""
    try:
        return _identity_names(config, _with_source_names(config).lint or {})
    except ConfigError:
        return []


def _with_source_names(config: Settings) -> Settings:
    """Names from the project's pinned packs too (docs/sources.md), read from the cache."""
    if not config.sources:
        return config
    from rulesync.source.config import Config
    from rulesync.sources.names import with_source_names

    assert isinstance(config, Config), "a rulesync.yaml with packs is read whole"
    return with_source_names(config)


def _identity_names(config: Settings, section: Mapping[str, Any]) -> list[str]:
    options = section.get("identity")
    if options is None:
        return []
    from lints.rules._name_options import parse_names

    try:
        return [spec.name for spec in parse_names(options)]
    except LintConfigError as error:
        raise ConfigError([_config_problem(config, "identity", error)]) from None


def _configured(section: Mapping[str, Any], rule_name: str, names: Sequence[str]) -> bool:
    """identity: when it has names; umlaut: when its section is there (and not `false`)."""
    if rule_name == "identity":
        return bool(names)
    return section.get(rule_name) not in (None, False)


def _options(
    config: Settings, rule_name: str, names: Sequence[str], lang: str | None
) -> dict[str, Any]:
    value = (config.lint or {}).get(rule_name)
    unconfigured = value is None
    if value is None or value is True:
        value = {}
    if not isinstance(value, Mapping):
        line = config.line_of("lint", rule_name)
        fix = f"write its options under it, e.g. `{rule_name}: {{}}`"
        message = f"`lint.{rule_name}` must be a mapping of options"
        raise ConfigError([Problem(CONFIG_NAME, message, line, fix)])
    options = dict(value)
    if rule_name == "umlaut":
        options["identity_names"] = list(names)
        if unconfigured:
            options["lang"] = UNCONFIGURED_UMLAUT_LANG
        if lang is not None:
            options["lang"] = lang
    return options


def _check_rule_names(config: Settings, section: Mapping[str, Any]) -> None:
    for key in section:
        if key not in RULE_NAMES:
            import difflib

            close = difflib.get_close_matches(str(key), RULE_NAMES, n=1)
            fix = f"did you mean `{close[0]}`?" if close else "known lints: identity, umlaut"
            line = config.line_of("lint", key)
            raise ConfigError([Problem(CONFIG_NAME, f"unknown lint `{key}`", line, fix)])


def _config_problem(config: Settings, rule_name: str, error: LintConfigError) -> Problem:
    key_path = ("lint", rule_name, *error.key_path)
    where = ".".join(str(k) for k in key_path)
    line = config.line_of(*key_path)
    return Problem(CONFIG_NAME, f"`{where}`: {error.message}", line)


def _nothing_configured(config: Settings) -> Problem:
    fix = "list names under `lint.identity.names`, or add a `lint.umlaut` section"
    return Problem(CONFIG_NAME, "no lint is configured", config.line_of("lint"), fix)


def _no_names(config: Settings) -> Problem:
    fix = "list the names to check under `lint.identity.names`"
    line = config.line_of("lint", "identity")
    return Problem(CONFIG_NAME, "the identity lint has no names to check", line, fix)


# --- files ---------------------------------------------------------------------------------


def collect_targets(root: StrPath, paths: Sequence[StrPath]) -> tuple[list[Target], list[Problem]]:
    """Files to lint: given files as they are, directories searched for Markdown and text."""
    targets: list[Target] = []
    problems: list[Problem] = []
    for argument in paths:
        given = _as_path_shows_it(argument)
        path = given if os.path.isabs(given) else os.path.join(root, given)
        if os.path.isdir(path):
            targets += _in_directory(path, given)
        elif os.path.lexists(path):
            targets.append(Target(path, given))
        else:
            problems.append(Problem(given, "no such file or directory"))
    return _unique(targets), problems


def _as_path_shows_it(path: StrPath) -> str:
    """`str(Path(path))`: what reports name a given file by. Only a path that pathlib would
    write differently (`./a.md`, `docs//a.md`, `docs/`) needs pathlib to say how."""
    text = os.fspath(path)
    parts = text.split("/")[1:] if text.startswith("/") else text.split("/")
    if os.sep == "/" and text and all(part not in ("", ".") for part in parts):
        return text
    from pathlib import Path

    return str(Path(text))


def _in_directory(path: str, given: str) -> list[Target]:
    from pathlib import Path

    from lints.engine import is_lintable

    folder = Path(path)
    return [
        Target(p, str(Path(given) / p.relative_to(folder))) for p in _walk(folder) if is_lintable(p)
    ]


def _walk(directory: Path) -> list[Path]:
    from pathlib import Path

    found: list[Path] = []
    for current, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIPPED_DIRS)
        found += [Path(current) / name for name in sorted(files)]
    return found


def _unique(targets: list[Target]) -> list[Target]:
    """One target per file; of a file and a link to it, the file (which --fix may rewrite)."""
    unique: dict[str, Target] = {}
    for target in targets:
        key = os.path.realpath(target.path)  # never raises, unlike Path.resolve on a loop
        if key not in unique or os.path.islink(unique[key].path):
            unique[key] = target
    return list(unique.values())


def lint_targets(
    targets: Sequence[Target], rules: Sequence[Rule], *, fix: bool, root: StrPath
) -> LintRun:
    """Lint each target; with `fix`, rewrite the regular files inside `root` (never a link).

    A big run without `fix` is linted on every core (rulesync.linting.parallel), with the
    same results in the same order."""
    outcomes = None if fix else _in_workers(targets, rules)
    if outcomes is None:
        outcomes = [_outcome(root, target, rules, fix=fix) for target in targets]
    results = tuple(o for o in outcomes if isinstance(o, FileResult))
    return LintRun(results, tuple(o for o in outcomes if isinstance(o, Problem)))


def _in_workers(targets: Sequence[Target], rules: Sequence[Rule]) -> list[Outcome] | None:
    if len(targets) < 2:  # the pre-commit run of one file imports nothing for workers
        return None
    from rulesync.linting import parallel

    workers = parallel.worker_count([target.path for target in targets])
    if not workers:
        return None

    def lint_one(target: Target) -> Outcome:
        return _outcome("", target, rules, fix=False)

    return parallel.map_in_workers(lint_one, targets, workers)


def _outcome(root: StrPath, target: Target, rules: Sequence[Rule], *, fix: bool) -> Outcome:
    """The target's result, or the problem that kept it from being linted (or fixed)."""
    try:
        return _fixed(root, target, rules) if fix else _linted(target, rules)
    except UnreadableFileError as error:
        return Problem(target.shown, _without_path(str(error), target.shown))
    except OSError as error:
        return Problem(target.shown, f"cannot write the fix ({error.strerror})")


def _linted(target: Target, rules: Sequence[Rule]) -> FileResult:
    """Lint a file; one larger than `lints.engine.STREAM_FROM` piece by piece (flat memory)."""
    from lints import engine
    from lints.engine import kind_for, lint_text

    kind = kind_for(target.path)
    descriptor = _opened(target)
    try:
        size = os.fstat(descriptor).st_size
        if size > engine.STREAM_FROM:
            from lints.stream import lint_stream, reader

            streamed = lint_stream(target.shown, reader(descriptor), size, rules, kind)
            if streamed is not None:
                return FileResult(target, tuple(streamed.findings), tuple(streamed.ends))
        text = _read(target, descriptor).text
    except OSError as error:
        raise _unreadable(target, error) from None
    finally:
        os.close(descriptor)
    return FileResult.of_text(target, text, lint_text(target.shown, text, rules, kind))


def _read(target: Target, descriptor: int) -> Source:
    """The decoded file, from its start."""
    from lints.engine import decode
    from rulesync.regular_file import read_regular_fd

    os.lseek(descriptor, 0, os.SEEK_SET)
    return decode(read_regular_fd(descriptor), target.shown)


def _opened(target: Target) -> int:
    """The file's descriptor (the caller closes it), opened only if it is a regular file (a
    FIFO would block for ever). Not a context manager: contextlib is 2% of a one-file run."""
    from rulesync.regular_file import NotARegularFile, open_regular

    try:
        return open_regular(target.path)
    except NotARegularFile as error:
        raise UnreadableFileError(f"{target.shown}: {_not_a_file(error.kind)}") from None
    except OSError as error:
        raise _unreadable(target, error) from None


def _fixed(root: StrPath, target: Target, rules: Sequence[Rule]) -> FileResult:
    """Lint and fix the file; a link or a file outside is linted and reported, never written."""
    from pathlib import Path

    from rulesync.linting.fixwrite import NotFixable, open_for_fix

    try:
        file = open_for_fix(Path(root), Path(target.path))
    except NotFixable as refusal:
        return _not_fixed(target, rules, refusal.reason)
    except OSError as error:
        raise _unreadable(target, error) from None
    try:
        return _fix(target, rules, file)
    except NotFixable as refusal:  # changed on disk while we fixed it: nothing was written
        return _not_fixed(target, rules, refusal.reason)
    finally:
        file.close()


def _not_fixed(target: Target, rules: Sequence[Rule], reason: str) -> FileResult:
    from lints.engine import fixable

    result = _linted(target, rules)
    return result.replace(not_fixed=reason) if fixable(result.findings) else result


def _fix(target: Target, rules: Sequence[Rule], file: FixTarget) -> FileResult:
    from lints.engine import apply_fixes, decode, fixable, kind_for, lint_text

    source = decode(file.data, target.shown)
    kind = kind_for(target.path)
    findings = lint_text(target.shown, source.text, rules, kind)
    fixed_text = apply_fixes(source.text, findings) if fixable(findings) else source.text
    if fixed_text == source.text:
        return FileResult.of_text(target, source.text, findings)
    file.replace(_encoded(fixed_text, bom=source.bom))
    remaining = lint_text(target.shown, fixed_text, rules, kind)
    return FileResult.of_text(target, fixed_text, remaining, len(fixable(findings)))


def _encoded(text: str, *, bom: bool) -> bytes:
    from lints.engine import BOM

    return ((BOM if bom else "") + text).encode("utf-8")


def _not_a_file(kind: str) -> str:
    if kind == "a directory":
        return "is a directory, not a file"
    return f"is {kind}, not a regular file; leave it out of the lint"


def _unreadable(target: Target, error: OSError) -> UnreadableFileError:
    reason = error.strerror or str(error)
    return UnreadableFileError(f"{target.shown}: cannot read it ({reason})")


def _without_path(message: str, shown: str) -> str:
    prefix = f"{shown}: "
    return message[len(prefix) :] if message.startswith(prefix) else message


# --- running and reporting -----------------------------------------------------------------


class Output(Protocol):
    """Where `execute` writes: report lines to stdout, notes and errors to stderr."""

    def line(self, text: str) -> None: ...

    def note(self, text: str) -> None: ...

    def error(self, text: str) -> None: ...


def default_format(environ: Mapping[str, str]) -> str:
    """GitHub annotations under GitHub Actions, text elsewhere."""
    return "github" if environ.get("GITHUB_ACTIONS") == "true" else "text"


def execute(
    root: StrPath,
    paths: Sequence[StrPath],
    *,
    only: str | None,
    output_format: str,
    fix: bool,
    lang: str | None,
    out: Output,
) -> int:
    """Lint `paths` as rulesync.yaml says, report, and return the exit code.

    Raises ConfigError for a bad rulesync.yaml (the CLI prints it and exits 2).
    """
    from rulesync.linting.lint_config import load_lint_settings

    try:
        rules = rules_from_config(load_lint_settings(root), only, lang)
    except NoNames as error:
        # The identity-lint hook of a project whose names are not written yet must not
        # block every commit: nothing to check is not an error.
        out.note(f"note: {error.problems[0]}; nothing to check")
        return EXIT_OK
    targets, missing = collect_targets(root, paths)
    run = lint_targets(targets, rules, fix=fix, root=root)
    _remember(root, f"{only or 'all'}/{lang or ''}", targets, run, fix=fix)
    report(run, output_format, out)
    for problem in (*missing, *run.problems):
        out.error(str(problem))
    if missing or run.problems:
        return EXIT_USAGE
    return EXIT_FINDINGS if run.findings or run.fixed else EXIT_OK


def _remember(
    root: StrPath, selection: str, targets: list[Target], run: LintRun, *, fix: bool
) -> None:
    """What this run found, for the status line's `lint` segment (rulesync.status.lintstate).
    A --fix run, or a file that could not be read, leaves its files unknown."""
    from rulesync.status.lintstate import record

    linted = [] if fix else [(str(r.target.path), len(r.findings)) for r in run.results]
    done = {path for path, _count in linted}
    forget = [str(t.path) for t in targets if str(t.path) not in done]
    try:
        record(str(root), selection, linted, forget, os.environ)
    except (OSError, ValueError):
        return  # the state folder is not writable: the segment stays unknown or goes stale


def report(run: LintRun, output_format: str, out: Output) -> None:
    from rulesync import __version__
    from rulesync.linting import lint_report

    for result in run.results:
        if result.fixed:
            out.note(lint_report.fixed_summary(result.fixed, result.target.shown))
        if result.not_fixed:
            out.note(lint_report.not_fixed_line(result.target.shown, result.not_fixed))

    if output_format == "json":
        out.line(lint_report.json_report(run.findings))
    elif output_format == "sarif":
        ends = run.ends()
        out.line(lint_report.sarif_report(run.findings, ends.__getitem__, version=__version__))
    elif output_format == "github":
        for line in lint_report.github_lines(run.findings, run.ends().__getitem__):
            out.line(line)
    else:
        for line in lint_report.text_lines(run.findings):
            out.line(line)
        if run.findings:
            out.note(lint_report.summary(run.findings))


# --- the start-up fast path ----------------------------------------------------------------


class PlainOutput:
    """Output without click: for pipes, where click would add no styling anyway."""

    def line(self, text: str) -> None:
        sys.stdout.write(text + "\n")

    def note(self, text: str) -> None:
        sys.stderr.write(text + "\n")

    def error(self, text: str) -> None:
        sys.stderr.write(f"error: {text}\n")


def fast_main(
    args: Sequence[str], environ: Mapping[str, str], *, cwd: StrPath, interactive: bool
) -> int | None:
    """`rulesync lint [--only R] [--format F] [--lang L] PATHS…` without importing click.

    pre-commit runs the lint once per batch of files, so start-up is most of its cost, and
    click is a third of that. Returns the exit code, or None for anything else (--fix,
    --hook, --help, a terminal, a bad option): the click command then handles it, and
    prints the same output for the same arguments.
    """
    parsed = _simple_arguments(args)
    if parsed is None or interactive:
        return None
    options, paths = parsed
    chosen_format = options.get("--format") or default_format(environ)
    out = PlainOutput()
    try:
        return execute(
            os.path.realpath(cwd),  # Path.resolve() without pathlib
            paths,
            only=options.get("--only"),
            output_format=chosen_format,
            fix=False,
            lang=options.get("--lang"),
            out=out,
        )
    except ConfigError as error:
        for problem in error.problems:
            out.error(str(problem))
        if len(error.problems) > 1:
            out.note(f"{len(error.problems)} errors; nothing was written.")
        return error.exit_code


_FAST_OPTIONS: dict[str, tuple[str, ...]] = {
    "--only": RULE_NAMES,
    "--format": ("text", "json", "github", "sarif"),
    "--lang": LANGS,
}


def _simple_arguments(args: Sequence[str]) -> tuple[dict[str, str], list[str]] | None:
    options: dict[str, str] = {}
    paths: list[str] = []
    queue = list(args)
    while queue:
        arg = queue.pop(0)
        if arg == "--":
            paths += queue
            break
        if not arg.startswith("-") or arg == "-":
            paths.append(arg)
            continue
        name, equals, value = arg.partition("=")
        if not equals:
            value = queue.pop(0) if queue else ""
        if name not in _FAST_OPTIONS or value not in _FAST_OPTIONS[name] or name in options:
            return None
        options[name] = value
    return (options, paths) if paths else None
