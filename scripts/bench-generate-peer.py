"""The benchmark's peer row: a garment pack's reference model run by diffusers + PyTorch on CPU, through
the toolchain's reference pipeline (tools/models/garment/pipeline.py) with every graph call answered by
the torch module of the pack's architecture instead of onnxruntime.

    tools/models/.venv/bin/python scripts/bench-generate-peer.py --pack DIR --request DIR --repeats R

--request is a folder the benchmark writes: request.json (prompt, fabric, steps, seed, image sizes)
and the very sketch and swatch pixels it fed (sketch.rgb, swatch.rgb: uint8 RGB, row-major).

Which torch weights:
- the tiny golden pack: the seeded random weights the pack was exported from (tiny.py), so the peer's
  image is checked against onnxruntime's (max abs diff reported);
- the default pack: its architecture as the trainer builds it (train.build), with the build's seeded
  initial weights. The trained weights live only in the pack's ONNX files, and the speed of a dense
  float32 network does not depend on the values of its weights, so this peer times the same
  computation; its image is not compared (different weights).

Prints one JSON object: milliseconds per image (mean over repeats; one variant per generate(), with
its CFG batch of two, as the reference runs it), per step, the weights used, the difference from
onnxruntime where it means something, and the torch thread count.
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
from tools.models.garment.graphs import (  # noqa: E402
    ImageEncoderGraph,
    ImageProjectionGraph,
    TextEncoderGraph,
    UNetGraph,
    VaeDecoderGraph,
)
from tools.models.garment.pipeline import GarmentPack, GarmentRequest  # noqa: E402

TINY_PACK_ID = "jinxiu-garment-tiny-random"
DEFAULT_PACK_ID = "jinxiu-garment-default"


class TorchGarmentPack(GarmentPack):
    """GarmentPack whose graphs run in PyTorch: same manifest, tokenizer, scheduler and loop."""

    def __init__(self, pack_dir: Path, modules: dict[str, torch.nn.Module]) -> None:
        super().__init__(pack_dir)
        self.modules = modules
        for m in self.modules.values():
            m.eval()

    @torch.no_grad()
    def run_graph(self, key: str, **inputs: np.ndarray) -> dict[str, np.ndarray]:
        spec = self.g["graphs"][key]
        args = [torch.from_numpy(np.ascontiguousarray(inputs[role])) for role in spec["inputs"] if role in inputs]
        out = self.modules[key](*args)
        out = out if isinstance(out, tuple) else (out,)
        return {role: value.numpy() for role, value in zip(spec["outputs"], out)}


def graphs(text, vision, projection, fusion, unet, state, vae) -> dict[str, torch.nn.Module]:
    return {
        "textEncoder": TextEncoderGraph(text),
        "imageEncoder": ImageEncoderGraph(vision),
        "imageProjection": ImageProjectionGraph(projection),
        "fabricFusion": fusion,
        "unet": UNetGraph(unet, state),
        "vaeDecoder": VaeDecoderGraph(vae),
    }


def torch_model(pack_id: str) -> tuple[dict[str, torch.nn.Module], str]:
    """The pack's graphs as torch modules, and what their weights are."""
    if pack_id == TINY_PACK_ID:
        from tools.models.garment.tiny import write_higarment_folder

        with tempfile.TemporaryDirectory() as tmp:
            # The tiny pack's weights come from this seed (goldens.tiny_pack), so torch and ONNX agree.
            write_higarment_folder(Path(tmp) / "model", seed=0)
            c = load_garment_model(Path(tmp) / "model")
        return graphs(c.text_encoder, c.image_encoder, c.image_projection, c.fabric_fusion, c.unet, c.state, c.vae), "the pack's own (seeded)"
    if pack_id == DEFAULT_PACK_ID:
        from tools.models.garment.train import build

        # Straight from the builder: the modules already carry the harmonized attention.
        text, vision, vae, unet, state, projection, fusion = build(0)
        return graphs(text, vision, projection, fusion, unet, state, vae), "the trainer's initial ones (speed only)"
    raise SystemExit(f"no torch model is known for the pack {pack_id!r} (only {TINY_PACK_ID} and {DEFAULT_PACK_ID})")


def architecture_problems(pack: Path, g: dict, modules: dict[str, torch.nn.Module]) -> list[str]:
    """Where the torch graphs are not the pack's: the ONNX export keeps most weights under their torch
    names (the rest are folded constants named onnx::...), so every such name must be in the module's
    state dict with the same shape. The timing means something only when none differ."""
    import onnx

    problems = []
    for key, module in modules.items():
        graph = onnx.load(str(pack / g["graphs"][key]["file"]), load_external_data=False).graph
        named = {i.name: list(i.dims) for i in graph.initializer if not i.name.startswith("onnx::")}
        own = {k: list(v.shape) for k, v in module.state_dict().items()}
        differ = [n for n in named if own.get(n) != named[n]]
        if differ:
            problems.append(f"{key}: {len(differ)} of {len(named)} weights differ (first {differ[0]})")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pack", type=Path, required=True)
    parser.add_argument("--request", type=Path, required=True, help="folder with request.json, sketch.rgb, swatch.rgb")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", default="", help="torch thread counts to try, e.g. 1,2; the faster is timed (default: torch's choice)")
    args = parser.parse_args()
    torch.manual_seed(0)
    spec = json.loads((args.request / "request.json").read_text())
    manifest = json.loads((args.pack / "manifest.json").read_text())
    modules, weights = torch_model(manifest["id"])
    peer = TorchGarmentPack(args.pack, modules)
    g = peer.g
    problems = architecture_problems(args.pack, g, modules)
    weights += f"; NOT the pack's architecture: {'; '.join(problems)}" if problems else "; every named weight's shape matches the pack"
    if problems:
        # Timing other networks would say nothing about this pack.
        print(json.dumps({"msPerImage": None, "msPerStep": None, "weights": weights, "sameArchitecture": False, "triedThreads": {},
                          "maxAbsDiffFromOnnx": None, "torchThreads": torch.get_num_threads(), "torch": torch.__version__}))
        return

    def pixels(name: str, size: int) -> np.ndarray:
        return np.fromfile(args.request / name, dtype=np.uint8).reshape(size, size, 3)

    side = g["defaults"]["width"] // g["latents"]["downscale"]
    noise = np.random.default_rng(spec["seed"]).standard_normal(size=(1, g["latents"]["channels"], side, side)).astype(np.float32)
    req = GarmentRequest(prompt=spec["prompt"], sketch=pixels("sketch.rgb", spec["sketchSize"]), noise=noise,
                         fabric_label=spec["fabric"], swatch=pixels("swatch.rgb", spec["swatchSize"]), steps=spec["steps"],
                         seed=spec["seed"])
    candidates = [int(t) for t in args.threads.split(",") if t.strip()] or [torch.get_num_threads()]
    torch.set_num_threads(min(candidates))
    peer.generate(req)  # warm-up
    # The peer gets its best thread count: on a busy two-core machine torch's OpenMP pool with two
    # threads can be many times slower than one thread (its barrier waits lose the cores), and a
    # speed-up over a peer handicapped that way would say nothing.
    tried = {}
    for n in candidates:
        torch.set_num_threads(n)
        start = time.perf_counter()
        peer.generate(req)
        tried[n] = (time.perf_counter() - start) * 1000
    torch.set_num_threads(min(tried, key=tried.__getitem__))
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        run = peer.generate(req)
        times.append((time.perf_counter() - start) * 1000)
    ms = float(np.median(times))
    diff = None
    if manifest["id"] == TINY_PACK_ID:
        diff = float(np.abs(run.image - GarmentPack(args.pack).generate(req).image).max())
    print(json.dumps({"msPerImage": ms, "msPerStep": ms / spec["steps"], "steps": spec["steps"], "repeats": args.repeats,
                      "weights": weights, "sameArchitecture": not problems, "maxAbsDiffFromOnnx": diff, "torchThreads": torch.get_num_threads(),
                      "triedThreads": {str(n): round(t, 1) for n, t in tried.items()},
                      "torch": torch.__version__}))


if __name__ == "__main__":
    main()
