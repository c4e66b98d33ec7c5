#!/bin/sh
# Build the worked example of docs/sources.md: one pack repository, two projects that pin it.
#
#   sh docs/examples/sources/build.sh DIR
#
# DIR/acme-agent-rules   the team's pack: tags v1.0.0 and v1.1.0 (packs/python, packs/go)
# DIR/billing-service    pins v1.0.0 of packs/python, overrides the pack's code-review command
# DIR/ops-scripts        pins v1.0.0 of packs/python, takes only its rules, plus packs/go
#
# Then it mirrors both projects (accepting the pack's one shell line with --yes), shows
# `rulesync sources list`, and moves billing-service to v1.1.0 with `rulesync sources update`.
# The cache is DIR/cache (RULESYNC_CACHE_DIR), the trust record DIR/state: nothing outside DIR.
set -eu
DIR=${1:?usage: build.sh DIR}
RULESYNC=${RULESYNC:-rulesync}
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
export RULESYNC_CACHE_DIR="$DIR/cache" RULESYNC_STATE_DIR="$DIR/state"
export GIT_AUTHOR_NAME=example GIT_AUTHOR_EMAIL=example@example.com
export GIT_COMMITTER_NAME=example GIT_COMMITTER_EMAIL=example@example.com

put() { mkdir -p "$(dirname "$1")"; cat > "$1"; }

# --- the pack -----------------------------------------------------------------------------
PACK="$DIR/acme-agent-rules"
put "$PACK/README.md" <<'MD'
# acme agent rules
Rule packs for every acme repository. Pin one with `sources:` in rulesync.yaml.
MD
put "$PACK/packs/python/rules/python-style.md" <<'MD'
# Python style

- Type hints on every function; `mypy --strict` passes.
- Tests with pytest; no network in unit tests.
MD
put "$PACK/packs/python/commands/code-review.md" <<'MD'
---
description: Review the current change against acme's Python rules
---
Review the change in $ARGUMENTS against the Python style rules.
The diff: !`git diff --stat`
MD
put "$PACK/packs/python/skills/changelog/SKILL.md" <<'MD'
---
name: changelog
description: Write a CHANGELOG entry for the current change, in acme's format
---
Write one entry under `## Unreleased`: what changed for the user, in one sentence.
MD
put "$PACK/packs/python/subagents/security-reviewer.md" <<'MD'
---
name: security-reviewer
description: Reviews a change for injection, secrets and unsafe file handling
---
Look for shell injection, secrets in code, and paths read from untrusted input.
MD
put "$PACK/packs/python/names.yaml" <<'YAML'
# identity names, the schema of `lint.identity` in rulesync.yaml
names:
  - name: Acme
    wrong: [ACME, acme-corp]
  - PyPI
YAML
put "$PACK/packs/go/rules/go-style.md" <<'MD'
# Go style

- `gofmt` and `go vet` clean; errors wrapped with `%w`.
MD
git -C "$PACK" init -q -b main
git -C "$PACK" add -A && git -C "$PACK" commit -qm "python and go packs" && git -C "$PACK" tag v1.0.0
put "$PACK/packs/python/rules/python-style.md" <<'MD'
# Python style

- Type hints on every function; `mypy --strict` passes.
- Tests with pytest; no network in unit tests.
- Python 3.10 is the oldest version we support.
MD
git -C "$PACK" commit -qam "python: the oldest supported version" && git -C "$PACK" tag v1.1.0
git -C "$PACK" checkout -q v1.0.0 2>/dev/null && git -C "$PACK" checkout -q main

# --- project 1: billing-service -----------------------------------------------------------
BILL="$DIR/billing-service"
put "$BILL/rulesync.yaml" <<YAML
targets: [claude, gemini, codex]
# acme's shared rules; bump with \`rulesync sources update\`
sources:
  - repo: $PACK   # a URL in real life: https://git.example.com/acme/agent-rules
    rev: v1.0.0
    path: packs/python
YAML
put "$BILL/.rulesync/rules/billing.md" <<'MD'
---
root: true
---
# billing-service

Money is integer cents, never floats.
MD
put "$BILL/.rulesync/commands/code-review.md" <<'MD'
---
description: Review the change, with billing's extra checks
---
Review $ARGUMENTS against the Python style rules, and check every amount is integer cents.
MD

# --- project 2: ops-scripts ---------------------------------------------------------------
OPS="$DIR/ops-scripts"
put "$OPS/rulesync.yaml" <<YAML
targets: [claude, codex]
sources:
  - repo: $PACK
    rev: v1.0.0
    path: packs/python
    include: [rules/*]      # the rules only: no commands, skills or subagents
  - repo: $PACK
    rev: v1.0.0
    path: packs/go
YAML
put "$OPS/.rulesync/rules/ops.md" <<'MD'
---
root: true
---
# ops-scripts

Every script is idempotent and has a --dry-run.
MD

for project in "$BILL" "$OPS"; do
  echo "== $RULESYNC mirror --yes  ($(basename "$project"))"
  "$RULESYNC" -C "$project" mirror --yes
  "$RULESYNC" -C "$project" sources list
done
echo "== billing-service: its own review command wins over the pack's"
head -n 8 "$BILL/.claude/commands/code-review.md"
echo "== billing-service: rulesync sources update"
"$RULESYNC" -C "$BILL" sources update --yes
"$RULESYNC" -C "$BILL" mirror
echo "== billing-service: the pack's names in CLAUDE.md, and the identity lint on a doc"
grep -A 8 '^## Spelling of names' "$BILL/CLAUDE.md"
put "$BILL/docs/notes.md" <<'MD'
# Notes

Published to Pypi by ACME.
MD
"$RULESYNC" -C "$BILL" lint docs/notes.md || true
echo "== ops-scripts: pin both folders of the pack to the commit id (sources update --freeze REPO)"
"$RULESYNC" -C "$OPS" sources update --freeze --yes "$PACK"
grep -n 'rev:' "$OPS/rulesync.yaml"
"$RULESYNC" -C "$BILL" check
