"""The architectures' configurations: full-size from the public models' own configuration files
(written out here, as no download is possible), tiny from garment/tiny.py. Both go through the same
template and recipe code."""

from __future__ import annotations

from ..garment import tiny
from .graphs import GarmentConfigs

# stable-diffusion v1-inference.yaml (CompVis/stable-diffusion configs/stable-diffusion/v1-inference.yaml),
# the parts diffusers' single-file loader reads.
V1_INFERENCE = {"model": {"params": {
    "linear_start": 0.00085, "linear_end": 0.0120, "timesteps": 1000, "image_size": 64, "channels": 4,
    "scale_factor": 0.18215,
    "unet_config": {"params": {
        "image_size": 32, "in_channels": 4, "out_channels": 4, "model_channels": 320, "attention_resolutions": [4, 2, 1],
        "num_res_blocks": 2, "channel_mult": [1, 2, 4, 4], "num_heads": 8, "use_spatial_transformer": True,
        "transformer_depth": 1, "context_dim": 768, "use_checkpoint": True, "legacy": False}},
    "first_stage_config": {"params": {"embed_dim": 4, "ddconfig": {
        "double_z": True, "z_channels": 4, "resolution": 256, "in_channels": 3, "out_ch": 3, "ch": 128,
        "ch_mult": [1, 2, 4, 4], "num_res_blocks": 2, "attn_resolutions": [], "dropout": 0.0}}},
}}}
# lllyasviel/ControlNet-v1-1-nightly models/control_v11p_sd15_lineart.yaml: the v1 UNet plus this.
CONTROL_V11 = {"model": {"params": {**V1_INFERENCE["model"]["params"], "control_stage_config": {"params": {
    "image_size": 32, "in_channels": 4, "hint_channels": 3, "model_channels": 320, "attention_resolutions": [4, 2, 1],
    "num_res_blocks": 2, "channel_mult": [1, 2, 4, 4], "num_heads": 8, "use_spatial_transformer": True,
    "transformer_depth": 1, "context_dim": 768, "use_checkpoint": True, "legacy": False}}}}}
# openai/clip-vit-large-patch14's text tower as SD 1.5's text_encoder/config.json has it.
SD15_TEXT = {"vocab_size": 49408, "hidden_size": 768, "intermediate_size": 3072, "num_hidden_layers": 12,
             "num_attention_heads": 12, "max_position_embeddings": 77, "hidden_act": "quick_gelu", "projection_dim": 768,
             "layer_norm_eps": 1e-5, "bos_token_id": 0, "eos_token_id": 2, "pad_token_id": 1}
# h94/IP-Adapter models/image_encoder/config.json (OpenCLIP ViT-H/14 as CLIPVisionModelWithProjection).
VIT_H14 = {"hidden_size": 1280, "intermediate_size": 5120, "num_attention_heads": 16, "num_hidden_layers": 32,
           "patch_size": 14, "image_size": 224, "projection_dim": 1024, "hidden_act": "gelu", "layer_norm_eps": 1e-5}
# OFA-Sys/chinese-clip-vit-base-patch16 config.json.
CHINESE_CLIP_B16 = {
    "text_config": {"vocab_size": 21128, "hidden_size": 768, "intermediate_size": 3072, "num_hidden_layers": 12,
                    "num_attention_heads": 12, "max_position_embeddings": 512, "type_vocab_size": 2, "hidden_act": "gelu",
                    "layer_norm_eps": 1e-12},
    "vision_config": {"hidden_size": 768, "intermediate_size": 3072, "num_hidden_layers": 12, "num_attention_heads": 12,
                      "patch_size": 16, "image_size": 224, "projection_dim": 512, "hidden_act": "quick_gelu",
                      "layer_norm_eps": 1e-5},
    "projection_dim": 512,
}
IP_ADAPTER_TOKENS = 4  # ip-adapter_sd15: image_proj.proj is [4 x 768, 1024]


def _quiet(fn, *args, **kwargs):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def full_garment() -> GarmentConfigs:
    from diffusers.loaders.single_file_utils import (create_unet_diffusers_config_from_ldm,
                                                     create_vae_diffusers_config_from_ldm)
    from transformers import CLIPTextConfig, CLIPVisionConfig

    unet = _quiet(create_unet_diffusers_config_from_ldm, V1_INFERENCE, {}, image_size=512)
    vae = _quiet(create_vae_diffusers_config_from_ldm, V1_INFERENCE, {}, image_size=512)
    controlnet = controlnet_config(unet)
    return GarmentConfigs(text=CLIPTextConfig(**SD15_TEXT), vision=CLIPVisionConfig(**VIT_H14), unet=unet, vae=vae,
                          controlnet=controlnet, image_prompt_tokens=IP_ADAPTER_TOKENS, latent_size=8)


def controlnet_config(unet: dict) -> dict:
    """diffusers 0.31's create_controlnet_diffusers_config_from_ldm, which cannot run there (it calls the UNet
    config function without its checkpoint argument): the UNet's config keys it copies, and hint_channels."""
    keys = ("in_channels", "down_block_types", "block_out_channels", "layers_per_block", "cross_attention_dim",
            "attention_head_dim", "use_linear_projection", "class_embed_type", "addition_embed_type",
            "addition_time_embed_dim", "projection_class_embeddings_input_dim", "transformer_layers_per_block")
    hint = CONTROL_V11["model"]["params"]["control_stage_config"]["params"]["hint_channels"]
    return {"conditioning_channels": hint, **{k: unet[k] for k in keys}}


def tiny_garment() -> GarmentConfigs:
    unet = tiny.unet()
    controlnet = tiny.controlnet(unet)
    return GarmentConfigs(text=tiny.text_encoder().config, vision=tiny.image_encoder().config,
                          unet=_plain(unet.config), vae=_plain(tiny.vae().config), controlnet=_plain(controlnet.config),
                          image_prompt_tokens=4)


def full_chinese_clip():
    from transformers import ChineseCLIPConfig

    return ChineseCLIPConfig(**CHINESE_CLIP_B16, attn_implementation="eager")


def tiny_chinese_clip():
    from transformers import ChineseCLIPConfig

    from .twins import CHINESE_CLIP_CONFIG

    return ChineseCLIPConfig(**CHINESE_CLIP_CONFIG, attn_implementation="eager")


def _plain(config) -> dict:
    """A diffusers config as constructor arguments (without its bookkeeping keys)."""
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in dict(config).items() if not k.startswith("_")}
