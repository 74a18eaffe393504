"""The image-to-image golden (garment/goldens_img2img.py) says what it claims: the ONNX reference is
diffusers' own StableDiffusionControlNetImg2ImgPipeline on the same tiny weights, the VAE encoder's
mean is AutoencoderKL's, and the colorway really moves the run (a runtime that ignored it would fail
the TypeScript parity test)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tools.models.common.golden_io import read_golden
from tools.models.garment.goldens import GOLDEN_DIR
from tools.models.garment.goldens_img2img import CASE, FIXTURE, NAME


def golden():
    return read_golden(GOLDEN_DIR / f"{NAME}.json")


@pytest.fixture(scope="module")
def twins(tmp_path_factory) -> dict[str, Path]:
    from tools.models.recipes.twins import write_garment_twins

    paths = write_garment_twins(tmp_path_factory.mktemp("twins"), seed=3)
    # The app's fixture is these very twins, so diffusers below runs the golden pack's weights.
    for role, name in (("checkpoint", "checkpoint"), ("controlnet", "controlnet"), ("ip_adapter", "ip_adapter")):
        assert paths[role].read_bytes() == (FIXTURE / "sources" / f"{name}.safetensors").read_bytes(), role
    return paths


def test_the_start_is_add_noise_of_the_scaled_mean_at_the_first_kept_timestep():
    meta, arrays = golden()
    steps, strength = CASE["steps"], CASE["strength"]
    assert len(meta["runs"]["imageBiased"]["timesteps"]) == int(steps * strength)
    np.testing.assert_array_equal(arrays["startLatents"], arrays["addNoise/ddim"])
    # Far above the parity tolerance: the colorway is in the start, and the samplers differ.
    assert np.abs(arrays["initLatents"]).max() > 0.05
    assert np.abs(arrays["addNoise/euler-ancestral"] - arrays["addNoise/ddim"]).max() > 0.5


def test_the_golden_is_what_diffusers_own_controlnet_img2img_pipeline_computes(twins):
    import torch
    from diffusers import AutoencoderKL, ControlNetModel, DDIMScheduler, StableDiffusionControlNetImg2ImgPipeline, UNet2DConditionModel
    from transformers import CLIPTextModel, CLIPTokenizer, CLIPVisionModelWithProjection

    from tools.models.garment.pipeline import preprocess_control, preprocess_image

    meta, arrays = golden()
    sd = twins["converter_sd15"]
    image_encoder = CLIPVisionModelWithProjection.from_pretrained(str(twins["converter_image_encoder"])).eval()
    vae = AutoencoderKL.from_pretrained(str(sd / "vae")).eval()
    pipe = StableDiffusionControlNetImg2ImgPipeline(
        vae=vae, text_encoder=CLIPTextModel.from_pretrained(str(sd / "text_encoder")),
        tokenizer=CLIPTokenizer.from_pretrained(str(sd / "tokenizer")), unet=UNet2DConditionModel.from_pretrained(str(sd / "unet")),
        controlnet=ControlNetModel.from_pretrained(str(twins["converter_controlnet"])),
        scheduler=DDIMScheduler.from_pretrained(str(sd / "scheduler")), safety_checker=None, feature_extractor=None,
        image_encoder=image_encoder, requires_safety_checker=False)
    ip = twins["converter_ip_adapter"]
    pipe.load_ip_adapter(str(ip.parent), subfolder="", weight_name=ip.name)
    pipe.set_progress_bar_config(disable=True)
    colorway = torch.from_numpy(arrays["colorway"].astype(np.float32) / 255).permute(2, 0, 1)[None]
    with torch.no_grad():
        # The contract's encoder gives the mean (retrieve_latents' "argmax"), not a draw from it.
        init = vae.encode(colorway * 2 - 1).latent_dist.mean * vae.config.scaling_factor
        sketch = preprocess_image(arrays["sketch"], {"imageSize": 32, "rescale": 1 / 255, "mean": [0.48145466, 0.4578275, 0.40821073],
                                                     "std": [0.26862954, 0.26130258, 0.27577711]})
        e = image_encoder(torch.from_numpy(sketch)).image_embeds
    np.testing.assert_allclose(init.numpy(), arrays["initLatents"], rtol=0, atol=2e-5)
    embeds = torch.cat([torch.zeros_like(e), e])[:, None]
    control = preprocess_control(arrays["lineArt"], {"rescale": 1 / 255, "invert": True}, 64, 64)
    for variant, run in meta["runs"].items():
        pipe.set_ip_adapter_scale(run["alpha"])
        seen = []

        def keep(_pipe, _i, _t, kwargs):
            seen.append(kwargs["latents"].numpy().copy())
            return kwargs

        with torch.no_grad():
            # Latents as the image: diffusers skips its VAE and scaling and adds the generator's noise.
            pipe(CASE["prompt"], image=init, control_image=torch.from_numpy(control), height=64, width=64, strength=CASE["strength"],
                 num_inference_steps=CASE["steps"], guidance_scale=CASE["guidanceScale"], ip_adapter_image_embeds=[embeds],
                 controlnet_conditioning_scale=1.0, output_type="latent", generator=torch.Generator().manual_seed(CASE["seed"]),
                 callback_on_step_end=keep)
        assert len(seen) == len(run["timesteps"])
        np.testing.assert_allclose(seen[0], arrays[f"{variant}/latents_first"], rtol=0, atol=2e-4, err_msg=variant)
        np.testing.assert_allclose(seen[-1], arrays[f"{variant}/latents_last"], rtol=0, atol=5e-4, err_msg=variant)
