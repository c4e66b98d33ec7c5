"""Line diffs in n log n time, for `check`'s unified diff and the edit's way back.

`difflib.SequenceMatcher` is quadratic on text with many repeated lines (blank lines, list
items that read alike): 37 s for the three context files of a 200-rule project where every
rule changed. This is patience diff instead:

1. Lines equal at both ends of a region are matched off.
2. Lines that occur exactly once on each side anchor the match; the longest run of them in
   the same order on both sides (n log n) splits the region into smaller ones, each diffed
   the same way.
3. A region without such lines is diffed with Myers' algorithm, minimal but O(n·d).

All the work is counted against a budget linear in the input. A region that would overrun
it stays one block of changed lines: the diff is then larger than minimal, but still
correct (every line it calls equal is equal, in order), so it still applies.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence
from typing import Literal

Tag = Literal["equal", "replace", "delete", "insert"]
#: `(tag, i1, i2, j1, j2)`: lines `a[i1:i2]` become `b[j1:j2]`, as in difflib.
Opcode = tuple[Tag, int, int, int, int]

#: Work allowed per input line, and in any case: far above what real edits need.
WORK_PER_LINE = 8
WORK_FLOOR = 100_000


class _Budget:
    def __init__(self, amount: int) -> None:
        self.left = amount

    def spend(self, amount: int) -> bool:
        """Take `amount` if that much is left; False (and take nothing) otherwise."""
        if amount > self.left:
            return False
        self.left -= amount
        return True


def opcodes(a: Sequence[str], b: Sequence[str], *, budget: int | None = None) -> list[Opcode]:
    """How to turn lines `a` into lines `b`, as difflib's `get_opcodes()` lists it."""
    ids: dict[str, int] = {}
    x = [ids.setdefault(line, len(ids)) for line in a]
    y = [ids.setdefault(line, len(ids)) for line in b]
    allowed = WORK_PER_LINE * (len(x) + len(y)) + WORK_FLOOR if budget is None else budget
    pairs = _matched_pairs(x, y, _Budget(allowed))
    return _to_opcodes(pairs, len(x), len(y))


def grouped(codes: Sequence[Opcode], context: int = 3) -> list[list[Opcode]]:
    """The opcodes cut into hunks with `context` equal lines around each change."""
    changes = list(codes)
    if not any(tag != "equal" for tag, *_ in changes):
        return []
    if changes[0][0] == "equal":
        _tag, i1, i2, j1, j2 = changes[0]
        changes[0] = ("equal", max(i1, i2 - context), i2, max(j1, j2 - context), j2)
    if changes[-1][0] == "equal":
        _tag, i1, i2, j1, j2 = changes[-1]
        changes[-1] = ("equal", i1, min(i2, i1 + context), j1, min(j2, j1 + context))
    hunks: list[list[Opcode]] = []
    hunk: list[Opcode] = []
    for tag, i1, i2, j1, j2 in changes:
        if tag == "equal" and i2 - i1 > 2 * context:
            hunk.append((tag, i1, i1 + context, j1, j1 + context))
            hunks.append(hunk)
            hunk = []
            i1, j1 = i2 - context, j2 - context
        hunk.append((tag, i1, i2, j1, j2))
    if hunk and not (len(hunk) == 1 and hunk[0][0] == "equal"):
        hunks.append(hunk)
    return hunks


def _matched_pairs(x: list[int], y: list[int], budget: _Budget) -> list[tuple[int, int]]:
    """Pairs `(i, j)` with `x[i] == y[j]`, increasing in both, sorted."""
    pairs: list[tuple[int, int]] = []
    regions = [(0, len(x), 0, len(y))]
    while regions:
        alo, ahi, blo, bhi = regions.pop()
        while alo < ahi and blo < bhi and x[alo] == y[blo]:
            pairs.append((alo, blo))
            alo, blo = alo + 1, blo + 1
        while alo < ahi and blo < bhi and x[ahi - 1] == y[bhi - 1]:
            ahi, bhi = ahi - 1, bhi - 1
            pairs.append((ahi, bhi))
        if alo == ahi or blo == bhi or not budget.spend(ahi - alo + bhi - blo):
            continue
        anchors = _unique_anchors(x, y, alo, ahi, blo, bhi)
        if not anchors:
            pairs.extend(_myers(x[alo:ahi], y[blo:bhi], alo, blo, budget))
            continue
        previous_i, previous_j = alo, blo
        for i, j in anchors:
            pairs.append((i, j))
            regions.append((previous_i, i, previous_j, j))
            previous_i, previous_j = i + 1, j + 1
        regions.append((previous_i, ahi, previous_j, bhi))
    pairs.sort()
    return pairs


def _unique_anchors(
    x: list[int], y: list[int], alo: int, ahi: int, blo: int, bhi: int
) -> list[tuple[int, int]]:
    """The longest run, in order on both sides, of lines that occur once in each region."""
    in_x, in_y = Counter(x[alo:ahi]), Counter(y[blo:bhi])
    where_in_y = {y[j]: j for j in range(blo, bhi) if in_y[y[j]] == 1 and in_x[y[j]] == 1}
    candidates = [(i, where_in_y[x[i]]) for i in range(alo, ahi) if x[i] in where_in_y]
    return _longest_increasing(candidates)


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of `pairs` (sorted by i) whose j increase too: n log n."""
    tails: list[int] = []  # per length: the smallest j that ends a run that long
    tail_index: list[int] = []  # per length: which pair that is
    previous = [-1] * len(pairs)
    for index, (_i, j) in enumerate(pairs):
        length = bisect.bisect_left(tails, j)
        previous[index] = tail_index[length - 1] if length else -1
        if length == len(tails):
            tails.append(j)
            tail_index.append(index)
        else:
            tails[length], tail_index[length] = j, index
    chain: list[tuple[int, int]] = []
    index = tail_index[-1] if tail_index else -1
    while index != -1:
        chain.append(pairs[index])
        index = previous[index]
    chain.reverse()
    return chain


def _myers(x: list[int], y: list[int], i0: int, j0: int, budget: _Budget) -> list[tuple[int, int]]:
    """The matched pairs of a minimal diff (offset by i0, j0), or none past the budget."""
    n, m = len(x), len(y)
    furthest: dict[int, int] = {1: 0}  # per diagonal k = i - j: the furthest i reached
    trace: list[dict[int, int]] = []
    for d in range(n + m + 1):
        if not budget.spend(len(furthest) + d + 1):
            return []
        trace.append(dict(furthest))
        for k in range(-d, d + 1, 2):
            down = k == -d or (k != d and furthest[k - 1] < furthest[k + 1])
            i = furthest[k + 1] if down else furthest[k - 1] + 1
            j = i - k
            start = i
            while i < n and j < m and x[i] == y[j]:
                i, j = i + 1, j + 1
            if not budget.spend(i - start):
                return []
            furthest[k] = i
            if i >= n and j >= m:
                return _myers_path(trace, n, m, i0, j0)
    return []  # not reached: d = n + m always ends


def _myers_path(
    trace: list[dict[int, int]], n: int, m: int, i0: int, j0: int
) -> list[tuple[int, int]]:
    pairs: list[tuple[int, int]] = []
    i, j = n, m
    for d in range(len(trace) - 1, -1, -1):
        furthest = trace[d]
        k = i - j
        down = k == -d or (k != d and furthest[k - 1] < furthest[k + 1])
        previous_k = k + 1 if down else k - 1
        previous_i = furthest[previous_k]
        previous_j = previous_i - previous_k
        while i > previous_i and j > previous_j:
            i, j = i - 1, j - 1
            pairs.append((i0 + i, j0 + j))
        i, j = previous_i, previous_j
    return pairs


def _to_opcodes(pairs: list[tuple[int, int]], n: int, m: int) -> list[Opcode]:
    """Consecutive pairs become one `equal`; the lines between two pairs, the change."""
    codes: list[Opcode] = []
    i = j = 0
    for pair_i, pair_j in [*pairs, (n, m)]:
        if (pair_i, pair_j) == (i, j) and pair_i < n and codes and codes[-1][0] == "equal":
            _tag, i1, _i2, j1, _j2 = codes[-1]
            codes[-1] = ("equal", i1, i + 1, j1, j + 1)
        else:
            if i < pair_i and j < pair_j:
                codes.append(("replace", i, pair_i, j, pair_j))
            elif i < pair_i:
                codes.append(("delete", i, pair_i, j, pair_j))
            elif j < pair_j:
                codes.append(("insert", i, pair_i, j, pair_j))
            if pair_i < n:
                codes.append(("equal", pair_i, pair_i + 1, pair_j, pair_j + 1))
        i, j = pair_i + 1, pair_j + 1
    return codes
