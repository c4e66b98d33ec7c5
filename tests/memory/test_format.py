"""The entry file format, folding, secrets and Claude Code's project folder name."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rulesync.memory.entry import Entry, EntryError, parse, render, slug
from rulesync.memory.fold import fold, words
from rulesync.memory.layout import canonical_root, claude_project_name
from rulesync.memory.secrets import find_secret

DAY = dt.date(2026, 11, 27)


def make(**changes: object) -> Entry:
    values: dict[str, object] = {
        "id": "build-uses-uv",
        "category": "project",
        "title": "The build uses uv",
        "description": "Run uv sync before the tests",
        "body": "Details.",
        "created": DAY,
        "updated": DAY,
        "last_verified": DAY,
        "agent": "claude",
    }
    values.update(changes)
    return Entry(**values)  # type: ignore[arg-type]


def test_render_writes_claude_keys_and_ours() -> None:
    text = render(make()).decode()
    assert text == (
        "---\nname: build-uses-uv\ntitle: The build uses uv\n"
        "description: Run uv sync before the tests\ntype: project\ncreated: 2026-11-27\n"
        "updated: 2026-11-27\nlast_verified: 2026-11-27\nagent: claude\n---\n\nDetails.\n"
    )


@pytest.mark.parametrize(
    "title",
    ["Größe: 10 MB", "yes", "# not a comment", 'quote " and \\ backslash', "2026", "a: b"],
)
def test_render_then_parse_round_trips_awkward_titles(title: str) -> None:
    entry = make(title=title, description=f"{title} too")
    assert parse(render(entry), entry.id, DAY) == entry


def test_parse_reads_a_file_claude_wrote_itself() -> None:
    raw = (
        b"---\nname: user-role\ndescription: The user is a data scientist\n"
        b"metadata:\n  type: user\n---\n\nFocus on observability.\n"
    )
    entry = parse(raw, "user-role", DAY)
    assert (entry.category, entry.title, entry.agent) == ("user", "user-role", "unknown")
    assert (entry.created, entry.body) == (DAY, "Focus on observability.")


def test_parse_reads_top_level_type_of_older_claude_files() -> None:
    raw = b"---\nname: x\ndescription: d\ntype: feedback\n---\nbody\n"
    assert parse(raw, "x", DAY).category == "feedback"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"no frontmatter", "no frontmatter"),
        (b"---\ntype: project\n", "not closed"),
        (b"---\ntitle: t\ndescription: d\n---\n", "category `` is not one of"),
        (b"---\ntype: secret\ntitle: t\n---\n", "category `secret`"),
        (b"---\n: [\n---\n", "not valid YAML"),
    ],
)
def test_parse_refuses_what_is_not_an_entry(raw: bytes, message: str) -> None:
    with pytest.raises(EntryError, match=message):
        parse(raw, "x", DAY)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "two\nlines"}, "title must be one line"),
        ({"title": " "}, "title is empty"),
        ({"description": "x" * 301}, "longer than 300"),
        ({"agent": "an agent!"}, "agent"),
        ({"id": "../escape"}, "not an entry id"),
        ({"body": "bell \x07"}, "control character"),
    ],
)
def test_render_side_validation(changes: dict[str, object], message: str) -> None:
    from rulesync.memory.entry import validate

    with pytest.raises(EntryError, match=message):
        validate(make(**changes))


def test_fold_makes_umlauts_and_their_spellings_equal() -> None:
    assert fold("Größe") == fold("Groesse") == fold("GRÖSSE") == "groesse"
    assert fold("Übergrößenträger") == "uebergroessentraeger"
    assert fold("Café") == "café"  # other accents: FTS5 removes them
    assert words("Die Größe, bitte!") == ["die", "groesse", "bitte"]


def test_slug_is_ascii_and_bounded() -> None:
    assert slug("Größe der Tabellen!") == "groesse-der-tabellen"
    assert slug("???") == "entry"
    assert len(slug("x" * 200)) == 60


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("key sk-ant-api03-abcdefghijklmnopqrstuvwx", "an API key or token"),
        ("ghp_" + "a" * 36, "an API key or token"),
        ("-----BEGIN OPENSSH PRIVATE KEY-----", "a private key"),
        ("AKIAABCDEFGHIJKLMNOP", "an AWS access key"),
        ("postgres://app:s3cret@db.internal/app", "a password in a URL"),
    ],
)
def test_secret_shapes_are_found(text: str, kind: str) -> None:
    found = find_secret({"title": "ok", "body": f"line one\n{text}"})
    assert found is not None
    assert (found.field, found.line, found.kind) == ("body", 2, kind)


def test_where_a_secret_lives_is_not_a_secret() -> None:
    text = "The API key is in 1Password, vault Ops, item `anthropic`; env ANTHROPIC_API_KEY."
    assert find_secret({"body": text}) is None


def test_claude_project_name_matches_claude_code() -> None:
    assert claude_project_name(Path("/home/ann/src/my.app")) == "-home-ann-src-my-app"
    assert claude_project_name(Path("/tmp/Größe")) == "-tmp-Gr--e"
    # Expected values computed with Claude Code 2.1.197's own function under node.
    assert claude_project_name(Path("/" + "a" * 250)) == "-" + "a" * 199 + "-feo44x"
    emoji = claude_project_name(Path("/home/Größe/\U0001f600/" + "b" * 220))
    assert emoji == "-home-Gr--e----" + "b" * 185 + "-y92t3h"


def test_canonical_root_of_a_linked_worktree_is_the_main_one(tmp_path: Path) -> None:
    main = tmp_path / "main"
    gitdir = main / ".git" / "worktrees" / "wt"
    gitdir.mkdir(parents=True)
    (gitdir / "commondir").write_text("../..\n")
    linked = tmp_path / "linked"
    (linked / "sub").mkdir(parents=True)
    (linked / ".git").write_text(f"gitdir: {gitdir}\n")
    assert canonical_root(linked / "sub") == main
    assert canonical_root(main) == main


@pytest.mark.parametrize(
    ("config", "claude"),
    [
        (None, True),
        ("source: .rulesync\n", True),
        ("targets: [gemini, codex]\n", False),
        ("targets: [claude]  # only\n", True),
        ("targets:\n  - codex\n  - claude\nsource: x\n", True),
        ("targets:\n- codex\nlint: {}\n", False),
        ('targets: ["gemini"]\n', False),
    ],
)
def test_claude_is_target_reads_rulesync_yaml(
    tmp_path: Path, config: str | None, claude: bool
) -> None:
    from rulesync.memory.layout import claude_is_target

    if config is not None:
        (tmp_path / "rulesync.yaml").write_text(config)
    assert claude_is_target(tmp_path) is claude
