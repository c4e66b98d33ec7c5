"""A fake vendor CLI, installed by the `fakes` fixture as claude, gemini, codex, ollama and llm.

It records how it was called (argv, stdin, some env, cwd, pid, process group) in
$FAKE_RECORD_DIR/<name>.json, then behaves as $FAKE_<NAME>_MODE says, with the real CLI's
exit codes and messages (from the shared agents reference, checked against the real CLIs):

    ok         prints an answer and exits 0
    quota      the vendor's rate-limit or usage-limit message, with a reset time
    auth       the vendor's not-logged-in message (gemini: rc 41)
    untrusted  like the real CLI: refuses an untrusted folder (gemini rc 55; codex outside
               a git repo without --skip-git-repo-check), answers when trusted
    down       ollama: the server is not running
    fail       an unclassified error, rc 3
    leak       prints secrets from its environment, then fails
    hang       ignores SIGTERM, starts a grandchild that does too, and never ends
    flood      writes $FAKE_FLOOD_MB MiB to stdout, then "END-OF-FLOOD", exits 0
    linger     leaves a background child (SIGTERM ignored, stdio closed), exits 0
    escape     starts a grandchild that leaves the session (fork, setsid, fork; SIGTERM
               ignored, stdio closed), exits 0
    escape-hang  the same, then hangs like `hang`
    hostile    fails (rc 3) with terminal escapes, C1 and DEL, NUL, and bidi overrides

Processes that should not outlive the dispatch are listed in $FAKE_PIDS_FILE, one
"role pid" per line, before the fake goes on.
"""

import json
import os
import signal
import subprocess
import sys
import time

NAME = os.path.basename(sys.argv[0])
MODE = os.environ.get(f"FAKE_{NAME.upper()}_MODE", "ok")
RECORDED_ENV = (
    "RULESYNC_PARENT_RUN_ID",
    "GEMINI_CLI_TRUST_WORKSPACE",
    "OPENAI_API_KEY",
    "GEMINI_API_KEY",
)
ANSWER = f"answer from {NAME}\n"

QUOTA = {
    "claude": ("stdout", "You've hit your limit · resets 3pm (Europe/Berlin)", 1),
    "gemini": (
        "stderr",
        "[API Error: RESOURCE_EXHAUSTED] You have exhausted your daily quota on this model. "
        "Your quota will reset after 2h30m.",
        1,
    ),
    "codex": (
        "stderr",
        "ERROR: You've hit your usage limit. Upgrade to Pro "
        "(https://openai.com/chatgpt/pricing) or try again at 4:05 PM.",
        1,
    ),
    "ollama": ("stderr", "Error: 429 Too Many Requests, retry in 30s", 1),
    "llm": ("stderr", "Error: Rate limit reached for gpt-4o. Please try again in 20s.", 1),
}
AUTH = {
    "claude": ("stdout", "Not logged in · Please run /login", 1),
    "gemini": (
        "stderr",
        "Please set an Auth method in your /home/u/.gemini/settings.json or specify one of the "
        "following environment variables before running: GEMINI_API_KEY, "
        "GOOGLE_GENAI_USE_VERTEXAI, GOOGLE_GENAI_USE_GCA",
        41,
    ),
    "codex": ("stderr", "Error: no Codex credentials were found. Run `codex login`.", 1),
    "llm": (
        "stderr",
        "Error: No key found - add one using 'llm keys set openai' or set the OPENAI_API_KEY "
        "environment variable",
        1,
    ),
}
GEMINI_UNTRUSTED = (
    "\x1b[31mGemini CLI is not running in a trusted directory. To proceed, either use "
    "`--skip-trust`, set the `GEMINI_CLI_TRUST_WORKSPACE=true` environment variable, or trust "
    "this directory in interactive mode.\x1b[0m"
)
CODEX_UNTRUSTED = "Not inside a trusted directory and --skip-git-repo-check was not specified."


def record(stdin: bytes) -> None:
    folder = os.environ.get("FAKE_RECORD_DIR")
    if not folder:
        return
    os.makedirs(folder, exist_ok=True)
    data = {
        "argv": sys.argv[1:],
        "stdin": stdin.decode("utf-8"),
        "env": {key: os.environ.get(key) for key in RECORDED_ENV},
        "cwd": os.getcwd(),
        "pid": os.getpid(),
        "pgid": os.getpgid(0),
    }
    path = os.path.join(folder, f"{NAME}.json")
    with open(path + ".tmp", "w", encoding="utf-8") as handle:
        json.dump(data, handle)
    os.replace(path + ".tmp", path)


def say(stream: str, text: str, code: int) -> None:
    print(text, file=sys.stdout if stream == "stdout" else sys.stderr, flush=True)
    sys.exit(code)


def untrusted() -> None:
    if NAME == "gemini":
        trusted = (
            os.environ.get("GEMINI_CLI_TRUST_WORKSPACE") == "true" or "--skip-trust" in sys.argv
        )
        if not trusted:
            say("stderr", GEMINI_UNTRUSTED, 55)
    if NAME == "codex" and "--skip-git-repo-check" not in sys.argv and not in_git_repo():
        say("stderr", CODEX_UNTRUSTED, 1)
    say("stdout", ANSWER.rstrip("\n"), 0)


def in_git_repo() -> bool:
    folder = os.getcwd()
    while True:
        if os.path.exists(os.path.join(folder, ".git")):
            return True
        parent = os.path.dirname(folder)
        if parent == folder:
            return False
        folder = parent


def hang() -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    sleeper = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)"
    child = subprocess.Popen([sys.executable, "-c", sleeper])
    print("ERROR: Reconnecting... waiting for network", file=sys.stderr, flush=True)
    ready = os.environ.get("FAKE_READY_FILE")
    if ready:
        with open(ready + ".tmp", "w", encoding="utf-8") as handle:
            json.dump({"pid": os.getpid(), "pgid": os.getpgid(0), "child": child.pid}, handle)
        os.replace(ready + ".tmp", ready)
    while True:
        time.sleep(1)


def note_pid(role: str, pid: int) -> None:
    path = os.environ.get("FAKE_PIDS_FILE")
    if path:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.write(fd, f"{role} {pid}\n".encode())
        os.close(fd)


def wait_for_pid(role: str) -> None:
    path = os.environ.get("FAKE_PIDS_FILE")
    deadline = time.monotonic() + 20
    while path and time.monotonic() < deadline:
        if os.path.exists(path):
            with open(path, encoding="utf-8") as handle:
                if f"{role} " in handle.read():
                    return
        time.sleep(0.01)


def detach_stdio() -> None:
    """Like a daemon: the output pipes are closed, so the dispatch sees the end of output."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)


def linger() -> None:
    sleeper = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)"
    child = subprocess.Popen(
        [sys.executable, "-c", sleeper],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    note_pid("linger", child.pid)


def escape() -> None:
    if os.fork() == 0:  # the child: a new session, so no process-group kill reaches it
        os.setsid()
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        detach_stdio()
        if os.fork() != 0:
            os._exit(0)  # the grandchild is orphaned at once, while the fake still runs
        note_pid("escaped", os.getpid())
        time.sleep(600)
        os._exit(0)
    os.wait()
    wait_for_pid("escaped")


HOSTILE = (
    "Error: \x1b[2Jbad \u202eevil\x9b \x1b]8;;http://x.example\x1b\\link\x1b]8;;\x1b\\ "
    "\u2066isolated\u2069\x00\x7f"
)


def hostile() -> None:
    say("stderr", HOSTILE, 3)


def flood() -> None:
    block = b"x" * 1023 + b"\n"
    for _ in range(int(os.environ.get("FAKE_FLOOD_MB", "8")) * 1024):
        sys.stdout.buffer.write(block)
    sys.stdout.buffer.write(b"END-OF-FLOOD\n")
    sys.exit(0)


def leak() -> None:
    key = os.environ.get("OPENAI_API_KEY", "")
    say("stderr", f"Error: request failed with key {key} (Authorization: Bearer {key})", 2)


def main() -> None:
    stdin = b"" if sys.stdin is None or sys.stdin.isatty() else sys.stdin.buffer.read()
    record(stdin)
    if MODE == "ok":
        say("stdout", ANSWER.rstrip("\n"), 0)
    elif MODE == "quota":
        say(*QUOTA[NAME])
    elif MODE == "auth":
        say(*AUTH[NAME])
    elif MODE == "untrusted":
        untrusted()
    elif MODE == "down":
        say(
            "stderr", "Error: could not connect to ollama server, run 'ollama serve' to start it", 1
        )
    elif MODE == "fail":
        say("stderr", "Error: something unexpected broke\nstack trace line", 3)
    elif MODE == "leak":
        leak()
    elif MODE == "hang":
        hang()
    elif MODE == "flood":
        flood()
    elif MODE == "linger":
        linger()
        say("stdout", ANSWER.rstrip("\n"), 0)
    elif MODE == "escape":
        escape()
        say("stdout", ANSWER.rstrip("\n"), 0)
    elif MODE == "escape-hang":
        escape()
        hang()
    elif MODE == "hostile":
        hostile()
    else:
        say("stderr", f"fake {NAME}: unknown mode {MODE}", 99)


main()
