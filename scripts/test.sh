#!/usr/bin/env bash
# Runs the test suite and prints the plain `N passed, N failed` line CI reads; exits non-zero on failure.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
NO_COLOR=1 deno task --quiet test "$@" 2>&1 | tee "$out"
status=${PIPESTATUS[0]}
summary="$(sed -nE 's/^(ok|FAILED) \| ([0-9]+) passed.* \| ([0-9]+) failed.*/\2 passed, \3 failed/p' "$out" | tail -n1)"
if [[ -z "$summary" ]]; then
  summary="0 passed, 1 failed"
  status=1
fi
echo "$summary"
exit "$status"
