#!/usr/bin/env bash
# Makes the numpy peer of `npm run bench:motifs` on demand: a bench-only venv at scripts/.venv with
# PyPI's numpy wheel, which bundles OpenBLAS. Debian's python3-numpy links the reference BLAS, a
# weak peer that would flatter the studio's index; the wheel is what a numpy user actually runs.
#
#   npm run bench:setup      # or: bash scripts/bench-venv.sh; prints the venv's python
#
# Not part of CI (the benchmark is not a test). Idempotent: a stamp of the pins makes a second run a
# no-op. Python: $PYTHON, else python3 (numpy 2.4 needs 3.11 or newer).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
pins=(numpy==2.4.6 threadpoolctl==3.8.0)
stamp="$venv/.jinxiu-bench-pins"
want="$(printf '%s\n' "${pins[@]}" | sha256sum | cut -c1-64)"

if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  echo "$venv/bin/python"
  exit 0
fi
python="${PYTHON:-python3}"
if ! "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "bench-venv.sh: $python is $("$python" --version 2>&1); numpy ${pins[0]#numpy==} needs Python 3.11+ (set PYTHON)" >&2
  exit 1
fi
rm -rf "$venv"
"$python" -m venv "$venv" >&2
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --only-binary=:all: "${pins[@]}" >&2
echo "$want" >"$stamp"
echo "$venv/bin/python"
