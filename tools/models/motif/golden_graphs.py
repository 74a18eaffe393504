"""`golden motif`: outputs of a motif pack's graphs on fixed inputs, for the TypeScript parity tests.

Inputs are reproducible without Python: token ids are listed, and image k is the tensor
image[0, c, y, x] = 1.5 * sin(0.07 * (k + 1) * x + 0.05 * y + 1.3 * c), computed in float64, stored as float32.
LACLIP scores treat image 0 as the global view g and images 1..5 as the crops v_1..v_5.
Beside it, motif-preprocess.{json,bin}: one sample image through preprocessing, crops, graphs and LACLIP weights.
Run: python -m tools.models golden motif [--pack resources/models/motif-default]
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

from . import tokenizer
from .evaluate import PackSession, laclip_scores

DEFAULT_TARGET = Path(__file__).parent / "golden" / "motif-default.json"
PROMPTS = ["祥云纹", "a blue key fret motif on silk", "缠枝莲纹织锦 brocade with lotus scrolls", "", "龙" * 60,
           "宋代青花瓷上的海水纹 waves on Song porcelain 👘"]
IMAGES = 6


def formula_image(k: int, size: int) -> np.ndarray:
    c, y, x = np.meshgrid(np.arange(3), np.arange(size), np.arange(size), indexing="ij")
    return (1.5 * np.sin(0.07 * (k + 1) * x + 0.05 * y + 1.3 * c))[None].astype(np.float32)


def build(pack: Path) -> dict:
    session = PackSession(pack)
    motif = session.motif
    texts = []
    for prompt in PROMPTS:
        ids = tokenizer.encode(prompt, session.vocab, motif["tokenizer"]["contextLength"])
        raw = session.text.run(None, {motif["graphs"]["text"]["inputs"]["ids"]["name"]: np.array([ids], np.int64)})[0][0]
        texts.append({"text": prompt, "ids": ids, "unnorm": [float(v) for v in raw]})
    images = []
    for k in range(IMAGES):
        raw = session.image.run(None, {motif["graphs"]["image"]["inputs"]["pixels"]["name"]: formula_image(k, session.size)})[0][0]
        images.append({"k": k, "unnorm": [float(v) for v in raw]})
    unit = lambda rows: np.stack([np.array(r["unnorm"]) / np.linalg.norm(r["unnorm"]) for r in rows])  # noqa: E731
    t, imgs = unit(texts), unit(images)
    g, v = imgs[:1], imgs[None, 1:]
    laclip = motif["laclip"]
    scores = {str(beta): [float(s) for s in laclip_scores(g, v, t, beta, laclip["tau"])[0]]
              for beta in sorted({0.0, 1.0, float(laclip["beta"])})}
    return {
        "pack": {"id": session.manifest["id"], "version": session.manifest["version"],
                 "files": {f["path"]: f["sha256"] for f in session.manifest["files"]}},
        "reference": "onnxruntime (Python) on the pack's graphs; scores in float64 numpy",
        "imageFormula": "image[0,c,y,x] = 1.5*sin(0.07*(k+1)*x + 0.05*y + 1.3*c), float64 then float32",
        "imageSize": session.size,
        "texts": texts,
        "images": images,
        "laclip": {"tau": laclip["tau"], "global": 0, "crops": list(range(1, IMAGES)), "scoresByBeta": scores},
    }


PREPROCESS_NAME = "motif-preprocess"
PREPROCESS_IMAGE = "fret_04.png"  # a committed sample; hard edges make resampling differences show
CROP_SIZES = [(256, 256), (1000, 750), (401, 299), (7, 5), (224, 224)]


def write_preprocess(pack: Path, folder: Path) -> tuple[Path, Path]:
    """The whole image path of one picture: PIL bicubic stretch + normalisation (cn_clip's image_transform),
    the crop boxes of the default scheme, the pack's embeddings of the image and its crops and the LACLIP
    weights. Binary little-endian arrays with a JSON index (common/golden_io.py)."""
    from PIL import Image

    from ..common.golden_io import GoldenWriter
    from . import data, samples

    session = PackSession(pack)
    crops = session.motif["laclip"]["crops"]
    grid, scale = tuple(crops["grid"]), crops["centerScale"]
    source = samples.OUT / PREPROCESS_IMAGE
    image = Image.open(source).convert("RGB")
    boxes = {f"{w}x{h}": [list(b) for b in data.crop_boxes(w, h, grid, scale)] for w, h in CROP_SIZES}
    writer = GoldenWriter(folder, PREPROCESS_NAME, {
        "image": f"resources/motifs/samples/{PREPROCESS_IMAGE}",
        "reference": "PIL Image.resize(BICUBIC) as cn_clip's torchvision Resize does on PIL images; numpy normalisation",
        "preprocess": session.motif["preprocess"], "laclip": session.motif["laclip"],
        "cropBoxes": boxes, "cropBoxesNote": "[left, top, right, bottom) in source pixels, for an image of WxH",
        "pack": {"id": session.manifest["id"], "version": session.manifest["version"]},
    })
    writer.add("pixels", data.to_tensor(image, session.size))
    g, v = session.embed_image(image)
    writer.add("global", g)
    writer.add("crops", v)
    agreement = v @ g / session.motif["laclip"]["tau"]
    weights = np.exp(agreement - agreement.max())
    writer.add("weights", weights / weights.sum())
    return writer.write()


def write(pack: Path, target: Path = DEFAULT_TARGET) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(build(pack), indent=1, ensure_ascii=False)
    # one line per number list keeps the file readable and diffs small
    text = re.sub(r"\[\s+([-0-9.e,\s]+?)\s+\]", lambda m: "[" + ",".join(v.strip() for v in m.group(1).split(",")) + "]", text)
    target.write_text(text + "\n", encoding="utf-8")
    write_preprocess(pack, target.parent)
    return target
