"""Gemini CLI: nothing it records locally gives a quota figure.

Gemini CLI keeps chat checkpoints and per-session logs under `~/.gemini/tmp/<project hash>/`
with token counts per message, and `/stats` shows per-session token use, but neither holds a
quota allowance, a used percentage or a reset time: the daily and per-minute quotas are
enforced by the API, which answers 429 (RESOURCE_EXHAUSTED, "Quota exceeded … Please retry in
…s") when they run out. That answer is what dispatch's run log records (rulesync.status.runlog),
and it is the only local source of Gemini's state: this reader always says so.
"""

from __future__ import annotations

from rulesync.status import reading as r

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

SOURCE = "Gemini CLI (no local usage figures)"


def read(environ: Mapping[str, str], now: float, memo: object = None) -> r.Reading:
    return r.Reading(
        "gemini",
        r.MISSING,
        SOURCE,
        detail="Gemini CLI records no quota figures; only dispatch's run log knows of a quota error",
    )
