"""Loading a garment model's parts with the diffusers/transformers classes a real checkpoint uses.

A garment model folder (what `export` reads; `tiny.py` and training write one) is an SD 1.5 diffusers
folder plus the image-prompt parts:

    garment_model.json   {"architecture": "higarment" | "sd15-ip-adapter", "fabric": {...}?}
    text_encoder/ tokenizer/ unet/ vae/ scheduler/   (diffusers / transformers save_pretrained)
    image_encoder/       CLIPVisionModelWithProjection
    ip_adapter.safetensors   image projection + per-layer to_k_ip/to_v_ip in IP-Adapter's own format
    fabric_fusion/       config.json + model.safetensors (HiGarment only)
    controlnet/          ControlNetModel (optional)
    sketch_route/        config.json + model.safetensors: the sketch encoder and the UNet's 1x1
                         injection convolution (optional; modules.SketchRoute)

HiGarment's projection and harmonized attention weights are stored in IP-Adapter's format on purpose:
both architectures then load through diffusers' own IP-Adapter conversion code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

from .modules import ConditioningState, FabricFusion, SketchRoute, install_harmonized_attention, install_sketch_route

ARCHITECTURES = ("higarment", "sd15-ip-adapter")


def read_ip_adapter(path: Path) -> dict[str, dict[str, torch.Tensor]]:
    """IP-Adapter weights as {"image_proj": {...}, "ip_adapter": {...}}, from the official .bin (a nested
    dict) or a .safetensors file with `image_proj.` / `ip_adapter.` key prefixes."""
    if path.suffix == ".safetensors":
        flat = load_file(str(path))
        nested: dict[str, dict[str, torch.Tensor]] = {"image_proj": {}, "ip_adapter": {}}
        for key, value in flat.items():
            head, _, rest = key.partition(".")
            if head not in nested:
                raise ValueError(f"{path.name}: unexpected key {key!r} (expected image_proj.* or ip_adapter.*)")
            nested[head][rest] = value
    else:
        nested = torch.load(str(path), map_location="cpu")
    for part in ("image_proj", "ip_adapter"):
        if not nested.get(part):
            raise ValueError(f"{path.name}: no {part} weights; is this an IP-Adapter checkpoint?")
    return nested


def write_ip_adapter(path: Path, image_proj: dict[str, torch.Tensor], ip_layers: dict[str, torch.Tensor]) -> None:
    flat = {f"image_proj.{k}": v.contiguous() for k, v in image_proj.items()}
    flat.update({f"ip_adapter.{k}": v.contiguous() for k, v in ip_layers.items()})
    save_file(flat, str(path))


def ip_adapter_state_from_processors(unet, image_projection) -> tuple[dict, dict]:
    """The inverse of diffusers' loader: IP-Adapter's numbering gives every attention processor an index
    in `unet.attn_processors` order, and only cross-attentions (odd indices) carry weights."""
    ip_layers = {}
    for index, (name, processor) in enumerate(unet.attn_processors.items()):
        if name.endswith("attn2.processor"):
            ip_layers[f"{index}.to_k_ip.weight"] = processor.to_k_ip.weight.detach().clone()
            ip_layers[f"{index}.to_v_ip.weight"] = processor.to_v_ip.weight.detach().clone()
    # diffusers' ImageProjection calls the linear layer `image_embeds`; IP-Adapter's file calls it `proj`.
    image_proj = {k.replace("image_embeds.", "proj.", 1): v.detach().clone() for k, v in image_projection.state_dict().items()}
    return image_proj, ip_layers


@dataclass
class GarmentComponents:
    architecture: str
    text_encoder: torch.nn.Module
    tokenizer_dir: Path
    image_encoder: torch.nn.Module
    image_projection: torch.nn.Module
    unet: torch.nn.Module
    vae: torch.nn.Module
    scheduler_config: dict
    state: ConditioningState
    fabric_fusion: FabricFusion | None = None
    controlnet: torch.nn.Module | None = None
    fabric: dict | None = None
    extra: dict = field(default_factory=dict)
    # The sketch route, already installed around unet.conv_in (install_sketch_route).
    sketch: SketchRoute | None = None

    @property
    def image_prompt_tokens(self) -> int:
        return int(self.image_projection.num_image_text_embeds)


def apply_ip_adapter(unet, ip_state: dict, state: ConditioningState):
    """Converts IP-Adapter weights with diffusers' own code (the path `pipe.load_ip_adapter` takes), then
    moves the per-layer weights onto harmonized processors whose scale is a graph input."""
    image_projection = unet._convert_ip_adapter_image_proj_to_diffusers(ip_state["image_proj"])
    diffusers_processors = unet._convert_ip_adapter_attn_to_diffusers([ip_state])
    ip_layers = {}
    for name, processor in diffusers_processors.items():
        if hasattr(processor, "to_k_ip"):
            ip_layers[name] = (processor.to_k_ip[0].weight.detach(), processor.to_v_ip[0].weight.detach())
    install_harmonized_attention(unet, ip_layers, state)
    return image_projection.float().eval()


def load_parts(*, architecture: str, sd_dir: Path, image_encoder_dir: Path, ip_adapter: Path,
               controlnet_dir: Path | None = None, fabric_fusion_dir: Path | None = None,
               fabric: dict | None = None, sketch_route_dir: Path | None = None) -> GarmentComponents:
    from diffusers import AutoencoderKL, ControlNetModel, UNet2DConditionModel
    from transformers import CLIPTextModel, CLIPVisionModelWithProjection

    if architecture not in ARCHITECTURES:
        raise ValueError(f"unknown architecture {architecture!r}; expected one of {ARCHITECTURES}")
    for sub in ("text_encoder", "tokenizer", "unet", "vae", "scheduler"):
        if not (sd_dir / sub).is_dir():
            raise FileNotFoundError(f"{sd_dir} is not a diffusers SD 1.5 folder: {sub}/ is missing")
    f32 = {"torch_dtype": torch.float32}
    text_encoder = CLIPTextModel.from_pretrained(str(sd_dir / "text_encoder"), attn_implementation="eager", **f32).eval()
    image_encoder = CLIPVisionModelWithProjection.from_pretrained(str(image_encoder_dir), attn_implementation="eager", **f32).eval()
    unet = UNet2DConditionModel.from_pretrained(str(sd_dir / "unet"), **f32).eval()
    vae = AutoencoderKL.from_pretrained(str(sd_dir / "vae"), **f32).eval()
    scheduler_config = json.loads((sd_dir / "scheduler" / "scheduler_config.json").read_text())
    state = ConditioningState()
    image_projection = apply_ip_adapter(unet, read_ip_adapter(ip_adapter), state)
    controlnet = None
    if controlnet_dir is not None:
        controlnet = ControlNetModel.from_pretrained(str(controlnet_dir), **f32).eval()
        from diffusers.models.attention_processor import AttnProcessor

        controlnet.set_attn_processor(AttnProcessor())
    fusion = None
    if fabric_fusion_dir is not None:
        fusion = load_fabric_fusion(fabric_fusion_dir)
    if architecture == "higarment" and fusion is None:
        raise ValueError("a higarment model needs fabric_fusion/")
    sketch = None
    if sketch_route_dir is not None:
        sketch = load_sketch_route(sketch_route_dir)
        install_sketch_route(unet, sketch, state)
    return GarmentComponents(architecture, text_encoder, sd_dir / "tokenizer", image_encoder, image_projection, unet,
                             vae, scheduler_config, state, fusion, controlnet, fabric, sketch=sketch)


def save_sketch_route(module: SketchRoute, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "config.json").write_text(json.dumps(module.config, indent=2) + "\n")
    save_file({k: v.contiguous() for k, v in module.state_dict().items()}, str(out_dir / "model.safetensors"))


def load_sketch_route(folder: Path) -> SketchRoute:
    config = json.loads((folder / "config.json").read_text())
    module = SketchRoute(int(config["out_channels"]), tuple(config["channels"]))
    module.load_state_dict(load_file(str(folder / "model.safetensors")))
    return module.eval()


def save_fabric_fusion(module: FabricFusion, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "config.json").write_text(json.dumps(module.config, indent=2) + "\n")
    save_file({k: v.contiguous() for k, v in module.state_dict().items()}, str(out_dir / "model.safetensors"))


def load_fabric_fusion(folder: Path) -> FabricFusion:
    module = FabricFusion(**json.loads((folder / "config.json").read_text()))
    module.load_state_dict(load_file(str(folder / "model.safetensors")))
    return module.eval()


def load_garment_model(folder: Path) -> GarmentComponents:
    """Reads a garment model folder (see the module docstring)."""
    meta_path = folder / "garment_model.json"
    if not meta_path.is_file():
        raise FileNotFoundError(f"{folder} has no garment_model.json; is it a garment model folder?")
    meta = json.loads(meta_path.read_text())
    return load_parts(
        architecture=meta["architecture"],
        sd_dir=folder,
        image_encoder_dir=folder / "image_encoder",
        ip_adapter=folder / meta.get("ip_adapter", "ip_adapter.safetensors"),
        controlnet_dir=folder / "controlnet" if (folder / "controlnet").is_dir() else None,
        fabric_fusion_dir=folder / "fabric_fusion" if (folder / "fabric_fusion").is_dir() else None,
        fabric=meta.get("fabric"),
        sketch_route_dir=folder / "sketch_route" if (folder / "sketch_route").is_dir() else None,
    )
