#!/usr/bin/env bash
# skm's main job on the bundled, fictional example cases: install skm into .venv and run
# the weekly routine – the cases, the leadership overview, what is due, and `skm check`, the CI gate.
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
echo "== skm status (lederforum) =="
$skm status
echo
echo "== skm calendar (de neste to ukene) =="
$skm calendar --uker 2
echo
echo "== skm check (CI-kontrollen) =="
$skm check
