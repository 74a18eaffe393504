"""Public key layouts -> the diffusers/transformers module names the graph exporters see.

The single-file SD 1.5 and ControlNet renames are diffusers' own conversion functions, run on `Ref`s
(a key, its shape, and the ops applied so far) instead of tensors: the functions only rename keys and
drop 1x1 kernel axes, so they run on a shape table of a 4 GB file as well as on a tiny twin, and the map
is whatever diffusers does, never a copy of it that could drift."""

from __future__ import annotations

import re
from dataclasses import dataclass

LAYOUTS = ("sd15-single-file", "h94-ip-adapter", "hf-clip-vision-projection", "controlnet-v11", "sd15-lora-kohya",
           "hf-chinese-clip")


@dataclass(frozen=True)
class Ref:
    """One source tensor as a module parameter sees it: source role, key, stored shape and ops (RECIPES.md)."""

    source: str
    key: str
    shape: tuple[int, ...]
    ops: tuple = ()

    @property
    def out_shape(self) -> tuple[int, ...]:
        shape = self.shape
        for op in self.ops:
            if op["op"] == "reshape":
                shape = tuple(op["shape"])
        return shape

    @property
    def ndim(self) -> int:
        return len(self.out_shape)

    def __getitem__(self, index):
        """diffusers drops a conv's 1x1 kernel axes with [:, :, 0, 0]; the same elements as a reshape."""
        index = index if isinstance(index, tuple) else (index,)
        shape = self.out_shape
        kept = []
        for axis, size in enumerate(shape):
            part = index[axis] if axis < len(index) else slice(None)
            if isinstance(part, int):
                if part != 0 or size != 1:
                    raise ValueError(f"{self.key}: only size-1 axes can be dropped, not {index} of {shape}")
            elif part != slice(None):
                raise ValueError(f"{self.key}: unsupported index {index}")
            else:
                kept.append(size)
        return Ref(self.source, self.key, self.shape, self.ops + ({"op": "reshape", "shape": kept},))

    def entry(self) -> dict:
        return {"source": self.source, "key": self.key, "shape": list(self.shape)}


def refs(source: str, shapes: dict[str, tuple[int, ...]]) -> dict[str, Ref]:
    return {key: Ref(source, key, tuple(shape)) for key, shape in shapes.items()}


def _defined(converted: dict, what: str) -> dict[str, Ref]:
    missing = sorted(k for k, v in converted.items() if v is None)
    if missing:
        raise KeyError(f"{what}: the checkpoint lacks the keys for {missing[:5]}{'...' if len(missing) > 5 else ''}")
    return converted


def sd15_single_file(table: dict[str, Ref], unet_config: dict, vae_config: dict) -> dict[str, dict[str, Ref]]:
    """LDM names -> {"unet": ..., "vae": ..., "text_encoder": ...} module names, by diffusers 0.31's
    single-file conversion (the non-EMA `model.diffusion_model.*` weights, as from_single_file loads them)."""
    from diffusers.loaders.single_file_utils import (convert_ldm_clip_checkpoint, convert_ldm_unet_checkpoint,
                                                     convert_ldm_vae_checkpoint)

    unet = convert_ldm_unet_checkpoint(dict(table), {"layers_per_block": unet_config["layers_per_block"]})
    vae = convert_ldm_vae_checkpoint(dict(table), {"down_block_types": vae_config["down_block_types"],
                                                   "up_block_types": vae_config["up_block_types"]})
    text = convert_ldm_clip_checkpoint(dict(table))
    return {"unet": _defined(unet, "unet"), "vae": _defined(vae, "vae"), "text_encoder": _defined(text, "text encoder")}


def controlnet_v11(table: dict[str, Ref], layers_per_block: int) -> dict[str, Ref]:
    from diffusers.loaders.single_file_utils import convert_controlnet_checkpoint

    return _defined(convert_controlnet_checkpoint(dict(table), {"layers_per_block": layers_per_block}), "controlnet")


def h94_ip_adapter(table: dict[str, Ref], processor_names: list[str]) -> dict[str, dict[str, Ref]]:
    """image_proj.{proj,norm} -> diffusers' ImageProjection (`image_embeds`, `norm`); ip_adapter.{i}.to_{k,v}_ip
    -> the cross-attention processor at index i of unet.attn_processors (IP-Adapter's own numbering)."""
    projection, unet = {}, {}
    for key, ref in table.items():
        if key.startswith("image_proj."):
            rest = key[len("image_proj."):]
            projection["image_embeds." + rest[len("proj."):] if rest.startswith("proj.") else rest] = ref
            continue
        match = re.fullmatch(r"ip_adapter\.(\d+)\.(to_[kv]_ip\.weight)", key)
        if not match or int(match.group(1)) >= len(processor_names):
            raise KeyError(f"not an ip-adapter_sd15 key: {key}")
        name = processor_names[int(match.group(1))]
        if not name.endswith("attn2.processor"):
            raise KeyError(f"{key}: processor {int(match.group(1))} is {name}, not a cross-attention")
        unet[f"{name}.{match.group(2)}"] = ref
    return {"image_projection": projection, "unet": unet}


def same_names(table: dict[str, Ref], ignored: list[str]) -> dict[str, Ref]:
    """transformers' own layouts (CLIPVisionModelWithProjection, ChineseCLIPModel): key = parameter name."""
    return {k: v for k, v in table.items() if not any(re.fullmatch(p, k) for p in ignored)}


def kohya_name(module: str, prefix: str = "lora_unet_") -> str:
    """kohya's LoRA module name: the diffusers module path with `_` for `.`."""
    return prefix + module.replace(".", "_")


def lora_targets(unet_refs: dict[str, Ref], lora_keys: list[str] | None = None) -> dict[str, str]:
    """kohya module name -> source key of the weight it changes, for the UNet weights stored as they
    are used (the LoRA merge runs before any op). Limited to the modules a LoRA has, when given."""
    wanted = None
    if lora_keys is not None:
        wanted = {k.split(".", 1)[0] for k in lora_keys}
    targets = {}
    for name, ref in unet_refs.items():
        if not name.endswith(".weight") or ref.ops or ".processor." in name:
            continue
        module = kohya_name(name[: -len(".weight")])
        if wanted is None or module in wanted:
            targets[module] = ref.key
    if wanted is not None and wanted - set(targets):
        raise KeyError(f"LoRA modules with no UNet weight: {sorted(wanted - set(targets))[:5]}")
    return targets
