"""The SD 1.5 + IP-Adapter + ControlNet pipeline golden says what it claims: the pack is the converter's
(ControlNet included), the ControlNet really moves the run (so a runtime that skipped it would fail the
TypeScript parity test), and the scale-0 run is the plain UNet. Byte-for-byte regeneration is in
test_goldens.py with the other garment goldens."""

from __future__ import annotations

import json

import numpy as np

from tools.models.common.golden_io import read_golden
from tools.models.garment.goldens import GOLDEN_DIR
from tools.models.garment.goldens_sd15 import SD15_CASE, SD15_PACK


def golden():
    return read_golden(GOLDEN_DIR / "garment_sd15_pipeline.json")


def test_the_pack_is_sd15_ip_adapter_with_a_lineart_controlnet():
    g = json.loads((GOLDEN_DIR / SD15_PACK / "manifest.json").read_text())["garment"]
    assert g["architecture"] == "sd15-ip-adapter" and "controlnet" in g["graphs"]
    assert g["preprocess"]["control"]["kind"] == "lineart" and g["preprocess"]["control"]["invert"] is True
    residuals = sorted(r for r in g["graphs"]["unet"]["inputs"] if r.startswith("control"))
    assert residuals == sorted(g["graphs"]["controlnet"]["outputs"]) and len(residuals) == 5


def test_the_controlnet_moves_every_variant_and_both_variants_differ():
    meta, arrays = golden()
    for variant in ("imageBiased", "textBiased"):
        assert meta["runs"][f"plain/{variant}"]["controlScale"] == 0.0
        assert meta["runs"][f"lineart/{variant}"]["controlScale"] == 1.0
        for key in ("latents_first", "latents_last", "image"):
            # Far above the parity tolerances (1e-3 on latents, 2/255 on the image).
            assert np.abs(arrays[f"lineart/{variant}/{key}"] - arrays[f"plain/{variant}/{key}"]).max() > 0.05
    assert np.abs(arrays["plain/imageBiased/latents_last"] - arrays["plain/textBiased/latents_last"]).max() > 0.5


def test_scale_zero_is_the_plain_unet():
    from tools.models.garment.pipeline import GarmentPack, GarmentRequest

    meta, arrays = golden()
    p = GarmentPack(GOLDEN_DIR / SD15_PACK, threads=1)
    # No line art: the reference feeds zero residuals, i.e. the UNet without the ControlNet.
    run = p.generate(GarmentRequest(prompt=SD15_CASE["prompt"], sketch=arrays["sketch"], noise=arrays["noise"], alpha=1.0,
                                    steps=SD15_CASE["steps"], guidance_scale=SD15_CASE["guidanceScale"]))
    # Within float noise of another CPU's kernels (the golden may come from another machine).
    for got, want in ((run.latents[-1], arrays["plain/imageBiased/latents_last"]), (run.image, arrays["plain/imageBiased/image"])):
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-5 * max(1.0, float(np.abs(want).max())))
    assert meta["runs"]["plain/imageBiased"]["timesteps"] == run.timesteps


def test_the_line_art_itself_steers_the_controlnet():
    from tools.models.garment.pipeline import GarmentPack, GarmentRequest, preprocess_control

    _, arrays = golden()
    p = GarmentPack(GOLDEN_DIR / SD15_PACK, threads=1)
    g = p.g
    # Blank paper instead of the flat: same scale, so only the conditioning image changed.
    blank = np.full_like(arrays["lineArt"], 255)
    control = preprocess_control(blank, g["preprocess"]["control"], g["defaults"]["width"], g["defaults"]["height"])
    run = p.generate(GarmentRequest(prompt=SD15_CASE["prompt"], sketch=arrays["sketch"], noise=arrays["noise"], alpha=1.0,
                                    steps=SD15_CASE["steps"], guidance_scale=SD15_CASE["guidanceScale"], control_image=control))
    assert np.abs(run.latents[-1] - arrays["lineart/imageBiased/latents_last"]).max() > 0.05


def test_the_golden_is_what_diffusers_own_controlnet_pipeline_computes(tmp_path):
    """The reference runs the pack's ONNX graphs; here the same tiny checkpoints run through diffusers'
    StableDiffusionControlNetPipeline with load_ip_adapter, so the golden is the diffusers way by test."""
    import torch
    from diffusers import AutoencoderKL, ControlNetModel, DDIMScheduler, StableDiffusionControlNetPipeline, UNet2DConditionModel
    from transformers import CLIPTextModel, CLIPTokenizer, CLIPVisionModelWithProjection

    from tools.models.garment.pipeline import preprocess_image
    from tools.models.garment.tiny import write_sd15_ip_adapter_checkpoints

    meta, arrays = golden()
    g = json.loads((GOLDEN_DIR / SD15_PACK / "manifest.json").read_text())["garment"]
    ckpt = write_sd15_ip_adapter_checkpoints(tmp_path, seed=0, with_controlnet=True)  # as goldens_sd15.sd15_pack
    sd = ckpt["sd15"]
    image_encoder = CLIPVisionModelWithProjection.from_pretrained(str(ckpt["image_encoder"])).eval()
    pipe = StableDiffusionControlNetPipeline(
        vae=AutoencoderKL.from_pretrained(str(sd / "vae")), text_encoder=CLIPTextModel.from_pretrained(str(sd / "text_encoder")),
        tokenizer=CLIPTokenizer.from_pretrained(str(sd / "tokenizer")), unet=UNet2DConditionModel.from_pretrained(str(sd / "unet")),
        controlnet=ControlNetModel.from_pretrained(str(ckpt["controlnet"])), scheduler=DDIMScheduler.from_pretrained(str(sd / "scheduler")),
        safety_checker=None, feature_extractor=None, image_encoder=image_encoder, requires_safety_checker=False)
    pipe.load_ip_adapter(str(ckpt["ip_adapter"].parent), subfolder="", weight_name=ckpt["ip_adapter"].name)
    pipe.set_progress_bar_config(disable=True)
    with torch.no_grad():
        e = image_encoder(torch.from_numpy(preprocess_image(arrays["sketch"], g["preprocess"]["sketch"]))).image_embeds
    # diffusers' negative image condition for a plain IP-Adapter is zero embeddings, as the contract's.
    embeds = torch.cat([torch.zeros_like(e), e])[:, None]
    side = g["defaults"]["width"]
    for key, run in meta["runs"].items():
        pipe.set_ip_adapter_scale(run["alpha"])
        seen = []

        def keep(_pipe, _i, _t, kwargs):
            seen.append(kwargs["latents"].numpy().copy())
            return kwargs

        with torch.no_grad():
            latents = pipe(SD15_CASE["prompt"], image=torch.from_numpy(arrays["controlImage"]), height=side, width=side,
                           num_inference_steps=SD15_CASE["steps"], guidance_scale=SD15_CASE["guidanceScale"],
                           latents=torch.from_numpy(arrays["noise"]), ip_adapter_image_embeds=[embeds],
                           controlnet_conditioning_scale=run["controlScale"], output_type="latent",
                           callback_on_step_end=keep).images
            image = pipe.vae.decode(latents / pipe.vae.config.scaling_factor, return_dict=False)[0].numpy()
        for step, name in ((0, "first"), (run["middleStep"], "middle"), (len(seen) - 1, "last")):
            np.testing.assert_allclose(seen[step], arrays[f"{key}/latents_{name}"], rtol=0, atol=2e-4, err_msg=f"{key} {name}")
        np.testing.assert_allclose(image, arrays[f"{key}/image"], rtol=0, atol=1e-4, err_msg=key)
