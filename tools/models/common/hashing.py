"""Content hashes of pack files, as the app's verifier computes them (sha256 of the raw bytes)."""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_entry(pack_dir: Path, path: Path) -> dict:
    """One entry of manifest.json's `files`: a forward-slash path relative to the pack folder."""
    rel = path.relative_to(pack_dir).as_posix()
    return {"path": rel, "sha256": sha256_file(path), "size": path.stat().st_size}
