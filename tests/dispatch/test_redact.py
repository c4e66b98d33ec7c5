from __future__ import annotations

import pytest

from rulesync.dispatch.redact import Redactor


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("key sk-ant-api03-abcdefghijklmnopqrstuv end", "key [redacted] end"),
        ("OPENAI sk-proj-abcdefghijklmnop1234", "OPENAI [redacted]"),
        ("google AIzaSyA1234567890abcdefghijklmnopqrstu", "google [redacted]"),
        ("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc", "Authorization: Bearer [redacted]"),
        ("GET https://x.test/v1?key=abcdefghijklmnop1234", "GET https://x.test/v1?key=[redacted]"),
        ('{"api_key": "abcdefghijklmnop"}', '{"api_key": "[redacted]"}'),
        ("token=abcdefghijklmnopq", "token=[redacted]"),
        ("used 1200 tokens; token count 12", "used 1200 tokens; token count 12"),
        ("plain words stay as they are", "plain words stay as they are"),
    ],
)
def test_key_shapes(text: str, expected: str) -> None:
    assert Redactor({})(text) == expected


def test_values_of_key_variables_are_masked() -> None:
    redact = Redactor(
        {
            "GEMINI_API_KEY": "plainvalue123",
            "MY_SERVICE_TOKEN": "another-value",
            "HOME": "/home/someone",
            "SHORT_KEY": "abc",
        }
    )
    assert redact("a plainvalue123 b another-value c /home/someone abc") == (
        "a [redacted] b [redacted] c /home/someone abc"
    )
