"""Pinned rule packs from git (`sources:` in rulesync.yaml).

A source is one more input to the loader, never a new writer: its files are read from a
checkout of the pinned commit in the user's cache and stacked under the project's own
`.rulesync/` (see `overlay`). Modules, one concern each: `spec` (the `sources:` entries),
`gitcmd` (the one git wrapper), `cache` (fetch and extract into the cache), `pins` (the
`sources.lock` records), `content` (content hashes), `overlay` (layers for the loader),
`trust` (review of shell lines), `update` (move each rev to the newest tag).
"""
