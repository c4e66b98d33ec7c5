"""The secret shapes (rulesync.dispatch.redact.SHAPES) on hostile one-megabyte lines.

    python benchmarks/bench_secret_shapes.py [--size 1048576]

For each line, the seconds dispatch's redaction and the memory's secret search take, on the
line and on one a quarter as long. Every shape must be linear: four times the line, about four
times the time (a quadratic shape would take sixteen). The shape the memory used before for a
password in a URL (`[a-z][a-z0-9+.-]*://…`, a scheme that can start anywhere in a run of
letters) is timed too, on a line of 40 kB only: it is quadratic.
"""

from __future__ import annotations

import argparse
import re
import time


def hostile_lines(size: int) -> dict[str, str]:
    return {
        "letters": "a" * size,
        "scheme without a host": "x://" + "u" * size,
        "user without a password end": "x://u:" + "p" * size,
        "many schemes": "a://b:" * (size // 6),
        "key header run": "-----BEGIN " + "A" * size,
        "many key headers": "-----BEGIN PRIVATE KEY-----" * (size // 27),
        "a key body with no footer": "-----BEGIN PRIVATE KEY-----" + "QUJD\n" * (size // 5),
        "token then spaces": "token" + " " * size,
        "many aws prefixes": "AKIA" * (size // 4),
        "bearer spaces": "Bearer " + " " * size,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1 << 20)
    size = parser.parse_args().size
    from rulesync.dispatch.redact import Redactor
    from rulesync.memory.secrets import find_secret

    redact = Redactor({})

    def seconds(text: str) -> tuple[float, float]:
        start = time.perf_counter()
        redact(text)
        middle = time.perf_counter()
        find_secret({"body": text})
        return middle - start, time.perf_counter() - middle

    print(f"{'line':28} {'redact s':>9} {'memory s':>9} {'ratio to 1/4':>13}")
    quarter = hostile_lines(size // 4)
    for name, text in hostile_lines(size).items():
        small = sum(seconds(quarter[name]))
        whole = seconds(text)
        ratio = sum(whole) / small if small else float("nan")
        print(f"{name:28} {whole[0]:9.3f} {whole[1]:9.3f} {ratio:13.1f}")
    old = re.compile(r"[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@", re.I)
    start = time.perf_counter()
    old.search("a" * 40_000)
    print(f"old URL-password shape, 40 kB of letters: {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
