"""Shared memory for every agent: Markdown entries on disk, a SQLite index to search them.

The files are the truth (`entry.py` reads and writes one, `store.py` keeps a folder of them
and its `MEMORY.md`); the index (`index.py`) is a cache that can always be rebuilt. Where the
folders are is decided in `layout.py`, and docs/memory.md says why.
"""
