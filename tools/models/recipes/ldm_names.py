"""diffusers module names -> the original LDM / ControlNet names, to write tiny twins in the public
single-file layouts. diffusers ships only the other direction; tests check that its conversion
(layouts.py) maps these names back to every parameter, so the two cannot disagree silently."""

from __future__ import annotations

import re

from diffusers.loaders.single_file_utils import DIFFUSERS_TO_LDM_MAPPING

_RESNET = (("norm1", "in_layers.0"), ("conv1", "in_layers.2"), ("norm2", "out_layers.0"), ("conv2", "out_layers.3"),
           ("time_emb_proj", "emb_layers.1"), ("conv_shortcut", "skip_connection"))
_VAE_ATTENTION = (("group_norm", "norm"), ("to_q", "q"), ("to_k", "k"), ("to_v", "v"), ("to_out.0", "proj_out"))


def _resnet(rest: str) -> str:
    for new, old in _RESNET:
        if rest.startswith(new + "."):
            return old + rest[len(new):]
    raise KeyError(rest)


def _unet_body(name: str, layers: int, up_attention: set[int]) -> str | None:
    """The blocks UNet and ControlNet share, plus the UNet's up path; None when not one of them."""
    if m := re.fullmatch(r"down_blocks\.(\d+)\.resnets\.(\d+)\.(.+)", name):
        return f"input_blocks.{1 + int(m[1]) * (layers + 1) + int(m[2])}.0.{_resnet(m[3])}"
    if m := re.fullmatch(r"down_blocks\.(\d+)\.attentions\.(\d+)\.(.+)", name):
        return f"input_blocks.{1 + int(m[1]) * (layers + 1) + int(m[2])}.1.{m[3]}"
    if m := re.fullmatch(r"down_blocks\.(\d+)\.downsamplers\.0\.conv\.(.+)", name):
        return f"input_blocks.{(int(m[1]) + 1) * (layers + 1)}.0.op.{m[2]}"
    if m := re.fullmatch(r"mid_block\.resnets\.(\d+)\.(.+)", name):
        return f"middle_block.{2 * int(m[1])}.{_resnet(m[2])}"
    if m := re.fullmatch(r"mid_block\.attentions\.0\.(.+)", name):
        return f"middle_block.1.{m[1]}"
    if m := re.fullmatch(r"up_blocks\.(\d+)\.resnets\.(\d+)\.(.+)", name):
        return f"output_blocks.{int(m[1]) * (layers + 1) + int(m[2])}.0.{_resnet(m[3])}"
    if m := re.fullmatch(r"up_blocks\.(\d+)\.attentions\.(\d+)\.(.+)", name):
        return f"output_blocks.{int(m[1]) * (layers + 1) + int(m[2])}.1.{m[3]}"
    if m := re.fullmatch(r"up_blocks\.(\d+)\.upsamplers\.0\.conv\.(.+)", name):
        block = int(m[1])
        return f"output_blocks.{block * (layers + 1) + layers}.{2 if block in up_attention else 1}.conv.{m[2]}"
    return None


def unet_to_ldm(names: list[str], config: dict) -> dict[str, str]:
    fixed = DIFFUSERS_TO_LDM_MAPPING["unet"]["layers"]
    up_attention = {i for i, t in enumerate(config["up_block_types"]) if t.startswith("CrossAttn")}
    out = {}
    for name in names:
        ldm = fixed.get(name) or _unet_body(name, config["layers_per_block"], up_attention)
        if ldm is None:
            raise KeyError(f"no LDM name for UNet parameter {name}")
        out[name] = "model.diffusion_model." + ldm
    return out


def controlnet_to_ldm(names: list[str], config: dict) -> dict[str, str]:
    fixed = DIFFUSERS_TO_LDM_MAPPING["controlnet"]["layers"]
    out = {}
    for name in names:
        ldm = fixed.get(name) or _unet_body(name, config["layers_per_block"], set())
        if ldm is None and (m := re.fullmatch(r"controlnet_down_blocks\.(\d+)\.(.+)", name)):
            ldm = f"zero_convs.{m[1]}.0.{m[2]}"
        elif ldm is None and (m := re.fullmatch(r"controlnet_mid_block\.(.+)", name)):
            ldm = f"middle_block_out.0.{m[1]}"
        elif ldm is None and (m := re.fullmatch(r"controlnet_cond_embedding\.blocks\.(\d+)\.(.+)", name)):
            ldm = f"input_hint_block.{2 * (int(m[1]) + 1)}.{m[2]}"
        if ldm is None:
            raise KeyError(f"no ControlNet v1.1 name for {name}")
        out[name] = "control_model." + ldm
    return out


def vae_to_ldm(names: list[str], config: dict) -> dict[str, str]:
    """-> first_stage_model.* names; attention weights are 1x1 convs there (vae_conv_shapes)."""
    fixed = DIFFUSERS_TO_LDM_MAPPING["vae"]
    blocks = len(config["block_out_channels"])
    out = {}
    for name in names:
        ldm = fixed.get(name)
        if ldm is None and (m := re.fullmatch(r"encoder\.down_blocks\.(\d+)\.resnets\.(\d+)\.(.+)", name)):
            ldm = f"encoder.down.{m[1]}.block.{m[2]}.{m[3].replace('conv_shortcut', 'nin_shortcut')}"
        elif ldm is None and (m := re.fullmatch(r"encoder\.down_blocks\.(\d+)\.downsamplers\.0\.conv\.(.+)", name)):
            ldm = f"encoder.down.{m[1]}.downsample.conv.{m[2]}"
        elif ldm is None and (m := re.fullmatch(r"decoder\.up_blocks\.(\d+)\.resnets\.(\d+)\.(.+)", name)):
            ldm = f"decoder.up.{blocks - 1 - int(m[1])}.block.{m[2]}.{m[3].replace('conv_shortcut', 'nin_shortcut')}"
        elif ldm is None and (m := re.fullmatch(r"decoder\.up_blocks\.(\d+)\.upsamplers\.0\.conv\.(.+)", name)):
            ldm = f"decoder.up.{blocks - 1 - int(m[1])}.upsample.conv.{m[2]}"
        elif ldm is None and (m := re.fullmatch(r"(encoder|decoder)\.mid_block\.resnets\.(\d+)\.(.+)", name)):
            ldm = f"{m[1]}.mid.block_{int(m[2]) + 1}.{m[3].replace('conv_shortcut', 'nin_shortcut')}"
        elif ldm is None and (m := re.fullmatch(r"(encoder|decoder)\.mid_block\.attentions\.0\.(.+)", name)):
            rest = m[2]
            for new, old in _VAE_ATTENTION:
                if rest.startswith(new + "."):
                    rest = old + rest[len(new):]
                    break
            ldm = f"{m[1]}.mid.attn_1.{rest}"
        if ldm is None:
            raise KeyError(f"no LDM name for VAE parameter {name}")
        out[name] = "first_stage_model." + ldm
    return out


def is_vae_attention_matrix(ldm_key: str) -> bool:
    return bool(re.search(r"\.mid\.attn_1\.(q|k|v|proj_out)\.weight$", ldm_key))


def ema_key(ldm_unet_key: str) -> str:
    """LitEma's name for a UNet weight: `model_ema.` + the DiffusionWrapper path without dots."""
    return "model_ema." + ldm_unet_key[len("model."):].replace(".", "")
