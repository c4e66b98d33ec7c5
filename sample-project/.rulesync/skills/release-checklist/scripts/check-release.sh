#!/bin/sh
# Pre-release checks: clean tree, on main, tests green.
set -eu
test -z "$(git status --porcelain)" || { echo "working tree not clean" >&2; exit 1; }
test "$(git rev-parse --abbrev-ref HEAD)" = main || { echo "not on main" >&2; exit 1; }
make test
