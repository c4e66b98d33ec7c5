"""rulesync: one canonical rules source for several AI coding agents."""

__version__ = "0.1.0"
