#!/usr/bin/env bash
# Regenerate .ci/requirements.lock: the exact versions (with hashes) that `bash .ci/run` installs.
# Run after changing a dependency in pyproject.toml; commit the lock with the change.
# Needs uv (`pip install uv`). scripts/test-newest.sh shows whether newer versions still pass.
set -euo pipefail
cd "$(dirname "$0")/.."
uv pip compile pyproject.toml .ci/build.in --extra test --extra pdf --generate-hashes --universal \
  --python-version 3.11 --quiet -o .ci/requirements.lock
echo "Skrev .ci/requirements.lock ($(grep -c '^[a-zA-Z]' .ci/requirements.lock) pakker)."
