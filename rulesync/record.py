"""`Frozen`, the records of memory, dispatch, the source and the lint run (see lints.record:
the lints, which import nothing from rulesync, hold the one implementation)."""

from lints.record import Frozen

__all__ = ["Frozen"]
