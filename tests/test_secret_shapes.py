"""One set of secret shapes (rulesync.dispatch.redact.SHAPES) serves three paths: dispatch's
redaction, the shared memory's refusal and the `mcp:` block's secret check."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.bench_secret_shapes import hostile_lines
from rulesync.dispatch.redact import SHAPES, Redactor
from rulesync.memory.secrets import find_secret

# (kind, the text around it, the secret part that must never come out)
PRIVATE_KEY = (
    "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx" + "Q" * 40 + "\nab+/cd==\n"
    "-----END RSA PRIVATE KEY-----"
)
SAMPLES = [
    ("a private key", PRIVATE_KEY, "MIIEowIBAAKCAQEAx"),
    ("an AWS access key", "AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"),
    ("a Slack token", "xoxb-1234567890-abcdefghijkl", "1234567890-abcdefghijkl"),
    ("a password in a URL", "postgres://admin:hunter2x@db.example.com/app", "hunter2x"),
    ("an API key or token", "sk-ant-api03-abcdefghijklmnopqrstuv", "abcdefghijklmnopqrstuv"),
]
IDS = [kind for kind, _text, _secret in SAMPLES]


@pytest.mark.parametrize(("kind", "text", "secret"), SAMPLES, ids=IDS)
def test_dispatch_redaction_masks_each_shape(kind: str, text: str, secret: str) -> None:
    redacted = Redactor({})(f"before {text} after")
    assert secret not in redacted
    assert "[redacted]" in redacted
    assert redacted.startswith("before ") and redacted.endswith(" after")


def test_redaction_keeps_the_labels_around_the_secret() -> None:
    redact = Redactor({})
    assert (
        redact("url postgres://admin:hunter2x@db/app") == "url postgres://admin:[redacted]@db/app"
    )
    assert redact(PRIVATE_KEY + "\nnext") == "-----BEGIN RSA PRIVATE KEY-----[redacted]\nnext"
    escaped = PRIVATE_KEY.replace("\n", "\\n")  # a key inside a JSON string of a log
    assert redact(f'{{"k": "{escaped}"}}') == '{"k": "-----BEGIN RSA PRIVATE KEY-----[redacted]"}'


@pytest.mark.parametrize(
    "text",
    [
        "https://example.com/path:part@v2",  # no user:password before the host
        "see https://example.com/a and mail me@example.com",
        "AKIA in a sentence, AKIA123",
        "-----BEGIN PUBLIC KEY-----",
    ],
)
def test_what_is_not_a_secret_is_left_alone(text: str) -> None:
    assert Redactor({})(text) == text
    assert find_secret({"body": text}) is None


@pytest.mark.parametrize(("kind", "text", "secret"), SAMPLES, ids=IDS)
def test_memory_refuses_each_shape(kind: str, text: str, secret: str) -> None:
    found = find_secret({"title": "ok", "body": f"line one\n{text}"})
    assert found is not None
    assert (found.field, found.line, found.kind) == ("body", 2, kind)


@pytest.mark.parametrize(("kind", "text", "secret"), SAMPLES, ids=IDS)
def test_the_mcp_block_refuses_each_shape(
    build_tree, run_cli, kind: str, text: str, secret: str
) -> None:
    literal = text.replace("\n", "\\n")
    config = f'targets: [claude]\nmcp:\n  db:\n    command: db\n    args: ["{literal}"]\n'
    root: Path = build_tree({"rulesync.yaml": config, ".rulesync/rules/a.md": "# Rules\n"})
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 2
    assert "rulesync.yaml:5: an argument holds a secret literally" in result.stderr
    assert secret not in result.stdout + result.stderr
    assert not (root / ".mcp.json").exists()


def test_a_password_from_the_environment_in_an_mcp_url_is_no_secret(build_tree, run_cli) -> None:
    config = (
        "targets: [claude]\nmcp:\n  db:\n    type: http\n"
        "    url: https://admin:${DB_PASSWORD}@db.example.com/mcp\n"
    )
    root: Path = build_tree({"rulesync.yaml": config, ".rulesync/rules/a.md": "# Rules\n"})
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0, result.stderr


#: inputs that make a careless pattern quadratic: long runs a repeat can start anywhere in,
#: and many starts of a shape that never completes (shared with the benchmark)
HOSTILE_LINES = hostile_lines(1 << 20)

_LINEAR_RUN = """
import sys
from rulesync.dispatch.redact import Redactor
from rulesync.memory.secrets import find_secret
text = sys.stdin.read()
Redactor({})(text)
find_secret({"body": text})
"""


@pytest.mark.parametrize("name", sorted(HOSTILE_LINES))
def test_every_shape_is_linear_on_a_megabyte_line(name: str) -> None:
    """A quadratic shape takes hours on a megabyte (the old URL-password shape took 45 s on
    40 kB); a linear one takes well under a second. The bound only catches the hours."""
    subprocess.run(
        [sys.executable, "-c", _LINEAR_RUN],
        input=HOSTILE_LINES[name],
        text=True,
        check=True,
        timeout=60,
    )


def test_each_kind_is_named_once_per_shape() -> None:
    kinds = {kind for kind, _shape in SHAPES}
    assert kinds == {kind for kind, _text, _secret in SAMPLES}


def _by_shapes(text: str) -> bool:
    return any(shape.search(text) for _kind, shape in SHAPES)


def test_every_shape_has_a_trigger() -> None:
    """The memory's prefilter (secrets.TRIGGERS) knows every shape: a new shape needs its
    trigger, and then this count moves."""
    from rulesync.memory.secrets import SHAPE_COUNT

    assert len(SHAPES) == SHAPE_COUNT


@pytest.mark.parametrize(("kind", "text", "secret"), SAMPLES, ids=IDS)
def test_the_prefilter_passes_every_sample(kind: str, text: str, secret: str) -> None:
    from rulesync.memory.secrets import may_hold_secret

    for variant in (text, text.upper(), text.lower(), f"x{text}x"):
        assert may_hold_secret(variant) or not _by_shapes(variant)
    assert may_hold_secret(text)


def test_the_prefilter_never_clears_what_a_shape_matches() -> None:
    """Fragments of every shape, mixed with case changes and the characters a
    case-insensitive regex folds to ASCII (U+017F, U+212A, U+0130, U+0131): whenever a shape matches, the
    prefilter lets the text through."""
    import random

    from rulesync.memory.secrets import may_hold_secret

    pieces = [
        "sk-", "ant-", "AIza", "ya29.", "ghp_", "gho_", "Bearer ", "?key=", "&token=",
        "api_key", "apikey", "Api-Key", "secret", "SECRET", "\u017fecret", "toKen", "\u212aey",
        "tok\u0131n", "-----BEGIN RSA PRIVATE KEY-----", "AKIA", "ASIA", "xoxb-", "://",
        "pg://u:", "@h", ": ", "= ", "'", '"', "\n", "a" * 20, "A1" * 10, "Z" * 16, "-", "_",
    ]  # fmt: skip
    chooser = random.Random(20261127)
    matched = 0
    for _ in range(20_000):
        text = "".join(chooser.choice(pieces) for _ in range(chooser.randint(1, 8)))
        if _by_shapes(text):
            matched += 1
            assert may_hold_secret(text), text
    assert matched > 1000  # the mix does reach the shapes
    assert not may_hold_secret("Größe of the cache: 12 entries, see docs/memory.md")
