"""Procedural fabric swatches: solid, stripe, plaid, dot, denim twill, knit rib, silk sheen and a
brocade-like repeat, each in a given colour. Float RGB in [0, 1], shape [S, S, 3].

Every measure is a fraction of the swatch's side, so a swatch of any size is the same cloth drawn
finer: the repeat is 5-9 px per 64 (REPEAT_PER_64), 20-36 px at 256, where a denim twill line is 7-13 px,
a knit rib 8-14 px, a stripe's accent about a third of the repeat and a dot's diameter half of it,
and the denim's grain is 1 px per 64 (4 px blocks at 256)."""

from __future__ import annotations

import numpy as np

FABRICS = ("solid", "stripe", "plaid", "dot", "denim", "knit", "silk", "brocade")
REPEAT_PER_64 = (5.0, 9.0)  # the repeat's range, in pixels per 64 pixels of swatch


def repeat_px(size: int, rng: np.random.Generator) -> float:
    """One repeat in pixels for a swatch `size` pixels across."""
    return float(rng.uniform(*REPEAT_PER_64)) * size / 64


def _grain(size: int, rng: np.random.Generator) -> np.ndarray:
    """Per-pixel noise up to 127 px; beyond, noise in blocks of 1 px per 64 so the grain scales with the cloth."""
    block = max(1, size // 64)
    if block == 1:
        return rng.standard_normal((size, size)).astype(np.float32)
    n = -(-size // block)
    coarse = rng.standard_normal((n, n)).astype(np.float32)
    return np.repeat(np.repeat(coarse, block, 0), block, 1)[:size, :size]


def _grid(size: int) -> tuple[np.ndarray, np.ndarray]:
    y, x = np.mgrid[0:size, 0:size].astype(np.float32)
    return x, y


def swatch(kind: str, rgb: tuple[float, float, float], size: int, rng: np.random.Generator) -> np.ndarray:
    """One swatch; `rng` varies scale and phase so no two swatches of a kind are equal."""
    if kind not in FABRICS:
        raise ValueError(f"unknown fabric {kind!r}; expected one of {FABRICS}")
    x, y = _grid(size)
    base = np.asarray(rgb, np.float32)
    period = repeat_px(size, rng)
    phase = float(rng.uniform(0, 2 * np.pi))
    light = np.ones((size, size), np.float32)
    accent = np.zeros((size, size), np.float32)  # 1 where the second (contrast) colour shows
    if kind == "stripe":
        accent = (np.sin(2 * np.pi * x / period + phase) > 0.4).astype(np.float32)
    elif kind == "plaid":
        a = (np.sin(2 * np.pi * x / period + phase) > 0.5).astype(np.float32)
        b = (np.sin(2 * np.pi * y / period + phase) > 0.5).astype(np.float32)
        accent = 0.6 * a + 0.6 * b - 0.4 * a * b
    elif kind == "dot":
        cx, cy = (x + phase) % period - period / 2, (y + phase) % period - period / 2
        accent = (cx**2 + cy**2 < (period * 0.25) ** 2).astype(np.float32)
    elif kind == "denim":
        twill = np.sin(2 * np.pi * (x + y) / (period * 0.35) + phase)
        light = 0.85 + 0.12 * twill + 0.05 * _grain(size, rng)
    elif kind == "knit":
        light = 0.8 + 0.2 * np.abs(np.sin(np.pi * x / (period * 0.4) + phase))
    elif kind == "silk":
        light = 0.8 + 0.35 * np.exp(-(((x + 0.6 * y) / size - 0.55) ** 2) / 0.02)
    elif kind == "brocade":
        u, v = 2 * np.pi * x / (period * 1.5), 2 * np.pi * y / (period * 1.5)
        motif = np.sin(u + phase) * np.sin(v) + 0.5 * np.sin(2 * u) * np.cos(2 * v + phase)
        accent = (motif > 0.55).astype(np.float32)
    contrast = np.where(base.mean() > 0.5, base * 0.45, 0.55 + base * 0.45)
    img = base[None, None, :] * light[..., None]
    img = img * (1 - accent[..., None]) + contrast[None, None, :] * accent[..., None]
    return np.clip(img, 0.0, 1.0).astype(np.float32)


def garment_shade(size: int) -> np.ndarray:
    """The soft left-to-right light a drawn garment gets across the image ([1, size, 1], 0.9 to 1.0):
    the training targets (data.render), the evaluation's oracle and its fabric classifier share it."""
    return 0.9 + 0.1 * np.cos(np.linspace(-1.2, 1.2, size))[None, :, None]


def texture_features(img: np.ndarray) -> np.ndarray:
    """A colour-blind texture descriptor for the fabric classifier: the grey image's power spectrum in
    radial x angular bins, plus local contrast. Colour is left out on purpose (ΔE measures colour)."""
    grey = img.mean(axis=-1)
    grey = (grey - grey.mean()) / (grey.std() + 1e-6)
    spec = np.abs(np.fft.fftshift(np.fft.fft2(grey))) ** 2
    n = grey.shape[0]
    y, x = np.mgrid[0:n, 0:n] - n // 2
    r = np.hypot(x, y) / (n / 2)
    theta = (np.arctan2(y, x) % np.pi) / np.pi
    feats = []
    for r0, r1 in ((0.02, 0.1), (0.1, 0.2), (0.2, 0.35), (0.35, 0.6), (0.6, 1.5)):
        for t0 in (0.0, 0.25, 0.5, 0.75):
            band = (r >= r0) & (r < r1) & (theta >= t0) & (theta < t0 + 0.25)
            feats.append(np.log1p(spec[band].mean() if band.any() else 0.0))
    grad = np.abs(np.diff(img.mean(axis=-1), axis=0)).mean() + np.abs(np.diff(img.mean(axis=-1), axis=1)).mean()
    feats.append(grad * 10)
    return np.asarray(feats, np.float32)


class FabricClassifier:
    """Nearest centroid on texture_features, fitted on procedural swatches of every colour."""

    def __init__(self, size: int = 48, per_class: int = 24, seed: int = 0) -> None:
        rng = np.random.default_rng(seed)
        feats, labels = [], []
        for kind in FABRICS:
            for _ in range(per_class):
                rgb = tuple(rng.uniform(0.1, 0.9, 3))
                feats.append(texture_features(swatch(kind, rgb, size, rng)))
                labels.append(kind)
        f = np.stack(feats)
        self.mean, self.std = f.mean(0), f.std(0) + 1e-6
        z = (f - self.mean) / self.std
        self.centroids = np.stack([z[[l == k for l in labels]].mean(0) for k in FABRICS])

    def predict(self, img: np.ndarray) -> str:
        z = (texture_features(img) - self.mean) / self.std
        return FABRICS[int(np.argmin(((self.centroids - z) ** 2).sum(1)))]
