#!/usr/bin/env bash
# Creates the model toolchain's Python environment at tools/models/.venv, idempotently.
#
#   bash tools/models/setup.sh          # then: tools/models/.venv/bin/python -m pytest tools/models
#
# torch comes from Debian (python3-torch, a CPU build of 1.13.1, ~45 s to install) because PyPI's
# torch wheel drags in gigabytes of CUDA libraries. The venv is made from Debian's /usr/bin/python3
# with --system-site-packages so it sees that torch, and everything else is installed with --no-deps
# from the exact pins in requirements.txt. A stamp of the pins makes a second run a no-op.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
stamp="$venv/.jinxiu-requirements.sha256"
want="$(cat "$here/requirements.txt" "$here/setup.sh" | sha256sum | cut -c1-64)"

if ! /usr/bin/python3 -c 'import torch, numpy, PIL' >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup.sh: Debian's python3-torch is missing; run as root or: sudo apt-get install python3-torch python3-venv" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq python3-torch python3-venv python3-pil >/dev/null
fi
torch_version="$(/usr/bin/python3 -c 'import torch; print(torch.__version__)')"
case "$torch_version" in
  1.13.*) ;;
  *) echo "setup.sh: expected Debian's torch 1.13, found $torch_version" >&2; exit 1 ;;
esac

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "tools/models/.venv is up to date"
  exit 0
fi
rm -rf "$venv"
/usr/bin/python3 -m venv --system-site-packages "$venv"
"$venv/bin/python" -m pip install --disable-pip-version-check --no-input -q --no-deps -r "$here/requirements.txt"
"$venv/bin/python" -c 'import torch, diffusers, transformers, onnx, onnxruntime, ftfy' >/dev/null
echo "$want" >"$stamp"
echo "tools/models/.venv ready (torch $torch_version)"
