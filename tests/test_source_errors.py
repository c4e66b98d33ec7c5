"""Every bad input gives exit 2, names the file, the line and the fix, and writes nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CONFIG = "targets: [claude, gemini, codex]\n"
ROOT_RULE = "---\nroot: true\n---\n# Rules\n"


def files_on_disk(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


CASES = [
    pytest.param(
        {".rulesync/commands/x.md": "---\ndescripton: hi\n---\nbody\n"},
        ".rulesync/commands/x.md:2: unknown key `descripton` (did you mean `description`?)",
        id="unknown-key",
    ),
    pytest.param(
        {".rulesync/commands/x.md": "---\ndescription: [unclosed\n---\nbody\n"},
        ".rulesync/commands/x.md:3: malformed YAML frontmatter",
        id="malformed-yaml",
    ),
    pytest.param(
        {".rulesync/commands/x.md": "---\ndescription: hi\nbody\n"},
        ".rulesync/commands/x.md:1: frontmatter starts with `---` but never ends (add a closing `---` line)",
        id="unclosed-frontmatter",
    ),
    pytest.param(
        {".rulesync/rules/bad.md": b"# ok\nline two \xff\n"},
        ".rulesync/rules/bad.md:2: not valid UTF-8 (byte 0xff) (save the file as UTF-8)",
        id="invalid-utf8",
    ),
    pytest.param(
        {
            ".rulesync/subagents/a.md": "---\nname: helper\ndescription: a\n---\nx\n",
            ".rulesync/subagents/b.md": "---\nname: helper\ndescription: b\n---\ny\n",
        },
        ".rulesync/subagents/b.md:1: duplicate subagent name `helper` (also in .rulesync/subagents/a.md)",
        id="duplicate-name",
    ),
    pytest.param(
        {".rulesync/skills/Bad_Skill/SKILL.md": "---\ndescription: d\n---\nx\n"},
        ".rulesync/skills/Bad_Skill/SKILL.md:1: name `Bad_Skill` may use only a-z, 0-9 and single hyphens",
        id="skill-name-rules",
    ),
    pytest.param(
        {".rulesync/subagents/a.md": "---\nname: ../../etc/evil\ndescription: d\n---\nx\n"},
        ".rulesync/subagents/a.md:2: name `../../etc/evil` may use only a-z, 0-9 and single hyphens",
        id="name-outside-project",
    ),
    pytest.param(
        {".rulesync/skills/tool/SKILL.md": "---\nname: other\ndescription: d\n---\nx\n"},
        "skill name `other` must equal its folder name `tool`",
        id="skill-name-folder",
    ),
    pytest.param(
        {".rulesync/subagents/a.md": "---\nname: a\n---\nx\n"},
        ".rulesync/subagents/a.md:1: a subagent needs a `description`",
        id="missing-description",
    ),
    pytest.param(
        {".rulesync/rules/b.md": "---\nroot: true\n---\nx\n"},
        ".rulesync/rules/b.md:1: a second root rule (the first is .rulesync/rules/a.md)",
        id="two-roots",
    ),
    pytest.param(
        {".rulesync/commands/x.md": "---\ntargets: [claude, gemni]\n---\nx\n"},
        ".rulesync/commands/x.md:2: unknown target `gemni` (did you mean `gemini`?)",
        id="unknown-target",
    ),
    pytest.param(
        {".rulesync/commands/x.md": "---\nclaude:\n  modle: opus\n---\nx\n"},
        ".rulesync/commands/x.md:3: unknown key `modle` in `claude:` (did you mean `model`?)",
        id="unknown-override-key",
    ),
    pytest.param(
        {".rulesync/rules/c.md": "a\n<!-- only: claude -->\nb\n"},
        ".rulesync/rules/c.md:2: `<!-- only: … -->` is never closed (add `<!-- /only -->`)",
        id="unclosed-only",
    ),
    pytest.param(
        {".rulesync/rules/c.md": "<!-- only: cursor -->\nb\n<!-- /only -->\n"},
        ".rulesync/rules/c.md:1: unknown target `cursor` in `only` marker",
        id="only-unknown-target",
    ),
    pytest.param(
        {".rulesync/subagents/a.md": "---\nname: a\ndescription: d\ntemperature: hot\n---\nx\n"},
        ".rulesync/subagents/a.md:4: `temperature` must be a number",
        id="wrong-type",
    ),
    pytest.param(
        {"rulesync.yaml": "targets: [claude, geminicli]\nsorce: x\n"},
        "rulesync.yaml:2: unknown key `sorce` (did you mean `source`? `source:` is the folder of your own rules",
        id="config-unknown-key",
    ),
    pytest.param(
        {"rulesync.yaml": "targets: [claude\n"},
        "rulesync.yaml:2: invalid YAML",
        id="config-bad-yaml",
    ),
    pytest.param(
        {".rulesync/subagents/a.md": "---\nname: a\ndescription: d\ntargets: [codex]\n---\n\n"},
        ".rulesync/subagents/a.md: Codex needs the subagent's instructions, but the body is empty",
        id="codex-empty-instructions",
    ),
]


@pytest.mark.parametrize(("files", "expected"), CASES)
def test_bad_source_exits_2_names_file_line_fix_and_writes_nothing(
    build_tree, run_cli, files, expected
) -> None:
    root = build_tree({"rulesync.yaml": CONFIG, ".rulesync/rules/a.md": ROOT_RULE, **files})
    before = files_on_disk(root)
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 2, result.stdout + result.stderr
    assert expected in result.stderr
    assert result.stdout == ""
    assert files_on_disk(root) == before


def test_all_problems_are_reported_at_once(build_tree, run_cli) -> None:
    root = build_tree(
        {
            "rulesync.yaml": CONFIG,
            ".rulesync/commands/a.md": "---\ndescripton: x\n---\n",
            ".rulesync/commands/b.md": "---\nmodle: x\n---\n",
        }
    )
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 2
    assert "a.md:2: unknown key `descripton`" in result.stderr
    assert "b.md:2: unknown key `modle` (did you mean `model`?)" in result.stderr
    assert "2 errors; nothing was written." in result.stderr


def test_missing_config_names_the_fix(tmp_path: Path, run_cli) -> None:
    result = run_cli("-C", tmp_path, "mirror")
    assert result.exit_code == 2
    assert "no rulesync.yaml" in result.stderr
    assert "run `rulesync init`" in result.stderr


def test_source_symlink_outside_project_is_refused(build_tree, run_cli, tmp_path: Path) -> None:
    outside = tmp_path / "secret.md"
    outside.write_text("---\ndescription: x\n---\nsecret\n")
    root = build_tree({"rulesync.yaml": CONFIG, ".rulesync/rules/a.md": ROOT_RULE})
    (root / ".rulesync/commands").mkdir()
    os.symlink(outside, root / ".rulesync/commands/leak.md")
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 2
    assert ".rulesync/commands/leak.md: is a symlink to" in result.stderr
    assert "outside the project" in result.stderr


def test_output_through_symlink_outside_project_is_refused(
    build_tree, run_cli, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    root = build_tree(
        {
            "rulesync.yaml": "targets: [claude]\n",
            ".rulesync/rules/a.md": ROOT_RULE,
            ".rulesync/commands/x.md": "body\n",
        }
    )
    os.symlink(elsewhere, root / ".claude")
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 2
    assert "would go through the symlink .claude" in result.stderr
    assert list(elsewhere.iterdir()) == []
    assert not (root / "CLAUDE.md").exists()


def test_a_javascript_rulesync_key_points_to_the_importer(build_tree, run_cli) -> None:
    root = build_tree(
        {
            "rulesync.yaml": CONFIG,
            ".rulesync/rules/a.md": "---\nroot: true\ncursor:\n  alwaysApply: true\n---\nx\n",
        }
    )
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 2
    assert (
        ".rulesync/rules/a.md:3: unknown key `cursor` (this looks like a tree of the JavaScript rulesync: run `rulesync import --from rulesync-js`)"
        in result.stderr
    )
