"""Adoption: `rulesync init` (start a project) and `rulesync import` (take over an existing setup).

Pure logic lives here; the click commands in `rulesync/commands/` only map results to output.
"""
