"""Writes manifest.json for a pack folder. The contract is tools/models/PACKS.md, mirrored by the
zod schema in src/shared/packs/manifest.ts; `validate_basics` checks the shared part here so a broken
pack fails in the toolchain rather than in the app."""

from __future__ import annotations

import json
import re
from pathlib import Path

from .hashing import file_entry

PACK_FORMAT = 1
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


def dumps(obj: object) -> str:
    """The one JSON layout every file the toolchain writes uses, so reruns give identical bytes."""
    return json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write_json(path: Path, obj: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(obj), encoding="utf-8")


def list_pack_files(pack_dir: Path) -> list[dict]:
    """Every file of the pack except manifest.json itself, sorted by path."""
    files = [p for p in sorted(pack_dir.rglob("*")) if p.is_file() and p.name != "manifest.json"]
    return [file_entry(pack_dir, p) for p in files]


def validate_basics(manifest: dict) -> None:
    problems = []
    if not _ID.match(str(manifest.get("id", ""))):
        problems.append(f"id {manifest.get('id')!r} must be 2-64 characters of a-z, 0-9, '.', '_' or '-'")
    for key in ("version", "kind", "name", "licence"):
        if not manifest.get(key):
            problems.append(f"{key} is missing")
    if manifest.get("kind") not in ("garment", "motif"):
        problems.append(f"kind {manifest.get('kind')!r} is neither 'garment' nor 'motif'")
    if not manifest.get("files"):
        problems.append("files is empty")
    if problems:
        raise ValueError("manifest is invalid: " + "; ".join(problems))


def write_manifest(pack_dir: Path, manifest: dict) -> dict:
    """Fills in `files` from what is on disk, checks the shared fields and writes manifest.json."""
    manifest = dict(manifest)
    manifest["files"] = list_pack_files(pack_dir)
    validate_basics(manifest)
    # Keep `files` last: the rest is what a person reads.
    ordered = {k: v for k, v in manifest.items() if k != "files"}
    ordered["files"] = manifest["files"]
    write_json(pack_dir / "manifest.json", ordered)
    return ordered
