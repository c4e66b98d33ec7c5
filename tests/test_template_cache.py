"""jinja2's bytecode cache of the templates: same bytes as a compile, used only when private."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from rulesync import __version__
from rulesync.render import template_cache, templates

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX ownership checks")

DATA = {"note": "Generated.", "frontmatter": "description: x", "body": "Body text."}
EXPECTED = b"---\n# Generated.\ndescription: x\n---\n\nBody text.\n"


@pytest.fixture(autouse=True)
def _fresh_templates() -> Iterator[None]:
    """Each test starts, and leaves, with the templates this process compiled forgotten."""
    new_run()
    yield
    new_run()


def new_run() -> None:
    """Forget the environment and the templates this process compiled, as a new run would."""
    templates.environment.cache_clear()
    templates._template.cache_clear()


def entries(folder: Path) -> list[Path]:
    return sorted((folder / f"templates-{__version__}").glob("__jinja2_*.cache"))


def test_compiled_templates_are_kept_and_give_the_same_bytes(cache_folder: Path) -> None:
    assert templates.render("frontmatter.md.j2", **DATA) == EXPECTED
    assert len(entries(cache_folder)) == 1
    new_run()  # the template comes from the cache now
    assert templates.render("frontmatter.md.j2", **DATA) == EXPECTED
    folder = cache_folder / f"templates-{__version__}"
    assert os.stat(folder).st_mode & 0o077 == 0


def test_a_damaged_entry_is_compiled_again(cache_folder: Path) -> None:
    templates.render("frontmatter.md.j2", **DATA)
    (entry,) = entries(cache_folder)
    for damage in (b"", b"garbage", entry.read_bytes()[:40]):
        entry.write_bytes(damage)
        new_run()
        assert templates.render("frontmatter.md.j2", **DATA) == EXPECTED


def test_a_folder_others_may_write_to_is_not_used(cache_folder: Path) -> None:
    folder = cache_folder / f"templates-{__version__}"
    folder.mkdir(parents=True)
    folder.chmod(0o777)
    assert template_cache.bytecode_cache() is None
    assert templates.render("frontmatter.md.j2", **DATA) == EXPECTED
    assert entries(cache_folder) == []


def test_a_symlinked_folder_is_not_used(cache_folder: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    cache_folder.mkdir()
    (cache_folder / f"templates-{__version__}").symlink_to(elsewhere)
    assert template_cache.bytecode_cache() is None
    assert templates.render("frontmatter.md.j2", **DATA) == EXPECTED
    assert list(elsewhere.iterdir()) == []


def test_no_cache_compiles_in_memory(cache_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RULESYNC_NO_CACHE", "1")
    assert template_cache.bytecode_cache() is None
    assert templates.render("frontmatter.md.j2", **DATA) == EXPECTED
    assert not cache_folder.exists()
