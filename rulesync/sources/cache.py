"""Fetched packs in the user's cache: one bare repository per repo URL, one checkout per commit.

    $XDG_CACHE_HOME/rulesync/sources/<sha256 of the repo URL>/repo.git    git's objects
                                                              /refs.json   tags and branches, last fetch
                                                              /trees/<commit>[-<path hash>]/files/…
                                                              /trees/<commit>[-<path hash>]/manifest.json

A checkout holds only the source's `path` folder of the commit (a pack in a big repository
costs its own size).

A checkout is written once, from `git ls-tree` and `git cat-file` of the commit, and holds
regular files only: a symlink or submodule in the pack is listed in the manifest and never
written, and a path with `..`, a leading `/` or a `.git` part is refused. A checkout appears
by a rename of a complete folder, so a reader never sees half of one. Reading a cached pack
costs no git call at all.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from rulesync.errors import ConfigError, Problem
from rulesync.sources.gitcmd import GitFailed, git

COMMIT = re.compile(r"[0-9a-f]{40}")
#: a new shape of manifest needs a new name: an older checkout is then written again
MANIFEST = "manifest-v2.json"
BLOB_MODES = {"100644": False, "100755": True}


def sources_cache_dir() -> Path:
    """`$RULESYNC_CACHE_DIR/sources`, else `$XDG_CACHE_HOME/rulesync/sources` (~/.cache)."""
    chosen = os.environ.get("RULESYNC_CACHE_DIR")
    if not chosen:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        chosen = os.path.join(base, "rulesync")
    return Path(chosen) / "sources"


def repo_location(repo: str, root: Path) -> str:
    """A URL as written; a local path made absolute (relative paths from the project root)."""
    if "://" in repo or re.match(r"^[\w.-]+@[\w.-]+:", repo):
        return repo
    return str((root / os.path.expanduser(repo)).resolve())


@dataclass(frozen=True)
class FileRecord:
    sha256: str  # of the bytes git holds
    executable: bool
    size: int  # as written: a file whose size or mtime differs was changed after the fact
    mtime_ns: int


@dataclass(frozen=True)
class Manifest:
    """The files of one commit's checkout, the paths never written (links, submodules, paths
    that leave) and the shell lines of each file, all found once at checkout."""

    files: dict[str, FileRecord]
    refused: dict[str, str]  # path -> why
    shell: dict[str, list[tuple[int, str]]]


class RepoCache:
    """The cache folder of one repository URL."""

    def __init__(self, location: str, label: str, subtree: str = "") -> None:
        self.location = location
        self.label = label
        self.subtree = subtree  # only this folder of a commit is checked out
        key = hashlib.sha256(location.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        self.folder = sources_cache_dir() / key
        self.bare = self.folder / "repo.git"

    def tree(self, commit: str) -> Path:
        if not self.subtree:
            return self.folder / "trees" / commit
        part = hashlib.sha256(self.subtree.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        return self.folder / "trees" / f"{commit}-{part}"

    def files_root(self, commit: str) -> Path:
        return self.tree(commit) / "files"

    def has(self, commit: str) -> bool:
        return (self.tree(commit) / MANIFEST).is_file()

    def known_refs(self) -> dict[str, str]:
        """rev -> commit as of the last fetch (tags and branches); {} when never fetched."""
        try:
            data = json.loads((self.folder / "refs.json").read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {k: v for k, v in data.items() if isinstance(v, str) and COMMIT.fullmatch(v)}

    # --- network ----------------------------------------------------------------------

    def fetch(self) -> dict[str, str]:
        """Fetch every branch and tag; record and return rev -> commit."""
        self._init()
        git(
            ["fetch", "--quiet", "--force", "--prune", "--no-recurse-submodules", "--",
             self.location, "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"],
            cwd=self.bare, label=self.label,
        )  # fmt: skip
        refs = self._read_refs()
        _write_json(self.folder / "refs.json", refs)
        return refs

    def fetch_commit(self, commit: str) -> None:
        """Make `commit` present in the bare repository (fetching only when it is not)."""
        self._init()
        if self._object_present(commit):
            return
        try:
            self.fetch()
        except GitFailed as error:
            raise _offline(self.label, commit, error) from None
        if not self._object_present(commit):
            try:
                git(
                    ["fetch", "--quiet", "--", self.location, commit],
                    cwd=self.bare,
                    label=self.label,
                )
            except GitFailed as error:
                raise _offline(self.label, commit, error) from None

    def resolve(self, rev: str, refs: dict[str, str]) -> str:
        """The commit of a tag, branch or commit id (after a fetch)."""
        for name in (f"refs/tags/{rev}", f"refs/heads/{rev}"):
            if name in refs:
                return refs[name]
        if re.fullmatch(r"[0-9a-f]{7,40}", rev):
            out = git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"],
                      cwd=self.bare, label=self.label)  # fmt: skip
            return out.decode().strip()
        raise ConfigError(
            [Problem(self.label, f"`rev` {rev} is no tag, branch or commit of {self.location}",
                     fix="pick an existing tag, e.g. with `git ls-remote --tags REPO`")]
        )  # fmt: skip

    # --- checkouts --------------------------------------------------------------------

    def checkout(self, commit: str) -> None:
        """Write the commit's regular files into the cache, once."""
        if self.has(commit):
            return
        import shutil

        self.fetch_commit(commit)
        only = ["--", self.subtree] if self.subtree else []
        listing = git(
            ["ls-tree", "-r", "-z", "--full-tree", commit, *only], cwd=self.bare, label=self.label
        )
        blobs, refused = _entries(listing)
        temporary = self.folder / "trees" / f".tmp-{os.getpid()}-{self.tree(commit).name}"
        shutil.rmtree(temporary, ignore_errors=True)
        try:
            files, shell = self._write_blobs(blobs, temporary / "files")
            manifest = {"files": files, "refused": refused, "shell": shell}
            _write_json(temporary / MANIFEST, manifest)
            shutil.rmtree(self.tree(commit), ignore_errors=True)  # an older format's
            _rename_into_place(temporary, self.tree(commit))
        finally:
            shutil.rmtree(temporary, ignore_errors=True)

    def record(self, commit: str, path: str) -> tuple[FileRecord | None, str | None]:
        """One file's record in the checkout's manifest, or why it was never written (a link,
        a submodule): what the identity lint needs, without building every record."""
        try:
            data = json.loads((self.tree(commit) / MANIFEST).read_text("utf-8"))
            entry, refused = data["files"].get(path), data["refused"].get(path)
            if entry is None:
                return None, None if refused is None else str(refused)
            digest, executable, size, mtime = entry
            return FileRecord(str(digest), bool(executable), int(size), int(mtime)), None
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            raise self._damaged(commit) from None

    def _damaged(self, commit: str) -> ConfigError:
        return ConfigError(
            [Problem(self.label, f"the cached checkout of {commit[:12]} is damaged",
                     fix=f"delete {self.tree(commit)} and run the command again")]
        )  # fmt: skip

    def manifest(self, commit: str) -> Manifest:
        try:
            data = json.loads((self.tree(commit) / MANIFEST).read_text("utf-8"))
            files = {
                str(p): FileRecord(str(h), bool(x), int(size), int(mtime))
                for p, (h, x, size, mtime) in data["files"].items()
            }
            refused = {str(p): str(w) for p, w in data["refused"].items()}
            shell = {
                str(p): [(int(n), str(t)) for n, t in lines] for p, lines in data["shell"].items()
            }
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            raise self._damaged(commit) from None
        return Manifest(files, refused, shell)

    def _write_blobs(
        self, blobs: list[tuple[str, str, bool]], into: Path
    ) -> tuple[dict[str, list[object]], dict[str, list[tuple[int, str]]]]:
        from rulesync.sources.shell import shell_lines_in

        batch = git(["cat-file", "--batch"], cwd=self.bare, label=self.label,
                    stdin=b"".join(f"{oid}\n".encode() for _, oid, _ in blobs))  # fmt: skip
        files: dict[str, list[object]] = {}
        shell: dict[str, list[tuple[int, str]]] = {}
        offset = 0
        for path, _, executable in blobs:
            header_end = batch.index(b"\n", offset)
            size = int(batch[offset:header_end].split()[2])
            content = batch[header_end + 1 : header_end + 1 + size]
            offset = header_end + 2 + size
            status = _write_file(into / path, content, executable)
            digest = hashlib.sha256(content).hexdigest()
            files[path] = [digest, executable, status.st_size, status.st_mtime_ns]
            if lines := shell_lines_in(content):
                shell[path] = lines
        return files, shell

    def _init(self) -> None:
        if not (self.bare / "HEAD").is_file():
            self.folder.mkdir(parents=True, exist_ok=True)
            git(["init", "--quiet", "--bare", str(self.bare)], label=self.label)

    def _object_present(self, commit: str) -> bool:
        try:
            git(["cat-file", "-e", f"{commit}^{{commit}}"], cwd=self.bare, label=self.label)
        except GitFailed:
            return False
        return True

    def _read_refs(self) -> dict[str, str]:
        out = git(["for-each-ref", "--format=%(objectname) %(*objectname) %(refname)"],
                  cwd=self.bare, label=self.label).decode("utf-8", "replace")  # fmt: skip
        refs = {}
        for line in out.splitlines():
            parts = line.split(" ")
            if len(parts) == 3:
                refs[parts[2]] = parts[1] or parts[0]  # an annotated tag: its commit
        return refs


def _write_file(target: Path, content: bytes, executable: bool) -> os.stat_result:
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "xb") as stream:
        stream.write(content)
    if executable:
        os.chmod(target, 0o755)
    return os.stat(target)


def _entries(listing: bytes) -> tuple[list[tuple[str, str, bool]], dict[str, str]]:
    blobs, refused = [], {}
    for record in listing.split(b"\0"):
        if not record:
            continue
        head, _, raw_path = record.partition(b"\t")
        mode, kind, oid = head.decode().split(" ")
        path = raw_path.decode("utf-8", "replace")
        why = _path_problem(path)
        if why is None and mode in BLOB_MODES and kind == "blob":
            blobs.append((path, oid, BLOB_MODES[mode]))
        else:
            refused[path] = why or ("a symlink" if mode == "120000" else f"a {kind} (mode {mode})")
    return blobs, refused


def _path_problem(path: str) -> str | None:
    parts = PurePosixPath(path).parts
    if path.startswith("/") or ".." in parts or "\\" in path or "\ufffd" in path:
        return "a path that leaves the pack"
    if any(part.lower() == ".git" for part in parts):
        return "a path inside .git"
    return None


def _rename_into_place(temporary: Path, final: Path) -> None:
    try:
        os.rename(temporary, final)
    except OSError:
        if not (final / MANIFEST).is_file():  # another process did not win the race
            raise


def _write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(data, sort_keys=True), "utf-8")
    os.replace(temporary, path)


def _offline(label: str, commit: str, error: GitFailed) -> ConfigError:
    why = error.problems[0].message if error.problems else "git failed"
    return ConfigError(
        [Problem(label, f"the pinned commit {commit[:12]} is not in the cache and cannot be "
                 f"fetched ({why})",
                 fix="connect to the network (or fix `repo:`) and run `rulesync sources fetch`")]
    )  # fmt: skip
