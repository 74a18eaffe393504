"""Golden outputs for the TypeScript parity tests, garment side. Deterministic: rerunning gives the
same bytes (tests/test_goldens.py checks that), so a changed golden always comes with a changed cause.

    tools/models/.venv/bin/python -m tools.models golden garment [--out tools/models/golden]

Writes, under the output folder:
  clip_bpe_tokens.{json,bin}   prompts and their 77 CLIP BPE ids (transformers' CLIPTokenizer, checked
                               against open_clip's tokenizer), int32 [N, 77]
  schedulers.{json,bin}        per-step trajectories of diffusers' DDIM, Euler ancestral (noise given),
                               DPM-Solver++ 2M Karras and LCM on fixed model outputs
  garment-tiny-pack/           a tiny random-weight HiGarment pack the graph and pipeline goldens use
  garment_graphs.{json,bin}    each graph's outputs on fixed inputs
  garment_pipeline.{json,bin}  a whole run: alpha, latents after the first, middle and last step, image
  garment-sd15-tiny-pack/, garment_sd15_pipeline.{json,bin}
                               the same for SD 1.5 + IP-Adapter + line-art ControlNet (goldens_sd15.py)
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import torch

from ..common.clip_bpe import CONTEXT_LENGTH, encode, hf_tokenizer, open_clip_tokenizer, write_tokenizer_files
from ..common.golden_io import GoldenWriter
from .prompts import garment_prompts
from .tiny import SD15_SCHEDULER

GOLDEN_DIR = Path(__file__).resolve().parents[1] / "golden"
TINY_PACK = "garment-tiny-pack"


def clip_tokens(out: Path) -> list[str]:
    prompts = garment_prompts()
    with tempfile.TemporaryDirectory() as tmp:
        write_tokenizer_files(Path(tmp))
        tok = hf_tokenizer(Path(tmp))
        ids = np.asarray([encode(tok, p) for p in prompts], np.int32)
    reference = open_clip_tokenizer()
    mismatches = []
    for prompt, row in zip(prompts, ids):
        # open_clip splits typed special tokens as text; both sides get the prompt without them.
        plain = prompt.replace("<|startoftext|>", " ").replace("<|endoftext|>", " ")
        theirs = reference(plain, context_length=CONTEXT_LENGTH)[0].tolist()
        # open_clip pads with 0 where SD's tokenizer pads with EOS; compare up to the first EOS.
        ours = row.tolist()
        end = ours.index(49407)
        if theirs[: end + 1] != ours[: end + 1]:
            mismatches.append(prompt)
    if mismatches:
        raise AssertionError(f"open_clip and transformers disagree on {len(mismatches)} prompts, e.g. {mismatches[:3]}")
    w = GoldenWriter(out, "clip_bpe_tokens", {
        "tokenizer": "CLIP BPE (OpenAI bpe_simple_vocab_16e6), transformers CLIPTokenizer, checked against open_clip",
        "contextLength": CONTEXT_LENGTH, "padId": 49407, "bosId": 49406, "eosId": 49407,
        "truncation": "to 77 with EOS kept last", "specialsInText": "removed (replaced by a space)", "prompts": prompts,
    })
    w.add("ids", ids, "int32")
    w.write()
    return prompts


SCHEDULER_CASES = [
    ("ddim", {**SD15_SCHEDULER}, 10),
    ("euler_ancestral", {**SD15_SCHEDULER, "_class_name": "EulerAncestralDiscreteScheduler"}, 10),
    ("dpmpp_2m_karras", {**SD15_SCHEDULER, "_class_name": "DPMSolverMultistepScheduler", "algorithm_type": "dpmsolver++",
                         "solver_order": 2, "use_karras_sigmas": True, "lower_order_final": True}, 10),
    ("lcm", {**SD15_SCHEDULER, "_class_name": "LCMScheduler", "original_inference_steps": 50}, 4),
]


def fake_model_output(sample: torch.Tensor, t: float) -> torch.Tensor:
    """A fixed stand-in for the UNet so trajectories move; its outputs are stored, so the TS side feeds
    them back rather than reimplementing this."""
    return torch.tanh(sample) * 0.7 + 0.05 * float(np.cos(float(t) / 97.0))


def schedulers(out: Path) -> None:
    from .pipeline import make_scheduler

    w = GoldenWriter(out, "schedulers", {"cases": {}})
    for name, config, steps in SCHEDULER_CASES:
        scheduler = make_scheduler(config)
        scheduler.set_timesteps(steps)
        full_config = dict(scheduler.config)
        torch.manual_seed(0)
        sample = torch.randn(1, 4, 4, 4)
        w.add(f"{name}/initial_noise", sample.numpy())
        sample = sample * scheduler.init_noise_sigma
        generator = torch.Generator().manual_seed(1234)
        twin = torch.Generator().manual_seed(1234)
        ancestral = name in ("euler_ancestral", "lcm")
        for i, t in enumerate(scheduler.timesteps):
            scaled = scheduler.scale_model_input(sample, t)
            model_output = fake_model_output(scaled, float(t))
            w.add(f"{name}/{i}/sample", sample.numpy())
            w.add(f"{name}/{i}/scaled_sample", scaled.numpy())
            w.add(f"{name}/{i}/model_output", model_output.numpy())
            if ancestral:
                # The scheduler draws one randn of the sample's shape per step from `generator`;
                # the twin draws the same numbers, which are stored as the step's noise.
                w.add(f"{name}/{i}/noise", torch.randn(sample.shape, generator=twin).numpy())
            step = scheduler.step(model_output, t, sample, generator=generator)
            sample = step.prev_sample
            w.add(f"{name}/{i}/prev_sample", sample.numpy())
            if getattr(step, "denoised", None) is not None:
                w.add(f"{name}/{i}/denoised", step.denoised.numpy())
        w.meta["cases"][name] = {
            "config": {k: v for k, v in full_config.items() if not k.startswith("_") or k == "_class_name"},
            "steps": steps,
            "timesteps": [float(t) for t in scheduler.timesteps],
            "initNoiseSigma": float(scheduler.init_noise_sigma),
            "noiseGiven": ancestral,
        }
    w.write()


def tiny_pack(out: Path) -> Path:
    from .components import load_garment_model
    from .export import write_pack
    from .tiny import write_higarment_folder

    pack = out / TINY_PACK
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_higarment_folder(Path(tmp) / "model", seed=0)
        components = load_garment_model(folder)
        write_pack(components, pack, meta={
            "id": "jinxiu-garment-tiny-random", "version": "0.1.0", "name": "Tiny random garment pack (tests only)",
            "licence": "MIT", "description": "Random weights in the HiGarment architecture, for parity tests.",
            "source": {"made_by": "python -m tools.models golden garment"},
        }, defaults={"steps": 6, "guidanceScale": 5.0})
    return pack


def _rng_image(rng: np.random.Generator, size: int) -> np.ndarray:
    return rng.integers(0, 256, size=(size, size, 3), dtype=np.uint8)


def sketch_image(size: int) -> np.ndarray:
    """A white page with a dark T-shirt outline: a flat sketch at the image encoder's size."""
    img = np.full((size, size, 3), 255, np.uint8)
    s = size
    img[s // 4 : s - 2, s // 3, :] = 20
    img[s // 4 : s - 2, 2 * s // 3, :] = 20
    img[s // 4, s // 8 : 7 * s // 8, :] = 20
    img[s - 2, s // 3 : 2 * s // 3 + 1, :] = 20
    return img


def graphs(out: Path, pack: Path) -> None:
    from .pipeline import GarmentPack

    p = GarmentPack(pack, threads=1)
    rng = np.random.default_rng(42)
    w = GoldenWriter(out, "garment_graphs", {"pack": TINY_PACK, "graphs": {}})
    g = p.g["graphs"]
    for key, spec in g.items():
        feeds = {}
        for role, t in spec["inputs"].items():
            shape = [2 if d == "batch" else (5 if isinstance(d, str) else d) for d in t["shape"]]
            if key == "unet" and role == "sample" or key == "vaeDecoder":
                shape = [2, 4, 8, 8]
            if t["dtype"] == "int64":
                value = rng.integers(0, 49408, size=shape).astype(np.int64)
                value[:, 0] = 49406
                value[:, -1] = 49407
            elif role == "timestep":
                value = np.asarray([999.0, 1.0], np.float32)
            elif role == "alpha":
                value = np.asarray([0.8, 0.3], np.float32)
            else:
                value = rng.standard_normal(size=shape).astype(np.float32)
            feeds[role] = value
            w.add(f"{key}/inputs/{role}", value, t["dtype"])
        outputs = p.run_graph(key, **feeds)
        for role, value in outputs.items():
            w.add(f"{key}/outputs/{role}", value)
        w.meta["graphs"][key] = {"inputs": list(feeds), "outputs": list(outputs)}
    w.write()


PIPELINE_CASE = {"prompt": "a red denim jacket with long sleeves", "fabric": "denim", "steps": 6, "guidanceScale": 5.0, "seed": 3}


def pipeline(out: Path, pack: Path) -> None:
    from .pipeline import GarmentPack, GarmentRequest

    p = GarmentPack(pack, threads=1)
    size = p.g["preprocess"]["sketch"]["imageSize"]
    latent = p.g["graphs"]["unet"]["inputs"]["sample"]["shape"]
    rng = np.random.default_rng(PIPELINE_CASE["seed"])
    sketch, swatch = sketch_image(size), _rng_image(rng, size)
    side = p.g["defaults"]["width"] // p.g["latents"]["downscale"]
    noise = rng.standard_normal(size=(1, latent[1], side, side)).astype(np.float32)
    w = GoldenWriter(out, "garment_pipeline", {"pack": TINY_PACK, "case": PIPELINE_CASE, "runs": {}})
    w.add("sketch", sketch, "uint8")
    w.add("swatch", swatch, "uint8")
    w.add("noise", noise)
    for label, alpha in (("rule", None), ("textBiased", 0.3)):
        run = p.generate(GarmentRequest(prompt=PIPELINE_CASE["prompt"], sketch=sketch, noise=noise,
                                        fabric_label=PIPELINE_CASE["fabric"], swatch=swatch, alpha=alpha,
                                        steps=PIPELINE_CASE["steps"], guidance_scale=PIPELINE_CASE["guidanceScale"]))
        middle = len(run.latents) // 2
        w.add(f"{label}/latents_first", run.latents[0])
        w.add(f"{label}/latents_middle", run.latents[middle])
        w.add(f"{label}/latents_last", run.latents[-1])
        w.add(f"{label}/image", run.image)
        w.meta["runs"][label] = {"alpha": run.alpha, "alphaGiven": alpha, "timesteps": run.timesteps,
                                 "middleStep": middle}
    w.write()


def write_all(out: Path = GOLDEN_DIR) -> None:
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    clip_tokens(out)
    schedulers(out)
    pack = tiny_pack(out)
    graphs(out, pack)
    pipeline(out, pack)
    from .goldens_sd15 import write_sd15

    write_sd15(out)
