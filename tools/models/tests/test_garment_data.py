"""The synthetic garment data and the adherence metrics: CIEDE2000 against Sharma et al.'s published
pairs, fabrics the classifier can tell apart, flats with sensible silhouettes, conflicts that conflict,
and metrics that rank the data's own image and text targets the right way round."""

from __future__ import annotations

import re

import numpy as np
import pytest

from tools.models.garment.colour import COLOUR_WORDS, delta_e_2000, srgb_to_lab
from tools.models.garment.data import CHINESE_CAPTIONS, SLEEVE_WORDS_ZH, GarmentData
from tools.models.garment.evaluate import oracle
from tools.models.garment.fabrics import FABRICS, FabricClassifier, swatch
from tools.models.common.shared_data import FIXTURES
from tools.models.garment.flats import TEMPLATES_DIR, procedural, real_flats, template_flats

# Sharma, Wu, Dalal (2005), "The CIEDE2000 color-difference formula", Table 1: pairs 1, 7, 13, 19, 25, 34.
SHARMA = [
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.49, -0.001), (50.0, -2.49, 0.0011), 7.2195),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((2.0776, 0.0795, -1.135), (0.9033, -0.0636, -0.5514), 0.9082),
]


@pytest.mark.parametrize("lab1, lab2, expected", SHARMA)
def test_ciede2000_matches_the_published_pairs(lab1, lab2, expected):
    assert float(delta_e_2000(np.array(lab1), np.array(lab2))) == pytest.approx(expected, abs=1e-4)


def test_srgb_to_lab_white_and_black():
    np.testing.assert_allclose(srgb_to_lab(np.array([1.0, 1.0, 1.0])), [100, 0, 0], atol=0.01)
    np.testing.assert_allclose(srgb_to_lab(np.array([0.0, 0.0, 0.0])), [0, 0, 0], atol=0.01)


def test_fabric_classifier_tells_the_eight_fabrics_apart():
    clf, rng = FabricClassifier(), np.random.default_rng(99)
    hits = [clf.predict(swatch(kind, tuple(rng.uniform(0.1, 0.9, 3)), 48, rng)) == kind for kind in FABRICS for _ in range(6)]
    assert np.mean(hits) > 0.9


def test_unknown_fabric_is_refused():
    with pytest.raises(ValueError, match="unknown fabric 'tweed'"):
        swatch("tweed", (0.5, 0.5, 0.5), 16, np.random.default_rng(0))


def test_long_sleeves_cover_more_than_short_ones():
    rng = np.random.default_rng(0)
    long_ = procedural("tshirt", "long", 64, rng)
    short = procedural("tshirt", "short", 64, rng)
    assert long_.mask.sum() > short.mask.sum() * 1.1
    assert (long_.lines == 0).any() and not long_.mask[0, 0]


def test_real_flats_become_silhouettes_and_line_art():
    folder = FIXTURES / "garment_flats" / "flats_png"
    flats = real_flats(64, folder)
    assert len(flats) == len(list(folder.glob("*.png"))) >= 3
    coverage = [f.mask.mean() for f in flats]
    assert 0.05 < np.median(coverage) < 0.8  # neither empty nor the whole page
    assert all(not f.mask[0, 0] for f in flats)


def test_every_view_of_every_studio_template_becomes_a_flat_of_its_kind():
    import json

    index = json.loads((TEMPLATES_DIR / "index.json").read_text(encoding="utf-8"))
    flats = {f.name: f for f in template_flats(64)}
    assert len(flats) == 2 * len(index)  # front and back
    shirt, tee, skirt = (flats[f"template:template-{k}:front"] for k in ("shirt", "t-shirt", "skirt"))
    assert (shirt.kind, shirt.sleeves, tee.sleeves, skirt.sleeves) == ("shirt", "long", "short", "none")
    assert all(0.2 < f.mask.mean() < 0.8 and not f.mask[0, 0] for f in flats.values())
    # the outline is drawn: every silhouette's edge pixels are lines
    for f in flats.values():
        edge = f.mask & ~np.roll(f.mask, 1, axis=1)
        assert (f.lines[edge] == 0).mean() > 0.9, f.name
    # long sleeves reach further down the sides than short ones: the lower-outer corners fill up
    assert shirt.mask[32:, :12].sum() > tee.mask[32:, :12].sum()


def test_a_sleeve_conflict_on_a_template_keeps_its_garment_word():
    data = GarmentData(size=64, seed=6)
    data.real = []
    data.templates = [f for f in data.templates if f.kind == "polo"]
    s = next(s for s in (data.sample(i, conflict="sleeves") for i in range(200)) if s.flat.name.startswith("template:"))
    assert s.conflict == "sleeves" and s.text_flat.sleeves == "long" and s.caption.endswith(("polo shirt with long sleeves", "Polo衫，长袖"))


def test_samples_are_deterministic_and_conflicts_conflict():
    data = GarmentData(size=64, seed=3, use_real_flats=False)
    a, b = data.sample(5), data.sample(5)
    assert a.caption == b.caption and np.array_equal(a.image_target, b.image_target)
    colour = data.sample(1, conflict="colour")
    words = COLOUR_WORDS[colour.text_look.colour]
    assert colour.sketch_look.colour != colour.text_look.colour and any(w in colour.caption for w in words.en + words.zh)
    fabric = data.sample(2, conflict="fabric")
    assert fabric.sketch_look.fabric != fabric.text_look.fabric
    sleeves = next(s for s in (data.sample(i, conflict="sleeves") for i in range(40)) if s.conflict == "sleeves")
    assert sleeves.flat.sleeves != sleeves.text_flat.sleeves and (f"{sleeves.text_flat.sleeves} sleeves" in sleeves.caption
                                                               or SLEEVE_WORDS_ZH[sleeves.text_flat.sleeves] in sleeves.caption)
    agree = next(s for s in (data.sample(i, conflict=None) for i in range(10)))
    assert np.array_equal(agree.image_target, agree.text_target)


def test_captions_name_every_lexicon_colour_in_english_and_chinese():
    data = GarmentData(size=64, seed=4, use_real_flats=False)
    samples = [data.sample(i) for i in range(400)]
    chinese = [bool(re.search(r"[\u4e00-\u9fff]", s.caption)) for s in samples]
    assert abs(np.mean(chinese) - CHINESE_CAPTIONS) < 0.08
    for s, zh in zip(samples, chinese):
        words = COLOUR_WORDS[s.text_look.colour]
        assert any(w in s.caption for w in (words.zh if zh else words.en)), s.caption
    assert {s.text_look.colour for s in samples} == set(COLOUR_WORDS)


def test_metrics_rank_the_data_targets_the_right_way_round():
    rows = oracle(count=24)
    image, text = rows["image target"], rows["text target"]
    assert image.iou > text.iou  # the sketch's own silhouette follows the sketch
    assert text.delta_e < image.delta_e  # the caption's colour follows the text
    assert text.fabric_accuracy > image.fabric_accuracy


def test_conflict_weights_pick_the_kind_of_conflict_and_leave_the_default_draw_alone():
    plain = GarmentData(size=32, seed=4, use_real_flats=False)
    sleeves_only = GarmentData(size=32, seed=4, use_real_flats=False, conflict_rate=1.0, conflict_weights={"sleeves": 1.0})
    drawn = [sleeves_only.sample(i).conflict for i in range(40)]
    # a sleeve conflict needs sleeves; the others fall back to colour, and fabric is never drawn
    assert "fabric" not in drawn and drawn.count("sleeves") >= 10 and set(drawn) <= {"sleeves", "colour"}
    assert all(sleeves_only.sample(i).flat.sleeves == "none" for i, c in enumerate(drawn) if c == "colour")
    # without weights, sample() draws as it did before weights existed: these are the conflicts the
    # previous data.py (git 1571b91) drew for seed 4, indices 0-15
    before = ["sleeves", None, "colour", None, "sleeves", None, None, None, None, None, None, "fabric", "colour", None, None, None]
    assert [plain.sample(i).conflict for i in range(16)] == before


def test_sleeve_conflicts_change_the_silhouette_the_caption_asks_for():
    from tools.models.garment.evaluate import iou

    data = GarmentData(size=64, seed=5, use_real_flats=False)
    sleeves = [s for s in (data.sample(i, conflict="sleeves") for i in range(30)) if s.conflict == "sleeves"]
    assert len(sleeves) >= 5
    # the text target is drawn on the other-sleeved flat: a visibly different silhouette
    assert np.mean([iou(s.text_flat.mask, s.flat.mask) for s in sleeves]) < 0.9
    assert all(s.flat.sleeves != s.text_flat.sleeves for s in sleeves)


def test_the_vae_colour_floor_is_near_zero_for_a_perfect_autoencoder_and_large_for_a_greying_one():
    from types import SimpleNamespace

    from tools.models.garment.evaluate import vae_colour_error

    class Autoencoder:  # the encoder's mean is the image; the decoder mixes a share `grey` of grey in
        def __init__(self, grey: float) -> None:
            self.grey = grey

        def encode(self, x):
            return SimpleNamespace(latent_dist=SimpleNamespace(mean=x))

        def decode(self, z):
            return SimpleNamespace(sample=(1 - self.grey) * z + self.grey * z.mean(1, keepdim=True))

    perfect, some, most = (vae_colour_error(Autoencoder(grey), 32) for grey in (0.0, 0.3, 0.8))
    assert perfect < 1.0  # only the targets' soft shading is left
    assert perfect < some < most and most > 10.0
