"""Tiny recipes assembled from the twins equal what the Python converters make from the same weights:
every graph output within 1e-5 (`convert sd15-ipadapter`, `convert chinese-clip`); the VAE encoder and
the LCM-LoRA merge against diffusers' models and kohya's LoRA forward."""

from __future__ import annotations

import json

import numpy as np
import onnxruntime as ort
import pytest
import torch

from tools.models.__main__ import main

ATOL = 1e-5


@pytest.fixture(scope="module")
def converted(twins, tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("converted")
    assert main(["convert", "sd15-ipadapter", "--sd15", str(twins["converter_sd15"]),
                 "--ip-adapter", str(twins["converter_ip_adapter"]), "--image-encoder", str(twins["converter_image_encoder"]),
                 "--controlnet", str(twins["converter_controlnet"]), "--out", str(root / "sd15"), "--id", "conv-sd15",
                 "--name", "c", "--licence", "MIT"]) == 0
    assert main(["convert", "chinese-clip", str(twins["chinese_clip"].parent), str(root / "motif")]) == 0
    return {"sd15": root / "sd15", "motif": root / "motif"}


def run(pack, key, section, **roles):
    m = json.loads((pack / "manifest.json").read_text())[section]["graphs"][key]
    sess = ort.InferenceSession(str(pack / m["file"]), providers=["CPUExecutionProvider"])
    names = list(m["outputs"])
    out = sess.run([m["outputs"][n]["name"] for n in names], {m["inputs"][r]["name"]: v for r, v in roles.items()})
    return dict(zip(names, out))


def garment_inputs(seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    ids = np.full((2, 77), 49407, np.int64)
    ids[:, 0] = 49406
    ids[0, 1:5] = [320, 736, 13606, 6164]
    f = lambda *s: rng.standard_normal(s).astype(np.float32)  # noqa: E731
    return {"ids": ids, "pixels": f(2, 3, 32, 32), "embeds": f(2, 12), "sample": f(2, 4, 8, 8), "timestep": np.array([601.0, 21.0], np.float32),
            "text": f(2, 77, 8), "prompt": f(2, 4, 8), "alpha": np.array([0.7, 0.3], np.float32), "image": rng.uniform(0, 1, (2, 3, 64, 64)).astype(np.float32),
            "scale": np.array([0.8, 1.0], np.float32), "latents": f(2, 4, 8, 8), "rgb": rng.uniform(-1, 1, (2, 3, 64, 64)).astype(np.float32)}


def garment_outputs(pack) -> dict:
    x = garment_inputs()
    out = {"textEncoder": run(pack, "textEncoder", "garment", ids=x["ids"]),
           "imageEncoder": run(pack, "imageEncoder", "garment", pixels=x["pixels"]),
           "imageProjection": run(pack, "imageProjection", "garment", imageEmbeds=x["embeds"]),
           "controlnet": run(pack, "controlnet", "garment", sample=x["sample"], timestep=x["timestep"], textEmbeds=x["text"],
                             controlImage=x["image"], controlScale=x["scale"]),
           "vaeDecoder": run(pack, "vaeDecoder", "garment", latents=x["latents"])}
    out["unet"] = run(pack, "unet", "garment", sample=x["sample"], timestep=x["timestep"], textEmbeds=x["text"],
                      imagePromptEmbeds=x["prompt"], alpha=x["alpha"], **out["controlnet"])
    return out


def test_assembled_garment_pack_equals_convert_sd15_ipadapter(packs, converted):
    got, want = garment_outputs(packs["sd15-garment"]), garment_outputs(converted["sd15"])
    assert set(got) == set(want)
    for graph, outputs in want.items():
        for role, value in outputs.items():
            np.testing.assert_allclose(got[graph][role], value, rtol=0, atol=ATOL, err_msg=f"{graph}.{role}")
            assert np.abs(value).max() > 1e-3, f"{graph}.{role} is near zero; the comparison would mean nothing"


def test_assembled_manifest_is_the_converters_plus_the_vae_encoder(packs, converted):
    got = json.loads((packs["sd15-garment"] / "manifest.json").read_text())["garment"]
    want = json.loads((converted["sd15"] / "manifest.json").read_text())["garment"]
    assert set(got["graphs"]) == set(want["graphs"]) | {"vaeEncoder"}
    for key, graph in want["graphs"].items():
        assert got["graphs"][key]["inputs"] == graph["inputs"] and got["graphs"][key]["outputs"] == graph["outputs"], key
    for section in ("tokenizer", "preprocess", "latents", "conditioning"):
        assert got[section] == want[section], section


def test_vae_encoder_gives_diffusers_latent_mean(packs, twins):
    from diffusers import AutoencoderKL

    vae = AutoencoderKL.from_pretrained(str(twins["converter_sd15"] / "vae")).eval()
    rgb = garment_inputs()["rgb"]
    with torch.no_grad():
        want = vae.encode(torch.from_numpy(rgb)).latent_dist.mean.numpy()
    got = run(packs["sd15-garment"], "vaeEncoder", "garment", image=rgb)["latentMean"]
    assert got.shape == (2, 4, 8, 8)
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=ATOL)


def test_assembled_motif_pack_equals_convert_chinese_clip(packs, converted):
    rng = np.random.default_rng(5)
    pack = packs["chinese-clip-motif"]
    m = json.loads((pack / "manifest.json").read_text())["motif"]
    assert m["layout"] == "hf-chinese-clip"
    for length in (3, 9):
        ids = np.zeros((1, 52), np.int64)
        ids[0, :length] = [101, *rng.integers(103, 21128, length - 2), 102]
        got = run(pack, "text", "motif", ids=ids, attentionMask=(ids != 0).astype(np.int64), tokenTypeIds=np.zeros_like(ids))
        want = run(converted["motif"], "text", "motif", ids=ids)
        np.testing.assert_allclose(got["features"], want["features"], rtol=0, atol=ATOL)
    pixels = rng.standard_normal((1, 3, 64, 64)).astype(np.float32)
    np.testing.assert_allclose(run(pack, "image", "motif", pixels=pixels)["features"],
                               run(converted["motif"], "image", "motif", pixels=pixels)["features"], rtol=0, atol=ATOL)


def _kohya_forward_hooks(unet, lora: dict[str, torch.Tensor]):
    """kohya's LoRAModule forward: org(x) + up(down(x)) * alpha / rank, on diffusers' own UNet modules."""
    import torch.nn.functional as F

    from tools.models.recipes.layouts import kohya_name

    handles = []
    for name, module in unet.named_modules():
        prefix = kohya_name(name)
        if f"{prefix}.lora_down.weight" not in lora:
            continue
        down, up = lora[f"{prefix}.lora_down.weight"].float(), lora[f"{prefix}.lora_up.weight"].float()
        scale = float(lora[f"{prefix}.alpha"]) / down.shape[0]

        def hook(mod, args, out, down=down, up=up, scale=scale):
            x = args[0]
            if isinstance(mod, torch.nn.Conv2d):
                h = F.conv2d(x, down, stride=mod.stride, padding=mod.padding)
                return out + scale * F.conv2d(h, up)
            return out + scale * F.linear(F.linear(x, down), up)

        handles.append(module.register_forward_hook(hook))
    return handles


def test_lcm_lora_merge_equals_kohya_lora_forward_on_diffusers_ip_adapter_unet(packs, twins):
    from diffusers import UNet2DConditionModel
    from safetensors.torch import load_file

    lora = load_file(str(twins["lcm"]))
    unet = UNet2DConditionModel.from_pretrained(str(twins["converter_sd15"] / "unet")).eval()
    nested = {"image_proj": {}, "ip_adapter": {}}
    for key, value in load_file(str(twins["converter_ip_adapter"])).items():
        head, _, rest = key.partition(".")
        nested[head][rest] = value
    unet._load_ip_adapter_weights([nested])
    x = garment_inputs(1)
    for proc in unet.attn_processors.values():
        if hasattr(proc, "scale"):
            proc.scale = [float(x["alpha"][0])]
    pack = packs["sd15-garment-lcm"]
    sample, t, text, prompt = (x[k][:1] for k in ("sample", "timestep", "text", "prompt"))
    zeros = {k: np.zeros_like(v) for k, v in run(pack, "controlnet", "garment", sample=sample, timestep=t, textEmbeds=text,
                                                   controlImage=x["image"][:1], controlScale=np.zeros(1, np.float32)).items()}
    got = run(pack, "unet", "garment", sample=sample, timestep=t, textEmbeds=text, imagePromptEmbeds=prompt,
              alpha=x["alpha"][:1], **zeros)["noisePred"]
    base = run(packs["sd15-garment"], "unet", "garment", sample=sample, timestep=t, textEmbeds=text, imagePromptEmbeds=prompt,
               alpha=x["alpha"][:1], **zeros)["noisePred"]
    image_embeds = torch.from_numpy(x["embeds"][:1])
    handles = _kohya_forward_hooks(unet, lora)
    with torch.no_grad():
        # the image-prompt tokens go in as the projection's output: feed the projected tokens through diffusers' path
        unet.encoder_hid_proj = None
        unet.config.encoder_hid_dim_type = None
        want = unet(torch.from_numpy(sample), float(t[0]), encoder_hidden_states=(torch.from_numpy(text), [torch.from_numpy(prompt)])).sample.numpy()
    for h in handles:
        h.remove()
    del image_embeds
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=ATOL)
    assert np.abs(got - base).max() > 1e-2  # the LoRA really changed the UNet


def test_lcm_recipe_has_the_lcm_scheduler_and_defaults(packs):
    m = json.loads((packs["sd15-garment-lcm"] / "manifest.json").read_text())["garment"]
    config = json.loads((packs["sd15-garment-lcm"] / m["scheduler"]["config"]).read_text())
    assert config["_class_name"] == "LCMScheduler" and config["beta_schedule"] == "scaled_linear"
    assert m["defaults"]["steps"] == 8 and m["defaults"]["guidanceScale"] == 1.0


def test_spatial_sizes_stay_dynamic_in_the_templates(packs, converted):
    """Templates are exported at one latent size; a 16 x 12 latent (128 x 96 px) must run and agree too."""
    rng = np.random.default_rng(9)
    f = lambda *s: rng.standard_normal(s).astype(np.float32)  # noqa: E731
    sample, text, prompt = f(1, 4, 16, 12), f(1, 77, 8), f(1, 4, 8)
    t, alpha = np.array([400.0], np.float32), np.array([0.6], np.float32)
    image = rng.uniform(0, 1, (1, 3, 128, 96)).astype(np.float32)
    results = []
    for pack in (packs["sd15-garment"], converted["sd15"]):
        control = run(pack, "controlnet", "garment", sample=sample, timestep=t, textEmbeds=text, controlImage=image,
                      controlScale=np.ones(1, np.float32))
        results.append({**control, "noisePred": run(pack, "unet", "garment", sample=sample, timestep=t, textEmbeds=text,
                                                     imagePromptEmbeds=prompt, alpha=alpha, **control)["noisePred"],
                        "image": run(pack, "vaeDecoder", "garment", latents=sample)["image"]})
    assert results[0]["noisePred"].shape == (1, 4, 16, 12) and results[0]["image"].shape == (1, 3, 128, 96)
    for role, value in results[1].items():
        np.testing.assert_allclose(results[0][role], value, rtol=0, atol=ATOL, err_msg=role)
    latent = run(packs["sd15-garment"], "vaeEncoder", "garment", image=image * 2 - 1)["latentMean"]
    assert latent.shape == (1, 4, 16, 12)
