"""The facade other commands use: rules text for agents without a context file, sync per target."""

from __future__ import annotations

from rulesync.api import rules_text, sync_target

RULE = "---\nroot: true\n---\n# Rules\n<!-- only: claude -->\nClaude only.\n<!-- /only -->\n<!-- only: codex -->\nCodex only.\n<!-- /only -->\n"


def test_rules_text_is_what_codex_reads(build_tree) -> None:
    root = build_tree({"rulesync.yaml": "targets: [claude, codex]\n", ".rulesync/rules/a.md": RULE})
    text = rules_text(root)
    assert "# Rules\nCodex only." in text
    assert "Claude only." not in text


def test_rules_text_without_codex_uses_the_first_target(build_tree) -> None:
    root = build_tree(
        {"rulesync.yaml": "targets: [gemini, claude]\n", ".rulesync/rules/a.md": RULE}
    )
    text = rules_text(root)
    assert "# Rules\nClaude only." in text


def test_sync_target_reports_then_writes(build_tree) -> None:
    root = build_tree(
        {"rulesync.yaml": "targets: [claude, gemini]\n", ".rulesync/rules/a.md": RULE}
    )
    dry = sync_target(root, "gemini", write=False)
    assert dry.changed == ("GEMINI.md",)
    assert not (root / "GEMINI.md").exists()
    done = sync_target(root, "gemini", write=True)
    assert done.message == "mirrored: GEMINI.md"
    assert (root / "GEMINI.md").is_file()
    assert not (root / "CLAUDE.md").exists()
    (root / "GEMINI.md").write_text("edited\n")
    blocked = sync_target(root, "gemini", write=True)
    assert blocked.conflicts == ("GEMINI.md",)
    assert "changed by hand" in blocked.message
