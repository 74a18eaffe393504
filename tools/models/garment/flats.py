"""Flat sketches for training and evaluation: the real FreeSewing flats in the shared data
(front view, rasterised PNGs, read in place and never copied into the repo), the studio's own garment
templates (resources/templates, front and back views drawn from their vector paths) and procedural
garment silhouettes with long or short sleeves. `studio_flats` reads the same real flats and
templates as the studio draws them (the sketch cache that `python -m tools.models cache
garment-sketches` makes with the studio's TypeScript, sketch-cache.ts): the sketch the garment
pipeline receives, not a rendering of our own.

A Flat is a silhouette mask (True inside the garment) and its line drawing (dark lines on white); a
studio flat also carries the studio's drawings (StudioSketch).

Sizes: everything is drawn at the requested size with widths in proportion to it (an outline is
1 px per 64, a centre seam too), so a 256 px flat is a 64 px one drawn four times finer."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from ..common.shared_data import shared_data

FLATS_DIR = shared_data() / "garment_flats" / "flats_png"
TEMPLATES_DIR = Path(__file__).resolve().parents[3] / "resources" / "templates"
KINDS = ("tshirt", "shirt", "dress", "jacket", "tank", "skirt", "trousers")
SLEEVED = ("tshirt", "shirt", "dress", "jacket")
# The fill of the FreeSewing flats as the studio draws them (#5c3566), measured on its sketches.
STUDIO_PURPLE = (92 / 255, 53 / 255, 102 / 255)
SKETCH_CACHE = Path(__file__).resolve().parents[1] / ".cache" / "garment-sketches"
CACHE_COMMAND = "tools/models/.venv/bin/python -m tools.models cache garment-sketches --size {size}"


def line_width(size: int, per: int = 64) -> int:
    """A line's half-width in pixels: 1 per `per` pixels of page, at least 1."""
    return max(1, size // per)


@dataclass
class StudioSketch:
    """A flat as the studio draws it (sketch-cache.ts). `sketch` is sketchFromFlat's image and
    `line_art` lineArtFromFlat's, exactly as sent; `*_white` are the same with every fill white, and
    `*_weight` how much of each pixel is fill (white render - black render, in [0, 1]): a fill of any
    colour is `recolour(white, weight, rgb)`."""

    source: str
    view: str  # "front" or "back" (one view, as the app and `jinxiu generate --flat x.svg` send it)
    sketch: np.ndarray  # uint8 [S, S, 3]
    sketch_white: np.ndarray  # uint8 [S, S, 3]
    sketch_weight: np.ndarray  # float16 [S, S]
    line_art: np.ndarray  # uint8 [S, S, 3]
    line_art_white: np.ndarray
    line_art_weight: np.ndarray

    def filled(self, rgb: tuple[float, float, float] | None) -> tuple[np.ndarray, np.ndarray]:
        """(sketch, line art) with every fill in `rgb`; None: the studio's own fills."""
        if rgb is None:
            return self.sketch, self.line_art
        return (recolour(self.sketch_white, self.sketch_weight, rgb), recolour(self.line_art_white, self.line_art_weight, rgb))


def recolour(white: np.ndarray, weight: np.ndarray, rgb: tuple[float, float, float]) -> np.ndarray:
    """The drawing with its fills in `rgb`: the white-filled drawing darkened by the fill's coverage.
    The rasteriser composites a fill under its strokes, so this is exact up to rounding."""
    out = white.astype(np.float32) - weight.astype(np.float32)[..., None] * (255.0 * (1.0 - np.asarray(rgb, np.float32)))
    return np.clip(out, 0, 255).round().astype(np.uint8)


@dataclass
class Flat:
    name: str
    kind: str
    sleeves: str  # "long", "short" or "none"
    mask: np.ndarray  # bool [S, S]
    lines: np.ndarray  # uint8 [S, S], 0 = line, 255 = paper
    studio: StudioSketch | None = None  # the studio's drawings (studio_flats only)

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
    lines = np.where(_outline(mask, line_width(size)), 0, 255).astype(np.uint8)
    # a centre seam/placket line so the sketch is more than an outline (1 px per 64, as the outline)
    if kind in ("shirt", "jacket"):
        col, width = size // 2, line_width(size)
        rows = mask[:, col] & (np.arange(size) > top * size)
        lines[rows, col - (width - 1) // 2 : col + width // 2 + 1] = 0
    name = f"procedural:{kind}-{sleeves}"
    return Flat(name, kind, sleeves if kind in SLEEVED else "none", mask, lines)


def _fill_holes(inside: np.ndarray) -> np.ndarray:
    """Everything not reachable from the border through background is garment."""
    # .copy(): an image made by fromarray may share the array's buffer, and floodfill then writes nowhere.
    img = Image.fromarray(np.where(inside, 0, 255).astype(np.uint8)).copy()
    ImageDraw.floodfill(img, (0, 0), 128)
    return np.asarray(img) != 128


def _flat_from_page(grey: np.ndarray, size: int, name: str, kind: str, sleeves: str) -> Flat | None:
    """A drawing on white (dark lines, any fill) cropped to the garment, centred on a square page with
    a margin, shrunk to `size`: the silhouette is whatever the outline encloses."""
    ink = grey < 245
    if ink.sum() < 100:
        return None
    ys, xs = np.nonzero(ink)
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    side = int(max(y1 - y0, x1 - x0) * 1.15)
    page = np.full((side, side), 255, np.uint8)
    oy, ox = (side - (y1 - y0)) // 2, (side - (x1 - x0)) // 2
    page[oy : oy + y1 - y0, ox : ox + x1 - x0] = grey[y0:y1, x0:x1]
    small = np.asarray(Image.fromarray(page).resize((size, size), Image.BILINEAR))
    mask = _fill_holes(small < 235)
    # Flats are filled, some in near-black: a line is a dark pixel clearly darker than its surroundings,
    # plus the silhouette's outline.
    # The window grows with the page (5 px up to 64, 17 px at 256) so it reaches past a stroke drawn thicker.
    local_max = np.asarray(Image.fromarray(small).filter(ImageFilter.MaxFilter(2 * max(2, size // 32) + 1)))
    strokes = (small < 110) & (local_max.astype(np.int16) - small > 60)
    lines = np.where(strokes | _outline(mask, line_width(size, 128)), 0, 255).astype(np.uint8)
    return Flat(name, kind, sleeves, mask, lines)


def real_flats(size: int, folder: Path = FLATS_DIR, held_out: frozenset[str] | None = None) -> list[Flat]:
    """The front view (left half) of each FreeSewing flat, except the designs held out for the honest
    evaluation (heldout.json; `held_out` overrides the list): a model is never scored on a flat it
    was trained on."""
    from .heldout import heldout_designs

    skip = heldout_designs() if held_out is None else held_out
    flats = []
    for path in sorted(folder.glob("*.png")):
        if path.stem in skip:
            continue
        grey = np.asarray(Image.open(path).convert("L"))
        flat = _flat_from_page(grey[:, : grey.shape[1] // 2], size, f"freesewing:{path.stem}", "real", "none")
        if flat is not None:
            flats.append(flat)
    return flats


# A template's category -> the garment word its captions use (data.GARMENT_WORDS).
TEMPLATE_KINDS = {"t-shirt": "tshirt", "shirt": "shirt", "polo": "polo", "hoodie": "hoodie", "jacket": "jacket",
                  "coat": "coat", "dress": "dress", "skirt": "skirt", "trousers": "trousers", "shorts": "shorts"}
_DRAW_SCALE = 0.5  # page units (mm) -> pixels of the drawing that is then shrunk like a real flat


def _points(segments: list[dict]) -> list[list[tuple[float, float]]]:
    """A flat item's M/L/C/Z path as polylines (cubics flattened to 12 chords each)."""
    runs: list[list[tuple[float, float]]] = []
    for seg in segments:
        kind = seg["kind"]
        if kind == "M":
            runs.append([(seg["to"]["x"], seg["to"]["y"])])
        elif kind == "L":
            runs[-1].append((seg["to"]["x"], seg["to"]["y"]))
        elif kind == "C":
            (x0, y0), c1, c2, to = runs[-1][-1], seg["c1"], seg["c2"], seg["to"]
            for t in np.linspace(1 / 12, 1, 12):
                u = 1 - t
                runs[-1].append((u**3 * x0 + 3 * u * u * t * c1["x"] + 3 * u * t * t * c2["x"] + t**3 * to["x"],
                                 u**3 * y0 + 3 * u * u * t * c1["y"] + 3 * u * t * t * c2["y"] + t**3 * to["y"]))
        elif kind == "Z":
            runs[-1].append(runs[-1][0])
    return runs


def template_flats(size: int, folder: Path = TEMPLATES_DIR) -> list[Flat]:
    """Each view of each studio template, drawn as the editor shows it: panels and details filled white
    and outlined, seams on the visible layers (stitching and trims are too fine for the page size)."""
    flats = []
    for entry in json.loads((folder / "index.json").read_text(encoding="utf-8")):
        doc = json.loads((folder / entry["file"]).read_text(encoding="utf-8"))
        attrs = doc.get("attributes", {})
        kind = TEMPLATE_KINDS.get(attrs.get("category", ""), "real")
        sleeves = attrs.get("sleeveLength") if attrs.get("sleeveLength") in ("long", "short") else "none"
        # drawn at least as finely as at 64 px, and finer in proportion for a larger page
        scale = _DRAW_SCALE * max(1.0, size / 64)
        w, h = (int(doc["page"][k] * scale) for k in ("width", "height"))
        for view in doc["views"]:
            visible = {layer["id"] for layer in view["layers"] if layer["visible"]}
            img = Image.new("L", (w, h), 255)
            draw = ImageDraw.Draw(img)
            shapes = [i for i in view["items"] if i["type"] == "shape" and i["layerId"] in visible]
            # panels first, then details (collars, pockets) on top, then the seams
            for item in sorted(shapes, key=lambda i: {"panel": 0, "detail": 1}.get(i.get("role"), 2)):
                for run in _points(item["segments"]):
                    xy = [(x * scale, y * scale) for x, y in run]
                    closed = len(xy) > 2 and xy[0] == xy[-1]
                    if closed and item.get("role") != "seam":
                        draw.polygon(xy, fill=255)
                    draw.line(xy, fill=0, width=round(4 * scale / _DRAW_SCALE), joint="curve")
            flat = _flat_from_page(np.asarray(img), size, f"template:{entry['id']}:{view['id']}", kind, sleeves)
            if flat is not None:
                flats.append(flat)
    return flats


class SketchCacheMissing(FileNotFoundError):
    """No sketch cache at the size asked for; the message names the command that makes it."""


def _png(path: Path, mode: str = "RGB") -> np.ndarray:
    return np.asarray(Image.open(path).convert(mode))


def _weight(white: np.ndarray, black: np.ndarray) -> np.ndarray:
    """How much of each pixel is fill: the white-filled drawing minus the black-filled one, in [0, 1]."""
    return ((white.astype(np.float32) - black.astype(np.float32)).mean(-1) / 255).clip(0, 1).astype(np.float16)


def studio_flats(size: int, folder: Path | None = None, held_out: frozenset[str] | None = None,
                 views: tuple[str, ...] = ("front", "back")) -> list[Flat]:
    """The training flats as the studio draws them, from the sketch cache at `size` (SKETCH_CACHE/SIZE,
    or `folder`): the FreeSewing flats that are not held out and the studio's templates, each view
    (`views`) a Flat whose mask is the cache's silhouette, whose lines are the white-filled sketch
    and whose `studio` holds the studio's drawings. A held-out design (heldout.json, or `held_out`) is
    refused even if a cache made with another list holds it."""
    from .heldout import heldout_designs

    folder = SKETCH_CACHE / str(size) if folder is None else folder
    index_file = folder / "index.json"
    if not index_file.is_file():
        raise SketchCacheMissing(f"no garment sketch cache at {folder}; make it with `{CACHE_COMMAND.format(size=size)}` "
                                 "(it draws every training flat with the studio's own TypeScript, sketch-cache.ts)")
    index = json.loads(index_file.read_text(encoding="utf-8"))
    if int(index["size"]) != size:
        raise ValueError(f"the sketch cache at {folder} is {index['size']} px, not {size} px")
    skip = heldout_designs() if held_out is None else held_out
    flats = []
    for entry in index["flats"]:
        if entry["view"] not in views:
            continue
        source, name = entry["source"], entry["name"]
        if name.startswith("freesewing:") and name.split(":")[1] in skip:
            continue
        d, files = folder / entry["dir"], entry["files"]
        if "mask" not in files:
            raise SketchCacheMissing(f"the sketch cache at {folder} has no silhouette masks (it was written by sketch-cache.ts "
                                     f"alone); remake it with `{CACHE_COMMAND.format(size=size)}`")
        sketch_white = _png(d / files["sketch-white"])
        line_art_white = _png(d / files["lineart-white"])
        studio = StudioSketch(source, entry["view"], _png(d / files["sketch"]), sketch_white,
                              _weight(sketch_white, _png(d / files["sketch-black"])), _png(d / files["lineart"]), line_art_white,
                              _weight(line_art_white, _png(d / files["lineart-black"])))
        mask = _png(d / files["mask"], "L") > 127
        if mask.shape != (size, size) or studio.sketch.shape != (size, size, 3):
            raise ValueError(f"{d}: the cache's images are not {size} x {size}")
        lines = np.where(sketch_white.mean(-1) < 128, 0, 255).astype(np.uint8)
        kind = "real" if name.startswith("freesewing:") else TEMPLATE_KINDS.get(entry["kind"], "real")
        flats.append(Flat(name, kind, entry["sleeves"], mask, lines, studio))
    return flats
