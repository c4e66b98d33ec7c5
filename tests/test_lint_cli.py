"""`rulesync lint`: exact output of every format, exit codes, --fix, configuration errors."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import textwrap
import types
from pathlib import Path
from typing import Any

import pytest

CONFIG = textwrap.dedent(
    """\
    lint:
      identity:
        names:
          - GitHub
          - name: Müller GmbH
            wrong: [Mueller AG]
    """
)
BAD_DOC = "# Notes\n\nWe use Github and Mueller\nGmbH.\nSee github.com and `Github`.\n"
CLEAN_DOC = "All GitHub, all Müller GmbH.\n"
LINE_1 = 'docs/a.md:3:8: identity: write "GitHub", not "Github": wrong case (GitHub)'
LINE_2 = (
    'docs/a.md:3:19: identity: write "Müller GmbH", not "Mueller GmbH": umlaut or ß written out'
    " (Müller GmbH)"
)


@pytest.fixture(autouse=True)
def no_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


@pytest.fixture
def project(build_tree: Any) -> Path:
    root: Path = build_tree(
        {
            "rulesync.yaml": CONFIG,
            "docs/a.md": BAD_DOC,
            "docs/b.txt": CLEAN_DOC,
            "docs/sub/c.md": CLEAN_DOC,
            "docs/.hidden/d.md": BAD_DOC,
            "docs/image.png": b"\x89PNG\x00",
        }
    )
    return root


def test_text_format(project: Path, run_cli: Any) -> None:
    result = run_cli("-C", project, "lint", "docs/a.md", "docs/b.txt")
    assert result.exit_code == 1
    assert result.stdout == f"{LINE_1}\n{LINE_2}\n"
    assert result.stderr == "2 problems in 1 file\n"


def test_clean_files_exit_0_silently(project: Path, run_cli: Any) -> None:
    result = run_cli("-C", project, "lint", "docs/b.txt", "docs/sub/c.md")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_a_directory_is_searched_for_markdown_and_text(project: Path, run_cli: Any) -> None:
    result = run_cli("-C", project, "lint", "docs")
    assert result.exit_code == 1
    assert result.stdout == f"{LINE_1}\n{LINE_2}\n"  # .hidden and image.png are skipped


def test_json_format(project: Path, run_cli: Any) -> None:
    result = run_cli("-C", project, "lint", "--format", "json", "docs/a.md")
    assert result.exit_code == 1
    assert result.stdout == (
        "[\n"
        "  {\n"
        '    "path": "docs/a.md",\n'
        '    "line": 3,\n'
        '    "col": 8,\n'
        '    "rule": "identity",\n'
        '    "message": "write \\"GitHub\\", not \\"Github\\": wrong case",\n'
        '    "suggestion": "GitHub"\n'
        "  },\n"
        "  {\n"
        '    "path": "docs/a.md",\n'
        '    "line": 3,\n'
        '    "col": 19,\n'
        '    "rule": "identity",\n'
        '    "message": "write \\"Müller GmbH\\", not \\"Mueller GmbH\\": umlaut or ß written out",\n'
        '    "suggestion": "Müller\\nGmbH"\n'
        "  }\n"
        "]\n"
    )


def test_json_format_when_clean(project: Path, run_cli: Any) -> None:
    result = run_cli("-C", project, "lint", "--format", "json", "docs/b.txt")
    assert (result.exit_code, result.stdout) == (0, "[]\n")


GITHUB_LINES = (
    "::error file=docs/a.md,line=3,col=8,endLine=3,endColumn=14,title=rulesync identity"
    '::write "GitHub", not "Github": wrong case (GitHub)\n'
    "::error file=docs/a.md,line=3,col=19,endLine=4,endColumn=5,title=rulesync identity"
    '::write "Müller GmbH", not "Mueller GmbH": umlaut or ß written out (Müller GmbH)\n'
)


def test_github_format(project: Path, run_cli: Any) -> None:
    result = run_cli("-C", project, "lint", "--format", "github", "docs/a.md")
    assert (result.exit_code, result.stdout) == (1, GITHUB_LINES)


def test_github_format_is_the_default_under_github_actions(
    project: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert run_cli("-C", project, "lint", "docs/a.md").stdout == GITHUB_LINES
    text = run_cli("-C", project, "lint", "--format", "text", "docs/a.md")
    assert text.stdout == f"{LINE_1}\n{LINE_2}\n"


def test_github_format_escapes_properties_and_data() -> None:
    from lints.finding import Finding
    from rulesync.linting.lint_report import github_lines

    finding = Finding("a,b:c.md", 1, 2, "identity", "50% off\nnow", None, 0, 1)
    assert github_lines([finding]) == [
        "::error file=a%2Cb%3Ac.md,line=1,col=2,title=rulesync identity::50%25 off%0Anow"
    ]


def test_sarif_format(project: Path, run_cli: Any) -> None:
    result = run_cli("-C", project, "lint", "--format", "sarif", "docs/a.md")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["tool"]["driver"]["name"] == "rulesync"
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["identity", "umlaut"]
    first, second = run["results"]
    region = {"startLine": 3, "startColumn": 19, "endLine": 4, "endColumn": 5}
    assert second == {
        "ruleId": "identity",
        "ruleIndex": 0,
        "level": "error",
        "message": {"text": 'write "Müller GmbH", not "Mueller GmbH": umlaut or ß written out'},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": "docs/a.md"},
                    "region": region,
                }
            }
        ],
        "fixes": [
            {
                "description": {"text": 'Replace with "Müller GmbH"'},
                "artifactChanges": [
                    {
                        "artifactLocation": {"uri": "docs/a.md"},
                        "replacements": [
                            {
                                "deletedRegion": region,
                                "insertedContent": {"text": "Müller\nGmbH"},
                            }
                        ],
                    }
                ],
            }
        ],
    }
    assert first["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 3,
        "startColumn": 8,
        "endLine": 3,
        "endColumn": 14,
    }


def test_fix_rewrites_in_place_and_exits_1_once(project: Path, run_cli: Any) -> None:
    fixed = run_cli("-C", project, "lint", "--fix", "docs/a.md")
    assert (fixed.exit_code, fixed.stdout, fixed.stderr) == (
        1,
        "",
        "fixed 2 problems in docs/a.md\n",
    )
    assert (project / "docs/a.md").read_text() == (
        "# Notes\n\nWe use GitHub and Müller\nGmbH.\nSee github.com and `Github`.\n"
    )
    again = run_cli("-C", project, "lint", "--fix", "docs/a.md")
    assert (again.exit_code, again.stdout, again.stderr) == (0, "", "")


def test_fix_reports_what_it_cannot_fix(build_tree: Any, run_cli: Any) -> None:
    root = build_tree({"rulesync.yaml": CONFIG, "a.md": "Mueller AG and Github.\n"})
    result = run_cli("-C", root, "lint", "--fix", "a.md")
    assert result.exit_code == 1
    assert (root / "a.md").read_text() == "Müller GmbH and GitHub.\n"
    assert result.stderr == "fixed 2 problems in a.md\n"


@pytest.mark.parametrize(
    ("files", "args", "stderr"),
    [
        ({}, ["missing.md"], "error: missing.md: no such file or directory\n"),
        (
            {"bin.md": b"\x00\x01"},
            ["bin.md"],
            "error: bin.md: looks binary (it contains NUL bytes); lint only Markdown and text "
            "files\n",
        ),
        (
            {"latin.md": "Gr\u00fc\u00dfe\n".encode("latin-1")},
            ["latin.md"],
            "error: latin.md: line 1: not valid UTF-8 (byte 0xfc); save the file as UTF-8, or "
            "leave it out of the lint\n",
        ),
    ],
)
def test_unreadable_files_exit_2(
    build_tree: Any, run_cli: Any, files: dict[str, Any], args: list[str], stderr: str
) -> None:
    root = build_tree({"rulesync.yaml": CONFIG, **files})
    result = run_cli("-C", root, "lint", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", stderr)


def test_errors_win_over_findings_but_findings_are_still_shown(project: Path, run_cli: Any) -> None:
    result = run_cli("-C", project, "lint", "docs/a.md", "nope.md")
    assert result.exit_code == 2
    assert result.stdout == f"{LINE_1}\n{LINE_2}\n"
    assert result.stderr == "2 problems in 1 file\nerror: nope.md: no such file or directory\n"


@pytest.mark.parametrize(
    ("config", "args", "stderr"),
    [
        (
            None,
            ["a.md"],
            "error: rulesync.yaml: no lint is configured (list names under "
            "`lint.identity.names`, or add a `lint.umlaut` section)\n",
        ),
        (
            "lint:\n  identiy:\n    names: [GitHub]\n",
            ["a.md"],
            "error: rulesync.yaml:2: unknown lint `identiy` (did you mean `identity`?)\n",
        ),
        (
            "lint:\n  identity:\n    names:\n      - GitHub\n      - name: Müller\n        fuzzy: 1\n",
            ["a.md"],
            "error: rulesync.yaml:6: `lint.identity.names.1.fuzzy`: `fuzzy` must be true or "
            "false\n",
        ),
    ],
)
def test_configuration_errors_exit_2(
    build_tree: Any, run_cli: Any, config: str | None, args: list[str], stderr: str
) -> None:
    files: dict[str, str] = {"a.md": BAD_DOC}
    if config is not None:
        files["rulesync.yaml"] = config
    root = build_tree(files)
    result = run_cli("-C", root, "lint", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", stderr)


@pytest.mark.parametrize("config", [None, "lint:\n  identity:\n    names: []\n"])
def test_identity_without_names_passes_with_a_note(
    build_tree: Any, run_cli: Any, config: str | None
) -> None:
    files: dict[str, str] = {"a.md": BAD_DOC}
    if config is not None:
        files["rulesync.yaml"] = config
    root = build_tree(files)
    result = run_cli("-C", root, "lint", "--only", "identity", "a.md")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "the identity lint has no names to check" in result.stderr
    assert result.stderr.endswith("; nothing to check\n")


def test_no_paths_is_a_usage_error(project: Path, run_cli: Any) -> None:
    result = run_cli("-C", project, "lint")
    assert result.exit_code == 2
    assert "give the files or directories to lint" in result.stderr


def test_bom_and_crlf_positions(build_tree: Any, run_cli: Any) -> None:
    root = build_tree(
        {"rulesync.yaml": CONFIG, "w.md": "\ufeffGithub\r\n\r\nMueller GmbH\r\n".encode()}
    )
    result = run_cli("-C", root, "lint", "w.md")
    assert [line.split(": identity")[0] for line in result.stdout.splitlines()] == [
        "w.md:1:1",
        "w.md:3:1",
    ]
    run_cli("-C", root, "lint", "--fix", "w.md")
    assert (root / "w.md").read_bytes() == "\ufeffGitHub\r\n\r\nMüller GmbH\r\n".encode()


@pytest.fixture
def fake_umlaut(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """An umlaut rule that records its options and flags every `fuer`."""
    from lints.finding import Finding
    from lints.registry import RULES

    seen: list[dict[str, Any]] = []

    class Rule:
        name = "umlaut"

        def check(self, doc: Any) -> Any:
            offset = doc.prose.find("fuer")
            if offset != -1:
                line, col = doc.position(offset)
                yield Finding(doc.path, line, col, "umlaut", "fuer", "für", offset, offset + 4)

    def build(options: dict[str, Any]) -> Rule:
        seen.append(dict(options))
        return Rule()

    module = types.ModuleType("fake_umlaut_rule")
    module.build = build  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fake_umlaut_rule", module)
    monkeypatch.setitem(RULES, "umlaut", "fake_umlaut_rule")
    return seen


def test_umlaut_gets_its_options_the_identity_names_and_lang(
    build_tree: Any, run_cli: Any, fake_umlaut: list[dict[str, Any]]
) -> None:
    config = CONFIG + "  umlaut:\n    lang: de\n    allow: [Goethe]\n"
    root = build_tree({"rulesync.yaml": config, "a.md": "Nur fuer Github.\n"})
    result = run_cli("-C", root, "lint", "--lang", "de-CH", "a.md")
    assert result.exit_code == 1
    assert result.stdout == (
        'a.md:1:5: umlaut: fuer (für)\na.md:1:10: identity: write "GitHub", not "Github": '
        "wrong case (GitHub)\n"
    )
    assert fake_umlaut == [
        {"lang": "de-CH", "allow": ["Goethe"], "identity_names": ["GitHub", "Müller GmbH"]}
    ]


def test_only_runs_exactly_one_lint(
    build_tree: Any, run_cli: Any, fake_umlaut: list[dict[str, Any]]
) -> None:
    root = build_tree({"rulesync.yaml": CONFIG, "a.md": "Nur fuer Github.\n"})
    only_umlaut = run_cli("-C", root, "lint", "--only", "umlaut", "a.md")
    assert only_umlaut.stdout == "a.md:1:5: umlaut: fuer (für)\n"
    # No `lint.umlaut` section: only German paragraphs are checked (issue #13).
    assert fake_umlaut == [{"identity_names": ["GitHub", "Müller GmbH"], "lang": "auto"}]
    only_identity = run_cli("-C", root, "lint", "--only", "identity", "a.md")
    assert only_identity.stdout.startswith("a.md:1:10: identity:")
    assert "umlaut" not in only_identity.stdout


FAST_CASES = [
    ["docs/a.md", "docs/b.txt"],
    ["--only", "identity", "docs/a.md"],
    ["--format=json", "docs/a.md"],
    ["--format", "github", "docs"],
    ["--format", "sarif", "docs/a.md"],
    ["docs/b.txt"],
    ["missing.md", "docs/a.md"],
    ["--", "docs/a.md"],
    ["./docs/a.md", "docs//b.txt", "docs/./sub/c.md"],  # named as pathlib writes them
    ["docs/", "docs/a.md"],
]


@pytest.mark.parametrize("args", FAST_CASES)
def test_fast_path_prints_what_click_prints(
    project: Path,
    run_cli: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
) -> None:
    from rulesync.linting.lint_run import fast_main

    slow = run_cli("-C", project, "lint", *args)
    monkeypatch.chdir(project)
    capsys.readouterr()
    code = fast_main(args, {}, cwd=Path("."), interactive=False)
    out, err = capsys.readouterr()
    assert (code, out, err) == (slow.exit_code, slow.stdout, slow.stderr)


def test_fast_path_reports_configuration_errors_like_click(
    build_tree: Any, run_cli: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from rulesync.linting.lint_run import fast_main

    root = build_tree({"rulesync.yaml": "lint:\n  identiy: {}\n", "a.md": "x"})
    slow = run_cli("-C", root, "lint", "a.md")
    capsys.readouterr()
    code = fast_main(["a.md"], {}, cwd=root, interactive=False)
    out, err = capsys.readouterr()
    expected = (
        2,
        "",
        "error: rulesync.yaml:2: unknown lint `identiy` (did you mean `identity`?)\n",
    )
    assert (slow.exit_code, slow.stdout, slow.stderr) == expected
    assert (code, out, err) == expected


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--fix", "a.md"],
        ["--hook", "claude"],
        ["--help"],
        ["--only", "spelling", "a.md"],
        ["--format", "json", "--format", "text", "a.md"],
        ["--format"],
    ],
)
def test_fast_path_leaves_everything_else_to_click(args: list[str], tmp_path: Path) -> None:
    from rulesync.linting.lint_run import fast_main

    assert fast_main(args, {}, cwd=tmp_path, interactive=False) is None


def test_fast_path_leaves_terminals_to_click(tmp_path: Path) -> None:
    from rulesync.linting.lint_run import fast_main

    assert fast_main(["a.md"], {}, cwd=tmp_path, interactive=True) is None


def test_fast_path_uses_github_format_under_github_actions(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from rulesync.linting.lint_run import fast_main

    code = fast_main(["docs/a.md"], {"GITHUB_ACTIONS": "true"}, cwd=project, interactive=False)
    assert (code, capsys.readouterr().out) == (1, GITHUB_LINES)


@pytest.mark.parametrize(
    ("config", "stderr"),
    [
        (
            "lint:\n  identity:\n    names: [GitHub]\n  umlaut: [de]\n",
            "error: rulesync.yaml:4: `lint.umlaut` must be a mapping of options (write its "
            "options under it, e.g. `umlaut: {}`)\n",
        ),
        (
            "lint:\n  identity: [GitHub]\n",
            "error: rulesync.yaml:2: `lint.identity`: must be a mapping with a `names` list\n",
        ),
    ],
)
def test_lint_sections_of_the_wrong_shape(
    build_tree: Any, run_cli: Any, config: str, stderr: str
) -> None:
    root = build_tree({"rulesync.yaml": config, "a.md": "x\n"})
    result = run_cli("-C", root, "lint", "a.md")
    assert (result.exit_code, result.stderr) == (2, stderr)


def test_umlaut_false_is_off(build_tree: Any, run_cli: Any, fake_umlaut: Any) -> None:
    config = "lint:\n  identity:\n    names: [GitHub]\n  umlaut: false\n"
    root = build_tree({"rulesync.yaml": config, "a.md": "fuer Github\n"})
    result = run_cli("-C", root, "lint", "a.md")
    assert result.stdout.count("umlaut:") == 0
    assert fake_umlaut == []


#: What the one-file run of a pre-commit hook must not import (each costs start-up).
HEAVY_MODULES = ("click", "typing", "pathlib", "json", "contextlib", "importlib", "dataclasses")


def test_a_one_file_run_imports_nothing_heavy_and_ends_with_its_output(
    project: Path, tmp_path: Path
) -> None:
    """Once rulesync.yaml's lint section is in the parse cache (the first run validates the
    whole file, which imports more)."""
    import subprocess

    probe = (
        "import sys, os\n"
        "from rulesync.cli import main\n"
        "code = main(['lint', '--only', 'identity', 'docs/a.md'])\n"
        "sys.stdout.flush()\n"
        f"heavy = [m for m in {HEAVY_MODULES!r} if m in sys.modules]\n"
        "print('heavy:', heavy, file=sys.stderr)\n"
        "raise SystemExit(code)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "RULESYNC_NO_CACHE"}
    env["RULESYNC_CACHE_DIR"] = str(tmp_path / "cache")
    env["RULESYNC_STATE_DIR"] = str(tmp_path / "state")
    command = [sys.executable, "-m", "rulesync", "lint", "--only", "identity", "docs/a.md"]
    first = subprocess.run(command, cwd=project, capture_output=True, text=True, env=env)
    assert first.returncode == 1
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=project, capture_output=True, text=True, env=env
    )
    assert done.returncode == 1
    assert done.stdout == LINE_1 + "\n" + LINE_2 + "\n"
    heavy = done.stderr.splitlines()[-1]
    if importlib.util.find_spec("pyromark") is not None:
        assert heavy == "heavy: []"
    else:  # the markdown-it route (no native wheel, Python 3.10) imports typing and more
        assert heavy.startswith("heavy: [") and "'click'" not in heavy and "'json'" not in heavy
    # its own process (`main()` without arguments) ends at once: the same output, flushed
    whole = subprocess.run(command, cwd=project, capture_output=True, text=True, env=env)
    assert (whole.returncode, whole.stdout) == (1, done.stdout)
    assert whole.stderr == "2 problems in 1 file\n"
