"""The synthetic garment data set the default pack trains and is scored on, made on the fly.

A sample pairs a flat sketch (a real flat, a studio template or a procedural silhouette; line art,
sometimes filled with a colour and fabric) with a caption made from attributes (colour, fabric,
garment, sleeves; in English or Chinese, the colours being the studio lexicon's, with its words and
its sRGB) and a fabric swatch for the caption's fabric. Some
samples are deliberate conflicts: the caption asks for another colour, another fabric, or other
sleeves than the sketch shows. Each sample carries two targets: `image_target` follows the sketch
(its silhouette, and its fill where it has one) and `text_target` follows the caption; they are the
same image when nothing conflicts. Training shows the image target at high alpha and the text target
at low alpha, which is what the two studio variants ask for.

Where the real flats and templates come from (`sketches`):

- "png" (the default, as before): the left half of each FreeSewing PNG and our own drawing of each
  template, plain line art unless a look fills it;
- "studio": the sketch cache (flats.studio_flats; `python -m tools.models cache garment-sketches
  --size SIZE`), the flats exactly as the studio's sketchFromFlat and lineArtFromFlat draw them (front
  and back views, one at a time, as generation sends them). A plain sketch keeps the flat's fill,
  which in the studio is any colour (the FreeSewing flats come purple, grey, black, blue; a
  technician's may be anything): the studio's own fill, white, the studio's purple, a colour of the
  palette or any colour, and the targets ignore it (they take the caption's look), so no fill colour
  leaks into a render. Procedural flats get such a flat fill too. A look still fills the sketch with
  shaded fabric, which the image target follows.
  Without the cache at the size, it warns (naming the command) and uses the "png" flats.

Every size is drawn in proportion (flats.py, fabrics.py): a 256 px sample is a 64 px one drawn four
times finer, so a repeat, a stripe or a line is as wide relative to the garment.
"""

from __future__ import annotations

import warnings
import zlib
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from .colour import COLOUR_WORDS, COLOURS
from .fabrics import FABRICS, garment_shade, swatch
from .flats import KINDS, SLEEVED, STUDIO_PURPLE, Flat, SketchCacheMissing, procedural, real_flats, studio_flats, template_flats

GARMENT_WORDS = {"tshirt": "t-shirt", "shirt": "shirt", "dress": "dress", "jacket": "jacket", "tank": "tank top",
                 "skirt": "skirt", "trousers": "trousers", "polo": "polo shirt", "hoodie": "hoodie", "coat": "coat",
                 "shorts": "shorts", "real": "garment"}
# The procedural silhouette whose sleeves stand in for a template's in a sleeve conflict.
SLEEVE_STAND_IN = {"polo": "tshirt", "hoodie": "jacket", "coat": "jacket"}
FABRIC_WORDS = {"solid": "cotton", "stripe": "striped", "plaid": "plaid", "dot": "polka dot", "denim": "denim",
                "knit": "rib knit", "silk": "silk", "brocade": "brocade"}
# The Chinese captions' words (the lexicon's names; the fabrics' are those the fabric fusion's own
# synonym table reads, tiny.DEFAULT_FABRICS, so the caption and the fusion agree).
GARMENT_WORDS_ZH = {"tshirt": "T恤", "shirt": "衬衫", "dress": "连衣裙", "jacket": "夹克", "tank": "背心", "skirt": "半身裙",
                    "trousers": "裤子", "polo": "Polo衫", "hoodie": "卫衣", "coat": "大衣", "shorts": "短裤", "real": "服装"}
FABRIC_WORDS_ZH = {"solid": "纯棉", "stripe": "条纹", "plaid": "格子", "dot": "波点", "denim": "牛仔布", "knit": "针织",
                   "silk": "丝绸", "brocade": "织锦"}
SLEEVE_WORDS_ZH = {"long": "长袖", "short": "短袖"}
CHINESE_CAPTIONS = 0.4  # the share of captions written in Chinese, as a technician in China types them
CONFLICTS = ("colour", "fabric", "sleeves")


@dataclass
class Look:
    colour: str
    fabric: str


@dataclass
class Sample:
    flat: Flat
    text_flat: Flat  # the flat the caption describes (other sleeves in a sleeve conflict)
    sketch_look: Look | None  # the sketch's fill, None for plain line art
    text_look: Look
    caption: str
    conflict: str | None
    sketch: np.ndarray  # uint8 [S, S, 3]
    swatch: np.ndarray  # uint8 [S, S, 3], the caption's fabric in the caption's colour
    image_target: np.ndarray  # uint8 [S, S, 3]
    text_target: np.ndarray  # uint8 [S, S, 3]
    # the line art at the output size (lineArtFromFlat for a studio flat; the sketch itself otherwise)
    line_art: np.ndarray | None = None
    fill: tuple[float, float, float] | None = None  # a plain sketch's flat fill ("studio" sketches), None: as drawn


class SketchCacheWarning(UserWarning):
    """GarmentData(sketches="studio") found no sketch cache and fell back to the PNG flats."""


def caption(flat: Flat, look: Look, rng: np.random.Generator) -> str:
    """The caption, in English or (CHINESE_CAPTIONS of the time) Chinese, the colour named by the
    lexicon's first term half the time and by any of its terms otherwise ("navy", "midnight blue"; 藏青, 海军蓝)."""
    words = COLOUR_WORDS[look.colour]
    chinese = rng.random() < CHINESE_CAPTIONS
    terms = words.zh if chinese else words.en
    colour = terms[0] if rng.random() < 0.5 else str(rng.choice(terms))
    if chinese:
        text = f"{colour}{FABRIC_WORDS_ZH[look.fabric]}{GARMENT_WORDS_ZH[flat.kind]}"
        return text + (f"，{SLEEVE_WORDS_ZH[flat.sleeves]}" if flat.sleeves in SLEEVE_WORDS_ZH else "")
    article = "an" if colour[0] in "aeiou" else "a"
    text = f"{article} {colour} {FABRIC_WORDS[look.fabric]} {GARMENT_WORDS[flat.kind]}"
    return text + (f" with {flat.sleeves} sleeves" if flat.sleeves in ("long", "short") else "")


def render(flat: Flat, look: Look, size: int, rng: np.random.Generator, lines: bool = True) -> np.ndarray:
    """The garment as the pack should draw it: the fabric inside the silhouette, soft shading, the
    flat's lines on top, white around."""
    cloth = swatch(look.fabric, COLOURS[look.colour], size, rng)
    shade = garment_shade(size)
    img = np.ones((size, size, 3), np.float32)
    img[flat.mask] = (cloth * shade)[flat.mask]
    if lines:
        img[flat.lines < 128] *= 0.25
    return (np.clip(img, 0, 1) * 255).round().astype(np.uint8)


def _other(options, current, rng):
    return str(rng.choice([o for o in options if o != current]))


WHITE = (1.0, 1.0, 1.0)


def fill_colour(rng: np.random.Generator, studio: bool) -> tuple[float, float, float] | None:
    """A plain sketch's fill: for a studio flat its own fill (None) a quarter of the time; else white,
    the studio's purple, a palette colour or any colour."""
    r = rng.random()
    if studio and r < 0.25:
        return None
    if r < 0.4:
        return WHITE
    if r < 0.55:
        return STUDIO_PURPLE
    if r < 0.75:
        return COLOURS[str(rng.choice(list(COLOURS)))]
    return tuple(float(v) for v in rng.uniform(0, 1, 3))


def flat_fill(flat: Flat, rgb: tuple[float, float, float] | None) -> tuple[np.ndarray, np.ndarray]:
    """(sketch, line art) of a plain flat filled with one colour, as a drawing program fills it: the
    colour inside the silhouette, the lines on top. A studio flat is recoloured from its own drawings."""
    if flat.studio is not None:
        return flat.studio.filled(rgb)
    img = np.full((*flat.mask.shape, 3), 255, np.uint8)
    img[flat.mask] = (np.asarray(WHITE if rgb is None else rgb) * 255).round().astype(np.uint8)
    img[flat.lines < 128] = 0
    return img, img


class GarmentData:
    """Deterministic per index: sample(i) is the same image every time, so a held-out split is a range."""

    def __init__(self, size: int = 64, seed: int = 0, conflict_rate: float = 0.5, use_real_flats: bool = True,
                 conflict_weights: dict[str, float] | None = None, sketches: str = "png",
                 sketch_cache: Path | None = None) -> None:
        """use_real_flats: draw from the real flats and the studio's templates too (False: procedural only).
        conflict_weights: how often each kind of conflict is drawn when sample() draws one (equal by default).
        sketches: "png" or "studio" (the module's docstring); sketch_cache: the cache folder (default
        flats.SKETCH_CACHE/SIZE)."""
        if sketches not in ("png", "studio"):
            raise ValueError(f"sketches must be 'png' or 'studio', not {sketches!r}")
        self.size, self.seed, self.conflict_rate, self.conflict_weights = size, seed, conflict_rate, conflict_weights
        weights = np.asarray([(conflict_weights or {}).get(c, 1.0 if conflict_weights is None else 0.0) for c in CONFLICTS], float)
        self.conflict_p = weights / weights.sum()
        self.sketches = sketches
        self.real, self.templates = [], []
        if use_real_flats and sketches == "studio":
            try:
                drawn = studio_flats(size, sketch_cache)
                self.real = [f for f in drawn if not f.name.startswith("template:")]
                self.templates = [f for f in drawn if f.name.startswith("template:")]
            except SketchCacheMissing as err:
                warnings.warn(f"{err}; training reads the PNG flats meanwhile", SketchCacheWarning, stacklevel=2)
        if use_real_flats and not (self.real or self.templates):
            self.real = real_flats(size)
            self.templates = template_flats(size)

    def _flat(self, rng: np.random.Generator) -> Flat:
        if self.real and rng.random() < 0.3:
            return self.real[int(rng.integers(len(self.real)))]
        if self.templates and rng.random() < 0.25:
            return self.templates[int(rng.integers(len(self.templates)))]
        kind = str(rng.choice(KINDS))
        sleeves = str(rng.choice(("long", "short"))) if kind in SLEEVED else "none"
        return procedural(kind, sleeves, self.size, rng)

    def sample(self, index: int, conflict: str | None = "random") -> Sample:
        rng = np.random.default_rng(zlib.crc32(f"{self.seed}:{index}".encode()))
        flat = self._flat(rng)
        text_look = Look(str(rng.choice(list(COLOURS))), str(rng.choice(FABRICS)))
        if conflict == "random":
            if rng.random() < self.conflict_rate:
                # the equal draw without p, so the default data stay what they were before weights existed
                conflict = str(rng.choice(CONFLICTS) if self.conflict_weights is None else rng.choice(CONFLICTS, p=self.conflict_p))
            else:
                conflict = None
        if conflict == "sleeves" and flat.sleeves == "none":
            conflict = "colour"  # only sleeved procedural flats can swap sleeves
        sketch_look = Look(text_look.colour, text_look.fabric) if (conflict in ("colour", "fabric") or rng.random() < 0.5) else None
        text_flat = flat
        if conflict == "colour":
            sketch_look.colour = _other(list(COLOURS), text_look.colour, rng)
        elif conflict == "fabric":
            sketch_look.fabric = _other(FABRICS, text_look.fabric, rng)
        elif conflict == "sleeves":
            other = "short" if flat.sleeves == "long" else "long"
            # the same kind of garment with the other sleeves, under the sketch's garment word
            text_flat = replace(procedural(SLEEVE_STAND_IN.get(flat.kind, flat.kind), other, self.size,
                                           np.random.default_rng(zlib.crc32(f"{self.seed}:{index}:t".encode()))), kind=flat.kind)
        sub = np.random.default_rng(zlib.crc32(f"{self.seed}:{index}:r".encode()))
        fill = None
        if sketch_look is not None:
            sketch = line_art = render(flat, sketch_look, self.size, sub)
        elif self.sketches == "studio":
            # its own generator, so the draws above and the targets stay those of the "png" data
            fill = fill_colour(np.random.default_rng(zlib.crc32(f"{self.seed}:{index}:f".encode())), flat.studio is not None)
            sketch, line_art = flat_fill(flat, fill)
        else:
            sketch = line_art = flat.sketch_rgb()
        image_look = sketch_look or text_look
        image_target = render(flat, image_look, self.size, np.random.default_rng(index))
        text_target = render(text_flat, text_look, self.size, np.random.default_rng(index))
        sw = (swatch(text_look.fabric, COLOURS[text_look.colour], self.size, sub) * 255).round().astype(np.uint8)
        words = caption(text_flat, text_look, np.random.default_rng(zlib.crc32(f"{self.seed}:{index}:c".encode())))
        return Sample(flat, text_flat, sketch_look, text_look, words, conflict, sketch, sw,
                      image_target, text_target, line_art, fill)
