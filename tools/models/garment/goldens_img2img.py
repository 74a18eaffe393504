"""Golden for image-to-image ("start from the colorway", PACKS.md "Starting from an image") on the tiny
sd15-garment recipe that the app's own tests assemble (src/main/services/models/fixtures/tiny-sd15-garment:
the toolchain's tiny recipe and seed-3 twins, with the optional `vaeEncoder` graph).

    tools/models/.venv/bin/python -m tools.models.garment.goldens_img2img

The pack is assembled here by the Python assembler (byte-identical to the app's, twin-parity.ts). The
run is StableDiffusionImg2ImgPipeline's recipe over the pack's ONNX graphs with diffusers' own
schedulers: timesteps from int(steps x strength), init = vaeEncoder mean x scalingFactor,
scheduler.add_noise(init, noise, first timestep) with the begin index set, then the ControlNet +
IP-Adapter loop of pipeline.py. tools/models/tests/test_goldens_img2img.py checks the same numbers
against diffusers' own StableDiffusionControlNetImg2ImgPipeline on the same tiny weights.
Deterministic (one thread, seeded noise): a rerun gives the same bytes.

Writes garment_sd15_img2img.{json,bin} into tools/models/golden:
  sketch (uint8 [S, S, 3]), lineArt and colorway (uint8 [H, W, 3]), noise (float32 [1, 4, h, w], torch's
  randn from the seed, as diffusers' randn_tensor), initLatents (mean x scalingFactor), startLatents
  (after add_noise), per variant latents_first / latents_last after the first and last step and the image,
  and addNoise/<scheduler>: add_noise of initLatents at each sampler's start timestep (the pack's betas
  with the class swapped, as the studio offers them).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import numpy as np
import torch

from ..common.golden_io import GoldenWriter
from .goldens import GOLDEN_DIR, sketch_image
from .pipeline import GarmentPack, make_scheduler, preprocess_control, preprocess_image

REPO = Path(__file__).resolve().parents[3]
FIXTURE = REPO / "src/main/services/models/fixtures/tiny-sd15-garment"
SOURCES = ("checkpoint", "ip_adapter", "image_encoder", "controlnet")
NAME = "garment_sd15_img2img"
CASE = {"prompt": "a red cotton shirt with a pointed collar and long sleeves", "steps": 10, "strength": 0.6,
        "guidanceScale": 5.0, "seed": 11}
VARIANTS = ("imageBiased", "textBiased")
# The studio's sampler names and the diffusers classes they stand for (schedulers/index.ts).
SAMPLERS = {"ddim": ("DDIMScheduler", {}), "euler-ancestral": ("EulerAncestralDiscreteScheduler", {}),
            "dpmpp-2m-karras": ("DPMSolverMultistepScheduler", {"algorithm_type": "dpmsolver++", "solver_order": 2,
                                                                "use_karras_sigmas": True}),
            "lcm": ("LCMScheduler", {})}


def assemble_fixture(out: Path) -> Path:
    from ..recipes.assemble import assemble

    assemble(FIXTURE / "recipe", {role: FIXTURE / "sources" / f"{role}.safetensors" for role in SOURCES}, out)
    return out


def colorway_image(width: int, height: int) -> np.ndarray:
    """A stand-in for the studio's colorway render: a red twill (diagonal stripes) inside the tee's
    outline on white paper, so the encoder sees both the fabric and the garment's shape."""
    img = np.full((height, width, 3), 255, np.uint8)
    yy, xx = np.mgrid[0:height, 0:width]
    body = (yy >= height // 4) & (yy < height - 2) & (xx >= width // 3) & (xx <= 2 * width // 3)
    sleeves = (yy >= height // 4) & (yy < height // 4 + height // 6) & (xx >= width // 8) & (xx < 7 * width // 8)
    inside = body | sleeves
    twill = ((xx + yy) // 2) % 3 == 0
    img[inside & twill] = (150, 20, 35)
    img[inside & ~twill] = (200, 40, 50)
    return img


def start(scheduler, steps: int, strength: float) -> list:
    """StableDiffusionImg2ImgPipeline.get_timesteps: the last int(steps x strength) timesteps, begin index set."""
    scheduler.set_timesteps(steps)
    init_timestep = min(int(steps * strength), steps)
    t_start = max(steps - init_timestep, 0)
    if hasattr(scheduler, "set_begin_index"):
        scheduler.set_begin_index(t_start * scheduler.order)
    return list(scheduler.timesteps[t_start * scheduler.order:])


def img2img(p: GarmentPack, sketch, control_image, colorway, noise, alpha: float):
    """The loop of pipeline.GarmentPack.generate, started from the colorway instead of pure noise."""
    g = p.g
    steps, guidance = CASE["steps"], np.float32(CASE["guidanceScale"])
    text, _, _ = p.encode_text(CASE["prompt"])
    text_neg, _, _ = p.encode_text(g["conditioning"]["negative"]["prompt"])
    embeds = p.run_graph("imageEncoder", pixels=preprocess_image(sketch, g["preprocess"]["sketch"]))["imageEmbeds"]
    v = p.run_graph("imageProjection", imageEmbeds=embeds)["imagePromptEmbeds"]
    v_neg = p.run_graph("imageProjection", imageEmbeds=np.zeros_like(embeds))["imagePromptEmbeds"]
    # diffusers' VaeImageProcessor: x / 255, then 2x - 1.
    pixels = (colorway.astype(np.float32) / np.float32(255) * np.float32(2) - np.float32(1)).transpose(2, 0, 1)[None]
    mean = p.run_graph("vaeEncoder", image=np.ascontiguousarray(pixels))["latentMean"]
    init = (mean * np.float32(g["latents"]["scalingFactor"])).astype(np.float32)
    scheduler = make_scheduler(json.loads((p.dir / g["scheduler"]["config"]).read_text()))
    timesteps = start(scheduler, steps, CASE["strength"])
    latents = scheduler.add_noise(torch.from_numpy(init), torch.from_numpy(noise), torch.tensor(timesteps[:1]))
    started = latents.numpy().copy()
    text2 = np.concatenate([text_neg, text], 0).astype(np.float32)
    v2 = np.concatenate([v_neg, v], 0).astype(np.float32)
    cimg = np.concatenate([control_image] * 2, 0).astype(np.float32)
    scale = np.full((2,), g["defaults"].get("controlScale", 1.0), np.float32)
    kept = []
    for t in timesteps:
        x = scheduler.scale_model_input(latents, t).numpy().astype(np.float32)
        x2 = np.concatenate([x, x], 0)
        t2 = np.full((2,), float(t), np.float32)
        control = p.run_graph("controlnet", sample=x2, timestep=t2, textEmbeds=text2, controlImage=cimg, controlScale=scale)
        eps = p.run_graph("unet", sample=x2, timestep=t2, textEmbeds=text2, imagePromptEmbeds=v2,
                          alpha=np.full((2,), alpha, np.float32), **control)["noisePred"]
        eps = eps[:1] + guidance * (eps[1:] - eps[:1])
        latents = scheduler.step(torch.from_numpy(eps), t, latents).prev_sample
        kept.append(latents.numpy().astype(np.float32).copy())
    image = p.run_graph("vaeDecoder", latents=(kept[-1] / np.float32(g["latents"]["scalingFactor"])).astype(np.float32))["image"]
    return init, started, [float(t) for t in timesteps], kept, image


def write(out: Path = GOLDEN_DIR) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        p = GarmentPack(assemble_fixture(Path(tmp) / "pack"), threads=1)
        g = p.g
        d = g["defaults"]
        width, height, down = d["width"], d["height"], g["latents"]["downscale"]
        sketch = sketch_image(g["preprocess"]["sketch"]["imageSize"])
        line_art = sketch_image(width)
        colorway = colorway_image(width, height)
        generator = torch.Generator().manual_seed(CASE["seed"])
        noise = torch.randn((1, g["latents"]["channels"], height // down, width // down), generator=generator).numpy()
        control_image = preprocess_control(line_art, g["preprocess"]["control"], width, height)
        w = GoldenWriter(out, NAME, {"case": CASE, "runs": {}, "addNoise": {}})
        w.add("sketch", sketch, "uint8")
        w.add("lineArt", line_art, "uint8")
        w.add("colorway", colorway, "uint8")
        w.add("noise", noise)
        for variant in VARIANTS:
            alpha = float(d["variants"][variant]["alpha"])
            init, started, timesteps, kept, image = img2img(p, sketch, control_image, colorway, noise, alpha)
            if variant == VARIANTS[0]:
                w.add("initLatents", init)
                w.add("startLatents", started)
            w.add(f"{variant}/latents_first", kept[0])
            w.add(f"{variant}/latents_last", kept[-1])
            w.add(f"{variant}/image", image)
            w.meta["runs"][variant] = {"alpha": alpha, "timesteps": timesteps}
        config = json.loads((p.dir / g["scheduler"]["config"]).read_text())
        for name, (cls, extra) in SAMPLERS.items():
            s = make_scheduler({**config, **extra, "_class_name": cls})
            timesteps = start(s, CASE["steps"], CASE["strength"])
            noised = s.add_noise(torch.from_numpy(init), torch.from_numpy(noise), torch.tensor(timesteps[:1]))
            w.add(f"addNoise/{name}", noised.numpy().astype(np.float32))
            w.meta["addNoise"][name] = {"timesteps": [float(t) for t in timesteps]}
        w.write()


if __name__ == "__main__":
    torch.set_num_threads(1)
    write()
