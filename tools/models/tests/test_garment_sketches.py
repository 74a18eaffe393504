"""The studio sketch cache's reader (flats.studio_flats) and the data set at any size: sketches of the
size asked for, never a held-out flat, fills recoloured exactly and ignored by the targets, a clear
message where the cache is missing, and fabrics, outlines and template lines that scale with the page.

The cache itself is written by sketch-cache.ts; sketch-cache.test.ts (vitest) checks that what it
writes is the studio's sketchFromFlat / lineArtFromFlat output. Here a small cache of the same layout
is drawn in numpy, so these tests need neither Node nor the shared data."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tools.models.common.shared_data import FIXTURES
from tools.models.garment import data as data_module
from tools.models.garment.data import GarmentData, SketchCacheWarning
from tools.models.garment.fabrics import swatch
from tools.models.garment.flats import (
    SKETCH_CACHE,
    STUDIO_PURPLE,
    SketchCacheMissing,
    procedural,
    real_flats,
    recolour,
    studio_flats,
    template_flats,
)
from tools.models.garment.heldout import heldout_designs

PURPLE = np.array(STUDIO_PURPLE)


def _drawing(size: int, fill: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    """A filled rectangle with a 1 px dark outline, composited as the rasteriser does (fill, then stroke)."""
    img = np.ones((size, size, 3))
    y0, y1, x0, x1 = (int(v * size) for v in box)
    img[y0:y1, x0:x1] = fill
    img[y0:y1, [x0, x1 - 1]] = img[[y0, y1 - 1], x0:x1] = 0.1
    return (img * 255).round().astype(np.uint8)


def write_cache(folder: Path, size: int, designs=("aaron", "simon"), masks: bool = True) -> Path:
    """A cache in sketch-cache.ts's layout: each design's front view and one template's front view."""
    folder.mkdir(parents=True, exist_ok=True)
    entries = [(f"freesewing:{d}:front", "real", "none", f"garment_flats/flats_svg/{d}.svg") for d in designs]
    entries.append(("template:template-shirt:front", "shirt", "long", "resources/templates/shirt.json"))
    flats = []
    for i, (name, kind, sleeves, source) in enumerate(entries):
        d = name.replace(":", "-")
        (folder / d).mkdir(exist_ok=True)
        box = (0.2, 0.8, 0.25 + 0.02 * i, 0.75)
        files = {}
        for suffix, fill in (("", PURPLE), ("-white", np.ones(3)), ("-black", np.zeros(3))):
            for key in ("sketch", "lineart"):
                files[key + suffix] = f"{key}{suffix}.png"
                Image.fromarray(_drawing(size, fill, box)).save(folder / d / files[key + suffix])
        if masks:
            mask = np.zeros((size, size), np.uint8)
            y0, y1, x0, x1 = (int(v * size) for v in box)
            mask[y0:y1, x0:x1] = 255
            Image.fromarray(mask).save(folder / d / "mask.png")
            files["mask"] = "mask.png"
        flats.append({"name": name, "kind": kind, "sleeves": sleeves, "size": size, "source": source, "view": "front",
                      "views": "gap", "dir": d, "files": files})
    (folder / "index.json").write_text(json.dumps({"size": size, "flats": flats}), encoding="utf-8")
    return folder


def test_the_cache_reader_gives_sketches_of_the_requested_size_and_never_a_heldout_flat(tmp_path):
    assert "simon" in heldout_designs()
    flats = studio_flats(48, write_cache(tmp_path / "48", 48))
    assert [f.name for f in flats] == ["freesewing:aaron:front", "template:template-shirt:front"]  # simon is held out
    for f in flats:
        assert f.studio.sketch.shape == f.studio.line_art.shape == (48, 48, 3)
        assert f.mask.shape == f.lines.shape == (48, 48) and f.mask.dtype == bool
        assert 0.1 < f.mask.mean() < 0.6 and not f.mask[0, 0]
    real, shirt = flats
    assert (real.kind, real.sleeves, shirt.kind, shirt.sleeves) == ("real", "none", "shirt", "long")
    # the studio's sketch is read as written, the lines are the white-filled drawing's strokes
    assert np.array_equal(real.studio.sketch, np.asarray(Image.open(tmp_path / "48" / "freesewing-aaron-front" / "sketch.png")))
    assert (real.lines[real.mask] == 0).mean() < 0.3 and (real.lines == 0).any()


def test_a_cache_of_another_size_or_none_at_all_says_what_to_run(tmp_path):
    write_cache(tmp_path / "c", 32)
    with pytest.raises(ValueError, match="is 32 px, not 64 px"):
        studio_flats(64, tmp_path / "c")
    with pytest.raises(SketchCacheMissing, match=r"python -m tools\.models cache garment-sketches --size 128"):
        studio_flats(128, tmp_path / "nothing")
    write_cache(tmp_path / "no-masks", 32, masks=False)
    with pytest.raises(SketchCacheMissing, match="no silhouette masks"):
        studio_flats(32, tmp_path / "no-masks")
    assert SKETCH_CACHE.parts[-3:] == ("models", ".cache", "garment-sketches")


def test_recolouring_a_studio_drawing_is_exact():
    """white - (white - black) * (1 - C) is what the rasteriser draws for a fill C, anti-aliased edges included."""
    rng = np.random.default_rng(0)
    stroke, cover = rng.uniform(0, 1, (16, 16, 1)), rng.uniform(0, 1, (16, 16, 1))  # stroke alpha, fill coverage

    def draw(fill):  # a dark stroke over a fill over white paper
        return ((stroke * 0.1 + (1 - stroke) * (cover * np.asarray(fill) + (1 - cover))) * 255).round().astype(np.uint8)

    white, black = draw((1, 1, 1)), draw((0, 0, 0))
    weight = ((white.astype(np.float32) - black).mean(-1) / 255).astype(np.float16)
    for fill in (STUDIO_PURPLE, (0.9, 0.2, 0.1), (0.0, 0.0, 0.0)):
        assert np.abs(recolour(white, weight, fill).astype(int) - draw(fill)).max() <= 2


def test_studio_sketches_take_fills_of_many_colours_and_the_targets_ignore_them(tmp_path):
    cache = write_cache(tmp_path / "c", 32)
    data = GarmentData(size=32, seed=1, sketches="studio", sketch_cache=cache)
    assert [f.name for f in data.real] == ["freesewing:aaron:front"] and len(data.templates) == 1
    samples = [data.sample(i) for i in range(120)]
    plain = [s for s in samples if s.sketch_look is None]
    studio = [s for s in plain if s.flat.studio is not None]
    assert len(studio) >= 10
    fills = {s.fill for s in plain}
    assert STUDIO_PURPLE in fills and (1.0, 1.0, 1.0) in fills and None in fills and len(fills) >= 8
    for s in studio:
        assert s.sketch.shape == s.line_art.shape == (32, 32, 3)
        if s.fill is None:
            assert np.array_equal(s.sketch, s.flat.studio.sketch)  # the studio's own drawing, as sent
        else:  # the fill is the chosen colour (inside, off the outline)
            inside = s.sketch[12, 12].astype(float) / 255
            assert np.abs(inside - np.asarray(s.fill)).max() < 0.02
    # a plain sketch's fill is not a colour request: without a conflict both targets take the caption's look
    for s in plain:
        if s.conflict is None:
            assert np.array_equal(s.image_target, s.text_target)
    # the png data are untouched by the option: the same draws, the same targets
    png = GarmentData(size=32, seed=1, use_real_flats=False)
    studio_only = GarmentData(size=32, seed=1, use_real_flats=False, sketches="studio")
    for i in range(12):
        a, b = png.sample(i), studio_only.sample(i)
        assert a.caption == b.caption and np.array_equal(a.image_target, b.image_target)


def test_without_the_cache_studio_data_warn_with_the_command_and_read_the_png_flats(tmp_path, monkeypatch):
    monkeypatch.setattr(data_module, "real_flats", lambda size: real_flats(size, FIXTURES / "garment_flats" / "flats_png"))
    with pytest.warns(SketchCacheWarning, match="cache garment-sketches --size 32"):
        data = GarmentData(size=32, seed=0, sketches="studio", sketch_cache=tmp_path / "missing")
    assert len(data.real) == 3 and data.templates and all(f.studio is None for f in data.real)
    with pytest.raises(ValueError, match="'png' or 'studio'"):
        GarmentData(size=32, sketches="svg")


def _dominant_cycles(grey: np.ndarray, axis: int) -> int:
    """The strongest frequency along `axis`, in cycles per swatch."""
    profile = grey.mean(axis=1 - axis)
    spectrum = np.abs(np.fft.rfft(profile - profile.mean()))
    return int(np.argmax(spectrum))


def test_fabric_repeats_scale_with_the_swatch():
    for kind in ("stripe", "plaid", "knit"):
        small = swatch(kind, (0.3, 0.5, 0.7), 64, np.random.default_rng(4)).mean(-1)
        large = swatch(kind, (0.3, 0.5, 0.7), 256, np.random.default_rng(4)).mean(-1)
        # the same number of repeats across the swatch: each repeat is 4x the pixels at 256
        assert abs(_dominant_cycles(small, 1) - _dominant_cycles(large, 1)) <= 1, kind
        assert 256 / _dominant_cycles(large, 1) >= 8, kind  # legible: many pixels per repeat
    dots = [swatch("dot", (0.3, 0.5, 0.7), s, np.random.default_rng(2)).mean(-1) for s in (64, 256)]
    # the dots cover the same share of the cloth, so each dot is 16x the pixels
    share = [float((d < d.max() - 0.05).mean()) for d in dots]
    assert share[1] == pytest.approx(share[0], abs=0.04)
    # denim's grain is blocks of 4 px at 256, not per-pixel noise: neighbours agree more often than not
    denim = swatch("denim", (0.2, 0.3, 0.6), 256, np.random.default_rng(3)).mean(-1)
    fine = swatch("denim", (0.2, 0.3, 0.6), 64, np.random.default_rng(3)).mean(-1)
    assert np.abs(np.diff(denim, axis=1)).mean() < 0.5 * np.abs(np.diff(fine, axis=1)).mean()


def test_outlines_and_template_lines_scale_with_the_page():
    ink = {}
    for size in (64, 256):
        tee = procedural("shirt", "long", size, np.random.default_rng(0))
        shirt = next(f for f in template_flats(size) if f.name == "template:template-shirt:front")
        ink[size] = ((tee.lines == 0).mean(), (shirt.lines == 0).mean(), tee.mask.mean(), shirt.mask.mean())
    # the same share of the page is line and garment at 64 and 256 px: lines 4x as wide, not 1 px
    for small, large in zip(ink[64], ink[256]):
        assert large == pytest.approx(small, rel=0.25)


@pytest.mark.skipif(not (SKETCH_CACHE / "256" / "index.json").is_file(), reason="no 256 px sketch cache here")
def test_the_256_cache_when_made_holds_only_training_flats_at_256():
    flats = studio_flats(256)
    index = json.loads((SKETCH_CACHE / "256" / "index.json").read_text(encoding="utf-8"))
    held = heldout_designs()
    assert not any(e["name"].split(":")[1] in held for e in index["flats"] if e["name"].startswith("freesewing:"))
    assert flats and all(f.studio.sketch.shape == (256, 256, 3) and f.mask.shape == (256, 256) for f in flats)
