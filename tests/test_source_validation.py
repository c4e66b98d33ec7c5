"""Hostile or unlucky source trees are refused before anything is written (issue 11).

Control characters in rulesync.yaml and in source files, two sources that become one file
(exactly, or but for case), names too long for the file system, names Windows cannot create,
a bad `dispatch:` block, and symlinked folders in a skill. Each error exits 2 and names the
file (and the line where there is one) and the fix; each refusal writes nothing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from treestate import tree_state as snapshot

from rulesync.errors import ConfigError
from rulesync.render.build import build_outputs
from rulesync.source.config import load_config
from rulesync.source.loader import load_project

if TYPE_CHECKING:
    from conftest import Result

RULE = "---\nroot: true\n---\n# Rules\n\nBe brief.\n"
SKILL = "---\ndescription: Reviews code\n---\nReview it.\n"
BASE = {"rulesync.yaml": "targets: [claude, gemini, codex]\n", ".rulesync/rules/main.md": RULE}


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside the project, with a file in it; tests assert it never changes."""
    folder = tmp_path / "outside"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "keep.txt").write_text("outside\n")
    return folder


def assert_refused(result: Result, root: Path, before: dict[str, str], *expected: str) -> None:
    assert result.exit_code == 2, result.stderr
    stderr = result.stderr
    assert "Traceback" not in stderr
    for text in expected:
        assert text in stderr, stderr
    assert snapshot(root) == before, "nothing may be written"


# --- item 11: control characters --------------------------------------------------------


@pytest.mark.parametrize("command", [["mirror"], ["check"], ["lint", "."]])
@pytest.mark.parametrize(
    ("char", "shown"),
    [
        ("\x00", "U+0000 (NUL)"),
        ("\x07", "U+0007 (BEL)"),
        ("\x1b", "U+001B (ESC)"),
        ("\x80", "U+0080"),
    ],
)
def test_a_control_character_in_rulesync_yaml_is_located(
    build_tree, run_cli, command: list[str], char: str, shown: str
) -> None:
    config = f"targets: [claude]\nlint:\n  umlaut: {{lang: 'd{char}e'}}\n"
    root = build_tree({**BASE, "rulesync.yaml": config})
    before = snapshot(root)
    result = run_cli("-C", root, *command)
    assert_refused(
        result,
        root,
        before,
        f"rulesync.yaml:3: column 20: the character {shown} is not allowed in YAML",
        "(delete it; an editor that shows invisible characters finds it)",
    )


def test_a_control_character_in_a_cached_config_is_still_refused(build_tree, run_cli) -> None:
    root = build_tree(BASE)
    assert run_cli("-C", root, "mirror").exit_code == 0  # the clean text is now cached
    (root / "rulesync.yaml").write_text("targets: [claude, gemini, codex]\n\x07\n")
    result = run_cli("-C", root, "check")
    assert result.exit_code == 2
    assert "rulesync.yaml:2: column 1: the character U+0007 (BEL)" in result.stderr


def test_yaml_nested_too_deeply_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "rulesync.yaml").write_text("lint: " + "[" * 20000 + "]" * 20000 + "\n")
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path)
    assert str(raised.value) == "rulesync.yaml: nested too deeply to read (flatten the YAML)"


@pytest.mark.parametrize(
    ("path", "text", "where"),
    [
        (
            ".rulesync/rules/main.md",
            "# Rules\n\nBad\x00byte\n",
            ".rulesync/rules/main.md:3: column 4",
        ),
        (
            ".rulesync/commands/go.md",
            "---\ndescription: d\x07\n---\nGo.\n",
            ".rulesync/commands/go.md:2: column 15",
        ),
        (
            ".rulesync/skills/review/SKILL.md",
            SKILL + "\x7f\n",
            ".rulesync/skills/review/SKILL.md:5: column 1",
        ),
        (
            ".rulesync/subagents/helper.md",
            "---\ndescription: d\n---\r\nA\x0cB\r\n",
            ".rulesync/subagents/helper.md:4: column 2",
        ),
    ],
)
def test_a_control_character_in_a_source_file_is_located_and_never_copied(
    build_tree, run_cli, path: str, text: str, where: str
) -> None:
    root = build_tree({**BASE, path: text})
    before = snapshot(root)
    result = run_cli("-C", root, "mirror")
    assert_refused(result, root, before, f"{where}: control character U+00", "delete it")


def test_tabs_and_crlf_are_not_control_characters_to_refuse(build_tree, run_cli) -> None:
    root = build_tree({**BASE, ".rulesync/rules/main.md": "# Rules\r\n\r\n\tindented\r\n"})
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert "\tindented\n" in (root / "CLAUDE.md").read_text()


def test_a_binary_support_file_is_copied_byte_for_byte(build_tree, run_cli) -> None:
    blob = bytes(range(256))
    files = {
        **BASE,
        ".rulesync/skills/review/SKILL.md": SKILL,
        ".rulesync/skills/review/a.bin": blob,
    }
    root = build_tree(files)
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert (root / ".claude/skills/review/a.bin").read_bytes() == blob


# --- item 13: two sources, one file -----------------------------------------------------

CASE_CLASH = (
    "the names differ only in case, and case-insensitive file systems (macOS, Windows) would "
    "make them one file (rename one of them)"
)


@pytest.mark.parametrize(
    ("targets", "first_path"),
    [
        ("[claude]", ".claude/commands/Foo.md"),
        ("[gemini]", ".gemini/commands/Foo.toml"),
        ("[claude, gemini]", ".claude/commands/Foo.md"),
        ("[claude, gemini, codex]", ".claude/commands/Foo.md"),
    ],
)
def test_outputs_differing_only_in_case_are_an_error(
    build_tree, run_cli, targets: str, first_path: str
) -> None:
    root = build_tree(
        {
            **BASE,
            "rulesync.yaml": f"targets: {targets}\n",
            ".rulesync/commands/Foo.md": "Upper.\n",
            ".rulesync/commands/foo.md": "Lower.\n",
        }
    )
    before = snapshot(root)
    result = run_cli("-C", root, "mirror")
    lower_path = first_path.replace("Foo", "foo")
    assert_refused(
        result,
        root,
        before,
        f".rulesync/commands/foo.md: becomes `{lower_path}`, and .rulesync/commands/Foo.md "
        f"becomes `{first_path}`: {CASE_CLASH}",
    )
    assert "skills_dir" not in result.stderr
    assert result.stderr.count("differ only in case") == 1  # once per pair of sources


def test_codex_alone_names_the_one_skill_both_become(build_tree, run_cli) -> None:
    root = build_tree(
        {
            **BASE,
            "rulesync.yaml": "targets: [codex]\n",
            ".rulesync/commands/Foo.md": "Upper.\n",
            ".rulesync/commands/foo.md": "Lower.\n",
        }
    )
    before = snapshot(root)
    result = run_cli("-C", root, "mirror")
    assert_refused(
        result,
        root,
        before,
        ".rulesync/commands/foo.md: this file and .rulesync/commands/Foo.md both become "
        "`.codex/skills/foo/SKILL.md` (rename one of them)",
    )
    assert "skills_dir" not in result.stderr
    assert "codex and codex" not in result.stderr


def test_two_command_names_that_become_one_codex_skill(build_tree, run_cli) -> None:
    files = {
        **BASE,
        ".rulesync/commands/docs/check.md": "Check the docs.\n",
        ".rulesync/commands/docs-check.md": "Check them otherwise.\n",
    }
    root = build_tree(files)
    before = snapshot(root)
    result = run_cli("-C", root, "mirror")
    assert_refused(
        result,
        root,
        before,
        ".rulesync/commands/docs/check.md: this file and .rulesync/commands/docs-check.md both "
        "become `.codex/skills/docs-check/SKILL.md` (rename one of them)",
    )
    assert "skills_dir" not in result.stderr
    # Without codex, the two are distinct files and fine.
    (root / "rulesync.yaml").write_text("targets: [claude, gemini]\n")
    assert run_cli("-C", root, "mirror").exit_code == 0


def test_support_files_differing_only_in_case(build_tree, run_cli) -> None:
    root = build_tree(
        {
            **BASE,
            "rulesync.yaml": "targets: [claude]\n",
            ".rulesync/skills/review/SKILL.md": SKILL,
            ".rulesync/skills/review/Notes.txt": "a\n",
            ".rulesync/skills/review/notes.txt": "b\n",
        }
    )
    before = snapshot(root)
    result = run_cli("-C", root, "mirror")
    assert_refused(
        result,
        root,
        before,
        ".rulesync/skills/review/notes.txt: becomes `.claude/skills/review/notes.txt`, and "
        ".rulesync/skills/review/Notes.txt becomes `.claude/skills/review/Notes.txt`",
    )


def test_a_file_where_another_output_needs_a_folder(build_tree, run_cli) -> None:
    root = build_tree(
        {
            **BASE,
            "rulesync.yaml": "targets: [gemini]\n",
            ".rulesync/commands/docs.md": "Docs.\n",
            ".rulesync/commands/docs.toml/x.md": "X.\n",
        }
    )
    before = snapshot(root)
    result = run_cli("-C", root, "mirror")
    assert_refused(
        result,
        root,
        before,
        ".rulesync/commands/docs.md: becomes the file `.gemini/commands/docs.toml`, where "
        ".rulesync/commands/docs.toml/x.md needs a folder (for `.gemini/commands/docs.toml/x.toml`)",
    )


def test_a_differing_skill_is_no_clash_in_the_default_layout(build_tree, run_cli) -> None:
    skill = "---\ndescription: R\n---\n<!-- only: gemini -->\nG\n<!-- /only -->\n"
    root = build_tree({**BASE, ".rulesync/skills/review/SKILL.md": skill})
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0, result.stderr
    assert "G" in (root / ".gemini/skills/review/SKILL.md").read_text().splitlines()
    assert "G" not in (root / ".codex/skills/review/SKILL.md").read_text().splitlines()
    assert not (root / ".agents/skills/review").exists()


def test_a_skills_dir_onto_another_agents_folder_says_to_remove_it(build_tree, run_cli) -> None:
    skill = "---\ndescription: R\n---\n<!-- only: gemini -->\nG\n<!-- /only -->\n"
    config = "targets: [claude, gemini]\ngemini:\n  skills_dir: .claude/skills\n"
    root = build_tree({**BASE, "rulesync.yaml": config, ".rulesync/skills/review/SKILL.md": skill})
    before = snapshot(root)
    result = run_cli("-C", root, "mirror")
    assert_refused(
        result,
        root,
        before,
        ".rulesync/skills/review/SKILL.md: claude and gemini both write "
        ".claude/skills/review/SKILL.md, with different content (drop the `only:` passages or "
        "overrides that differ, or remove `skills_dir: .claude/skills` from `gemini:` in "
        "rulesync.yaml (another agent writes its own skills there; by default Gemini gets "
        ".gemini/skills, or .agents/skills shared with Codex for identical files))",
    )
    assert "skills_dir: .gemini/skills" not in result.stderr


# --- item 10: names the file system refuses ---------------------------------------------


@pytest.mark.parametrize("command", ["mirror", "check"])
def test_a_command_name_too_long_for_the_file_system(build_tree, run_cli, command: str) -> None:
    name = "a" * 240
    root = build_tree(
        {**BASE, "rulesync.yaml": "targets: [claude]\n", f".rulesync/commands/{name}.md": "Go.\n"}
    )
    before = snapshot(root)
    result = run_cli("-C", root, command)
    assert_refused(
        result,
        root,
        before,
        f".rulesync/commands/{name}.md: the name `{'a' * 37}...` in `.claude/commands/",
        "is 243 bytes; the file system allows 255, and rulesync needs 231 at most",
        "(shorten its name)",
    )


def test_name_lengths_count_utf8_bytes(build_tree, run_cli) -> None:
    name = "ä" * 120  # 120 characters, 240 bytes: fits the source folder, not the temp name
    root = build_tree(
        {
            **BASE,
            "rulesync.yaml": "targets: [claude]\n",
            ".rulesync/skills/review/SKILL.md": SKILL,
            f".rulesync/skills/review/{name}": "x\n",
        }
    )
    before = snapshot(root)
    result = run_cli("-C", root, "mirror")
    assert_refused(result, root, before, f".rulesync/skills/review/{name}: ", "is 240 bytes")


def test_the_limits_come_from_the_file_system_and_cover_the_whole_path(build_tree) -> None:
    root = build_tree(
        {**BASE, "rulesync.yaml": "targets: [claude]\n", ".rulesync/commands/go.md": "Go.\n"}
    )
    project = load_project(root)
    assert build_outputs(project, ("claude",)).outputs  # the real limits: fine
    with pytest.raises(ConfigError, match=r"`go\.md` .* is 5 bytes; the file system allows 28, "):
        build_outputs(project, ("claude",), limits=(28, 4096))
    short_path = len(os.fsencode(str(root))) + 20
    with pytest.raises(
        ConfigError, match=r"the output path is \d+ bytes long, and the file system allows"
    ):
        build_outputs(project, ("claude",), limits=(255, short_path))


# --- item 20: names Windows cannot create -----------------------------------------------


@pytest.mark.parametrize(
    ("source", "why"),
    [
        (".rulesync/commands/CON.md", "`CON.md` is a device name that Windows reserves (`CON`)"),
        (".rulesync/commands/aux.md", "`aux.md` is a device name that Windows reserves (`AUX`)"),
        (".rulesync/commands/Lpt9.md", "`Lpt9.md` is a device name that Windows reserves (`LPT9`)"),
        (
            ".rulesync/skills/review/nul.tar.gz",
            "`nul.tar.gz` is a device name that Windows reserves",
        ),
        (".rulesync/skills/review/what?.txt", "`what?.txt` contains `?`, which Windows forbids"),
        (
            ".rulesync/skills/review/notes.",
            "`notes.` ends in a dot or a space, which Windows drops",
        ),
    ],
)
def test_a_name_windows_cannot_create_is_a_warning(
    build_tree, run_cli, source: str, why: str
) -> None:
    files = {
        **BASE,
        "rulesync.yaml": "targets: [claude]\n",
        ".rulesync/skills/review/SKILL.md": SKILL,
    }
    root = build_tree({**files, source: "Go.\n"})
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0, result.stderr
    assert f"warning: {source}: becomes `.claude/" in result.stderr
    assert f"which cannot be created on Windows: {why}" in result.stderr
    assert "(rename the source if the project is used on Windows)" in result.stderr
    assert result.stderr.count("cannot be created on Windows") == 1
    check = run_cli("-C", root, "check")
    assert check.exit_code == 0
    assert "cannot be created on Windows" in check.stderr


def test_names_that_only_look_like_devices_are_fine(build_tree, run_cli) -> None:
    files = {**BASE, ".rulesync/commands/console.md": "A.\n", ".rulesync/commands/com10.md": "B.\n"}
    result = run_cli("-C", build_tree(files), "mirror")
    assert result.exit_code == 0
    assert "Windows" not in result.stderr


# --- item 14: the whole config on every command ----------------------------------------

BAD_DISPATCH = """\
targets: [claude]
codex:
  max_bytes: {max_bytes}
dispatch:
  timeout: soon
  gemini:
    comand: gemini
"""


@pytest.mark.parametrize("command", [["mirror"], ["check"], ["lint", "."]])
@pytest.mark.parametrize("max_bytes", ["-5", "big", "0", "1.5"])
def test_a_bad_dispatch_block_fails_every_command(
    build_tree, run_cli, command: list[str], max_bytes: str
) -> None:
    config = BAD_DISPATCH.format(max_bytes=max_bytes)
    root = build_tree({**BASE, "rulesync.yaml": config})
    before = snapshot(root)
    result = run_cli("-C", root, *command)
    assert_refused(
        result,
        root,
        before,
        "rulesync.yaml:3: `codex.max_bytes` must be an integer greater than 0",
        "rulesync.yaml:5: `dispatch.timeout`: must be a number of seconds greater than 0",
        "rulesync.yaml:7: `dispatch.gemini.comand`: unknown key (did you mean `command`?)",
    )
    assert "must be a int" not in result.stderr


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            "dispatch:\n  kill_grace: .inf\n",
            "rulesync.yaml:3: `dispatch.kill_grace`: must be a number of seconds greater than 0 (e.g. `kill_grace: 3`)",
        ),
        (
            "dispatch:\n  roles: {r: [gemnii]}\n",
            "`dispatch.roles.r.0`: unknown target `gemnii` (did you mean `gemini`?)",
        ),
        (
            "lint:\n  identty: {names: [X]}\n",
            "rulesync.yaml:3: unknown lint `identty` (did you mean `identity`?)",
        ),
        ("gemini:\n  hooks: yes please\n", "rulesync.yaml:3: `gemini.hooks` must be true or false"),
        (
            "gemini:\n  skills_dir: ../../elsewhere\n",
            "`gemini.skills_dir` must be a folder inside the project, or `auto`",
        ),
    ],
)
def test_each_setting_is_checked_by_mirror(build_tree, run_cli, config: str, message: str) -> None:
    root = build_tree({**BASE, "rulesync.yaml": "targets: [claude, gemini]\n" + config})
    before = snapshot(root)
    result = run_cli("-C", root, "mirror")
    assert_refused(result, root, before, message)


def test_a_good_dispatch_block_passes(build_tree, run_cli) -> None:
    config = "targets: [claude]\ndispatch:\n  timeout: 60\n  gemini: {command: [npx, gemini]}\n"
    assert run_cli("-C", build_tree({**BASE, "rulesync.yaml": config}), "mirror").exit_code == 0


# --- item 16: symlinks in a skill -------------------------------------------------------


def skill_tree(build_tree) -> Path:
    return build_tree(
        {**BASE, "rulesync.yaml": "targets: [claude]\n", ".rulesync/skills/review/SKILL.md": SKILL}
    )


@pytest.mark.parametrize("command", ["mirror", "check"])
def test_a_support_folder_linked_outside_is_an_error(
    build_tree, run_cli, outside: Path, command: str
) -> None:
    root = skill_tree(build_tree)
    os.symlink(outside / "data", root / ".rulesync/skills/review/data")
    before, outside_before = snapshot(root), snapshot(outside)
    result = run_cli("-C", root, command)
    assert_refused(
        result,
        root,
        before,
        f".rulesync/skills/review/data: is a symlink to {outside / 'data'}, outside the project",
        "(copy what it points to into the project instead)",
    )
    assert snapshot(outside) == outside_before


def test_a_command_folder_linked_outside_is_an_error(build_tree, run_cli, outside: Path) -> None:
    root = build_tree(BASE)
    (outside / "data" / "leak.md").write_text("Leak.\n")
    (root / ".rulesync/commands").mkdir()
    os.symlink(outside / "data", root / ".rulesync/commands/team")
    before, outside_before = snapshot(root), snapshot(outside)
    result = run_cli("-C", root, "mirror")
    assert_refused(result, root, before, ".rulesync/commands/team: is a symlink to")
    assert snapshot(outside) == outside_before


def test_a_support_folder_linked_inside_the_project_is_followed(build_tree, run_cli) -> None:
    root = skill_tree(build_tree)
    (root / "shared/more").mkdir(parents=True)
    (root / "shared/more/tips.md").write_text("Tip.\n")
    os.symlink("../../../shared", root / ".rulesync/skills/review/shared")
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert (root / ".claude/skills/review/shared/more/tips.md").read_text() == "Tip.\n"
    assert not (root / ".claude/skills/review/shared").is_symlink()
    # An edit behind the link is seen: the fast path's fingerprint follows the link too.
    (root / "shared/more/tips.md").write_text("Better tip.\n")
    result = run_cli("-C", root, "check")
    assert result.exit_code == 1
    assert ".claude/skills/review/shared/more/tips.md" in result.stdout


@pytest.mark.parametrize("target", ["..", ".", "../review", "../../.."])
def test_a_folder_link_that_loops_is_an_error(build_tree, run_cli, target: str) -> None:
    root = skill_tree(build_tree)
    os.symlink(target, root / ".rulesync/skills/review/loop")
    before = snapshot(root)
    result = run_cli("-C", root, "mirror")
    assert_refused(
        result,
        root,
        before,
        ".rulesync/skills/review/loop: leads to a folder that is read already, through a "
        "symlink (a loop or a repeat)",
    )


def test_a_broken_link_in_a_skill_is_an_error(build_tree, run_cli) -> None:
    root = skill_tree(build_tree)
    os.symlink("nowhere", root / ".rulesync/skills/review/gone")
    before = snapshot(root)
    result = run_cli("-C", root, "mirror")
    assert_refused(result, root, before, ".rulesync/skills/review/gone: is a broken symlink")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_in_a_skill_is_an_error_not_a_hang(build_tree, run_cli) -> None:
    root = skill_tree(build_tree)
    os.mkfifo(root / ".rulesync/skills/review/pipe")
    before = snapshot(root)
    result = run_cli("-C", root, "mirror")
    assert_refused(
        result,
        root,
        before,
        ".rulesync/skills/review/pipe: is not a regular file (a FIFO, socket or device)",
    )


def test_skill_md_linked_outside_is_an_error(build_tree, run_cli, outside: Path) -> None:
    root = build_tree({**BASE, "rulesync.yaml": "targets: [claude]\n"})
    (outside / "data" / "SKILL.md").write_text(SKILL)
    (root / ".rulesync/skills/review").mkdir(parents=True)
    os.symlink(outside / "data" / "SKILL.md", root / ".rulesync/skills/review/SKILL.md")
    before, outside_before = snapshot(root), snapshot(outside)
    result = run_cli("-C", root, "mirror")
    assert_refused(result, root, before, ".rulesync/skills/review/SKILL.md: is a symlink to")
    assert snapshot(outside) == outside_before


def test_an_unreadable_config_is_a_config_error(
    build_tree, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = build_tree(BASE)

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    result = run_cli("-C", root, "check")
    assert result.exit_code == 2
    assert "rulesync.yaml: cannot read: Permission denied (check its permissions)" in result.stderr


def test_rule_links_follow_the_same_rules(build_tree, run_cli, outside: Path) -> None:
    root = build_tree(
        {**BASE, "rulesync.yaml": "targets: [claude]\n", "shared/extra.md": "## Extra\n"}
    )
    rules = root / ".rulesync/rules"
    os.symlink("../../shared/extra.md", rules / "extra.md")  # inside: followed
    os.symlink("../../shared/README", rules / "notes.txt")  # not a rule: never looked at
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert "## Extra" in (root / "CLAUDE.md").read_text()
    os.symlink("missing.md", rules / "gone.md")
    os.symlink(outside / "data" / "keep.txt", rules / "leak.md")
    before, outside_before = snapshot(root), snapshot(outside)
    result = run_cli("-C", root, "mirror")
    assert_refused(
        result,
        root,
        before,
        ".rulesync/rules/gone.md: is a broken symlink",
        ".rulesync/rules/leak.md: is a symlink to",
    )
    assert snapshot(outside) == outside_before


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("a/CON.md", "`CON.md` is a device name that Windows reserves (`CON`)"),
        ("a/con", "`con` is a device name that Windows reserves (`CON`)"),
        ("a/CON .md", "`CON .md` is a device name that Windows reserves (`CON`)"),
        ("a/COM¹.md", "`COM¹.md` is a device name that Windows reserves (`COM¹`)"),
        ("a/conout$.md", "`conout$.md` is a device name that Windows reserves (`CONOUT$`)"),
        ("prn/x.md", "`prn` is a device name that Windows reserves (`PRN`)"),
        ("a/x:y.md", "`x:y.md` contains `:`, which Windows forbids in names"),
        ("a/x /y.md", "`x ` ends in a dot or a space, which Windows drops"),
        ("a/console.md", None),
        ("a/com10.md", None),
        ("a/com0.md", None),
        (".claude/commands/auxiliary.md", None),
    ],
)
def test_windows_name_problem(path: str, problem: str | None) -> None:
    from rulesync.source.names import windows_name_problem

    assert windows_name_problem(path) == problem


def test_name_limits_without_pathconf(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from rulesync.source.names import output_name_problem, platform_limits

    monkeypatch.delattr(os, "pathconf", raising=False)
    assert platform_limits(str(tmp_path)) == (255, 4096)
    assert output_name_problem("d/" + "é" * 114 + ".md", 255) is None  # 231 bytes: fits
    assert "is 233 bytes" in (output_name_problem("d/" + "é" * 115 + ".md", 255) or "")
    assert "is 256 bytes" in (output_name_problem("d" * 256 + "/x.md", 255) or "")
    assert "U+0007" in (output_name_problem("d/a\x07b.md", 255) or "")


def test_the_refused_yaml_characters_are_exactly_those_yaml_1_2_refuses() -> None:
    """YAML_UNPRINTABLE lists the refused ranges (cheap to compile); over every code point it
    must agree with the allowed set of YAML 1.2, 5.1 (tab, LF, CR, NEL and printable text)."""
    from rulesync.source.config import _yaml_printable
    from rulesync.source.frontmatter import YAML_UNPRINTABLE

    differing = [
        code
        for code in range(0x110000)
        if (YAML_UNPRINTABLE.match(chr(code)) is None) != _yaml_printable(code)
    ]
    assert differing == []
    assert YAML_UNPRINTABLE.match("\x85") is None and YAML_UNPRINTABLE.match("\x84")
