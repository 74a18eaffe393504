"""Key/shape tables of the public files (recipes/tables/*.json), made from the real model
configurations without any weights: the models are built with initialisation switched off (their
memory is never touched), and only names, shapes and the files' dtypes are kept. The same functions
on the tiny configurations give exactly the tiny twins' headers (tests), so the tables describe the
layouts the twins prove.

A table's `publishedBytes` is the file size its publisher lists, with where it comes from; when it could
not be established it is null and says so. `dataBytes` is the sum of the tensors' bytes; the header
estimate is safetensors' own JSON header for these keys without `__metadata__`."""

from __future__ import annotations

import contextlib
import json
import math
from pathlib import Path

import torch

from . import ldm_names
from .twins import LORA_TARGETS, SCHEDULE_KEYS

TABLES_DIR = Path(__file__).parent / "tables"
DTYPE_BYTES = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1}
# safetensors orders tensors by dtype (its enum, descending) then name before assigning offsets.
_DTYPE_ORDER = ["BOOL", "U8", "I8", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64"]

PUBLISHED = {
    "ip-adapter_sd15": (44_642_768, "huggingface.co/h94/IP-Adapter, models/ip-adapter_sd15.safetensors (file listing)"),
    "ip-adapter-image-encoder": (2_528_373_448, "huggingface.co/h94/IP-Adapter, models/image_encoder/model.safetensors (file listing)"),
    "control_v11p_sd15_lineart_fp16": (722_601_104, "huggingface.co/comfyanonymous/ControlNet-v1-1_fp16_safetensors, control_v11p_sd15_lineart_fp16.safetensors (file listing)"),
}


@contextlib.contextmanager
def no_init():
    """Constructors allocate but do not initialise: untouched pages cost no memory."""
    names = ["uniform_", "normal_", "trunc_normal_", "constant_", "ones_", "zeros_", "kaiming_uniform_", "kaiming_normal_",
             "xavier_uniform_", "xavier_normal_", "orthogonal_"]
    saved = {n: getattr(torch.nn.init, n) for n in names}
    tensor_saved = {n: getattr(torch.Tensor, n) for n in ("normal_", "uniform_", "zero_", "fill_")}
    try:
        for n in names:
            setattr(torch.nn.init, n, lambda t, *a, **k: t)
        for n in tensor_saved:
            setattr(torch.Tensor, n, lambda t, *a, **k: t)
        yield
    finally:
        for n, f in saved.items():
            setattr(torch.nn.init, n, f)
        for n, f in tensor_saved.items():
            setattr(torch.Tensor, n, f)


def _shapes(module: torch.nn.Module) -> dict[str, list[int]]:
    return {k: list(v.shape) for k, v in module.state_dict().items()}


def _entries(shapes: dict[str, list[int]], dtype: str) -> dict[str, dict]:
    return {k: {"dtype": dtype, "shape": s} for k, s in shapes.items()}


def sd15_single_file(unet_config: dict, vae_config: dict, text_config, *, ema: bool = True) -> dict[str, dict]:
    """v1-5-pruned's layout (float32): UNet, VAE and text encoder under their LDM names, the text encoder's
    position_ids, the noise schedule, and (ema) LitEma's copies of the UNet with its decay and count."""
    from diffusers import AutoencoderKL, UNet2DConditionModel
    from transformers import CLIPTextModel

    with no_init():
        unet = _shapes(UNet2DConditionModel(**unet_config))
        vae = _shapes(AutoencoderKL(**vae_config))
        text = _shapes(CLIPTextModel(text_config))
    table = {}
    for name, key in ldm_names.unet_to_ldm(list(unet), unet_config).items():
        table[key] = {"dtype": "F32", "shape": unet[name]}
    for name, key in ldm_names.vae_to_ldm(list(vae), vae_config).items():
        shape = vae[name] + [1, 1] if ldm_names.is_vae_attention_matrix(key) else vae[name]
        table[key] = {"dtype": "F32", "shape": shape}
    for name, shape in text.items():
        table["cond_stage_model.transformer." + name] = {"dtype": "F32", "shape": shape}
    table["cond_stage_model.transformer.text_model.embeddings.position_ids"] = {
        "dtype": "I64", "shape": [1, int(text_config.max_position_embeddings)]}
    table.update({k: {"dtype": "F32", "shape": [1000]} for k in SCHEDULE_KEYS})
    if ema:
        for key in [k for k in table if k.startswith("model.diffusion_model.")]:
            table[ldm_names.ema_key(key)] = dict(table[key])
        table["model_ema.decay"] = {"dtype": "F32", "shape": []}
        table["model_ema.num_updates"] = {"dtype": "I32", "shape": []}
    return table


def ip_adapter(unet_config: dict, cross_dim: int, image_dim: int, tokens: int) -> dict[str, dict]:
    from .graphs import processor_names

    table = {"image_proj.proj.weight": [tokens * cross_dim, image_dim], "image_proj.proj.bias": [tokens * cross_dim],
             "image_proj.norm.weight": [cross_dim], "image_proj.norm.bias": [cross_dim]}
    channels = list(unet_config["block_out_channels"])
    for index, name in enumerate(processor_names(unet_config)):
        if not name.endswith("attn2.processor"):
            continue
        part, block = name.split(".")[0], int(name.split(".")[1]) if not name.startswith("mid_block") else -1
        inner = channels[-1] if part == "mid_block" else channels[block] if part == "down_blocks" else channels[::-1][block]
        table[f"ip_adapter.{index}.to_k_ip.weight"] = [inner, cross_dim]
        table[f"ip_adapter.{index}.to_v_ip.weight"] = [inner, cross_dim]
    return _entries(table, "F16")


def clip_vision(config, *, position_ids: bool) -> dict[str, dict]:
    from transformers import CLIPVisionModelWithProjection

    with no_init():
        table = _entries(_shapes(CLIPVisionModelWithProjection(config)), "F32")
    if position_ids:  # saved by the transformers of the time (a persistent buffer then)
        patches = (int(config.image_size) // int(config.patch_size)) ** 2 + 1
        table["vision_model.embeddings.position_ids"] = {"dtype": "I64", "shape": [1, patches]}
    return table


def controlnet_v11(config: dict, dtype: str = "F16") -> dict[str, dict]:
    from diffusers import ControlNetModel

    with no_init():
        shapes = _shapes(ControlNetModel(**config))
    return {key: {"dtype": dtype, "shape": shapes[name]} for name, key in ldm_names.controlnet_to_ldm(list(shapes), config).items()}


def kohya_lora(unet_config: dict, rank: int, dtype: str = "F16") -> dict[str, dict]:
    from diffusers import UNet2DConditionModel

    from .layouts import kohya_name
    from .twins import lora_modules

    with no_init():
        unet = UNet2DConditionModel(**unet_config)
    table = {}
    for name in lora_modules(unet):
        module = unet.get_submodule(name)
        prefix = kohya_name(name)
        if isinstance(module, torch.nn.Conv2d):
            down, up = [rank, module.in_channels, *module.kernel_size], [module.out_channels, rank, 1, 1]
        else:
            down, up = [rank, module.in_features], [module.out_features, rank]
        table[f"{prefix}.lora_down.weight"] = {"dtype": dtype, "shape": down}
        table[f"{prefix}.lora_up.weight"] = {"dtype": dtype, "shape": up}
        table[f"{prefix}.alpha"] = {"dtype": dtype, "shape": []}
    return table


def chinese_clip(config) -> dict[str, dict]:
    from transformers import ChineseCLIPModel

    with no_init():
        return _entries(_shapes(ChineseCLIPModel(config)), "F32")


def data_bytes(table: dict[str, dict]) -> int:
    return sum(DTYPE_BYTES[v["dtype"]] * math.prod(v["shape"]) for v in table.values())


def header_bytes(table: dict[str, dict], metadata: dict | None = None) -> int:
    """8 + the length of safetensors' JSON header for these tensors (and `__metadata__`), padded to 8."""
    order = sorted(table, key=lambda k: (-_DTYPE_ORDER.index(table[k]["dtype"]), k))
    parts, offset = [], 0
    for key in order:
        size = DTYPE_BYTES[table[key]["dtype"]] * math.prod(table[key]["shape"])
        shape = ",".join(str(s) for s in table[key]["shape"])
        parts.append(f'{json.dumps(key)}:{{"dtype":"{table[key]["dtype"]}","shape":[{shape}],"data_offsets":[{offset},{offset + size}]}}')
        offset += size
    if metadata:
        parts.insert(0, '"__metadata__":' + json.dumps(metadata, separators=(",", ":")))
    text = "{" + ",".join(parts) + "}"
    return 8 + (len(text) + 7) // 8 * 8


def document(name: str, layout: str, table: dict[str, dict], made_from: str) -> dict:
    published = PUBLISHED.get(name)
    return {"file": name, "layout": layout, "madeFrom": made_from,
            "publishedBytes": published[0] if published else None,
            "publishedFrom": published[1] if published else "not established: no listing available offline; the check skips this file",
            "dataBytes": data_bytes(table), "headerBytesEstimate": header_bytes(table), "tensors": table}


def full_tables() -> dict[str, dict]:
    from . import configs

    c = configs.full_garment()
    return {
        "v1-5-pruned": document("v1-5-pruned", "sd15-single-file", sd15_single_file(c.unet, c.vae, c.text),
                                "v1-inference.yaml + SD 1.5 text_encoder config (configs.py); EMA copies included as in v1-5-pruned"),
        "ip-adapter_sd15": document("ip-adapter_sd15", "h94-ip-adapter", ip_adapter(c.unet, 768, 1024, configs.IP_ADAPTER_TOKENS),
                                    "SD 1.5 UNet config, ViT-H/14 projection 1024, 4 tokens"),
        "ip-adapter-image-encoder": document("ip-adapter-image-encoder", "hf-clip-vision-projection",
                                             clip_vision(c.vision, position_ids=True), "h94 image_encoder config.json (configs.VIT_H14)"),
        "control_v11p_sd15_lineart_fp16": document("control_v11p_sd15_lineart_fp16", "controlnet-v11", controlnet_v11(c.controlnet),
                                                   "control_v11p_sd15_lineart.yaml (configs.CONTROL_V11)"),
        "lcm-lora-sdv1-5": document("lcm-lora-sdv1-5", "sd15-lora-kohya", kohya_lora(c.unet, rank=64),
                                    "SD 1.5 UNet, LCM-LoRA training script's target modules, rank 64"),
        "chinese-clip-vit-base-patch16": document("chinese-clip-vit-base-patch16", "hf-chinese-clip",
                                                  chinese_clip(configs.full_chinese_clip()), "OFA-Sys config.json (configs.CHINESE_CLIP_B16)"),
    }


def write_full_tables(out: Path = TABLES_DIR) -> dict[str, dict]:
    from ..common.manifest import write_json

    tables = full_tables()
    for name, doc in tables.items():
        write_json(out / f"{name}.json", doc)
    return tables


def load_table(name: str, folder: Path = TABLES_DIR) -> dict:
    return json.loads((folder / f"{name}.json").read_text())
