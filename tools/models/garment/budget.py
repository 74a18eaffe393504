"""What a 256 px default pack can afford: randomly initialised candidate UNets (the default pack's
HiGarment UNet, harmonized attention and all) at 32 x 32 latents, and a 256 px VAE decoder, exported
to ONNX and timed with onnxruntime on a fixed number of threads, for both variants at the pack's
steps, with and without classifier-free guidance. Also the two ways the sketch could reach the UNet
directly: its line art concatenated to the latent input (extra conv_in channels) and a small
ControlNet whose residuals the UNet adds (the contract's existing controlnet role).

    tools/models/.venv/bin/python -m tools.models.garment.budget [--threads 2] [--steps 20] [--repeats 3]

Prints a markdown table and asserts nothing: it is a measurement, and moves with the machine's load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from . import graphs as g
from .export import _export
from .modules import ConditioningState, install_harmonized_attention

CROSS, TOKENS, CONTEXT = 32, 4, 77
CANDIDATES = {  # name -> UNet block channels (attention in the two lower blocks, as the default pack)
    "today": (32, 48, 64),
    "w96": (48, 96, 128),
    "w128": (64, 128, 192),
    "w256": (64, 128, 256),
}


def make_unet(channels: tuple[int, ...], in_channels: int = 4, latent: int = 32, harmonized: bool = True):
    from diffusers import UNet2DConditionModel

    attention = [False] + [True] * (len(channels) - 1)
    unet = UNet2DConditionModel(sample_size=latent, in_channels=in_channels, out_channels=4, block_out_channels=channels,
                                layers_per_block=1, cross_attention_dim=CROSS, attention_head_dim=2, norm_num_groups=8,
                                down_block_types=tuple("CrossAttnDownBlock2D" if a else "DownBlock2D" for a in attention),
                                up_block_types=tuple("CrossAttnUpBlock2D" if a else "UpBlock2D" for a in reversed(attention)))
    state = ConditioningState()
    if harmonized:
        install_harmonized_attention(unet, None, state)
    return unet.eval(), state


def make_vae(image: int = 256, channels: tuple[int, ...] = (16, 32, 64, 64)):
    from diffusers import AutoencoderKL

    return AutoencoderKL(in_channels=3, out_channels=3, latent_channels=4, block_out_channels=channels,
                         down_block_types=("DownEncoderBlock2D",) * len(channels), up_block_types=("UpDecoderBlock2D",) * len(channels),
                         layers_per_block=1, norm_num_groups=8, sample_size=image, mid_block_add_attention=False).eval()


def _session(file: Path, threads: int):
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    return ort.InferenceSession(str(file), opts, providers=["CPUExecutionProvider"])


def _time(run, repeats: int) -> float:
    run()  # warm-up: first run allocates
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def unet_seconds(channels, folder: Path, threads: int, repeats: int, in_channels: int = 4, controlnet: bool = False):
    """(seconds per UNet call at batch 4, at batch 2, MB of weights, seconds per ControlNet call at batch 4 or 0)."""
    unet, state = make_unet(channels, in_channels)
    sample = torch.zeros(1, in_channels, 32, 32)
    args = (sample, torch.tensor([1.0]), torch.zeros(1, CONTEXT, CROSS), torch.zeros(1, TOKENS, CROSS), torch.tensor([1.0]))
    dyn = {"sample": {0: "batch"}, "timestep": {0: "batch"}, "encoder_hidden_states": {0: "batch"},
           "image_prompt_embeds": {0: "batch"}, "alpha": {0: "batch"}, "out_sample": {0: "batch"}}
    file = folder / f"unet-{'-'.join(map(str, channels))}-{in_channels}.onnx"
    control_args: tuple = ()
    control_s = 0.0
    control_down = 0
    if controlnet:
        from diffusers import ControlNetModel

        # from the plain UNet: the ControlNet copies the encoder's weights, not the image-prompt branch
        cn = ControlNetModel.from_unet(make_unet(channels, harmonized=False)[0], conditioning_embedding_out_channels=(16, 32, 64, 64)).eval()
        control_down = g.control_down_count(unet)
        cn_io = g.controlnet_io(control_down)
        cn_file = folder / f"controlnet-{'-'.join(map(str, channels))}.onnx"
        cn_args = (sample, torch.tensor([1.0]), torch.zeros(1, CONTEXT, CROSS), torch.zeros(1, 3, 256, 256), torch.tensor([1.0]))
        cn_dyn = {n: {0: "batch"} for n in list(cn_io[0].values()) + list(cn_io[1].values())}
        _export(g.ControlNetGraph(cn), cn_args, cn_file, cn_io, cn_dyn)
        with torch.no_grad():
            control_args = g.ControlNetGraph(cn)(*cn_args)
        sess = _session(cn_file, threads)
        feed = {"sample": np.zeros((4, 4, 32, 32), np.float32), "timestep": np.ones(4, np.float32),
                "encoder_hidden_states": np.zeros((4, CONTEXT, CROSS), np.float32),
                "controlnet_cond": np.zeros((4, 3, 256, 256), np.float32), "conditioning_scale": np.ones(4, np.float32)}
        control_s = _time(lambda: sess.run(None, feed), repeats)
    io = g.unet_io(control_down)
    for name in list(io[0].values())[5:]:
        dyn[name] = {0: "batch"}
    _export(g.UNetGraph(unet, state, control_down), (*args, *control_args), file, io, dyn)
    sess = _session(file, threads)
    mb = file.stat().st_size / 1e6

    def feed(batch: int) -> dict:
        f = {"sample": np.zeros((batch, in_channels, 32, 32), np.float32), "timestep": np.ones(batch, np.float32),
             "encoder_hidden_states": np.zeros((batch, CONTEXT, CROSS), np.float32),
             "image_prompt_embeds": np.zeros((batch, TOKENS, CROSS), np.float32), "alpha": np.ones(batch, np.float32)}
        for name, t in zip(list(io[0].values())[5:], control_args):
            f[name] = np.zeros((batch, *t.shape[1:]), np.float32)
        return f

    f4, f2 = feed(4), feed(2)
    return _time(lambda: sess.run(None, f4), repeats), _time(lambda: sess.run(None, f2), repeats), mb, control_s


def decoder_seconds(folder: Path, threads: int, repeats: int) -> tuple[float, float]:
    vae = make_vae()
    file = folder / "vae_decoder.onnx"
    _export(g.VaeDecoderGraph(vae), (torch.zeros(1, 4, 32, 32),), file, g.VAE_DECODER_IO,
            {"latent_sample": {0: "batch"}, "sample": {0: "batch"}})
    sess = _session(file, threads)
    latents = np.zeros((2, 4, 32, 32), np.float32)
    return _time(lambda: sess.run(None, {"latent_sample": latents}), repeats), file.stat().st_size / 1e6


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tools.models.garment.budget", description=__doc__.splitlines()[0])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--candidates", default=",".join(CANDIDATES), help="comma-separated names of CANDIDATES")
    p.add_argument("--sketch-only", action="store_true", help="only the sketch-into-the-UNet comparison (on the second candidate)")
    args = p.parse_args(argv)
    torch.set_num_threads(1)
    import warnings

    warnings.filterwarnings("ignore")
    s, n = args.steps, args.threads
    print(f"onnxruntime, {n} threads, 32 x 32 latents (256 px), {s} steps, load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        dec, dec_mb = decoder_seconds(folder, n, args.repeats)
        print(f"VAE decoder [16,32,64,64] at 256 px, both images: {dec:.3f} s ({dec_mb:.1f} MB)\n")
        print("| UNet | MB | s per step, guided (batch 4) | s per step, no guidance (batch 2) | both variants guided | both variants, no guidance |")
        print("| --- | --- | --- | --- | --- | --- |")
        chosen = [c.strip() for c in args.candidates.split(",") if c.strip()]
        for name in chosen if not args.sketch_only else []:
            b4, b2, mb, _ = unet_seconds(CANDIDATES[name], folder, n, args.repeats)
            print(f"| {name} {list(CANDIDATES[name])} | {mb:.1f} | {b4:.3f} | {b2:.3f} | {s * b4 + dec:.1f} s | {s * b2 + dec:.1f} s |", flush=True)
        base = CANDIDATES[chosen[min(1, len(chosen) - 1)]]
        print(f"\nSketch into the UNet {list(base)}, seconds per step at batch 4:", flush=True)
        plain, _, _, _ = unet_seconds(base, folder, n, args.repeats)
        print(f"- plain: {plain:.3f}", flush=True)
        concat, _, _, _ = unet_seconds(base, folder, n, args.repeats, in_channels=5)
        print(f"- line art concatenated to the latents (5 input channels): {concat:.3f}", flush=True)
        with_res, _, _, cn = unet_seconds(base, folder, n, args.repeats, controlnet=True)
        print(f"- ControlNet residuals: UNet {with_res:.3f} + ControlNet {cn:.3f} = {with_res + cn:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
