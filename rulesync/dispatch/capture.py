"""Bounded capture of a stream: the first and the last bytes, and how many there were.

A vendor that floods its output is still streamed to the terminal in full; only what is kept
for classification and `--json` is bounded.
"""

from __future__ import annotations

from rulesync.record import Frozen

HEAD_BYTES = 16 * 1024
TAIL_BYTES = 240 * 1024


class Captured(Frozen):
    __slots__ = ("head", "tail", "total")
    head: bytes
    tail: bytes
    total: int  # bytes seen, kept or not

    def __init__(
        self,
        head: bytes,
        tail: bytes,
        total: int,
    ) -> None:
        self._set(head=head, tail=tail, total=total)

    @property
    def truncated(self) -> bool:
        return self.total > len(self.head) + len(self.tail)

    def text(self) -> str:
        """The kept bytes as text, with a marker where the middle was dropped."""
        head = self.head.decode("utf-8", errors="replace")
        tail = self.tail.decode("utf-8", errors="replace")
        if not self.truncated:
            return head + tail
        dropped = self.total - len(self.head) - len(self.tail)
        return f"{head}\n[… {dropped} bytes not kept …]\n{tail}"


class BoundedBuffer:
    """Keeps at most `head + tail` bytes, whatever is written."""

    def __init__(self, head: int = HEAD_BYTES, tail: int = TAIL_BYTES) -> None:
        self._head_limit = head
        self._tail_limit = tail
        self._head = bytearray()
        self._tail = bytearray()
        self._total = 0

    def write(self, data: bytes) -> None:
        self._total += len(data)
        room = self._head_limit - len(self._head)
        if room > 0:
            self._head += data[:room]
            data = data[room:]
        if data:
            self._tail += data
            if len(self._tail) > 2 * self._tail_limit:
                del self._tail[: len(self._tail) - self._tail_limit]

    def snapshot(self) -> Captured:
        tail = bytes(self._tail[-self._tail_limit :]) if self._tail_limit else b""
        return Captured(bytes(self._head), tail, self._total)
