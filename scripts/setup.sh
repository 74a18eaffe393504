#!/usr/bin/env bash
# Installs everything Jinxiu Studio needs on a fresh Debian machine: system packages (Chromium for the
# browser tests, CJK fonts, poppler for PDF checks), the npm dependencies and the Python model toolchain.
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(chromium fonts-noto-cjk poppler-utils)
missing=()
for p in "${apt_packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The Electron binary and onnxruntime-node's CUDA libraries come from outside the npm registry, through
# their own install scripts. A probe of the addresses those scripts use (seconds, not a failed install)
# decides: fetched where they can be, skipped with one line saying why where they cannot; what you set
# yourself (ELECTRON_SKIP_BINARY_DOWNLOAD, ONNXRUNTIME_NODE_INSTALL, ELECTRON_MIRROR) is kept. Through
# npm exec, so an electron_mirror in .npmrc reaches the probe as it reaches Electron's installer.
downloads="$(npm exec --offline -- node scripts/setup/downloads.mjs)"
eval "$downloads"

echo "setup: npm ci"
npm ci --no-audit --no-fund

if [ -f tools/models/setup.sh ]; then
  echo "setup: python model toolchain"
  bash tools/models/setup.sh
fi
echo "setup: done"
