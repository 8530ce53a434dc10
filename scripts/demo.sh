#!/usr/bin/env bash
# skm's main job on the bundled, fictional example cases: install skm into .venv and run
# the weekly routine – list the cases, show one, and run `skm check`, the CI gate.
# The date is pinned (SKM_TODAY) so the demo means the same thing whenever it is run.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check .
export SKM_TODAY=${SKM_TODAY:-2026-11-20}
skm=.venv/bin/skm
echo "== skm list (dato: $SKM_TODAY) =="
$skm list
echo
echo "== skm show 2026-0002 =="
$skm show 2026-0002
echo
if $skm check --help >/dev/null 2>&1; then
  echo "== skm check =="
  $skm check
else
  echo "== skm validate =="
  $skm validate
fi
