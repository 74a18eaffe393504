"""Procedural sample motifs with bilingual captions, shipped in resources/motifs/samples.

Six families of traditional Chinese ornament drawn from geometry alone (no photographs, so no licence
questions): cloud scrolls, lattices, florals, waves, key frets and pearl roundels. Same seed, same
pixels: python -m tools.models samples motif
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

SIZE = 256
OUT = Path(__file__).resolve().parents[3] / "resources" / "motifs" / "samples"

COLOURS = [  # (zh, en, rgb)
    ("朱红", "vermilion", (200, 40, 30)), ("靛蓝", "indigo", (35, 50, 110)), ("金色", "gold", (212, 170, 60)),
    ("墨黑", "ink black", (25, 25, 25)), ("米白", "ivory", (240, 232, 210)), ("青绿", "celadon green", (90, 150, 120)),
    ("绛紫", "plum purple", (110, 40, 80)), ("赭石", "ochre", (170, 100, 50)),
]
FAMILIES = {  # id: (zh, en)
    "cloud": ("祥云纹", "auspicious cloud scroll motif"),
    "lattice": ("窗棂格纹", "window lattice motif"),
    "floral": ("团花纹", "floral rosette motif"),
    "wave": ("海水波纹", "sea wave motif"),
    "fret": ("回纹", "key fret motif"),
    "roundel": ("联珠纹", "pearl roundel motif"),
}
PER_FAMILY = 8


def _spiral(cx: float, cy: float, r: float, turns: float, flip: int) -> list[tuple[float, float]]:
    t = np.linspace(0, turns * 2 * math.pi, 90)
    rad = r * (1 - t / (turns * 2 * math.pi + 1e-9)) + 1
    return [(cx + flip * rr * math.cos(a), cy + rr * math.sin(a)) for a, rr in zip(t, rad)]


def draw_cloud(d: ImageDraw.ImageDraw, fg, rng) -> None:
    step = int(rng.integers(56, 90))
    width = int(rng.integers(3, 7))
    for row, y in enumerate(range(step // 2, SIZE + step, step)):
        for x in range(step // 2 - (row % 2) * step // 2, SIZE + step, step):
            r = step * 0.32
            d.line(_spiral(x - r * 0.6, y, r, 1.6, 1), fill=fg, width=width)
            d.line(_spiral(x + r * 0.6, y, r, 1.6, -1), fill=fg, width=width)
            d.arc([x - r * 1.6, y - r * 1.3, x + r * 1.6, y + r * 0.9], 200, 340, fill=fg, width=width)


def draw_lattice(d: ImageDraw.ImageDraw, fg, rng) -> None:
    step = int(rng.integers(24, 48))
    width = int(rng.integers(3, 8))
    diagonal = bool(rng.integers(0, 2))
    for k in range(-SIZE, 2 * SIZE, step):
        if diagonal:
            d.line([(k, 0), (k + SIZE, SIZE)], fill=fg, width=width)
            d.line([(k, SIZE), (k + SIZE, 0)], fill=fg, width=width)
        else:
            d.line([(k, 0), (k, SIZE)], fill=fg, width=width)
            d.line([(0, k), (SIZE, k)], fill=fg, width=width)
    for x in range(0, SIZE + step, step):
        for y in range(0, SIZE + step, step):
            s = step * 0.18
            d.rectangle([x - s, y - s, x + s, y + s], outline=fg, width=max(1, width // 2))


def draw_floral(d: ImageDraw.ImageDraw, fg, rng) -> None:
    petals = int(rng.integers(5, 10))
    count = int(rng.integers(1, 4))
    step = SIZE / count
    for i in range(count):
        for j in range(count):
            cx, cy, R = (i + 0.5) * step, (j + 0.5) * step, step * 0.45
            for layer, scale in enumerate((1.0, 0.62, 0.3)):
                theta = np.linspace(0, 2 * math.pi, 360)
                r = R * scale * (0.55 + 0.45 * np.abs(np.cos(petals * theta / 2 + layer)))
                pts = [(cx + rr * math.cos(a), cy + rr * math.sin(a)) for a, rr in zip(theta, r)]
                d.line(pts + [pts[0]], fill=fg, width=3)
            d.ellipse([cx - R * 0.1, cy - R * 0.1, cx + R * 0.1, cy + R * 0.1], fill=fg)


def draw_wave(d: ImageDraw.ImageDraw, fg, rng) -> None:
    r = int(rng.integers(22, 40))
    width = int(rng.integers(2, 5))
    rows = list(range(-r, SIZE + 2 * r, r // 2 + 4))
    for row, y in enumerate(rows):
        offset = (row % 2) * r
        for x in range(-2 * r, SIZE + 2 * r, 2 * r):
            for k in range(4):
                rr = r * (1 - k * 0.24)
                d.arc([x + offset - rr, y - rr, x + offset + rr, y + rr], 180, 360, fill=fg, width=width)


def draw_fret(d: ImageDraw.ImageDraw, fg, rng) -> None:
    cell = int(rng.integers(36, 64))
    width = max(3, cell // 10)
    for x0 in range(0, SIZE, cell):
        for y0 in range(0, SIZE, cell):
            pts, x, y, length, direction = [], x0 + width, y0 + cell - width, cell - 2 * width, 0
            pts.append((x, y))
            while length > width * 1.5:  # square spiral inwards: the meander of the 回 character
                dx, dy = [(0, -1), (1, 0), (0, 1), (-1, 0)][direction % 4]
                x, y = x + dx * length, y + dy * length
                pts.append((x, y))
                if direction % 2 == 1:
                    length -= width * 2
                direction += 1
            d.line(pts, fill=fg, width=width, joint="curve")


def draw_roundel(d: ImageDraw.ImageDraw, fg, rng) -> None:
    count = int(rng.integers(1, 3))
    step = SIZE / count
    for i in range(count):
        for j in range(count):
            cx, cy, R = (i + 0.5) * step, (j + 0.5) * step, step * 0.42
            d.ellipse([cx - R, cy - R, cx + R, cy + R], outline=fg, width=3)
            pearls = int(rng.integers(14, 26))
            for k in range(pearls):
                a = 2 * math.pi * k / pearls
                px, py, pr = cx + R * 0.88 * math.cos(a), cy + R * 0.88 * math.sin(a), R * 0.07
                d.ellipse([px - pr, py - pr, px + pr, py + pr], fill=fg)
            d.ellipse([cx - R * 0.7, cy - R * 0.7, cx + R * 0.7, cy + R * 0.7], outline=fg, width=2)
            for k in range(8):
                a = 2 * math.pi * k / 8
                d.line([(cx, cy), (cx + R * 0.6 * math.cos(a), cy + R * 0.6 * math.sin(a))], fill=fg, width=4)


DRAW = {"cloud": draw_cloud, "lattice": draw_lattice, "floral": draw_floral, "wave": draw_wave, "fret": draw_fret,
        "roundel": draw_roundel}


def generate(out: Path = OUT, seed: int = 2024) -> list[dict[str, str]]:
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    records = []
    for family, (fam_zh, fam_en) in FAMILIES.items():
        for n in range(PER_FAMILY):
            bg, fg = rng.choice(len(COLOURS), size=2, replace=False)
            (bg_zh, bg_en, bg_rgb), (fg_zh, fg_en, fg_rgb) = COLOURS[bg], COLOURS[fg]
            image = Image.new("RGB", (SIZE, SIZE), bg_rgb)
            DRAW[family](ImageDraw.Draw(image), fg_rgb, rng)
            name = f"{family}_{n:02d}"
            image.save(out / f"{name}.png", optimize=True)
            records.append({
                "id": f"sample_{name}", "image": f"{name}.png", "family": family,
                "caption_zh": f"{bg_zh}底{fg_zh}{fam_zh}", "caption_en": f"{fg_en} {fam_en} on {bg_en} ground",
                "title_zh": fam_zh, "title_en": fam_en, "license": "CC0-1.0 (generated by tools/models/motif/samples.py)",
            })
    with (out / "captions.jsonl").open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return records


def main() -> int:
    records = generate()
    print(f"wrote {len(records)} sample motifs to {OUT}")
    return 0
