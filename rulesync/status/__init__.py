"""`rulesync status`: each provider's limits, the last quota failures and the drift state, in
one line for a status bar, and the same facts for quota-aware dispatch.

Modules, one concern each (a status line runs on every refresh, so each imports little):

    reading     the typed Reading and Window every reader returns, with its freshness
    timefmt     epoch, ISO 8601 and the vendors' reset wording turned into epoch seconds
    store       the user's state folder: bounded reads, atomic writes
    memo        slow answers kept by the stats of the files they came from (plain text)
    claude      the last `rate_limits` Claude Code's statusLine passed in (persisted)
    codex       the newest `token_count` event of Codex CLI's newest session file
    gemini      what Gemini CLI records locally (nothing usable: see the module)
    runlog      the last quota failure per provider in dispatch's run log
    registry    the readers by provider name
    limits      per provider: out of quota until when, and how much is used
    drift       the drift state of the project (check's answer, memoised)
    render      the line: plain, tty colours, tmux, Claude's status line; and JSON
    main        option parsing and the command itself (no click: start-up matters)
"""
