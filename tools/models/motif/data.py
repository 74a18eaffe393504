"""Motif image-text pairs for training and evaluation, and the pack's image preprocessing.

Held-out rule (documented in MODEL_CARD.md): a heritage record is held out for evaluation when
int(sha256(id)[:8], 16) % 5 == 0, about one in five; the procedural samples are all for training.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from . import contract
from ..common.shared_data import FIXTURES, shared_data



HERITAGE = shared_data() / "heritage_motifs"  # the full collection: training and evaluation
HERITAGE_SAMPLE = FIXTURES / "heritage_motifs"  # the repository's few records in the same layout: tests
SAMPLES = Path(__file__).resolve().parents[3] / "resources" / "motifs" / "samples"
CACHE_SIDE = 320  # originals are ~1000 px; augmentations crop from this copy to save memory and time


@dataclass
class Pair:
    id: str
    image: Image.Image
    texts: dict[str, str]
    source: str
    tags: list[str] = field(default_factory=list)


def held_out(record_id: str) -> bool:
    return int(hashlib.sha256(record_id.encode("utf-8")).hexdigest()[:8], 16) % 5 == 0


def load_image(path: Path, side: int = CACHE_SIDE) -> Image.Image:
    with Image.open(path) as raw:
        image = raw.convert("RGB")
    image.thumbnail((side, side), Image.BICUBIC)
    return image


def load_pairs(folder: Path, source: str, limit: int | None = None) -> list[Pair]:
    pairs = []
    with (folder / "captions.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            r = json.loads(line)
            texts = {k: r[k] for k in ("caption_zh", "caption_en", "title_zh", "title_en") if r.get(k)}
            tags = r.get("motif_tags_auto") or ([r["family"]] if "family" in r else [])
            pairs.append(Pair(r["id"], load_image(folder / r["image"]), texts, source, tags))
            if limit is not None and len(pairs) >= limit:
                break
    return pairs


def to_tensor(image: Image.Image, size: int) -> np.ndarray:
    """The pack's preprocessing: stretch to size x size (bicubic), [0,1], CLIP mean/std, NCHW float32."""
    resized = image.convert("RGB").resize((size, size), Image.BICUBIC)
    array = np.asarray(resized, dtype=np.float32) / 255.0
    array = (array - np.array(contract.IMAGE_MEAN, np.float32)) / np.array(contract.IMAGE_STD, np.float32)
    return array.transpose(2, 0, 1)[None].astype(np.float32)


def crop_boxes(w: int, h: int, grid: tuple[int, int] = (2, 2), center_scale: float = 0.5) -> list[tuple[int, int, int, int]]:
    """The default crop scheme as (left, top, right, bottom) boxes: a rows x cols grid of tiles (integer
    division of the edges), then one centred box of int(w * center_scale) x int(h * center_scale)."""
    rows, cols = grid
    boxes = [(c * w // cols, r * h // rows, (c + 1) * w // cols, (r + 1) * h // rows) for r in range(rows) for c in range(cols)]
    cw, ch = int(w * center_scale), int(h * center_scale)
    boxes.append(((w - cw) // 2, (h - ch) // 2, (w - cw) // 2 + cw, (h - ch) // 2 + ch))
    return boxes


def laclip_crops(image: Image.Image, grid: tuple[int, int] = (2, 2), center_scale: float = 0.5) -> list[Image.Image]:
    return [image.crop(box) for box in crop_boxes(*image.size, grid, center_scale)]


def augment(image: Image.Image, size: int, rng: np.random.Generator) -> np.ndarray:
    """Random resized crop (area 0.35-1, aspect 3/4-4/3), horizontal flip, brightness/contrast jitter."""
    w, h = image.size
    for _ in range(10):
        area = rng.uniform(0.35, 1.0) * w * h
        aspect = np.exp(rng.uniform(np.log(3 / 4), np.log(4 / 3)))
        cw, ch = int(round((area * aspect) ** 0.5)), int(round((area / aspect) ** 0.5))
        if 0 < cw <= w and 0 < ch <= h:
            x, y = int(rng.integers(0, w - cw + 1)), int(rng.integers(0, h - ch + 1))
            image = image.crop((x, y, x + cw, y + ch))
            break
    if rng.random() < 0.5:
        image = image.transpose(Image.FLIP_LEFT_RIGHT)
    tensor = to_tensor(image, size)
    contrast, brightness = rng.uniform(0.8, 1.2), rng.uniform(-0.2, 0.2)
    return (tensor * contrast + brightness).astype(np.float32)
