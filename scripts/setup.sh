#!/usr/bin/env bash
# Installs everything Jinxiu Studio needs on a fresh Debian machine: system packages (Chromium for the
# browser tests, CJK fonts, poppler for PDF checks), the npm dependencies and the Python model toolchain.
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

# The Electron binary and onnxruntime-node's CUDA libraries come from outside the package registries;
# skip them where they cannot be fetched (a normal desktop install leaves these unset and gets both).
export ELECTRON_SKIP_BINARY_DOWNLOAD="${ELECTRON_SKIP_BINARY_DOWNLOAD:-1}"
export ONNXRUNTIME_NODE_INSTALL="${ONNXRUNTIME_NODE_INSTALL:-skip}"
export ONNXRUNTIME_NODE_INSTALL_CUDA="${ONNXRUNTIME_NODE_INSTALL_CUDA:-skip}"

apt_packages=(chromium fonts-noto-cjk poppler-utils)
missing=()
for p in "${apt_packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "setup: npm ci"
npm ci --no-audit --no-fund

if [ -f tools/models/setup.sh ]; then
  echo "setup: python model toolchain"
  bash tools/models/setup.sh
fi
echo "setup: done"
