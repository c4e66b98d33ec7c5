"""Mirror and check of a project with three cached sources, against the same content held
locally (issue #17: the sources must cost no more).

    python benchmarks/bench_sources.py [--runs 15] [--rules 60]

Builds three pack repositories (each a third of the rules, commands, skills and subagents)
and two projects: `with-sources` pins the three packs (after one mirror they are in the
cache), `local` holds the same files in its own `.rulesync/`. Figures are whole `rulesync`
processes: median and minimum wall time of `--runs` runs. A `git` on PATH that counts its
calls shows that neither mirror nor check nor lint of a pinned, cached project runs git.
Each pack also supplies 10 identity names (names.yaml); the local project lists the same 30
names under `lint.identity`, and `lint` times `rulesync lint docs/a.md`.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RULESYNC = str(Path(sys.executable).with_name("rulesync"))
GIT = shutil.which("git") or "git"


def names_block(index: int) -> str:
    return "".join(
        f"  - name: Pack{index}Name{n}\n    wrong: [pack{index}-name{n}]\n" for n in range(10)
    )


def pack_files(index: int, rules: int) -> dict[str, str]:
    files = {"names.yaml": f"names:\n{names_block(index)}"}
    for n in range(rules):
        files[f"rules/p{index}-rule{n}.md"] = f"# Rule {index}.{n}\n\n" + "Text. " * 80 + "\n"
    for n in range(rules // 2):
        files[f"commands/p{index}-cmd{n}.md"] = f"---\ndescription: c{n}\n---\nDo {n}.\n"
    for n in range(rules // 4):
        files[f"skills/p{index}-skill{n}/SKILL.md"] = (
            f"---\nname: p{index}-skill{n}\ndescription: s{n}\n---\nSkill {n}.\n"
        )
    for n in range(rules // 10):
        files[f"subagents/p{index}-agent{n}.md"] = (
            f"---\nname: p{index}-agent{n}\ndescription: a{n}\n---\nAgent {n}.\n"
        )
    return files


def write(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def git(cwd: Path, env: dict[str, str], *args: str) -> None:
    subprocess.run([GIT, *args], cwd=cwd, env=env, check=True, capture_output=True)


def build(work: Path, env: dict[str, str], rules: int) -> tuple[Path, Path]:
    root_rule = {
        ".rulesync/rules/root.md": "---\nroot: true\n---\n# Project\n",
        "docs/a.md": "# Doc\n\n" + "Plain prose with Pack0Name1 in it. " * 200 + "\n",
    }
    with_sources, local = work / "with-sources", work / "local"
    sources = "sources:\n"
    names = "".join(names_block(index) for index in range(3))
    local_config = f"targets: [claude, gemini, codex]\nlint:\n  identity:\n    names:\n{names}"
    write(
        local,
        {
            "rulesync.yaml": local_config.replace("\n  - ", "\n      - ").replace(
                "\n    wrong", "\n        wrong"
            ),
            **root_rule,
        },
    )
    for index in range(3):
        files = pack_files(index, rules)
        pack = work / f"pack{index}"
        write(pack, files)
        git(pack, env, "init", "-q")
        git(pack, env, "add", "-A")
        git(pack, env, "commit", "-qm", "pack")
        git(pack, env, "tag", "v1.0.0")
        sources += f"  - repo: {pack}\n    rev: v1.0.0\n"
        write(local, {f".rulesync/{k}": v for k, v in files.items() if k != "names.yaml"})
    config = "targets: [claude, gemini, codex]\n" + sources
    write(with_sources, {"rulesync.yaml": config, **root_rule})
    return with_sources, local


def counting_git(work: Path) -> tuple[dict[str, str], Path]:
    """A `git` first on PATH that logs each call, then runs the real one."""
    folder, log = work / "bin", work / "git-calls.log"
    folder.mkdir()
    script = folder / "git"
    script.write_text(f'#!/bin/sh\necho "$*" >> {log}\nexec {GIT} "$@"\n')
    script.chmod(0o755)
    # An installed wheel has compiled .pyc files; PYTHONDONTWRITEBYTECODE (set in some dev
    # shells) would recompile every module on every run and measure that instead. The code
    # is a frozen copy (the lock's fingerprint covers our own code).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PATH"] = f"{folder}{os.pathsep}{os.environ['PATH']}"
    code, repo = work / "code", Path(__file__).resolve().parent.parent
    for name in ("rulesync", "lints", "templates"):
        shutil.copytree(repo / name, code / name, ignore=shutil.ignore_patterns("__pycache__"))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(code), env.get("PYTHONPATH")]))
    env.update(
        RULESYNC_CACHE_DIR=str(work / "cache"), RULESYNC_STATE_DIR=str(work / "state"),
        GIT_AUTHOR_NAME="b", GIT_AUTHOR_EMAIL="b@example.com",
        GIT_COMMITTER_NAME="b", GIT_COMMITTER_EMAIL="b@example.com",
    )  # fmt: skip
    return env, log


def timed(command: list[str], cwd: Path, env: dict[str, str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"{command} exited {done.returncode}: {done.stderr.decode()}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--rules", type=int, default=60, help="rules per pack")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="rulesync-bench-sources-"))
    try:
        env, log = counting_git(work)
        with_sources, local = build(work, env, options.rules)
        for project in (with_sources, local):
            subprocess.run([RULESYNC, "mirror", "--yes"], cwd=project, env=env, check=True,
                           capture_output=True)  # fmt: skip
        log.unlink(missing_ok=True)
        print(f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}; "
              f"3 packs x ({options.rules} rules, {options.rules // 2} commands, "
              f"{options.rules // 4} skills, {options.rules // 10} subagents)")  # fmt: skip
        projects = {"3 cached sources": with_sources, "same content local": local}
        for command in ("check", "mirror", "lint docs/a.md"):
            times: dict[str, list[float]] = {name: [] for name in projects}
            for _ in range(options.runs):  # interleaved: a busy neighbour slows both alike
                for name, project in projects.items():
                    times[name] += timed([RULESYNC, *command.split()], project, env, 1)
            for name, runs in times.items():
                print(f"{command.split()[0]:<7}{name:<20} median {statistics.median(runs) * 1000:7.1f} ms"
                      f"   min {min(runs) * 1000:7.1f} ms")  # fmt: skip
        calls = log.read_text().splitlines() if log.exists() else []
        print(f"git calls during the timed runs: {len(calls)}")
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
