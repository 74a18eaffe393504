"""The synthetic garment data set the default pack trains and is scored on, made on the fly.

A sample pairs a flat sketch (a real flat, a studio template or a procedural silhouette; line art,
sometimes filled with a colour and fabric) with a caption made from attributes (colour, fabric,
garment, sleeves) and a fabric swatch for the caption's fabric. Some
samples are deliberate conflicts: the caption asks for another colour, another fabric, or other
sleeves than the sketch shows. Each sample carries two targets: `image_target` follows the sketch
(its silhouette, and its fill where it has one) and `text_target` follows the caption; they are the
same image when nothing conflicts. Training shows the image target at high alpha and the text target
at low alpha, which is what the two studio variants ask for.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, replace

import numpy as np

from .colour import COLOURS
from .fabrics import FABRICS, swatch
from .flats import KINDS, SLEEVED, Flat, procedural, real_flats, template_flats

GARMENT_WORDS = {"tshirt": "t-shirt", "shirt": "shirt", "dress": "dress", "jacket": "jacket", "tank": "tank top",
                 "skirt": "skirt", "trousers": "trousers", "polo": "polo shirt", "hoodie": "hoodie", "coat": "coat",
                 "shorts": "shorts", "real": "garment"}
# The procedural silhouette whose sleeves stand in for a template's in a sleeve conflict.
SLEEVE_STAND_IN = {"polo": "tshirt", "hoodie": "jacket", "coat": "jacket"}
FABRIC_WORDS = {"solid": "cotton", "stripe": "striped", "plaid": "plaid", "dot": "polka dot", "denim": "denim",
                "knit": "rib knit", "silk": "silk", "brocade": "brocade"}
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


def caption(flat: Flat, look: Look) -> str:
    article = "an" if look.colour[0] in "aeiou" else "a"
    words = [f"{article} {look.colour} {FABRIC_WORDS[look.fabric]} {GARMENT_WORDS[flat.kind]}"]
    if flat.sleeves in ("long", "short"):
        words.append(f"with {flat.sleeves} sleeves")
    return " ".join(words)


def render(flat: Flat, look: Look, size: int, rng: np.random.Generator, lines: bool = True) -> np.ndarray:
    """The garment as the pack should draw it: the fabric inside the silhouette, soft shading, the
    flat's lines on top, white around."""
    cloth = swatch(look.fabric, COLOURS[look.colour], size, rng)
    shade = 0.9 + 0.1 * np.cos(np.linspace(-1.2, 1.2, size))[None, :, None]
    img = np.ones((size, size, 3), np.float32)
    img[flat.mask] = (cloth * shade)[flat.mask]
    if lines:
        img[flat.lines < 128] *= 0.25
    return (np.clip(img, 0, 1) * 255).round().astype(np.uint8)


def _other(options, current, rng):
    return str(rng.choice([o for o in options if o != current]))


class GarmentData:
    """Deterministic per index: sample(i) is the same image every time, so a held-out split is a range."""

    def __init__(self, size: int = 64, seed: int = 0, conflict_rate: float = 0.5, use_real_flats: bool = True,
                 conflict_weights: dict[str, float] | None = None) -> None:
        """use_real_flats: draw from the real flats and the studio's templates too (False: procedural only).
        conflict_weights: how often each kind of conflict is drawn when sample() draws one (equal by default)."""
        self.size, self.seed, self.conflict_rate, self.conflict_weights = size, seed, conflict_rate, conflict_weights
        weights = np.asarray([(conflict_weights or {}).get(c, 1.0 if conflict_weights is None else 0.0) for c in CONFLICTS], float)
        self.conflict_p = weights / weights.sum()
        self.real = real_flats(size) if use_real_flats else []
        self.templates = template_flats(size) if use_real_flats else []

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
        sketch = flat.sketch_rgb() if sketch_look is None else render(flat, sketch_look, self.size, sub)
        image_look = sketch_look or text_look
        image_target = render(flat, image_look, self.size, np.random.default_rng(index))
        text_target = render(text_flat, text_look, self.size, np.random.default_rng(index))
        sw = (swatch(text_look.fabric, COLOURS[text_look.colour], self.size, sub) * 255).round().astype(np.uint8)
        return Sample(flat, text_flat, sketch_look, text_look, caption(text_flat, text_look), conflict, sketch, sw,
                      image_target, text_target)
