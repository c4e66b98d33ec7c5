"""Names the user types: targets and their aliases, skill names, "did you mean" hints."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

TARGETS: tuple[str, ...] = ("claude", "gemini", "codex")
TARGET_ALIASES: dict[str, str] = {
    "claude": "claude",
    "claudecode": "claude",
    "gemini": "gemini",
    "geminicli": "gemini",
    "codex": "codex",
    "codexcli": "codex",
}

# Agent Skills spec: 1-64 chars of a-z, 0-9 and "-", no leading, trailing or double "-".
_SKILL_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_COMMAND_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def canonical_target(name: str) -> str | None:
    """`claudecode` -> `claude`; None for an unknown name."""
    return TARGET_ALIASES.get(name.strip().lower())


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A " (did you mean `x`?)" hint, or "" when nothing is close."""
    import difflib  # only when a name is unknown: dispatch and status start without it

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else ""


def skill_name_problem(name: str) -> str | None:
    """Why `name` breaks the Agent Skills naming rules, or None when it is fine."""
    if not 1 <= len(name) <= 64:
        return f"name `{name}` must be 1-64 characters long"
    if not _SKILL_NAME.match(name):
        return (
            f"name `{name}` may use only a-z, 0-9 and single hyphens, "
            "with no hyphen at the start or end"
        )
    return None


def command_name_problem(name: str) -> str | None:
    """Why a command file name cannot become a slash command, or None when it is fine."""
    if not _COMMAND_NAME.match(name):
        return (
            f"command name `{name}` may use only letters, digits, `_`, `.` and `-`, "
            "starting with a letter or digit"
        )
    return None


# --- output names on disk -------------------------------------------------------------

#: Bytes the writer's temporary name adds to a file name: `.NAME.rulesync-XXXXXXXX.tmp` adds
#: 23 (a dot, `.rulesync-`, 8 random characters, `.tmp`); one spare, should that grow.
TEMP_NAME_EXTRA = 24
DEFAULT_NAME_MAX = 255
DEFAULT_PATH_MAX = 4096
#: Device names Windows reserves in every folder, whatever the case and the extension.
WINDOWS_RESERVED = frozenset(
    [
        "con",
        "prn",
        "aux",
        "nul",
        "conin$",
        "conout$",
        *(f"{device}{digit}" for device in ("com", "lpt") for digit in "123456789¹²³"),
    ]
)
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"|?*\\]')
#: A quick test for all of the above on a whole path; `windows_name_problem` then says which.
_WINDOWS_SUSPECT = r'[<>:"|?*\\]|[. ](?:/|$)|(?:^|/)(?:con|prn|aux|nul|conin\$|conout\$|(?:com|lpt)[1-9¹²³]) *(?:[./]|$)'
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def platform_limits(root: str) -> tuple[int, int]:
    """(NAME_MAX, PATH_MAX) in bytes of the file system holding `root`; POSIX's usual values
    where the system cannot tell (Windows has no pathconf)."""
    return (
        _pathconf(root, "PC_NAME_MAX", DEFAULT_NAME_MAX),
        _pathconf(root, "PC_PATH_MAX", DEFAULT_PATH_MAX),
    )


def _pathconf(root: str, name: str, default: int) -> int:
    import os

    pathconf = getattr(os, "pathconf", None)
    if pathconf is None:
        return default
    try:
        value = int(pathconf(root, name))
    except (OSError, ValueError):
        return default
    return value if value > 0 else default


def output_name_problem(path: str, name_max: int) -> str | None:
    """Why the file system cannot take the output `path`, or None: a control character in a
    name, or a name too long. The file name itself must leave room for the temporary name
    it is first written under."""
    control = _CONTROL.search(path)
    if control:
        where = _printable(path)
        return f"the output path `{where}` holds the control character U+{ord(control.group()):04X}"
    if len(path) * 4 <= name_max - TEMP_NAME_EXTRA:
        return None  # no name in it can be too long, even at 4 bytes a character
    components = path.split("/")
    for index, component in enumerate(components):
        size = len(component.encode("utf-8", "surrogatepass"))
        limit = name_max - TEMP_NAME_EXTRA if index == len(components) - 1 else name_max
        if size > limit:
            return (
                f"the name `{_shorten(component)}` in `{_shorten(path, 80)}` is {size} bytes; "
                f"the file system allows {name_max}, and rulesync needs {limit} at most "
                "(the rest is for the temporary file it writes first)"
            )
    return None


def windows_name_problem(path: str) -> str | None:
    """Why Windows cannot create the output `path` (a reserved device name, a forbidden
    character, a trailing dot or space), or None."""
    if not _windows_suspect().search(path):
        return None
    for component in path.split("/"):
        device = component.split(".", 1)[0].rstrip(" ").lower()
        if device in WINDOWS_RESERVED:
            return f"`{component}` is a device name that Windows reserves (`{device.upper()}`)"
        forbidden = _WINDOWS_FORBIDDEN.search(component)
        if forbidden:
            return f"`{component}` contains `{forbidden.group()}`, which Windows forbids in names"
        if component.endswith((".", " ")):
            return f"`{component}` ends in a dot or a space, which Windows drops"
    return None


@cache
def _windows_suspect() -> re.Pattern[str]:
    """Compiled on first use: case-insensitive with ¹²³, it costs milliseconds, and dispatch
    and status import this module without checking any output name."""
    return re.compile(_WINDOWS_SUSPECT, re.IGNORECASE)


def _printable(text: str) -> str:
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def _shorten(text: str, keep: int = 40) -> str:
    return text if len(text) <= keep else f"{text[: keep - 3]}..."
