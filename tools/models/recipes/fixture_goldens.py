"""Python references for the app's parity tests on the committed tiny recipe fixtures (fixtures.py
writes both; a rerun gives the same bytes). Each is made from the twins' own weights by code that
shares nothing with the recipe assemblers (no tensor map, no loraTargets):

tiny-sd15-garment-lcm/golden.{json,bin}
  graphs: the Python converter's pack (`convert sd15-ipadapter`) of the diffusers twin with the
      kohya LCM-LoRA merged into its UNet module by module (W + alpha/r * up @ down, float32), run
      with onnxruntime on fixed inputs: `<case>/in/<role>` -> `<case>/out/<role>` for every graph;
      `unetTorch`: diffusers' own UNet (IP-Adapter processors, the merged weights, no residuals);
      `vaeEncoder`: diffusers' AutoencoderKL latent_dist.mean.
  generation: pipeline.py over that pack with diffusers' LCMScheduler (the recipe's config), guidance
      1, both variants, line art at the pack's control scale; the step noise is the studio's own
      (noise.ts, ported here as StudioNoise) so both sides draw the same numbers.
tiny-chinese-clip-motif/golden.{json,bin}
  text / image: transformers' ChineseCLIPModel get_text_features / get_image_features.
  search: five small images (PIL bicubic to the pack's size), Chinese text queries and one image
      query, ranked by cosine of the L2-normalised features.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import numpy as np
import torch

from ..common.golden_io import GoldenWriter

LCM_CASE = {"prompt": "a white cotton shirt with a pointed collar and long sleeves", "steps": 8, "guidanceScale": 1.0, "seed": 11}
VARIANTS = ("imageBiased", "textBiased")
MOTIF_QUERIES = ("红色丝绸旗袍", "蓝色牡丹纹样", "黑色 velvet 卫衣")
MASK32 = 0xFFFFFFFF


class StudioNoise:
    """src/main/services/garment/noise.ts's GaussianNoise (splitmix32 seeding, xoshiro128**,
    Box-Muller in double rounded to float32), so the reference draws the studio's step noise."""

    def __init__(self, seed: int) -> None:
        self.s = [0, 0, 0, 0]
        x = seed & MASK32
        for i in range(4):
            x = (x + 0x9E3779B9) & MASK32
            z = x
            z = ((z ^ (z >> 16)) * 0x85EBCA6B) & MASK32
            z = ((z ^ (z >> 13)) * 0xC2B2AE35) & MASK32
            self.s[i] = (z ^ (z >> 16)) & MASK32

    @staticmethod
    def _rotl(x: int, k: int) -> int:
        return ((x << k) | (x >> (32 - k))) & MASK32

    def _next(self) -> int:
        s = self.s
        result = (self._rotl((s[1] * 5) & MASK32, 7) * 9) & MASK32
        t = (s[1] << 9) & MASK32
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = self._rotl(s[3], 11)
        return result

    def sample(self, count: int) -> np.ndarray:
        out = np.empty(count, np.float32)
        for i in range(0, count, 2):
            r = math.sqrt(-2 * math.log((self._next() + 0.5) / 4294967296))
            theta = 2 * math.pi * (self._next() + 0.5) / 4294967296
            out[i] = r * math.cos(theta)
            if i + 1 < count:
                out[i + 1] = r * math.sin(theta)
        return out


def merge_kohya_lora(unet, lora: dict[str, torch.Tensor]) -> int:
    """kohya's merge on diffusers' own modules: W += alpha / rank * up @ down, in float32."""
    from .layouts import kohya_name

    merged = set()
    with torch.no_grad():
        for name, module in unet.named_modules():
            prefix = kohya_name(name)
            if f"{prefix}.lora_down.weight" not in lora:
                continue
            down, up = lora[f"{prefix}.lora_down.weight"].float(), lora[f"{prefix}.lora_up.weight"].float()
            rank = down.shape[0]
            delta = up.reshape(up.shape[0], rank) @ down.reshape(rank, -1)
            module.weight += float(lora[f"{prefix}.alpha"].float()) / rank * delta.reshape(module.weight.shape)
            merged.add(prefix)
    modules = {k.split(".", 1)[0] for k in lora}
    if merged != modules:
        raise RuntimeError(f"LoRA modules with no diffusers module: {sorted(modules - merged)[:8]}")
    return len(merged)


def _run(pack: Path, key: str, section: str, **roles: np.ndarray) -> dict[str, np.ndarray]:
    import onnxruntime as ort

    m = json.loads((pack / "manifest.json").read_text())[section]["graphs"][key]
    options = ort.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    sess = ort.InferenceSession(str(pack / m["file"]), options, providers=["CPUExecutionProvider"])
    names = list(m["outputs"])
    out = sess.run([m["outputs"][n]["name"] for n in names], {m["inputs"][r]["name"]: v for r, v in roles.items()})
    return dict(zip(names, out))


def _add_case(w: GoldenWriter, case: str, graph: str, inputs: dict, outputs: dict) -> None:
    for role, value in inputs.items():
        w.add(f"{case}/in/{role}", value, "int64" if value.dtype == np.int64 else "float32")
    for role, value in outputs.items():
        w.add(f"{case}/out/{role}", value)
    w.meta["cases"][case] = {"graph": graph, "inputs": list(inputs), "outputs": list(outputs)}


def lcm_converter_pack(twins: dict[str, Path], scheduler_config: dict, work: Path) -> tuple[Path, object]:
    """`convert sd15-ipadapter` of the diffusers twin with the LoRA merged; the LCM scheduler set."""
    from diffusers import UNet2DConditionModel
    from safetensors.torch import load_file

    from ..__main__ import main

    sd15 = work / "sd15-lcm"
    shutil.copytree(twins["converter_sd15"], sd15)
    unet = UNet2DConditionModel.from_pretrained(str(sd15 / "unet")).eval()
    merge_kohya_lora(unet, load_file(str(twins["lcm"])))
    shutil.rmtree(sd15 / "unet")
    unet.save_pretrained(str(sd15 / "unet"))
    pack = work / "converted-lcm"
    code = main(["convert", "sd15-ipadapter", "--sd15", str(sd15), "--ip-adapter", str(twins["converter_ip_adapter"]),
                 "--image-encoder", str(twins["converter_image_encoder"]), "--controlnet", str(twins["converter_controlnet"]),
                 "--steps", "8", "--out", str(pack), "--id", "conv-lcm", "--name", "c", "--licence", "MIT"])
    if code != 0:
        raise RuntimeError(f"convert sd15-ipadapter failed with {code}")
    g = json.loads((pack / "manifest.json").read_text())["garment"]
    (pack / g["scheduler"]["config"]).write_text(json.dumps(scheduler_config, indent=2) + "\n")
    return pack, unet


def garment_inputs(seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    ids = np.full((2, 77), 49407, np.int64)
    ids[:, 0] = 49406
    ids[0, 1:5] = [320, 736, 13606, 6164]
    f = lambda *s: rng.standard_normal(s).astype(np.float32)  # noqa: E731
    return {"ids": ids, "pixels": f(2, 3, 32, 32), "embeds": f(2, 12), "sample": f(2, 4, 8, 8),
            "timestep": np.array([759.0, 99.0], np.float32), "text": f(2, 77, 8), "prompt": f(2, 4, 8),
            "alpha": np.array([1.0, 0.3], np.float32), "image": rng.uniform(0, 1, (2, 3, 64, 64)).astype(np.float32),
            "scale": np.array([0.8, 1.0], np.float32), "latents": f(2, 4, 8, 8), "rgb": rng.uniform(-1, 1, (2, 3, 64, 64)).astype(np.float32)}


def _torch_unet(unet, twins: dict[str, Path], x: dict[str, np.ndarray]) -> np.ndarray:
    """The LCM-merged diffusers UNet with h94's processors, one row at a time (a processor holds one scale)."""
    from safetensors.torch import load_file

    nested = {"image_proj": {}, "ip_adapter": {}}
    for key, value in load_file(str(twins["converter_ip_adapter"])).items():
        head, _, rest = key.partition(".")
        nested[head][rest] = value
    unet._load_ip_adapter_weights([nested])
    # The image-prompt tokens go in already projected, as the graph takes them.
    unet.encoder_hid_proj = None
    unet.config.encoder_hid_dim_type = None
    rows = []
    with torch.no_grad():
        for i in range(2):
            for proc in unet.attn_processors.values():
                if hasattr(proc, "scale"):
                    proc.scale = [float(x["alpha"][i])]
            rows.append(unet(torch.from_numpy(x["sample"][i:i + 1]), float(x["timestep"][i]),
                             encoder_hidden_states=(torch.from_numpy(x["text"][i:i + 1]), [torch.from_numpy(x["prompt"][i:i + 1])])).sample.numpy())
    return np.concatenate(rows, 0)


def lcm_goldens(twins: dict[str, Path], fixture: Path, work: Path) -> None:
    from diffusers import AutoencoderKL

    from ..garment.goldens import sketch_image
    from ..garment.pipeline import GarmentPack, GarmentRequest, preprocess_control

    scheduler_config = json.loads((fixture / "recipe" / "pack" / "scheduler" / "scheduler_config.json").read_text())
    pack, unet = lcm_converter_pack(twins, scheduler_config, work)
    w = GoldenWriter(fixture, "golden", {"case": LCM_CASE, "cases": {}, "runs": {}})
    x = garment_inputs()
    cases = {"textEncoder": {"ids": x["ids"]}, "imageEncoder": {"pixels": x["pixels"]}, "imageProjection": {"imageEmbeds": x["embeds"]},
             "controlnet": {"sample": x["sample"], "timestep": x["timestep"], "textEmbeds": x["text"], "controlImage": x["image"],
                            "controlScale": x["scale"]},
             "vaeDecoder": {"latents": x["latents"]}}
    outs = {k: _run(pack, k, "garment", **v) for k, v in cases.items()}
    cases["unet"] = {"sample": x["sample"], "timestep": x["timestep"], "textEmbeds": x["text"], "imagePromptEmbeds": x["prompt"],
                     "alpha": x["alpha"], **outs["controlnet"]}
    outs["unet"] = _run(pack, "unet", "garment", **cases["unet"])
    for key in cases:
        _add_case(w, key, key, cases[key], outs[key])
    zeros = {k: np.zeros_like(v) for k, v in outs["controlnet"].items()}
    torch_in = {**cases["unet"], **zeros}
    want = _torch_unet(unet, twins, x)
    onnx_zero = _run(pack, "unet", "garment", **torch_in)["noisePred"]
    w.meta["unetTorchVsConverter"] = float(np.abs(want - onnx_zero).max())
    _add_case(w, "unetTorch", "unet", torch_in, {"noisePred": want})
    vae = AutoencoderKL.from_pretrained(str(twins["converter_sd15"] / "vae")).eval()
    with torch.no_grad():
        mean = vae.encode(torch.from_numpy(x["rgb"])).latent_dist.mean.numpy()
    _add_case(w, "vaeEncoder", "vaeEncoder", {"image": x["rgb"]}, {"latentMean": mean})

    # Generation: the studio's step noise in place of torch's (diffusers' LCMScheduler draws it here).
    import diffusers.schedulers.scheduling_lcm as scheduling_lcm

    p = GarmentPack(pack, threads=1)
    g = p.g
    d = g["defaults"]
    width, height, down = d["width"], d["height"], g["latents"]["downscale"]
    size = g["latents"]["channels"] * (height // down) * (width // down)
    noise = np.random.default_rng(LCM_CASE["seed"]).standard_normal((1, g["latents"]["channels"], height // down, width // down)).astype(np.float32)
    sketch, line_art = sketch_image(g["preprocess"]["sketch"]["imageSize"]), sketch_image(width)
    control = preprocess_control(line_art, g["preprocess"]["control"], width, height)
    w.add("sketch", sketch, "uint8")
    w.add("lineArt", line_art, "uint8")
    w.add("noise", noise)
    original = scheduling_lcm.randn_tensor
    try:
        for variant in VARIANTS:
            studio = StudioNoise(LCM_CASE["seed"])
            scheduling_lcm.randn_tensor = lambda shape, **_: torch.from_numpy(studio.sample(size).reshape(shape))  # noqa: B023
            choice = d["variants"][variant]["alpha"]
            run = p.generate(GarmentRequest(prompt=LCM_CASE["prompt"], sketch=sketch, noise=noise, alpha=None if choice == "rule" else float(choice),
                                            steps=LCM_CASE["steps"], guidance_scale=LCM_CASE["guidanceScale"], control_image=control))
            w.add(f"{variant}/latents_last", run.latents[-1])
            w.add(f"{variant}/image", run.image)
            w.meta["runs"][variant] = {"alpha": run.alpha, "timesteps": run.timesteps}
    finally:
        scheduling_lcm.randn_tensor = original
    w.add("stepNoise", StudioNoise(LCM_CASE["seed"]).sample(size * 2))
    w.write()


def motif_images() -> list[np.ndarray]:
    """Five small uint8 images of different sizes: stripes, checks, a disc, a gradient, noise."""
    rng = np.random.default_rng(21)
    yy, xx = np.mgrid[0:60, 0:72]
    stripes = np.stack([(xx // 6 % 2) * 200 + 30, np.full_like(xx, 40), np.full_like(xx, 60)], -1)
    checks = np.stack([((xx // 9 + yy // 9) % 2) * 180 + 40] * 3, -1)
    disc = np.where(((xx - 36) ** 2 + (yy - 30) ** 2 < 400)[..., None], [200, 30, 40], [250, 240, 220])
    gradient = np.stack([xx * 3, yy * 4, 255 - xx * 3], -1)
    speckle = rng.integers(0, 256, (60, 72, 3))
    return [np.clip(a, 0, 255).astype(np.uint8) for a in (stripes, checks, disc, gradient, speckle)]


def motif_pixels(rgb: np.ndarray, spec: dict) -> np.ndarray:
    """cn_clip's transform as preprocess.ts does it: PIL bicubic stretch, float32 arithmetic."""
    from PIL import Image

    s = spec["imageSize"]
    x = np.asarray(Image.fromarray(rgb).resize((s, s), Image.BICUBIC)).astype(np.float32) * np.float32(spec["rescale"])
    x = (x - np.asarray(spec["mean"], np.float32)) / np.asarray(spec["std"], np.float32)
    return x.transpose(2, 0, 1)[None].astype(np.float32)


def _ranking(scores: np.ndarray) -> tuple[list[int], float]:
    order = [int(i) for i in np.argsort(-scores, kind="stable")]
    gap = float(min(scores[a] - scores[b] for a, b in zip(order, order[1:])))
    return order, gap


def motif_goldens(twin: Path, fixture: Path) -> None:
    from transformers import BertTokenizer, ChineseCLIPModel

    model = ChineseCLIPModel.from_pretrained(str(twin.parent), attn_implementation="eager").eval()
    m = json.loads((fixture / "recipe" / "recipe.json").read_text())["manifest"]["motif"]
    tokenizer = BertTokenizer(str(fixture / "recipe" / "pack" / "vocab.txt"))
    context = m["tokenizer"]["contextLength"]
    w = GoldenWriter(fixture, "golden", {"cases": {}, "queries": list(MOTIF_QUERIES), "search": {}})
    rng = np.random.default_rng(5)
    ids = np.zeros((2, context), np.int64)
    ids[0, :9] = [101, *rng.integers(103, 21128, 7), 102]
    ids[1, :3] = [101, 2769, 102]
    mask = (ids != 0).astype(np.int64)
    pixels = rng.standard_normal((2, 3, m["preprocess"]["imageSize"], m["preprocess"]["imageSize"])).astype(np.float32)
    with torch.no_grad():
        text = model.get_text_features(input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask),
                                       token_type_ids=torch.zeros_like(torch.from_numpy(ids))).numpy()
        image = model.get_image_features(pixel_values=torch.from_numpy(pixels)).numpy()
    _add_case(w, "text", "text", {"ids": ids, "attentionMask": mask, "tokenTypeIds": np.zeros_like(ids)}, {"features": text})
    _add_case(w, "image", "image", {"pixels": pixels}, {"features": image})

    images = motif_images()
    for i, rgb in enumerate(images):
        w.add(f"search/image{i}", rgb, "uint8")
    unit = lambda v: v / np.linalg.norm(v, axis=-1, keepdims=True)  # noqa: E731
    with torch.no_grad():
        gallery = unit(model.get_image_features(pixel_values=torch.from_numpy(np.concatenate([motif_pixels(a, m["preprocess"]) for a in images]))).numpy())
        queries = tokenizer(list(MOTIF_QUERIES), padding="max_length", max_length=context, truncation=True, return_tensors="pt")
        words = unit(model.get_text_features(**queries).numpy())
    w.add("search/queryIds", queries["input_ids"].numpy(), "int64")
    for q, text_query in enumerate(MOTIF_QUERIES):
        order, gap = _ranking(gallery @ words[q])
        w.meta["search"][text_query] = {"ranking": order, "scores": [float(s) for s in gallery @ words[q]], "smallestGap": gap}
    scores = gallery @ gallery[2]
    order, gap = _ranking(scores)
    w.meta["search"]["image2"] = {"ranking": order, "scores": [float(s) for s in scores], "smallestGap": gap}
    w.write()


def write_all(twins: dict[str, Path], lcm_fixture: Path, motif_fixture: Path, work: Path) -> None:
    work.mkdir(parents=True, exist_ok=True)
    lcm_goldens(twins, lcm_fixture, work)
    motif_goldens(twins["chinese_clip"], motif_fixture)
