"""Prose lints for customer documents and agent writes. Imports nothing from `rulesync`."""
