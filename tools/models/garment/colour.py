"""sRGB -> CIELAB (D65) and CIEDE2000, for the text-adherence figure (requested vs rendered colour)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

LEXICON_FILE = Path(__file__).resolve().parents[3] / "src" / "shared" / "fabric" / "lexicon.ts"


@dataclass(frozen=True)
class ColourWords:
    """One colour of the studio lexicon: its sRGB in [0, 1] and the words that name it (the first of
    each language is the lexicon's own name for it)."""

    rgb: tuple[float, float, float]
    en: tuple[str, ...]
    zh: tuple[str, ...]


# One COLOURS entry of lexicon.ts, on one line or several: id, name, hex, terms { en: [...], zh: [...] }.
_ENTRY = re.compile(r"id:\s*'([a-z-]+)',\s*name:\s*\{[^}]*\},\s*hex:\s*'(#[0-9A-Fa-f]{6})',\s*"
                    r"terms:\s*\{\s*en:\s*\[([^\]]*)\],\s*zh:\s*\[([^\]]*)\]")


def _quoted(items: str) -> tuple[str, ...]:
    return tuple(re.findall(r"'([^']*)'", items))


def lexicon_colour_words(file: Path = LEXICON_FILE) -> dict[str, ColourWords]:
    """The studio lexicon's colours, read from the TypeScript source so training captions, the
    evaluation and the app can never disagree about what "navy" or 天蓝色 is."""
    found = {m.group(1): ColourWords(tuple(int(m.group(2)[i:i + 2], 16) / 255 for i in (1, 3, 5)),  # type: ignore[arg-type]
                                     _quoted(m.group(3)), _quoted(m.group(4)))
             for m in _ENTRY.finditer(file.read_text(encoding="utf-8"))}
    if not found:
        raise ValueError(f"no colour entries found in {file}")
    return found


# The colours of the training captions and targets: every colour of the lexicon, by its id.
COLOUR_WORDS = lexicon_colour_words()
COLOURS: dict[str, tuple[float, float, float]] = {cid: w.rgb for cid, w in COLOUR_WORDS.items()}


def srgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    rgb = np.asarray(rgb, np.float64)
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    m = np.array([[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041]])
    xyz = lin @ m.T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], -1)


def delta_e_2000(lab1: np.ndarray, lab2: np.ndarray) -> np.ndarray:
    """Sharma, Wu and Dalal's formulation (2005), kL = kC = kH = 1."""
    L1, a1, b1 = np.moveaxis(np.asarray(lab1, np.float64), -1, 0)
    L2, a2, b2 = np.moveaxis(np.asarray(lab2, np.float64), -1, 0)
    c_bar = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_bar**7 / (c_bar**7 + 25.0**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360
    dLp, dCp = L2 - L1, c2p - c1p
    dh = h2p - h1p
    dh = np.where(c1p * c2p == 0, 0, np.where(dh > 180, dh - 360, np.where(dh < -180, dh + 360, dh)))
    dHp = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh / 2))
    Lbp, Cbp = (L1 + L2) / 2, (c1p + c2p) / 2
    hsum = h1p + h2p
    hbp = np.where(c1p * c2p == 0, hsum,
                   np.where(np.abs(h1p - h2p) <= 180, hsum / 2, np.where(hsum < 360, (hsum + 360) / 2, (hsum - 360) / 2)))
    t = (1 - 0.17 * np.cos(np.radians(hbp - 30)) + 0.24 * np.cos(np.radians(2 * hbp))
         + 0.32 * np.cos(np.radians(3 * hbp + 6)) - 0.20 * np.cos(np.radians(4 * hbp - 63)))
    d_theta = 30 * np.exp(-(((hbp - 275) / 25) ** 2))
    rc = 2 * np.sqrt(Cbp**7 / (Cbp**7 + 25.0**7))
    sl = 1 + 0.015 * (Lbp - 50) ** 2 / np.sqrt(20 + (Lbp - 50) ** 2)
    sc, sh = 1 + 0.045 * Cbp, 1 + 0.015 * Cbp * t
    rt = -np.sin(np.radians(2 * d_theta)) * rc
    return np.sqrt((dLp / sl) ** 2 + (dCp / sc) ** 2 + (dHp / sh) ** 2 + rt * (dCp / sc) * (dHp / sh))
