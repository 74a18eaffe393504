"""The honest evaluation: real flats held out of training (heldout.json), rendered as a technician
gets them and scored against the sketch and the prompt.

The images come from the studio itself (heldout-render.ts runs `jinxiu generate` on each flat's SVG:
the app's SVG import, which tells front and back apart, the one view generation draws (the front),
sketch rasterisation, prompt handling, automatic alpha and ONNX graphs), so the figures measure what
a user sees. For each flat:

- image-biased variant: silhouette IoU with the sketch's silhouette (the sketch as the pack
  receives it, the view run.json records, at the output size, its outline filled; heldout-render.ts
  checks it against the CLI's own sketch.png), and proportions: the relative error of the
  silhouette's height/width and its area over the sketch's;
- text-biased variant: ΔE2000 between the garment's median colour and the lexicon's colour for the
  prompt's colour word (src/shared/fabric/lexicon.ts), and whether the fabric classifier (the
  evaluation's texture classifier, evaluate.DrawnFabricClassifier) reads the prompt's fabric;
- the oracle: the same figures for the target a perfect model would draw (the sketch's silhouette
  filled with the prompt's fabric in the lexicon's colour, the sketch's lines on top), which bounds
  what the metrics can give.

    tools/models/.venv/bin/python -m tools.models eval garment [--pack DIR] [--renders DIR]
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from .colour import COLOURS, delta_e_2000, srgb_to_lab
from .evaluate import DrawnFabricClassifier, centre_crop, iou, silhouette
from .fabrics import garment_shade, swatch

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
HELDOUT_FILE = HERE / "heldout.json"
DEFAULT_PACK = REPO / "resources" / "models" / "garment-default"


def load_heldout(file: Path = HELDOUT_FILE) -> list[dict]:
    flats = json.loads(file.read_text(encoding="utf-8"))["flats"]
    if not flats:
        raise ValueError(f"{file} lists no held-out flats")
    return flats


def heldout_designs(file: Path = HELDOUT_FILE) -> frozenset[str]:
    """The FreeSewing design names no training run may draw from (flats.real_flats skips them)."""
    return frozenset(f["design"] for f in load_heldout(file))


# ---------------------------------------------------------------- metrics


def sketch_silhouette(sketch: np.ndarray, close: int = 1) -> np.ndarray:
    """The garment region of a line sketch on white: the ink, its gaps closed by `close` pixels (a
    downscaled outline leaks), then everything the page's border cannot reach through paper."""
    grey = sketch.astype(np.float32).mean(-1) if sketch.ndim == 3 else sketch.astype(np.float32)
    ink = Image.fromarray(np.where(grey < 235, 255, 0).astype(np.uint8))
    k = 2 * close + 1
    closed = ink.filter(ImageFilter.MaxFilter(k)) if close else ink
    filled = _fill(np.asarray(closed) > 127)
    if close:
        filled = np.asarray(Image.fromarray((filled * 255).astype(np.uint8)).filter(ImageFilter.MinFilter(k))) > 127
    return filled | (np.asarray(ink) > 127)


def _fill(inside: np.ndarray) -> np.ndarray:
    """Everything paper cannot reach from outside the page is garment. The page gets a one-pixel paper
    frame first, so paper cut off at the border (under a sleeve that runs off the page) is still paper."""
    framed = np.pad(np.where(inside, 0, 255).astype(np.uint8), 1, constant_values=255)
    img = Image.fromarray(framed).copy()  # copy: fromarray may share the buffer and floodfill then writes nowhere
    ImageDraw.floodfill(img, (0, 0), 128)
    return np.asarray(img)[1:-1, 1:-1] != 128


def sketch_lines(sketch: np.ndarray) -> np.ndarray:
    """The sketch's strokes: dark pixels clearly darker than their neighbourhood (flats.py's rule). The
    FreeSewing flats come filled (purple, as the studio draws them), and the fill is not a line."""
    grey = sketch.astype(np.float32).mean(-1).round().astype(np.uint8)
    local_max = np.asarray(Image.fromarray(grey).filter(ImageFilter.MaxFilter(5)))
    return (grey < 110) & (local_max.astype(np.int16) - grey > 60)


def garment_silhouette(img: np.ndarray) -> np.ndarray:
    """The drawn garment: pixels off the white page, holes (pale fabric, highlights) filled."""
    return _fill(silhouette(img))


def bbox_aspect(mask: np.ndarray) -> float:
    """Height over width of the mask's bounding box (0 for an empty mask)."""
    ys, xs = np.nonzero(mask)
    if len(ys) == 0:
        return 0.0
    return float((ys.max() - ys.min() + 1) / (xs.max() - xs.min() + 1))


def proportions(mask: np.ndarray, reference: np.ndarray) -> tuple[float, float]:
    """(relative error of height/width, area over the reference's area)."""
    ref_aspect = bbox_aspect(reference)
    aspect_error = abs(bbox_aspect(mask) - ref_aspect) / ref_aspect if ref_aspect else 1.0
    area = float(mask.sum() / reference.sum()) if reference.sum() else 0.0
    return float(aspect_error), area


def colour_delta_e(img: np.ndarray, mask: np.ndarray, rgb: tuple[float, float, float]) -> float:
    """ΔE2000 of the median Lab inside the garment to the requested colour (100 if nothing is drawn)."""
    if mask.sum() < 8:
        return 100.0
    lab = srgb_to_lab(img[mask].astype(np.float64) / 255)
    return float(delta_e_2000(np.median(lab, axis=0), srgb_to_lab(np.asarray(rgb))))


def crop_for(size: int) -> int:
    """The classifier's window: 12 px per 64, scaled with the image as swatch periods are. Real flats'
    parts are narrow (a trouser leg is ~10 px across at 64 px): with evaluate.py's 24 px window the
    oracle's own renders read as the asked fabric 3 times in 10, with 12 px 8 in 10."""
    return max(8, 12 * size // 64)


@dataclass
class FlatScores:
    iou: float
    aspect_error: float
    area_ratio: float
    delta_e: float
    fabric_hit: bool
    fabric_read: str


def score_image(img: np.ndarray, reference: np.ndarray, rgb: tuple[float, float, float], fabric: str,
                classifier: DrawnFabricClassifier) -> FlatScores:
    mask = garment_silhouette(img)
    aspect_error, area = proportions(mask, reference)
    crop = crop_for(img.shape[0])
    read = classifier.predict(centre_crop(img, mask, crop))
    return FlatScores(iou(mask, reference), aspect_error, area, colour_delta_e(img, mask, rgb), read == fabric, read)


def oracle_image(sketch: np.ndarray, reference: np.ndarray, rgb: tuple[float, float, float], fabric: str, seed: int) -> np.ndarray:
    """What a perfect model draws (data.render's rule): the prompt's fabric in the lexicon colour inside
    the sketch's silhouette, soft shading, the sketch's lines on top, white around."""
    size = sketch.shape[0]
    cloth = swatch(fabric, rgb, size, np.random.default_rng(seed))
    shade = garment_shade(size)
    img = np.ones((size, size, 3), np.float32)
    img[reference] = (cloth * shade)[reference]
    img[sketch_lines(sketch)] *= 0.25
    return (np.clip(img, 0, 1) * 255).round().astype(np.uint8)


# ---------------------------------------------------------------- the run


def render(pack: Path, out: Path, heldout: Path = HELDOUT_FILE) -> dict:
    """Both variants and the sketch of every held-out flat, made by the studio (heldout-render.ts)."""
    cmd = ["npx", "tsx", str(HERE / "heldout-render.ts"), "--pack", str(pack), "--out", str(out), "--heldout", str(heldout)]
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"rendering the held-out flats failed ({' '.join(cmd)}):\n{done.stderr[-4000:]}")
    return json.loads((out / "index.json").read_text(encoding="utf-8"))


def _rgb(path: str | Path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGB"))


def evaluate_renders(rendered: dict) -> tuple[dict[str, list[FlatScores]], list[dict]]:
    """Scores per setting ("imageBiased", "textBiased", "textBiasedColorway" where every flat was also
    started from its colorway, "oracle") and per flat, from heldout-render's index."""
    size = int(rendered["width"])
    classifier = DrawnFabricClassifier(size, crop=crop_for(size))
    colorway = all(f.get("colorway") for f in rendered["flats"])
    rows: dict[str, list[FlatScores]] = {"imageBiased": [], "textBiased": [], **({"textBiasedColorway": []} if colorway else {}),
                                         "oracle": []}
    flats = []
    for f in rendered["flats"]:
        if f["colour"] not in COLOURS:
            raise ValueError(f"held-out flat {f['design']}: colour {f['colour']!r} is not a lexicon colour id")
        rgb = COLOURS[f["colour"]]
        sketch = _rgb(f["sketch"])
        reference = sketch_silhouette(sketch)
        run = json.loads(Path(f["run"]).read_text(encoding="utf-8"))
        if "view" not in run:
            raise ValueError(f"held-out flat {f['design']}: {f['run']} records no view: it was rendered when `jinxiu generate` "
                             "sent a two-view flat's both views side by side; render again into an empty folder")
        for name, file in (("imageBiased", f["imageBiased"]), ("textBiased", f["textBiased"])):
            rows[name].append(score_image(_rgb(file), reference, rgb, f["fabric"], classifier))
        if colorway:
            rows["textBiasedColorway"].append(score_image(_rgb(f["colorway"]["textBiased"]), reference, rgb, f["fabric"], classifier))
        rows["oracle"].append(score_image(oracle_image(sketch, reference, rgb, f["fabric"], int(f["seed"])), reference, rgb,
                                          f["fabric"], classifier))
        flats.append({**f, "view": run["view"], "alphas": {v["variant"]: v["alpha"] for v in run["variants"]}, "fabricRead": run.get("fabric")})
    return rows, flats


def summary_table(rows: dict[str, list[FlatScores]]) -> str:
    names = {"imageBiased": "image-biased", "textBiased": "text-biased",
             "textBiasedColorway": "text-biased, started from the colorway", "oracle": "oracle (perfect target)"}
    lines = ["| setting | silhouette IoU ↑ | height/width error ↓ | area / sketch's | ΔE2000 to lexicon colour ↓ | fabric = requested ↑ | n |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for key, scores in rows.items():
        m = lambda attr: float(np.mean([getattr(s, attr) for s in scores]))  # noqa: E731
        lines.append(f"| {names.get(key, key)} | {m('iou'):.3f} | {m('aspect_error'):.2f} | {m('area_ratio'):.2f} | "
                     f"{m('delta_e'):.1f} | {m('fabric_hit'):.2f} | {len(scores)} |")
    return "\n".join(lines)


def per_flat_table(rows: dict[str, list[FlatScores]], flats: list[dict]) -> str:
    lines = ["| flat | prompt | IoU image / text | ΔE image / text | fabric read image / text (asked) |",
             "| --- | --- | --- | --- | --- |"]
    for i, f in enumerate(flats):
        a, b = rows["imageBiased"][i], rows["textBiased"][i]
        lines.append(f"| {f['design']} ({f['kind']}) | {f['prompt']} | {a.iou:.2f} / {b.iou:.2f} | {a.delta_e:.1f} / {b.delta_e:.1f} | "
                     f"{a.fabric_read} / {b.fabric_read} ({f['fabric']}) |")
    return "\n".join(lines)


def evaluate_heldout(pack: Path = DEFAULT_PACK, renders: Path | None = None) -> str:
    """The markdown the CLI prints: the summary and the per-flat table."""
    if renders is not None and (renders / "index.json").exists():
        rendered = json.loads((renders / "index.json").read_text(encoding="utf-8"))
    else:
        out = renders or Path(tempfile.mkdtemp(prefix="jinxiu-heldout-"))
        rendered = render(pack, out)
    rows, flats = evaluate_renders(rendered)
    mean = lambda key, attr: float(np.mean([getattr(x, attr) for x in rows[key]]))  # noqa: E731
    iou_margin = mean("imageBiased", "iou") - mean("textBiased", "iou")
    de_margin = mean("imageBiased", "delta_e") - mean("textBiased", "delta_e")
    fabric_margin = mean("textBiased", "fabric_hit") - mean("imageBiased", "fabric_hit")
    verdict = "met" if iou_margin > 0 and de_margin > 0 and fabric_margin > 0 else "not met"
    margins = (f"Margins (the issue's bar: the image-biased variant ahead on silhouette, the text-biased one ahead on colour "
               f"and fabric; positive is the right way round): IoU {iou_margin:+.3f}, ΔE2000 {de_margin:+.1f}, "
               f"fabric {fabric_margin:+.2f}: {verdict}.")
    if "textBiasedColorway" in rows:
        margins += (f"\n\nStarted from the colorway (`jinxiu generate --init colorway`, strength {rendered['flats'][0]['colorway']['strength']}: "
                    "the prompt's colour and fabric painted into the flat, then denoised), the text-biased variant's ΔE2000 is "
                    f"{mean('textBiasedColorway', 'delta_e'):.1f} and its fabric {mean('textBiasedColorway', 'fabric_hit'):.2f}.")
    named = rendered.get("packName") or Path(rendered["pack"]).name  # renders from before packName: the folder
    return (f"Held-out real flats ({len(flats)}), pack {named}, {rendered['width']} x {rendered['height']} px\n\n"
            + summary_table(rows) + "\n\n" + margins + "\n\n" + per_flat_table(rows, flats))
