"""The honest evaluation's held-out flats and metrics: the list is sound (several kinds, lexicon colours,
the pack's fabrics), no training loader can reach a held-out flat, and the metrics rank a perfect
render above a wrong one on silhouette, proportions, colour and fabric."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tools.models.common.shared_data import FIXTURES
from tools.models.garment.flats import FLATS_DIR, procedural, real_flats
from tools.models.garment.heldout import (
    DEFAULT_PACK,
    colour_delta_e,
    evaluate_heldout,
    evaluate_renders,
    heldout_designs,
    load_heldout,
    oracle_image,
    proportions,
    sketch_silhouette,
)
from tools.models.garment.colour import COLOURS, LEXICON_FILE, lexicon_colour_words
from tools.models.garment.evaluate import iou


def test_the_heldout_list_is_eight_or_more_real_flats_of_several_kinds():
    flats = load_heldout()
    assert len(flats) >= 8 and len({f["design"] for f in flats}) == len(flats)
    assert len({f["kind"] for f in flats}) >= 6
    assert sum(f["silhouette"] is not None for f in flats) >= 2  # some prompts argue with the sketch
    assert any(re.search(r"[\u4e00-\u9fff]", f["prompt"]) for f in flats)  # Chinese prompts too
    labels = json.loads((DEFAULT_PACK / "fabrics.json").read_text(encoding="utf-8"))["labels"]
    for f in flats:
        assert f["colour"] in COLOURS, f["design"]
        assert f["fabric"] in labels, f["design"]
        assert f["svg"] == f"flats_svg/{f['design']}.svg"


def test_every_lexicon_colour_is_read_with_its_hex():
    text = LEXICON_FILE.read_text(encoding="utf-8")
    # every `hex:` of the COLOURS table is read, one-line and multi-line entries alike
    assert len(COLOURS) == len(re.findall(r"hex:\s*'#", text))
    hex_of_navy = re.search(r"id: 'navy',\s*name: \{[^}]*\},\s*hex: '#(\w{6})'", text).group(1)
    assert COLOURS["navy"] == tuple(int(hex_of_navy[i : i + 2], 16) / 255 for i in (0, 2, 4))
    # and its words in both languages, which the training captions name it by
    words = lexicon_colour_words()
    assert words.keys() == COLOURS.keys()
    assert words["light-blue"].en[0] == "light blue" and "天蓝色" in words["light-blue"].zh
    assert all(w.en and w.zh for w in words.values())


def test_no_training_loader_reads_a_heldout_flat(tmp_path):
    held = sorted(heldout_designs())
    folder = tmp_path / "garment_flats" / "flats_png"
    folder.mkdir(parents=True)
    source = FIXTURES / "garment_flats" / "flats_png" / "aaron.png"
    for name in ["aaron", *held[:3]]:
        shutil.copy(source, folder / f"{name}.png")
    names = {f.name for f in real_flats(32, folder)}
    assert names == {"freesewing:aaron"}
    # train garment --data-root reads through the same function; the default folder too
    if FLATS_DIR.exists():
        from tools.models.garment.data import GarmentData

        data = GarmentData(size=32, seed=0)
        assert data.real and not {f.name.split(":", 1)[1] for f in data.real} & set(held)


def _procedural_sketch(size=64):
    flat = procedural("dress", "long", size, np.random.default_rng(3))
    return flat, flat.sketch_rgb()


def test_the_sketch_silhouette_is_the_garment_the_outline_encloses():
    flat, sketch = _procedural_sketch()
    drawn = sketch_silhouette(sketch)
    # the outline is drawn on the garment's edge, half outside it: the drawn garment is mask and ink
    assert iou(drawn, flat.mask | (flat.lines < 128)) > 0.97
    assert drawn[flat.mask].all()
    assert not sketch_silhouette(np.full((64, 64, 3), 255, np.uint8)).any()


def test_proportions_see_a_squashed_garment():
    flat, _ = _procedural_sketch()
    assert proportions(flat.mask, flat.mask) == (0.0, 1.0)
    squashed = np.zeros_like(flat.mask)
    squashed[:32] = flat.mask[::2]  # every other row: the garment at half its height
    error, area = proportions(squashed, flat.mask)
    assert error > 0.3 and area < 0.6


def test_colour_delta_e_is_small_for_the_lexicon_colour_and_large_for_another():
    flat, sketch = _procedural_sketch()
    navy = oracle_image(sketch, flat.mask, COLOURS["navy"], "solid", seed=0)
    assert colour_delta_e(navy, flat.mask, COLOURS["navy"]) < 8
    assert colour_delta_e(navy, flat.mask, COLOURS["red"]) > 30
    assert colour_delta_e(navy, np.zeros_like(flat.mask), COLOURS["navy"]) == 100.0


def _rendered_set(tmp_path, colorway: bool = False) -> dict:
    """A rendered set in heldout-render's layout, made here: the image-biased files are the oracle's
    target, the text-biased ones a small red plaid blob; `colorway`: the colorway run's text-biased
    file is the oracle's target too."""
    flats = []
    for i, (colour, fabric) in enumerate((("navy", "stripe"), ("camel", "dot"), ("teal", "solid"))):
        flat = procedural(("dress", "shirt", "trousers")[i], "long", 64, np.random.default_rng(i))
        d = tmp_path / f"f{i}"
        d.mkdir(parents=True)
        sketch = flat.sketch_rgb()
        Image.fromarray(sketch).save(d / "sketch.png")
        Image.fromarray(oracle_image(sketch, flat.mask, COLOURS[colour], fabric, seed=i + 10)).save(d / "image-biased.png")
        wrong = np.full((64, 64, 3), 255, np.uint8)
        wrong[20:40, 20:36] = oracle_image(sketch, np.ones_like(flat.mask), COLOURS["red"], "plaid", seed=i)[20:40, 20:36]
        Image.fromarray(wrong).save(d / "text-biased.png")
        (d / "run.json").write_text(json.dumps({"view": "front", "variants": [{"variant": "image-biased", "alpha": 0.8}, {"variant": "text-biased", "alpha": 0}]}))
        flats.append({"design": f"f{i}", "kind": "test", "prompt": "", "colour": colour, "fabric": fabric, "silhouette": None, "seed": i,
                      "sketch": str(d / "sketch.png"), "imageBiased": str(d / "image-biased.png"), "textBiased": str(d / "text-biased.png"),
                      "run": str(d / "run.json"),
                      "colorway": {"strength": 0.8, "imageBiased": str(d / "text-biased.png"), "textBiased": str(d / "image-biased.png")}
                      if colorway else None})
    rendered = {"pack": str(tmp_path / "pack-under-test"), "width": 64, "height": 64, "flats": flats}
    (tmp_path / "index.json").write_text(json.dumps(rendered))
    return rendered


def test_a_perfect_render_outscores_a_wrong_one_through_the_whole_evaluation(tmp_path):
    """Silhouette, proportions, colour and fabric all rank the perfect render above the wrong one."""
    rows, _ = evaluate_renders(_rendered_set(tmp_path))
    good, bad = rows["imageBiased"], rows["textBiased"]
    assert np.mean([s.iou for s in good]) > 0.9 > 0.4 > np.mean([s.iou for s in bad])
    assert np.mean([s.delta_e for s in good]) < 10 < 30 < np.mean([s.delta_e for s in bad])
    assert np.mean([s.fabric_hit for s in good]) > np.mean([s.fabric_hit for s in bad])
    assert np.mean([s.aspect_error for s in good]) < np.mean([s.aspect_error for s in bad])


def test_the_colorway_runs_are_scored_as_their_own_row_only_when_every_flat_has_one(tmp_path):
    assert "textBiasedColorway" not in evaluate_renders(_rendered_set(tmp_path))[0]
    rows, _ = evaluate_renders(_rendered_set(tmp_path / "cw", colorway=True))
    assert list(rows) == ["imageBiased", "textBiased", "textBiasedColorway", "oracle"]
    assert np.mean([s.delta_e for s in rows["textBiasedColorway"]]) < 10 < 30 < np.mean([s.delta_e for s in rows["textBiased"]])
    text = evaluate_heldout(renders=tmp_path / "cw")
    assert "| text-biased, started from the colorway |" in text and "`jinxiu generate --init colorway`, strength 0.8" in text
    # the pack by the id and version heldout-render read from its manifest, not by its folder
    index = tmp_path / "cw" / "index.json"
    index.write_text(json.dumps({**json.loads(index.read_text()), "packName": "jinxiu-garment-test 9.9.9"}))
    assert "pack jinxiu-garment-test 9.9.9, 64 x 64 px" in evaluate_heldout(renders=tmp_path / "cw")


def test_renders_from_before_one_view_generation_are_refused(tmp_path):
    """A run.json without a view was rendered when `jinxiu generate` sent both views side by side."""
    rendered = _rendered_set(tmp_path)
    _, flats = evaluate_renders(rendered)
    assert [f["view"] for f in flats] == ["front"] * 3
    run = Path(rendered["flats"][1]["run"])
    run.write_text(json.dumps({k: v for k, v in json.loads(run.read_text()).items() if k != "view"}))
    with pytest.raises(ValueError, match="f1: .* records no view"):
        evaluate_renders(rendered)


def test_eval_garment_prints_the_heldout_table_and_the_card_carries_it(tmp_path, capsys):
    from tools.models.__main__ import main
    from tools.models.garment.model_card import write_model_card

    _rendered_set(tmp_path)
    assert main(["eval", "garment", "--renders", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "pack pack-under-test, 64 x 64 px" in printed and str(tmp_path) not in printed  # no machine path
    summary = {line.split("|")[1].strip(): line for line in printed.splitlines() if line.startswith("| ")}
    assert {"image-biased", "text-biased", "oracle (perfect target)"} <= set(summary)
    with pytest.raises(SystemExit):  # --steps belongs to the synthetic set
        main(["eval", "garment", "--set", "heldout", "--steps", "2", "--renders", str(tmp_path)])
    pack = tmp_path / "card"
    pack.mkdir()
    card = write_model_card(pack, {"finalLoss": 0.1}, None, command="c", heldout=printed.strip()).read_text(encoding="utf-8")
    assert "## Figures (held-out real flats)\n" + printed.strip() in card


def test_the_drawn_fabric_classifier_reads_256_px_garment_windows_better_than_plain_crops():
    """At 256 px a window of a drawn garment is shaded and crossed by thin seams, which the plain crop
    classifier was never fitted on: on fresh windows drawn that way the drawn classifier reads at least
    0.85 and beats it."""
    from tools.models.garment.evaluate import CropFabricClassifier, DrawnFabricClassifier
    from tools.models.garment.fabrics import FABRICS, swatch

    size, crop = 256, 48
    drawn, plain = DrawnFabricClassifier(size, crop=crop), CropFabricClassifier(size, crop=crop)
    rng = np.random.default_rng(123)  # not the classifiers' seed
    shade = 0.9 + 0.1 * np.cos(np.linspace(-1.2, 1.2, size))[None, :, None]
    hits = {"drawn": 0, "plain": 0}
    for kind in FABRICS:
        for _ in range(6):
            full = swatch(kind, tuple(rng.uniform(0.05, 0.95, 3)), size, rng) * shade
            y, x = (int(v) for v in rng.integers(0, size - crop, 2))
            window = full[y : y + crop, x : x + crop].copy()
            window[:, int(rng.integers(0, crop - 2)) :][:, :2] *= 0.25  # one topstitch line
            hits["drawn"] += drawn.predict(window) == kind
            hits["plain"] += plain.predict(window) == kind
    n = 6 * len(FABRICS)
    assert hits["drawn"] / n >= 0.85 and hits["drawn"] > hits["plain"], hits
