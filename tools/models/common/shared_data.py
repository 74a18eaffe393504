"""Where the project's read-only data lives (heritage motifs, garment flats, textile tiles).

It is never copied into the repository: $JINXIU_SHARED_DATA names it, else it is the shared/data
folder beside the checkout, where CI and every developer machine have it.
"""
from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def shared_data() -> Path:
    return Path(os.environ.get("JINXIU_SHARED_DATA") or REPO.parent / "shared" / "data")
