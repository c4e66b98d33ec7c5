"""`lints.lowercase.lower` is `str.lower` computed in line-aligned pieces."""

from __future__ import annotations

import random

import pytest

from lints import lowercase


@pytest.mark.parametrize("seed", range(20))
def test_pieces_give_str_lower(monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    monkeypatch.setattr(lowercase, "PIECE", 8)
    rng = random.Random(seed)
    alphabet = [
        "A",
        "ö",
        "Ö",
        "ß",
        "Σ",
        "\u0391\u03a3",
        "İ",
        "ǅ",
        "\u0301",
        "'",
        " ",
        "\n",
        "\n\n",
        "x",
    ]
    text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 200)))
    assert lowercase.lower(text) == text.lower()


def test_final_sigma_before_a_piece_boundary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lowercase, "PIECE", 3)
    text = "\u039f\u0394\u039f\u03a3\n\u03a3\u0391\u03a3 \u039f\u0394\u039f\u03a3\u0301\n\u03a3"
    assert lowercase.lower(text) == text.lower()
    assert "ς" in lowercase.lower(text)


def test_ascii_and_short_text_are_lowered_whole() -> None:
    assert lowercase.lower("ABC\nDEF") == "abc\ndef"
    assert lowercase.lower("Ä" * 10) == "ä" * 10
