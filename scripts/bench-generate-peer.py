"""The benchmark's peer row: the same tiny garment model run by diffusers + PyTorch on CPU, through the
toolchain's reference pipeline (tools/models/garment/pipeline.py) with every graph call answered by
the torch module the ONNX file was exported from instead of onnxruntime.

    tools/models/.venv/bin/python scripts/bench-generate-peer.py --pack DIR --steps N --repeats R

Prints one JSON object: milliseconds per image (mean over repeats, one variant per generate() as the
reference runs them), per step, the largest difference from onnxruntime's image (a sanity check that
the torch weights are the pack's), and the torch thread count.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools.models.garment.components import load_garment_model  # noqa: E402
from tools.models.garment.goldens import PIPELINE_CASE, sketch_image  # noqa: E402
from tools.models.garment.graphs import (  # noqa: E402
    ImageEncoderGraph,
    ImageProjectionGraph,
    TextEncoderGraph,
    UNetGraph,
    VaeDecoderGraph,
)
from tools.models.garment.pipeline import GarmentPack, GarmentRequest  # noqa: E402
from tools.models.garment.tiny import write_higarment_folder  # noqa: E402


class TorchGarmentPack(GarmentPack):
    """GarmentPack whose graphs run in PyTorch: same manifest, tokenizer, scheduler and loop."""

    def __init__(self, pack_dir: Path, model_dir: Path) -> None:
        super().__init__(pack_dir)
        c = load_garment_model(model_dir)
        self.modules = {
            "textEncoder": TextEncoderGraph(c.text_encoder),
            "imageEncoder": ImageEncoderGraph(c.image_encoder),
            "imageProjection": ImageProjectionGraph(c.image_projection),
            "fabricFusion": c.fabric_fusion,
            "unet": UNetGraph(c.unet, c.state),
            "vaeDecoder": VaeDecoderGraph(c.vae),
        }
        for m in self.modules.values():
            m.eval()

    @torch.no_grad()
    def run_graph(self, key: str, **inputs: np.ndarray) -> dict[str, np.ndarray]:
        spec = self.g["graphs"][key]
        args = [torch.from_numpy(np.ascontiguousarray(inputs[role])) for role in spec["inputs"] if role in inputs]
        out = self.modules[key](*args)
        out = out if isinstance(out, tuple) else (out,)
        return {role: value.numpy() for role, value in zip(spec["outputs"], out)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pack", type=Path, required=True)
    parser.add_argument("--steps", type=int, default=PIPELINE_CASE["steps"])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=0, help="torch threads; 0 keeps torch's choice")
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    with tempfile.TemporaryDirectory() as tmp:
        # The tiny pack's weights come from this seed (goldens.tiny_pack), so torch and ONNX agree.
        model_dir = write_higarment_folder(Path(tmp) / "model", seed=0)
        peer = TorchGarmentPack(args.pack, model_dir)
        reference = GarmentPack(args.pack)
    size = peer.g["preprocess"]["sketch"]["imageSize"]
    rng = np.random.default_rng(PIPELINE_CASE["seed"])
    swatch = rng.integers(0, 256, size=(size, size, 3), dtype=np.uint8)
    side = peer.g["defaults"]["width"] // peer.g["latents"]["downscale"]
    noise = rng.standard_normal(size=(1, peer.g["latents"]["channels"], side, side)).astype(np.float32)
    req = GarmentRequest(prompt=PIPELINE_CASE["prompt"], sketch=sketch_image(size), noise=noise, fabric_label=PIPELINE_CASE["fabric"],
                         swatch=swatch, steps=args.steps, guidance_scale=PIPELINE_CASE["guidanceScale"])
    peer.generate(req)  # warm-up
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        run = peer.generate(req)
        times.append((time.perf_counter() - start) * 1000)
    ms = float(np.mean(times))
    diff = float(np.abs(run.image - reference.generate(req).image).max())
    print(json.dumps({"msPerImage": ms, "msPerStep": ms / args.steps, "steps": args.steps, "repeats": args.repeats,
                      "maxAbsDiffFromOnnx": diff, "torchThreads": torch.get_num_threads(), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
