"""`rulesync sources …`: pinned rule packs from git (docs/sources.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from rulesync.errors import EXIT_FINDINGS, EXIT_OK
from rulesync.terminal_text import printable

if TYPE_CHECKING:
    from rulesync.source.config import Config
    from rulesync.sources.overlay import Resolved

_YES = click.option("--yes", "-y", is_flag=True, help="Accept new shell lines from sources.")


@click.group()
def sources() -> None:
    """Rule packs pinned from git: `sources:` in rulesync.yaml. See docs/sources.md."""


@sources.command("list")
@click.pass_obj
def list_(root: Path) -> int:
    """Each source with its rev, pinned commit and the number of files it supplies."""
    from rulesync.sources.overlay import resolve_sources

    root, config = _project(root)
    for item in resolve_sources(root, config.source, config.sources, git_allowed=True):
        pinned = "pinned" if item.pin is not None else "not pinned yet"
        click.echo(
            printable(
                f"{item.spec.label}  {item.commit[:12]}  {len(item.selected)} files  "
                f"({pinned})  {item.spec.repo}{' ' + item.spec.path if item.spec.path else ''}"
            )
        )
    return EXIT_OK


@sources.command()
@click.pass_obj
def fetch(root: Path) -> int:
    """Fetch every source's repository into the cache (tags and branches), so mirror and
    check work offline and `rulesync check` sees a moved tag; then read every cached file a
    source supplies and compare it with git's hash (exit 1 when one differs)."""
    from rulesync.sources.cache import RepoCache, repo_location

    root, config = _project(root)
    for spec in config.sources:
        cache = RepoCache(repo_location(spec.repo, root), spec.label)
        refs = cache.fetch()
        click.echo(printable(f"fetched {spec.label}: {len(refs)} tags and branches"))
    from rulesync.sources.overlay import resolve_sources, unverified_files

    wrong = []
    for item in resolve_sources(root, config.source, config.sources, git_allowed=True):
        wrong += [f"{item.spec.label}:{path}" for path in unverified_files(item)]
    for shown in wrong:
        click.echo(printable(f"differs from the pinned commit  {shown}"), err=True)
    if wrong:
        click.echo(
            "delete the source's folder in the cache and run `rulesync sources fetch` again",
            err=True,
        )
        return EXIT_FINDINGS
    return EXIT_OK


@sources.command()
@click.argument("names", nargs=-1, metavar="[NAME|REPO]...")
@click.option("--dry-run", "-n", is_flag=True, help="Show the changes; write nothing.")
@click.option(
    "--freeze", is_flag=True, help="Pin `rev` to the tag's commit id (`# frozen: TAG` beside it)."
)
@_YES
@click.pass_obj
def update(root: Path, names: tuple[str, ...], dry_run: bool, yes: bool, freeze: bool) -> int:
    """Move each source's `rev` to its newest version tag, like `pre-commit autoupdate`.

    NAME is a source's repository name (`agent-rules`) or its `repo:` as written; without
    one, every source moves. Shows, per rendered output, the diff the new revs make, and asks
    about new or changed shell lines; then rewrites `rev:` in rulesync.yaml (comments kept)
    and sources.lock. Run `rulesync mirror` afterwards to write the outputs.
    """
    from rulesync.sources.update import chosen_sources, plan_update, write_update
    from rulesync.sync.diffs import unified_diff

    root, config = _project(root)
    only = chosen_sources(root, config, names)
    plan = plan_update(root, config, only=only, freeze=freeze)
    for move in plan.moves:
        verb = "update" if move.changed else "up to date"
        frozen = f" # frozen: {move.frozen_tag}" if move.frozen_tag else ""
        click.echo(
            printable(
                f"{verb:<12}{move.old.label} -> {move.new.rev}{frozen} ({move.new_commit[:12]})"
            )
        )
    for path, old, new in plan.diffs:
        click.echo(printable(unified_diff(path, old, new), multiline=True), nl=False)
    if not plan.changed or dry_run:
        return EXIT_OK
    review_shell_lines(plan.resolved, yes=yes, local=config.source_dir)
    write_update(root, plan)
    click.echo("sources update: rulesync.yaml and sources.lock written; run `rulesync mirror`")
    return EXIT_OK


def _project(folder: Path) -> tuple[Path, Config]:
    """The project root and its config; `-C packages/api` in a monorepo means the root."""
    from rulesync.source.config import load_config
    from rulesync.source.packages import enclosing_project

    root = enclosing_project(folder)[0]
    return root, load_config(root)


def prepare_mirror(root: Path, config: Config, *, yes: bool, dry_run: bool) -> None:
    """Before mirror renders: resolve every source, review its shell lines, pin it."""
    from rulesync.sources.overlay import resolve_sources
    from rulesync.sources.pins import pins_changed, write_pins
    from rulesync.sources.update import render_check

    resolved = resolve_sources(root, config.source, config.sources, git_allowed=True)
    if dry_run:
        _list_lines(resolved, config.source_dir)
        return
    review_shell_lines(resolved, yes=yes, local=config.source_dir)
    pins = tuple(r.new_pin for r in resolved)
    if pins_changed(config.source_dir, pins):
        render_check(config, resolved)  # a bad pack writes nothing, not even the pins
        write_pins(config.source_dir, pins)


def _list_lines(resolved: tuple[Resolved, ...], local: Path) -> None:
    from rulesync.sources.trust import untrusted

    for line in untrusted(resolved, local):
        click.echo(printable(f"would ask about the shell line  {line}"), err=True)


def review_shell_lines(resolved: tuple[Resolved, ...], *, yes: bool, local: Path) -> None:
    """List every new shell line; accept with --yes or a `y` at a terminal, else refuse."""
    from rulesync.sources.trust import accept, refusal, untrusted

    lines = untrusted(resolved, local)
    if not lines:
        return
    click.echo(f"Sources add {len(lines)} shell line(s) your agents may run:", err=True)
    for line in lines:
        click.echo(printable(f"  {line}"), err=True)
    if not yes:
        if not sys.stdin.isatty():
            raise refusal(lines, "no terminal to ask at, and no --yes")
        if not click.confirm("Trust these lines?", default=False, err=True):
            raise refusal(lines, "not accepted")
    accept(lines)
