"""Goldens for the SD 1.5 + IP-Adapter (+ line-art ControlNet) side of the garment contract: a tiny
random-weight pack made the way a real one is (the official checkpoint layouts from tiny.py through
`convert sd15-ipadapter`), and whole pipeline runs over it by the reference pipeline (pipeline.py),
with the ControlNet off (conditioning scale 0) and on (the pack's default scale). Part of
`golden garment` (goldens.write_all); deterministic, so a rerun gives the same bytes.

Writes, under the output folder:
  garment-sd15-tiny-pack/         the converted pack (IP-Adapter image-prompt scale as alpha, ControlNet)
  garment_sd15_pipeline.{json,bin}
      sketch (uint8 [S, S, 3], the image encoder's input), lineArt (uint8 [H, W, 3], the flat drawn at
      the output size), controlImage (float32 [1, 3, H, W], lineArt as the ControlNet takes it), noise, and for each of plain/ and lineart/, each variant: latents after the
      first, middle and last step, and the decoded image
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from ..common.golden_io import GoldenWriter

SD15_PACK = "garment-sd15-tiny-pack"
SD15_PACK_ID = "jinxiu-garment-sd15-tiny-random"

SD15_CASE = {"prompt": "a white cotton shirt with a pointed collar and long sleeves", "steps": 6, "guidanceScale": 5.0,
             "seed": 7}
# plain: the ControlNet runs with conditioning scale 0, so its residuals are zeros and the UNet is the
# plain IP-Adapter UNet; lineart: the pack's default scale.
CONTROL_RUNS = {"plain": 0.0, "lineart": None}
VARIANTS = ("imageBiased", "textBiased")


def sd15_pack(out: Path) -> Path:
    """Tiny checkpoints in the official layouts, converted by the real `convert sd15-ipadapter`."""
    from ..__main__ import main
    from .tiny import write_sd15_ip_adapter_checkpoints

    pack = out / SD15_PACK
    with tempfile.TemporaryDirectory() as tmp:
        ckpt = write_sd15_ip_adapter_checkpoints(Path(tmp), seed=0, with_controlnet=True)
        code = main(["convert", "sd15-ipadapter", "--sd15", str(ckpt["sd15"]), "--ip-adapter", str(ckpt["ip_adapter"]),
                     "--image-encoder", str(ckpt["image_encoder"]), "--controlnet", str(ckpt["controlnet"]),
                     "--steps", str(SD15_CASE["steps"]), "--out", str(pack), "--id", SD15_PACK_ID,
                     "--name", "Tiny random SD 1.5 + IP-Adapter + ControlNet pack (tests only)", "--licence", "MIT",
                     "--description", "Random weights in SD 1.5 + IP-Adapter + line-art ControlNet form, for parity tests."])
    if code != 0:
        raise RuntimeError(f"convert sd15-ipadapter failed with {code}")
    return pack


def sd15_pipeline(out: Path, pack: Path) -> None:
    from .goldens import sketch_image
    from .pipeline import GarmentPack, GarmentRequest, preprocess_control

    p = GarmentPack(pack, threads=1)
    g = p.g
    defaults = g["defaults"]
    width, height = defaults["width"], defaults["height"]
    down = g["latents"]["downscale"]
    rng = np.random.default_rng(SD15_CASE["seed"])
    sketch = sketch_image(g["preprocess"]["sketch"]["imageSize"])
    # The same flat drawn at the output size, as the studio rasterises it for the ControlNet.
    line_art = sketch_image(width)
    noise = rng.standard_normal(size=(1, g["latents"]["channels"], height // down, width // down)).astype(np.float32)
    control_image = preprocess_control(line_art, g["preprocess"]["control"], width, height)
    w = GoldenWriter(out, "garment_sd15_pipeline", {"pack": SD15_PACK, "case": SD15_CASE, "runs": {}})
    w.add("sketch", sketch, "uint8")
    w.add("lineArt", line_art, "uint8")
    w.add("noise", noise)
    w.add("controlImage", control_image)
    for control, scale in CONTROL_RUNS.items():
        for variant in VARIANTS:
            choice = defaults["variants"][variant]["alpha"]
            alpha = None if choice == "rule" else float(choice)
            run = p.generate(GarmentRequest(prompt=SD15_CASE["prompt"], sketch=sketch, noise=noise, alpha=alpha,
                                            steps=SD15_CASE["steps"], guidance_scale=SD15_CASE["guidanceScale"],
                                            control_image=control_image, control_scale=scale))
            middle = len(run.latents) // 2
            key = f"{control}/{variant}"
            w.add(f"{key}/latents_first", run.latents[0])
            w.add(f"{key}/latents_middle", run.latents[middle])
            w.add(f"{key}/latents_last", run.latents[-1])
            w.add(f"{key}/image", run.image)
            w.meta["runs"][key] = {"alpha": run.alpha, "controlScale": defaults["controlScale"] if scale is None else scale,
                                   "timesteps": run.timesteps, "middleStep": middle}
    w.write()


def write_sd15(out: Path) -> None:
    sd15_pipeline(out, sd15_pack(out))
