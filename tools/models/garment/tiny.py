"""Tiny random-weight models built with the same diffusers/transformers classes as SD 1.5, its
OpenCLIP image encoder, IP-Adapter and a line-art ControlNet, saved in the layouts real checkpoints
come in. The converter tests and the golden pack use them, so the path a real checkpoint takes runs
end to end in CI in seconds. Everything is seeded: the same call writes the same weights."""

from __future__ import annotations

import json
from pathlib import Path

import torch

from ..common.clip_bpe import write_tokenizer_files
from .components import ip_adapter_state_from_processors, save_fabric_fusion, save_sketch_route, write_ip_adapter
from .modules import FabricFusion, SketchRoute

CROSS_DIM = 8  # text hidden size = UNet cross-attention width, kept tiny: the token table is 49408 rows
VISION_DIM = 16
PROJECTION_DIM = 12
IMAGE_SIZE = 32
LATENT_SIZE = 8

# SD 1.5's noise schedule in DDIM's config (SD ships PNDM with the same betas).
SD15_SCHEDULER = {
    "_class_name": "DDIMScheduler",
    "_diffusers_version": "0.31.0",
    "beta_end": 0.012,
    "beta_schedule": "scaled_linear",
    "beta_start": 0.00085,
    "clip_sample": False,
    "num_train_timesteps": 1000,
    "prediction_type": "epsilon",
    "set_alpha_to_one": False,
    "steps_offset": 1,
    "timestep_spacing": "leading",
    "trained_betas": None,
}

DEFAULT_FABRICS = {
    "labels": ["solid", "stripe", "plaid", "dot", "denim", "knit", "silk", "brocade"],
    "synonyms": {"jeans": "denim", "jean": "denim", "checked": "plaid", "tartan": "plaid", "gingham": "plaid",
                 "polka": "dot", "satin": "silk", "rib": "knit", "jersey": "knit", "damask": "brocade",
                 "牛仔": "denim", "丝绸": "silk", "格子": "plaid", "条纹": "stripe", "波点": "dot", "针织": "knit", "织锦": "brocade"},
}


def text_encoder():
    from transformers import CLIPTextConfig, CLIPTextModel

    config = CLIPTextConfig(vocab_size=49408, hidden_size=CROSS_DIM, intermediate_size=16, num_hidden_layers=1,
                            num_attention_heads=2, max_position_embeddings=77, projection_dim=CROSS_DIM,
                            bos_token_id=49406, eos_token_id=49407, pad_token_id=49407)
    return CLIPTextModel(config).eval()


def image_encoder():
    from transformers import CLIPVisionConfig, CLIPVisionModelWithProjection

    config = CLIPVisionConfig(image_size=IMAGE_SIZE, patch_size=8, hidden_size=VISION_DIM, intermediate_size=32,
                              num_hidden_layers=1, num_attention_heads=2, projection_dim=PROJECTION_DIM)
    return CLIPVisionModelWithProjection(config).eval()


def unet():
    from diffusers import UNet2DConditionModel

    return UNet2DConditionModel(sample_size=LATENT_SIZE, in_channels=4, out_channels=4, block_out_channels=(8, 16),
                                layers_per_block=1, down_block_types=("CrossAttnDownBlock2D", "DownBlock2D"),
                                up_block_types=("UpBlock2D", "CrossAttnUpBlock2D"), cross_attention_dim=CROSS_DIM,
                                attention_head_dim=2, norm_num_groups=4).eval()


def vae():
    from diffusers import AutoencoderKL

    blocks = 4  # three downsamplings: latents are 1/8 of the image, as in SD 1.5
    return AutoencoderKL(in_channels=3, out_channels=3, latent_channels=4, block_out_channels=(8,) * blocks,
                         down_block_types=("DownEncoderBlock2D",) * blocks, up_block_types=("UpDecoderBlock2D",) * blocks,
                         layers_per_block=1, norm_num_groups=4, sample_size=LATENT_SIZE * 8).eval()


def controlnet(base_unet):
    from diffusers import ControlNetModel

    net = ControlNetModel.from_unet(base_unet, conditioning_embedding_out_channels=(4, 8, 8, 16))
    # A fresh ControlNet's zero convolutions (controlnet_down_blocks, controlnet_mid_block and the
    # conditioning embedding's conv_out) output zeros, and PyTorch's default init fades a thin line
    # out of the conditioning embedding's stack of convolutions: He-normal weights there and random
    # zero convolutions make the residuals, and the line art through them, visible to the tests.
    with torch.no_grad():
        for name, param in net.named_parameters():
            if name.startswith(("controlnet_down_blocks.", "controlnet_mid_block.")):
                param.normal_(0.0, 0.05)
            elif name.startswith("controlnet_cond_embedding.") and name.endswith(".weight"):
                param.normal_(0.0, (2.0 / param[0].numel()) ** 0.5)
            elif name.startswith("controlnet_cond_embedding."):
                param.zero_()
    return net.eval()


def ip_adapter_state(base_unet, tokens: int = 4) -> tuple[dict, dict]:
    """Random IP-Adapter weights in the official ip-adapter_sd15 layout: image_proj.{proj,norm} and
    ip_adapter.{index}.to_{k,v}_ip.weight with index = position in unet.attn_processors (odd = attn2)."""
    image_proj = {
        "proj.weight": torch.randn(tokens * CROSS_DIM, PROJECTION_DIM) * 0.2,
        "proj.bias": torch.randn(tokens * CROSS_DIM) * 0.1,
        "norm.weight": 1 + torch.randn(CROSS_DIM) * 0.1,
        "norm.bias": torch.randn(CROSS_DIM) * 0.1,
    }
    layers = {}
    for index, name in enumerate(base_unet.attn_processors.keys()):
        if name.endswith("attn2.processor"):
            inner = base_unet.get_submodule(name[: -len(".processor")]).to_k.weight.shape[0]
            layers[f"{index}.to_k_ip.weight"] = torch.randn(inner, CROSS_DIM) * 0.3
            layers[f"{index}.to_v_ip.weight"] = torch.randn(inner, CROSS_DIM) * 0.3
    return image_proj, layers


def write_sd15_folder(folder: Path, seed: int = 0) -> None:
    """A diffusers SD 1.5 folder: text_encoder, tokenizer, unet, vae, scheduler."""
    torch.manual_seed(seed)
    text_encoder().save_pretrained(str(folder / "text_encoder"))
    write_tokenizer_files(folder / "tokenizer")
    base = unet()
    base.save_pretrained(str(folder / "unet"))
    vae().save_pretrained(str(folder / "vae"))
    (folder / "scheduler").mkdir(parents=True, exist_ok=True)
    (folder / "scheduler" / "scheduler_config.json").write_text(json.dumps(SD15_SCHEDULER, indent=2) + "\n")


def write_sd15_ip_adapter_checkpoints(root: Path, seed: int = 0, with_controlnet: bool = True) -> dict[str, Path]:
    """What a person downloads for `convert sd15-ipadapter`: the SD folder, an image encoder folder,
    ip-adapter_sd15.bin (torch.save of the nested dict, the official format) and a ControlNet folder."""
    from diffusers import UNet2DConditionModel

    write_sd15_folder(root / "sd15", seed)
    torch.manual_seed(seed + 1)
    image_encoder().save_pretrained(str(root / "image_encoder"))
    base = UNet2DConditionModel.from_pretrained(str(root / "sd15" / "unet"))
    image_proj, layers = ip_adapter_state(base)
    torch.save({"image_proj": image_proj, "ip_adapter": layers}, str(root / "ip-adapter_sd15.bin"))
    paths = {"sd15": root / "sd15", "image_encoder": root / "image_encoder", "ip_adapter": root / "ip-adapter_sd15.bin"}
    if with_controlnet:
        controlnet(base).save_pretrained(str(root / "controlnet_lineart"))
        paths["controlnet"] = root / "controlnet_lineart"
    return paths


def write_higarment_folder(folder: Path, seed: int = 0, fabric: dict | None = None) -> Path:
    """A HiGarment-architecture garment model folder (see components.py) with random weights."""
    from diffusers import UNet2DConditionModel

    write_sd15_folder(folder, seed)
    torch.manual_seed(seed + 1)
    image_encoder().save_pretrained(str(folder / "image_encoder"))
    base = UNet2DConditionModel.from_pretrained(str(folder / "unet"))
    image_proj, layers = ip_adapter_state(base)
    write_ip_adapter(folder / "ip_adapter.safetensors", image_proj, layers)
    save_fabric_fusion(FabricFusion(CROSS_DIM, VISION_DIM, CROSS_DIM, num_queries=2), folder / "fabric_fusion")
    meta = {"architecture": "higarment", "ip_adapter": "ip_adapter.safetensors", "fabric": fabric or DEFAULT_FABRICS}
    (folder / "garment_model.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return folder


def sketch_route(base_unet, seed: int = 0) -> SketchRoute:
    """A tiny sketch route for `base_unet`. A trained route's 1x1 convolution starts at zero, which would
    make a test of the route pass whatever the runtime fed it: here it gets random weights, and the
    encoder He-normal ones (PyTorch's default fades a thin line out of a stack of convolutions, as for
    the tiny ControlNet), so the line art visibly moves the render."""
    torch.manual_seed(seed)
    route = SketchRoute(int(base_unet.config.block_out_channels[0]), channels=(4, 8, 8, 16))
    with torch.no_grad():
        for name, param in route.named_parameters():
            if name.startswith("inject."):
                param.normal_(0.0, 0.3)
            elif name.endswith(".weight"):
                param.normal_(0.0, (2.0 / param[0].numel()) ** 0.5)
            else:
                param.zero_()
    return route.eval()


def write_sketch_route(folder: Path, seed: int = 0) -> Path:
    """Adds a tiny random sketch route (sketch_route/, see components.py) to a garment model folder."""
    from diffusers import UNet2DConditionModel

    save_sketch_route(sketch_route(UNet2DConditionModel.from_pretrained(str(folder / "unet")), seed), folder / "sketch_route")
    return folder


__all__ = ["ip_adapter_state_from_processors", "write_higarment_folder", "write_sd15_ip_adapter_checkpoints", "write_sketch_route"]
