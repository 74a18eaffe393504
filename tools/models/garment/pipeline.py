"""The reference garment pipeline over a pack's ONNX graphs, with diffusers' schedulers. It is the
executable form of PACKS.md's "Running a garment pack" and makes the pipeline golden the TypeScript
runtime must reproduce."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch

from ..common.clip_bpe import encode, hf_tokenizer

SCHEDULERS = ("DDIMScheduler", "EulerAncestralDiscreteScheduler", "DPMSolverMultistepScheduler", "LCMScheduler")


def make_scheduler(config: dict):
    import diffusers

    name = config.get("_class_name")
    if name not in SCHEDULERS:
        raise ValueError(f"scheduler {name!r} is not one the studio implements: {SCHEDULERS}")
    return getattr(diffusers, name).from_config(config)


def preprocess_image(rgb: np.ndarray, spec: dict) -> np.ndarray:
    """uint8 [H, W, 3] already at spec.imageSize -> float32 [1, 3, S, S], CLIP-normalised. Resizing is
    left to the caller; goldens feed images at the graph's size so the rule under test is the arithmetic."""
    size = spec["imageSize"]
    if rgb.shape[:2] != (size, size):
        raise ValueError(f"expected a {size}x{size} image, got {rgb.shape[1]}x{rgb.shape[0]}")
    x = rgb.astype(np.float32) * np.float32(spec["rescale"])
    x = (x - np.asarray(spec["mean"], np.float32)) / np.asarray(spec["std"], np.float32)
    return x.transpose(2, 0, 1)[None].astype(np.float32)


def preprocess_control(rgb: np.ndarray, spec: dict, width: int, height: int) -> np.ndarray:
    """uint8 [H, W, 3] line art already at the output size -> float32 [1, 3, H, W] in [0, 1]: x rescale,
    then 1 - x when `invert` (a flat's dark lines on white become a ControlNet's white lines on black)."""
    if rgb.shape[:2] != (height, width):
        raise ValueError(f"expected {width}x{height} line art, got {rgb.shape[1]}x{rgb.shape[0]}")
    x = rgb.astype(np.float32) * np.float32(spec["rescale"])
    if spec["invert"]:
        x = np.float32(1) - x
    return x.transpose(2, 0, 1)[None].astype(np.float32)


def harmonized_alpha(image_tokens: np.ndarray, text_tokens: np.ndarray, lam: float) -> float:
    """alpha = lambda + (1 - lambda) * sigmoid(cos(mean(v), mean(t))) over one sample's tokens."""
    v = image_tokens.astype(np.float64).mean(axis=0)
    t = text_tokens.astype(np.float64).mean(axis=0)
    cos = float(v @ t / (np.linalg.norm(v) * np.linalg.norm(t) + 1e-12))
    return float(lam + (1 - lam) / (1 + np.exp(-cos)))


@dataclass
class GarmentRequest:
    prompt: str
    sketch: np.ndarray  # uint8 [S, S, 3]
    noise: np.ndarray  # float32 [1, C, h, w]: the initial latents before init_noise_sigma
    fabric_label: str | None = None
    swatch: np.ndarray | None = None  # uint8 [S, S, 3]
    alpha: float | None = None  # None: the manifest's rule
    steps: int | None = None
    guidance_scale: float | None = None
    seed: int = 0  # for ancestral schedulers' per-step noise (torch.Generator)
    # float32 [1, 3, H, W] in [0, 1], lines white on black (preprocess.control): the ControlNet's
    # conditioning image, and the sketch encoder's line art for a pack with the sketch route
    control_image: np.ndarray | None = None
    control_scale: float | None = None  # None: the manifest's defaults.controlScale
    sketch_scale: float | None = None  # the positive row's sketchScale; None: 1 (the negative row's is 0)


@dataclass
class GarmentRun:
    alpha: float
    timesteps: list[float]
    latents: list[np.ndarray] = field(default_factory=list)  # after each step
    image: np.ndarray | None = None  # float32 [1, 3, H, W] in [-1, 1]


class GarmentPack:
    def __init__(self, pack_dir: Path, threads: int | None = None) -> None:
        """threads=1 makes results independent of the core count (goldens must regenerate bit for bit)."""
        self.dir = pack_dir
        self.manifest = json.loads((pack_dir / "manifest.json").read_text(encoding="utf-8"))
        self.g = self.manifest["garment"]
        options = ort.SessionOptions()
        if threads is not None:
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = threads
        self.sessions = {key: ort.InferenceSession(str(pack_dir / spec["file"]), options, providers=["CPUExecutionProvider"])
                         for key, spec in self.g["graphs"].items()}
        self.tokenizer = hf_tokenizer(pack_dir / "tokenizer")

    def run_graph(self, key: str, **inputs: np.ndarray) -> dict[str, np.ndarray]:
        spec = self.g["graphs"][key]
        feed = {spec["inputs"][role]["name"]: value for role, value in inputs.items()}
        names = {role: t["name"] for role, t in spec["outputs"].items()}
        results = self.sessions[key].run(list(names.values()), feed)
        return dict(zip(names.keys(), results))

    def encode_text(self, text: str) -> tuple[np.ndarray, np.ndarray, int]:
        ids = encode(self.tokenizer, text, self.g["tokenizer"]["contextLength"])
        out = self.run_graph("textEncoder", ids=np.asarray([ids], np.int64))
        eos = ids.index(self.g["tokenizer"]["specialIds"]["eos"])
        return out["hiddenStates"], out["pooled"], eos

    def generate(self, req: GarmentRequest) -> GarmentRun:
        g = self.g
        defaults = g["defaults"]
        steps = req.steps or defaults["steps"]
        guidance = req.guidance_scale if req.guidance_scale is not None else defaults["guidanceScale"]
        text, _, eos = self.encode_text(req.prompt)
        text_neg, _, _ = self.encode_text(g["conditioning"]["negative"]["prompt"])
        sketch = preprocess_image(req.sketch, g["preprocess"]["sketch"])
        image_embeds = self.run_graph("imageEncoder", pixels=sketch)["imageEmbeds"]
        v = self.run_graph("imageProjection", imageEmbeds=image_embeds)["imagePromptEmbeds"]
        v_neg = self.run_graph("imageProjection", imageEmbeds=np.zeros_like(image_embeds))["imagePromptEmbeds"]
        text_valid = text[0, : eos + 1]
        if "fabric" in g["conditioning"] and req.fabric_label is not None:
            _, label_pooled, _ = self.encode_text(g["conditioning"]["fabric"]["labelPrompt"].format(label=req.fabric_label))
            swatch = preprocess_image(req.swatch, g["preprocess"]["swatch"])
            swatch_hidden = self.run_graph("imageEncoder", pixels=swatch)["hiddenStates"]
            f = self.run_graph("fabricFusion", labelEmbeds=label_pooled, fabricHiddenStates=swatch_hidden)["fabricTokens"]
            # f enriches both conditions, and the negative side too, so a batch of two keeps one shape.
            text, text_neg = np.concatenate([text, f], 1), np.concatenate([text_neg, f], 1)
            v, v_neg = np.concatenate([v, f], 1), np.concatenate([v_neg, f], 1)
            text_valid = np.concatenate([text_valid, f[0]], 0)
        rule = g["conditioning"]["alpha"]
        if req.alpha is not None:
            alpha = float(req.alpha)
        elif rule["rule"] == "harmonized":
            alpha = harmonized_alpha(v[0], text_valid, rule["lambda"])
        else:
            alpha = float(rule["value"])

        scheduler = make_scheduler(json.loads((self.dir / g["scheduler"]["config"]).read_text()))
        scheduler.set_timesteps(steps)
        generator = torch.Generator().manual_seed(req.seed)
        latents = torch.from_numpy(req.noise.astype(np.float32)) * scheduler.init_noise_sigma
        run = GarmentRun(alpha=alpha, timesteps=[float(t) for t in scheduler.timesteps])
        text2 = np.concatenate([text_neg, text], 0).astype(np.float32)
        v2 = np.concatenate([v_neg, v], 0).astype(np.float32)
        alpha2 = np.full((2,), alpha, np.float32)
        sketch_feeds = {}
        if "sketchEncoder" in g["graphs"]:
            # The sketch route: the encoder once per run, its features on both rows, scaled 0 on the
            # negative row (the unconditional one, as training drops the sketch) and sketch_scale on the other.
            if req.control_image is None:
                raise ValueError("a pack with a sketchEncoder needs the line art (control_image)")
            features = self.run_graph("sketchEncoder", lineArt=req.control_image.astype(np.float32))["sketchFeatures"]
            chosen = 1.0 if req.sketch_scale is None else req.sketch_scale
            sketch_feeds = {"sketchFeatures": np.concatenate([features, features], 0).astype(np.float32),
                      "sketchScale": np.asarray([0.0, chosen], np.float32)}
        for t in scheduler.timesteps:
            x = scheduler.scale_model_input(latents, t).numpy().astype(np.float32)
            x2 = np.concatenate([x, x], 0)
            t2 = np.full((2,), float(t), np.float32)
            control = {}
            if "controlnet" in g["graphs"] and req.control_image is not None:
                cimg = np.concatenate([req.control_image] * 2, 0).astype(np.float32)
                # diffusers' conditioning_scale: every down and mid residual is multiplied by it.
                chosen = req.control_scale if req.control_scale is not None else defaults.get("controlScale", 1.0)
                scale = np.full((2,), chosen, np.float32)
                control = self.run_graph("controlnet", sample=x2, timestep=t2, textEmbeds=text2, controlImage=cimg,
                                         controlScale=scale)
            elif "controlnet" in g["graphs"]:
                spec = g["graphs"]["unet"]["inputs"]
                # No line art: zero residuals, i.e. the plain UNet.
                probe = self.run_graph("controlnet", sample=x2, timestep=t2, textEmbeds=text2,
                                       controlImage=np.zeros((2, 3, x.shape[2] * g["latents"]["downscale"],
                                                              x.shape[3] * g["latents"]["downscale"]), np.float32),
                                       controlScale=np.zeros((2,), np.float32))
                control = {k: np.zeros_like(v_) for k, v_ in probe.items() if k in spec}
            eps = self.run_graph("unet", sample=x2, timestep=t2, textEmbeds=text2, imagePromptEmbeds=v2, alpha=alpha2,
                                 **sketch_feeds, **control)["noisePred"]
            eps = eps[:1] + np.float32(guidance) * (eps[1:] - eps[:1])
            latents = scheduler.step(torch.from_numpy(eps), t, latents, generator=generator).prev_sample
            run.latents.append(latents.numpy().astype(np.float32).copy())
        scaled = (latents.numpy() / np.float32(g["latents"]["scalingFactor"])).astype(np.float32)
        run.image = self.run_graph("vaeDecoder", latents=scaled)["image"]
        return run
