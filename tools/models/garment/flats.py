"""Flat sketches for training and evaluation: the real FreeSewing flats in the shared data
(front view, rasterised PNGs, read in place and never copied into the repo) and procedural garment
silhouettes with long or short sleeves, until the project's own templates exist.

A Flat is a silhouette mask (True inside the garment) and its line drawing (dark lines on white)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from ..common.shared_data import shared_data



FLATS_DIR = shared_data() / "garment_flats" / "flats_png"
KINDS = ("tshirt", "shirt", "dress", "jacket", "tank", "skirt", "trousers")
SLEEVED = ("tshirt", "shirt", "dress", "jacket")


@dataclass
class Flat:
    name: str
    kind: str
    sleeves: str  # "long", "short" or "none"
    mask: np.ndarray  # bool [S, S]
    lines: np.ndarray  # uint8 [S, S], 0 = line, 255 = paper

    def sketch_rgb(self) -> np.ndarray:
        return np.repeat(self.lines[..., None], 3, axis=-1)


def _outline(mask: np.ndarray, width: int) -> np.ndarray:
    img = Image.fromarray((mask * 255).astype(np.uint8))
    grown = np.asarray(img.filter(ImageFilter.MaxFilter(2 * width + 1))) > 127
    shrunk = np.asarray(img.filter(ImageFilter.MinFilter(2 * width + 1))) > 127
    return grown & ~shrunk


def _polygon_mask(points: list[tuple[float, float]], size: int) -> np.ndarray:
    img = Image.new("L", (size, size), 0)
    ImageDraw.Draw(img).polygon([(x * size, y * size) for x, y in points], fill=255)
    return np.asarray(img) > 127


def procedural(kind: str, sleeves: str, size: int, rng: np.random.Generator) -> Flat:
    """A symmetric garment silhouette drawn from a handful of jittered points (fractions of the page)."""
    j = lambda v, s=0.02: v + float(rng.uniform(-s, s))  # noqa: E731
    half_w, top, bottom = j(0.2), j(0.15), j(0.85)
    if kind in ("skirt", "trousers"):
        waist, hem = j(0.18), j(0.3 if kind == "skirt" else 0.24)
        right = [(0.5 + waist, top + 0.05), (0.5 + hem, bottom)]
        if kind == "trousers":
            right += [(0.5 + 0.03, bottom), (0.5, j(0.4))]
            points = [(0.5 - waist, top + 0.05)] + right + [(0.5 - 0.03, bottom), (0.5 - hem, bottom)]
        else:
            points = [(0.5 - waist, top + 0.05)] + right + [(0.5 - hem, bottom)]
        mask = _polygon_mask(points, size)
    else:
        if kind == "dress":
            bottom = j(0.92)
        shoulder, neck = (half_w + 0.02, j(0.07)) if kind != "tank" else (half_w - 0.08, j(0.09))
        hem_w = half_w + (0.12 if kind == "dress" else 0.0)
        right = [(0.5 + neck, top), (0.5 + shoulder, top + 0.04), (0.5 + half_w, top + 0.2), (0.5 + hem_w, bottom)]
        left = [(1 - x, y) for x, y in reversed(right)]
        mask = _polygon_mask([(0.5, top + 0.06)] + right + left, size)
        if kind in SLEEVED and sleeves != "none":
            length = j(0.5) if sleeves == "long" else j(0.14)
            for side in (1, -1):
                sx = 0.5 + side * shoulder
                arm = [(sx, top + 0.04), (sx + side * length * 0.55, top + 0.04 + length * 0.8),
                       (sx + side * (length * 0.55 - 0.09), top + 0.04 + length * 0.8 + 0.05), (0.5 + side * half_w, top + 0.2)]
                mask |= _polygon_mask(arm, size)
    lines = np.where(_outline(mask, max(1, size // 64)), 0, 255).astype(np.uint8)
    # a centre seam/placket line so the sketch is more than an outline
    if kind in ("shirt", "jacket"):
        col = size // 2
        lines[mask[:, col] & (np.arange(size) > top * size), col] = 0
    name = f"procedural:{kind}-{sleeves}"
    return Flat(name, kind, sleeves if kind in SLEEVED else "none", mask, lines)


def _fill_holes(inside: np.ndarray) -> np.ndarray:
    """Everything not reachable from the border through background is garment."""
    # .copy(): an image made by fromarray may share the array's buffer, and floodfill then writes nowhere.
    img = Image.fromarray(np.where(inside, 0, 255).astype(np.uint8)).copy()
    ImageDraw.floodfill(img, (0, 0), 128)
    return np.asarray(img) != 128


def real_flats(size: int, folder: Path = FLATS_DIR) -> list[Flat]:
    """The front view (left half) of each FreeSewing flat, cropped to the garment and centred."""
    flats = []
    for path in sorted(folder.glob("*.png")):
        grey = np.asarray(Image.open(path).convert("L"))
        front = grey[:, : grey.shape[1] // 2]
        ink = front < 245
        if ink.sum() < 100:
            continue
        ys, xs = np.nonzero(ink)
        y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
        side = int(max(y1 - y0, x1 - x0) * 1.15)
        page = np.full((side, side), 255, np.uint8)
        oy, ox = (side - (y1 - y0)) // 2, (side - (x1 - x0)) // 2
        page[oy : oy + y1 - y0, ox : ox + x1 - x0] = front[y0:y1, x0:x1]
        small = np.asarray(Image.fromarray(page).resize((size, size), Image.BILINEAR))
        mask = _fill_holes(small < 235)
        # Flats are filled, some in near-black: a line is a dark pixel clearly darker than its surroundings,
        # plus the silhouette's outline.
        local_max = np.asarray(Image.fromarray(small).filter(ImageFilter.MaxFilter(5)))
        strokes = (small < 110) & (local_max.astype(np.int16) - small > 60)
        lines = np.where(strokes | _outline(mask, max(1, size // 128)), 0, 255).astype(np.uint8)
        flats.append(Flat(f"freesewing:{path.stem}", "real", "none", mask, lines))
    return flats
