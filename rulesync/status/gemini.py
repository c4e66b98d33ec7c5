"""Gemini CLI: nothing it records locally gives a quota figure.

Checked against the Gemini CLI 0.61.0 bundle: the quota `/stats` shows comes from the Code
Assist API (`retrieveUserQuota`: per model `remainingFraction`, `remainingAmount`,
`resetTime`), fetched with the user's credentials and held in memory only (`modelQuotas`);
the chat files under `~/.gemini/tmp/<project hash>/chats/` record token counts, not quotas.
A quota error is the API's 429 (`RESOURCE_EXHAUSTED`, "Please retry in 12.5s", "Your quota
will reset after 2h30m"), which dispatch classifies and keeps in its run log
(rulesync.status.runlog): the only local source of Gemini's state. This reader says so.
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
