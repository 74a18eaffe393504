"""Where the project's read-only data lives (heritage motifs, garment flats, textile tiles).

The full data is never copied into the repository: $JINXIU_SHARED_DATA names it, else it is the
shared/data folder beside the checkout; training, evaluations and benchmarks read it there. Tests read
the repository's small sample in the same layout (test-fixtures/, see its README.md), so a clone runs
them with nothing beside it.
"""
from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "test-fixtures"


def shared_data() -> Path:
    return Path(os.environ.get("JINXIU_SHARED_DATA") or REPO.parent / "shared" / "data")
