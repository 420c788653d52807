#!/usr/bin/env bash
# Installs the reference dstack parser ("oracle") into a private venv.
# Idempotent: does nothing when dstack 0.22.5 is already installed there.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT/.tools/oracle-venv"
VERSION="0.22.5"
PY="${PYTHON:-python3}"

if [ -x "$VENV/bin/python" ] && \
   [ "$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("dstack"))' 2>/dev/null)" = "$VERSION" ]; then
  echo "oracle: dstack $VERSION already installed in $VENV"
  exit 0
fi

[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet "dstack==$VERSION"
echo "oracle: installed dstack $VERSION in $VENV"
