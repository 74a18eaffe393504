"""Golden for the sketch route (PACKS.md "The sketch route"): the tiny HiGarment pack of `golden garment`
(garment-tiny-pack, seed 0) with a tiny random sketch route added (tiny.write_sketch_route), run by the
reference pipeline (pipeline.py) with each variant's sketchScale.

    tools/models/.venv/bin/python -m tools.models.garment.goldens_sketch

The pack is exported whole into a temporary folder. Every file it shares with garment-tiny-pack must
come out byte-identical (it is checked here), so only what the route changes is kept, as an overlay:

  garment-tiny-sketch-overlay/   unet.onnx (the UNet with sketchFeatures and sketchScale, its internal
                                 tensor names shortened to keep the fixture small: the graph and its
                                 numbers are the export's), sketch_encoder.onnx and manifest.json (the
                                 whole pack's, files and hashes included). A test copies garment-tiny-pack
                                 and lays these over it.
  garment_sketch_pipeline.{json,bin}
      sketch (uint8 [S, S, 3], the image encoder's input), swatch, lineArt (uint8 [H, W, 3], the flat
      drawn at the output size), noise, and per variant latents after the first and last step and the
      image, each run at its defaults.variants.*.sketchScale (image-biased 1, text-biased 0.6).

The route's 1x1 convolution has random, non-zero weights (a trained one starts at zero, which would let
a runtime that ignored the route pass). Deterministic (one thread, seeded): a rerun gives the same bytes.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import numpy as np
import onnx
import torch

from ..common.golden_io import GoldenWriter
from ..common.manifest import write_manifest
from .goldens import GOLDEN_DIR, PIPELINE_CASE, TINY_PACK, _rng_image, sketch_image

OVERLAY = "garment-tiny-sketch-overlay"
NAME = "garment_sketch_pipeline"
PACK_ID = "jinxiu-garment-tiny-sketch-random"
ROUTE_FILES = ("unet.onnx", "sketch_encoder.onnx")
VARIANTS = {"imageBiased": {"alpha": "rule", "sketchScale": 1.0}, "textBiased": {"alpha": 0.3, "sketchScale": 0.6}}
CASE = {**PIPELINE_CASE}


def compact_names(path: Path) -> None:
    """Renames the graph's internal values (`/unet/down_blocks.0/attentions.0/.../Mul_output_0`) to short
    ones and drops node names: most of a tiny UNet file is those strings. Inputs, outputs and
    initializers keep theirs, so the signature and the weights are the export's."""
    model = onnx.load(str(path))
    graph = model.graph
    if any(a.type in (onnx.AttributeProto.GRAPH, onnx.AttributeProto.GRAPHS) for n in graph.node for a in n.attribute):
        raise ValueError(f"{path.name} has subgraphs; compact_names renames one flat graph only")
    keep = {v.name for v in graph.input} | {v.name for v in graph.output} | {i.name for i in graph.initializer}
    renamed: dict[str, str] = {}

    def short(name: str) -> str:
        if not name or name in keep:
            return name
        if name not in renamed:
            renamed[name] = f"v{len(renamed)}"
            if renamed[name] in keep:
                raise ValueError(f"{path.name}: {renamed[name]} is taken")
        return renamed[name]

    for node in graph.node:
        node.name = ""
        node.input[:] = [short(n) for n in node.input]
        node.output[:] = [short(n) for n in node.output]
    for info in graph.value_info:
        info.name = short(info.name)
    onnx.checker.check_model(model)
    onnx.save_model(model, str(path))


def sketch_pack(out: Path) -> Path:
    """The whole tiny sketch pack in `out`: garment-tiny-pack's model plus the route."""
    from .components import load_garment_model
    from .export import write_pack
    from .tiny import write_higarment_folder, write_sketch_route

    with tempfile.TemporaryDirectory() as tmp:
        folder = write_sketch_route(write_higarment_folder(Path(tmp) / "model", seed=0), seed=5)
        components = load_garment_model(folder)
        manifest = write_pack(components, out, meta={
            "id": PACK_ID, "version": "0.1.0", "name": "Tiny random garment pack with a sketch route (tests only)",
            "licence": "MIT", "description": "garment-tiny-pack plus a random sketch encoder and UNet injection, for parity tests.",
            "source": {"made_by": "python -m tools.models.garment.goldens_sketch"},
        }, defaults={"steps": CASE["steps"], "guidanceScale": CASE["guidanceScale"], "variants": VARIANTS})
    compact_names(out / "unet.onnx")
    without_files = {k: v for k, v in manifest.items() if k != "files"}
    write_manifest(out, without_files)
    return out


def check_shared_files(pack: Path, base: Path) -> None:
    ours = {f["path"]: f["sha256"] for f in json.loads((pack / "manifest.json").read_text())["files"]}
    theirs = {f["path"]: f["sha256"] for f in json.loads((base / "manifest.json").read_text())["files"]}
    if set(ours) - {"sketch_encoder.onnx"} != set(theirs):
        raise AssertionError(f"the sketch pack's files {sorted(ours)} are not {TINY_PACK}'s plus {list(ROUTE_FILES)}")
    changed = [p for p in theirs if p != "unet.onnx" and ours[p] != theirs[p]]
    if changed:
        raise AssertionError(f"{changed} differ from {TINY_PACK}'s; regenerate it first (`golden garment`)")


def write(out: Path = GOLDEN_DIR) -> None:
    from .pipeline import GarmentPack, GarmentRequest, preprocess_control

    with tempfile.TemporaryDirectory() as tmp:
        pack = sketch_pack(Path(tmp) / "pack")
        check_shared_files(pack, out / TINY_PACK)
        overlay = out / OVERLAY
        if overlay.exists():
            shutil.rmtree(overlay)
        overlay.mkdir(parents=True)
        for name in (*ROUTE_FILES, "manifest.json"):
            shutil.copyfile(pack / name, overlay / name)

        p = GarmentPack(pack, threads=1)
        g = p.g
        size = g["preprocess"]["sketch"]["imageSize"]
        width, height, down = g["defaults"]["width"], g["defaults"]["height"], g["latents"]["downscale"]
        rng = np.random.default_rng(CASE["seed"])
        sketch, swatch = sketch_image(size), _rng_image(rng, size)
        noise = rng.standard_normal(size=(1, g["latents"]["channels"], height // down, width // down)).astype(np.float32)
        line_art = sketch_image(width)
        control_image = preprocess_control(line_art, g["preprocess"]["control"], width, height)
        w = GoldenWriter(out, NAME, {"pack": OVERLAY, "base": TINY_PACK, "case": CASE, "runs": {}})
        w.add("sketch", sketch, "uint8")
        w.add("swatch", swatch, "uint8")
        w.add("lineArt", line_art, "uint8")
        w.add("noise", noise)
        for variant, chosen in VARIANTS.items():
            alpha = None if chosen["alpha"] == "rule" else float(chosen["alpha"])
            run = p.generate(GarmentRequest(prompt=CASE["prompt"], sketch=sketch, noise=noise, fabric_label=CASE["fabric"],
                                            swatch=swatch, alpha=alpha, steps=CASE["steps"],
                                            guidance_scale=CASE["guidanceScale"], control_image=control_image,
                                            sketch_scale=chosen["sketchScale"]))
            w.add(f"{variant}/latents_first", run.latents[0])
            w.add(f"{variant}/latents_last", run.latents[-1])
            w.add(f"{variant}/image", run.image)
            w.meta["runs"][variant] = {"alpha": run.alpha, "sketchScale": chosen["sketchScale"], "timesteps": run.timesteps}
        w.write()


if __name__ == "__main__":
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    write()
