"""Tiny twins: random checkpoints with the tiny.py configurations, written in each public layout
(RECIPES.md "Source layouts"), safetensors only, plus the diffusers/transformers folders that the
Python converters read, holding the very same values. Files stored in fp16 publicly (IP-Adapter,
ControlNet v1.1 fp16, the LCM LoRA) are fp16 here too, and the models are rounded to fp16 first, so
the twin and the converter's folder agree exactly. Seeded: the same call writes the same bytes."""

from __future__ import annotations

import json
import math
from pathlib import Path

import torch
from safetensors.torch import save_file

from ..common.clip_bpe import write_tokenizer_files
from ..garment import tiny
from ..garment.components import write_ip_adapter
from . import ldm_names

LORA_RANK = 4
LORA_ALPHA = 2.0  # not the rank, so a merge that forgets alpha / rank is caught
# latent-consistency's LCM-LoRA training script (train_lcm_distill_lora_sd.py) targets these modules.
LORA_TARGETS = ("to_q", "to_k", "to_v", "to_out.0", "proj_in", "proj_out", "ff.net.0.proj", "ff.net.2", "conv1",
                "conv2", "conv_shortcut", "downsamplers.0.conv", "upsamplers.0.conv", "time_emb_proj")
SCHEDULE_KEYS = ("betas", "alphas_cumprod", "alphas_cumprod_prev", "sqrt_alphas_cumprod", "sqrt_one_minus_alphas_cumprod",
                 "log_one_minus_alphas_cumprod", "sqrt_recip_alphas_cumprod", "sqrt_recipm1_alphas_cumprod",
                 "posterior_variance", "posterior_log_variance_clipped", "posterior_mean_coef1", "posterior_mean_coef2")


def _round_fp16(module: torch.nn.Module) -> torch.nn.Module:
    with torch.no_grad():
        for param in module.parameters():
            param.copy_(param.half().float())
    return module


def ldm_schedule(steps: int = 1000, start: float = 0.00085, end: float = 0.012) -> dict[str, torch.Tensor]:
    """LatentDiffusion.register_schedule's buffers (ldm/models/diffusion/ddpm.py, v1 configs)."""
    betas = torch.linspace(start**0.5, end**0.5, steps, dtype=torch.float64) ** 2
    alphas_cumprod = torch.cumprod(1 - betas, 0)
    prev = torch.cat([torch.ones(1, dtype=torch.float64), alphas_cumprod[:-1]])
    posterior_variance = betas * (1 - prev) / (1 - alphas_cumprod)
    values = [betas, alphas_cumprod, prev, alphas_cumprod.sqrt(), (1 - alphas_cumprod).sqrt(), (1 - alphas_cumprod).log(),
              (1 / alphas_cumprod).sqrt(), (1 / alphas_cumprod - 1).sqrt(), posterior_variance,
              posterior_variance.clamp(min=1e-20).log(), betas * prev.sqrt() / (1 - alphas_cumprod),
              (1 - prev) * (1 - betas).sqrt() / (1 - alphas_cumprod)]
    return {k: v.float() for k, v in zip(SCHEDULE_KEYS, values)}


def single_file_state(unet, vae, text_encoder, ema: bool = True) -> dict[str, torch.Tensor]:
    """An SD 1.5 single-file checkpoint's tensors in the LDM names, with what real ones carry besides
    the weights: the noise schedule, the text encoder's position_ids and (v1-5-pruned) the EMA copies."""
    state: dict[str, torch.Tensor] = {}
    unet_sd, vae_sd = unet.state_dict(), vae.state_dict()
    for name, key in ldm_names.unet_to_ldm(list(unet_sd), unet.config).items():
        state[key] = unet_sd[name]
    for name, key in ldm_names.vae_to_ldm(list(vae_sd), vae.config).items():
        value = vae_sd[name]
        state[key] = value[:, :, None, None] if ldm_names.is_vae_attention_matrix(key) else value
    for name, value in text_encoder.state_dict().items():
        state["cond_stage_model.transformer." + name] = value
    context = int(text_encoder.config.max_position_embeddings)
    state["cond_stage_model.transformer.text_model.embeddings.position_ids"] = torch.arange(context)[None]
    state.update(ldm_schedule())
    if ema:  # different values: a map that read the EMA copy by mistake would not match the converter
        for key in [k for k in state if k.startswith("model.diffusion_model.")]:
            state[ldm_names.ema_key(key)] = state[key] + 0.01
        state["model_ema.decay"] = torch.tensor(0.9999)
        state["model_ema.num_updates"] = torch.tensor(1000, dtype=torch.int32)
    return {k: v.contiguous() for k, v in state.items()}


def controlnet_state(controlnet) -> dict[str, torch.Tensor]:
    sd = controlnet.state_dict()
    return {key: sd[name].half().contiguous() for name, key in ldm_names.controlnet_to_ldm(list(sd), controlnet.config).items()}


def lora_modules(unet) -> list[str]:
    """The UNet modules the LCM LoRA changes (its training script's target_modules)."""
    names = []
    for name, module in unet.named_modules():
        if isinstance(module, (torch.nn.Linear, torch.nn.Conv2d)) and any(name.endswith(t) for t in LORA_TARGETS):
            if ".processor." not in name:
                names.append(name)
    return names


def kohya_lora_state(unet, seed: int) -> dict[str, torch.Tensor]:
    """An SD 1.5 LoRA in kohya's layout: lora_down [r, in(, k, k)], lora_up [out, r(, 1, 1)], alpha []."""
    from .layouts import kohya_name

    gen = torch.Generator().manual_seed(seed)
    state = {}
    for name in lora_modules(unet):
        module = unet.get_submodule(name)
        prefix = kohya_name(name)
        if isinstance(module, torch.nn.Conv2d):
            down = torch.randn(LORA_RANK, module.in_channels, *module.kernel_size, generator=gen)
            up = torch.randn(module.out_channels, LORA_RANK, 1, 1, generator=gen)
        else:
            down = torch.randn(LORA_RANK, module.in_features, generator=gen)
            up = torch.randn(module.out_features, LORA_RANK, generator=gen)
        state[f"{prefix}.lora_down.weight"] = (down / math.sqrt(down[0].numel())).half()
        state[f"{prefix}.lora_up.weight"] = (up * 0.1).half()
        state[f"{prefix}.alpha"] = torch.tensor(LORA_ALPHA, dtype=torch.float16)
    return state


CHINESE_CLIP_CONFIG = {
    "text_config": {"vocab_size": 21128, "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 2,
                    "intermediate_size": 64, "max_position_embeddings": 64},
    "vision_config": {"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 2,
                      "patch_size": 16, "image_size": 64, "projection_dim": 24, "hidden_act": "quick_gelu"},
    "projection_dim": 24,
}


def chinese_clip():
    from transformers import ChineseCLIPConfig, ChineseCLIPModel

    return ChineseCLIPModel(ChineseCLIPConfig(**CHINESE_CLIP_CONFIG, attn_implementation="eager")).eval()


def write_garment_twins(root: Path, seed: int = 0) -> dict[str, Path]:
    """The public files of the garment recipes (keys: the recipes' source roles) and, under
    `converter/`, what `convert sd15-ipadapter` reads, with the same values."""
    torch.manual_seed(seed)
    text_encoder, unet, vae = tiny.text_encoder(), tiny.unet(), tiny.vae()
    torch.manual_seed(seed + 1)
    image_encoder = tiny.image_encoder()
    image_proj, ip_layers = tiny.ip_adapter_state(unet)
    image_proj = {k: v.half().float() for k, v in image_proj.items()}
    ip_layers = {k: v.half().float() for k, v in ip_layers.items()}
    controlnet = _round_fp16(tiny.controlnet(unet))

    root.mkdir(parents=True, exist_ok=True)
    conv = root / "converter"
    paths = {"checkpoint": root / "sd15-single-file.safetensors", "ip_adapter": root / "ip-adapter_sd15.safetensors",
             "image_encoder": root / "image_encoder" / "model.safetensors",
             "controlnet": root / "control_v11p_sd15_lineart_fp16.safetensors", "lcm": root / "lcm-lora-sdv1-5.safetensors"}
    save_file(single_file_state(unet, vae, text_encoder), str(paths["checkpoint"]))
    save_file({f"image_proj.{k}": v.half() for k, v in image_proj.items()}
              | {f"ip_adapter.{k}": v.half() for k, v in ip_layers.items()}, str(paths["ip_adapter"]))
    image_encoder.save_pretrained(str(root / "image_encoder"), safe_serialization=True)
    save_file(controlnet_state(controlnet), str(paths["controlnet"]))
    save_file(kohya_lora_state(unet, seed + 2), str(paths["lcm"]), metadata={"format": "pt"})

    text_encoder.save_pretrained(str(conv / "sd15" / "text_encoder"))
    write_tokenizer_files(conv / "sd15" / "tokenizer")
    unet.save_pretrained(str(conv / "sd15" / "unet"))
    vae.save_pretrained(str(conv / "sd15" / "vae"))
    (conv / "sd15" / "scheduler").mkdir(parents=True, exist_ok=True)
    (conv / "sd15" / "scheduler" / "scheduler_config.json").write_text(json.dumps(tiny.SD15_SCHEDULER, indent=2) + "\n")
    write_ip_adapter(conv / "ip-adapter_sd15.safetensors", image_proj, ip_layers)
    controlnet.save_pretrained(str(conv / "controlnet"))
    paths.update({"converter_sd15": conv / "sd15", "converter_ip_adapter": conv / "ip-adapter_sd15.safetensors",
                  "converter_image_encoder": root / "image_encoder", "converter_controlnet": conv / "controlnet"})
    return paths


def write_chinese_clip_twin(root: Path, seed: int = 0) -> Path:
    """transformers' ChineseCLIPModel folder (config.json + model.safetensors): both the public layout
    and what `convert chinese-clip` reads."""
    torch.manual_seed(seed)
    model = chinese_clip()
    with torch.no_grad():
        model.logit_scale.fill_(3.0)
    model.save_pretrained(str(root), safe_serialization=True)
    return root / "model.safetensors"
