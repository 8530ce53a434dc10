#!/usr/bin/env bash
# The test suite against the newest versions pyproject.toml allows (not the lock file), so an
# upgrade that would break a user's fresh install is seen before it happens (issue 13 item 23).
# Prints which packages are newer than in .ci/requirements.lock, then runs ruff, lint-imports and
# pytest like .ci/run. Exit code: pytest's (0 = the newest versions pass too).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv-newest
rm -rf "$venv"
python3 -m venv "$venv"
# shellcheck disable=SC1091
. "$venv/bin/activate"
python -m pip install --quiet --upgrade pip
python -m pip install --quiet --upgrade --upgrade-strategy eager ".[test,pdf]"
python - <<'PY'
import re
from importlib import metadata
locked = dict(re.findall(r"^([A-Za-z0-9_.-]+)==([^ ;\\\n]+)", open(".ci/requirements.lock").read(), re.M))
newer = []
for name, version in sorted(locked.items()):
    try:
        now = metadata.version(name)
    except metadata.PackageNotFoundError:
        continue
    if now != version:
        newer.append(f"  {name}: {version} (låst) → {now}")
print("Nyere enn låsefila:" if newer else "Ingen pakker er nyere enn låsefila.")
print("\n".join(newer))
PY
ruff check skolemiljo tests benchmarks
lint-imports
set +e
pytest -p no:cacheprovider -q "$@"
status=$?
set -e
[ "$status" -eq 5 ] && { echo "Ingen tester ble kjørt." >&2; exit 1; }
exit "$status"
