"""Jinxiu Studio's model toolchain: reference models, ONNX pack export, checkpoint conversion,
golden outputs for the TypeScript parity tests, and training of the small default packs.

Run from the repository root with the toolchain's venv: `tools/models/.venv/bin/python -m tools.models --help`.
"""

import os as _os

TOOL_VERSION = "0.1.0"

# Offline after install: nothing here loads from a model hub, and a stray lookup should fail fast.
_os.environ.setdefault("HF_HUB_OFFLINE", "1")
_os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
