"""Writes a garment pack (PACKS.md) from loaded GarmentComponents: ONNX graphs, tokenizer files,
scheduler config, fabric table and manifest.json."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import onnx
import torch

from .. import TOOL_VERSION
from ..common.manifest import PACK_FORMAT, write_json, write_manifest
from ..common.onnx_io import graph_entry
from . import graphs as g
from .components import GarmentComponents

OPSET = 17
CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
CLIP_STD = [0.26862954, 0.26130258, 0.27577711]
TOKENIZER_FILES = ("vocab.json", "merges.txt", "special_tokens_map.json", "tokenizer_config.json")
# Weights above this size go to one external-data file beside the graph (protobuf's 2 GB limit).
EXTERNAL_DATA_BYTES = 1_800_000_000


def _export(module: torch.nn.Module, args: tuple, file: Path, io: tuple[dict, dict], dynamic: dict,
            external_threshold: int = EXTERNAL_DATA_BYTES, tensor_threshold: int = 1024) -> None:
    """torch.onnx.export into a scratch folder, then one self-contained file (or file + `.data`)."""
    names_in, names_out = list(io[0].values()), list(io[1].values())
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(scratch) / file.name
        with torch.no_grad():
            torch.onnx.export(module, args, str(tmp), input_names=names_in, output_names=names_out,
                              dynamic_axes=dynamic, opset_version=OPSET, do_constant_folding=True)
        model = onnx.load(str(tmp))
        _fix_output_shapes(model, module, args, dynamic)
        size = sum(init.ByteSize() for init in model.graph.initializer)
        file.parent.mkdir(parents=True, exist_ok=True)
        if size > external_threshold:
            onnx.save_model(model, str(file), save_as_external_data=True, all_tensors_to_one_file=True,
                            location=file.name + ".data", size_threshold=tensor_threshold)
        else:
            onnx.save_model(model, str(file))
    onnx.checker.check_model(str(file))


def _fix_output_shapes(model, module: torch.nn.Module, args: tuple, dynamic: dict) -> None:
    """The exporter names output dims it could not infer (`Addlast_hidden_state_dim_1`); the manifest
    wants the truth: the declared dynamic axes by name, every other dim as the size it really has."""
    with torch.no_grad():
        result = module(*args)
    results = result if isinstance(result, tuple) else (result,)
    for info, tensor in zip(model.graph.output, results):
        axes = dynamic.get(info.name, {})
        for i, dim in enumerate(info.type.tensor_type.shape.dim):
            if i in axes:
                dim.dim_param = axes[i]
            else:
                dim.dim_value = int(tensor.shape[i])


def _batch(*names: str) -> dict:
    return {name: {0: "batch"} for name in names}


def export_graphs(c: GarmentComponents, pack: Path, *, sample_size: int | None = None, vae_encoder: bool = False) -> dict:
    """Exports every graph and returns the manifest's `graphs` section, read back from the files.
    vae_encoder: also the optional `vaeEncoder` graph (PACKS.md "Starting from an image"), which a
    trained pack carries so "Start from the colorway" works with it; the golden tiny packs leave it out."""
    text_cfg = c.text_encoder.config
    vision_cfg = c.image_encoder.config
    context = int(text_cfg.max_position_embeddings)
    cross_dim = int(c.unet.config.cross_attention_dim)
    latent_ch = int(c.unet.config.in_channels)
    latent_size = int(sample_size or c.unet.config.sample_size)
    image_size = int(vision_cfg.image_size)
    vae_scale = 2 ** (len(c.vae.config.block_out_channels) - 1)
    out: dict = {}

    def add(key: str, module, args, file_name: str, io, dynamic) -> None:
        file = pack / file_name
        _export(module, args, file, io, dynamic)
        out[key] = graph_entry(pack, file, *io)
        out[key]["file"] = out[key].pop("path")

    ids = torch.full((1, context), 49407, dtype=torch.long)
    ids[0, 0] = 49406
    add("textEncoder", g.TextEncoderGraph(c.text_encoder), (ids,), "text_encoder.onnx", g.TEXT_ENCODER_IO,
        _batch("input_ids", "last_hidden_state", "pooler_output"))
    pixels = torch.zeros(1, 3, image_size, image_size)
    add("imageEncoder", g.ImageEncoderGraph(c.image_encoder), (pixels,), "image_encoder.onnx", g.IMAGE_ENCODER_IO,
        _batch("pixel_values", "image_embeds", "last_hidden_state"))
    embeds = torch.zeros(1, int(vision_cfg.projection_dim))
    add("imageProjection", g.ImageProjectionGraph(c.image_projection), (embeds,), "image_projection.onnx",
        g.IMAGE_PROJECTION_IO, _batch("image_embeds", "image_prompt_embeds"))
    if c.fabric_fusion is not None:
        label = torch.zeros(1, int(text_cfg.hidden_size))
        hidden = torch.zeros(1, (image_size // int(vision_cfg.patch_size)) ** 2 + 1, int(vision_cfg.hidden_size))
        add("fabricFusion", c.fabric_fusion, (label, hidden), "fabric_fusion.onnx", g.FABRIC_FUSION_IO,
            _batch("label_embeds", "fabric_hidden_states", "fabric_tokens"))

    sample = torch.zeros(1, latent_ch, latent_size, latent_size)
    timestep = torch.tensor([1.0])
    text = torch.zeros(1, context, cross_dim)
    image_prompt = torch.zeros(1, c.image_prompt_tokens, cross_dim)
    alpha = torch.tensor([1.0])
    spatial = {0: "batch", 2: "height", 3: "width"}
    control_down = 0
    control_args: tuple = ()
    if c.controlnet is not None:
        control_down = g.control_down_count(c.unet)
        control_image = torch.zeros(1, 3, latent_size * vae_scale, latent_size * vae_scale)
        cn_io = g.controlnet_io(control_down)
        cn_dynamic = {"sample": spatial, "timestep": {0: "batch"}, "encoder_hidden_states": {0: "batch", 1: "text_tokens"},
                      "controlnet_cond": {0: "batch", 2: "image_height", 3: "image_width"}, "conditioning_scale": {0: "batch"}}
        cn_dynamic.update({name: {0: "batch", 2: f"res_height_{i}", 3: f"res_width_{i}"} for i, name in enumerate(cn_io[1].values())})
        add("controlnet", g.ControlNetGraph(c.controlnet), (sample, timestep, text, control_image, torch.tensor([1.0])),
            "controlnet.onnx", cn_io, cn_dynamic)
        with torch.no_grad():
            control_args = g.ControlNetGraph(c.controlnet)(sample, timestep, text, control_image, torch.tensor([1.0]))
    sketch = c.sketch is not None
    sketch_args: tuple = ()
    if sketch:
        line_art = torch.zeros(1, 3, latent_size * vae_scale, latent_size * vae_scale)
        add("sketchEncoder", g.SketchEncoderGraph(c.sketch.encoder), (line_art,), "sketch_encoder.onnx", g.SKETCH_ENCODER_IO,
            {"line_art": {0: "batch", 2: "image_height", 3: "image_width"}, "sketch_features": spatial})
        with torch.no_grad():
            sketch_args = (c.sketch.encoder(line_art), torch.tensor([1.0]))
    unet_io = g.unet_io(control_down, sketch)
    unet_dynamic = {"sample": spatial, "timestep": {0: "batch"}, "encoder_hidden_states": {0: "batch", 1: "text_tokens"},
                    "image_prompt_embeds": {0: "batch", 1: "image_tokens"}, "alpha": {0: "batch"}, "out_sample": spatial}
    if sketch:
        unet_dynamic.update({"sketch_features": spatial, "sketch_scale": {0: "batch"}})
    residuals = [name for name in unet_io[0].values() if name.startswith(("down_block_res_", "mid_block_res"))]
    for i, name in enumerate(residuals):
        unet_dynamic[name] = {0: "batch", 2: f"res_height_{i}", 3: f"res_width_{i}"}
    add("unet", g.UNetGraph(c.unet, c.state, control_down, sketch),
        (sample, timestep, text, image_prompt, alpha, *sketch_args, *control_args), "unet.onnx", unet_io, unet_dynamic)
    add("vaeDecoder", g.VaeDecoderGraph(c.vae), (sample,), "vae_decoder.onnx", g.VAE_DECODER_IO,
        {"latent_sample": spatial, "sample": {0: "batch", 2: "image_height", 3: "image_width"}})
    if vae_encoder:
        from ..recipes.graphs import VAE_ENCODER_IO, VaeEncoderGraph

        image = torch.zeros(1, 3, latent_size * vae_scale, latent_size * vae_scale)
        add("vaeEncoder", VaeEncoderGraph(c.vae), (image,), "vae_encoder.onnx", VAE_ENCODER_IO,
            {"sample": {0: "batch", 2: "image_height", 3: "image_width"}, "latent_mean": spatial})
    return out


# The flat's line art at the output size (PACKS.md "Preprocessing"): what a ControlNet and the sketch
# encoder both take, white lines on black.
LINEART_PREPROCESS = {"kind": "lineart", "invert": True, "channels": "RGB", "layout": "NCHW", "rescale": 1 / 255,
                      "resize": "stretch", "interpolation": "bilinear"}
# What a trained pack with the sketch route is exported with: the settings the sketch cache draws the
# training line art with when the pack has no control section of its own (sketch-cache.ts
# DEFAULT_CONTROL; garment/README.md), so lineArtFromFlat gives the studio the same image training saw.
SKETCH_CONTROL_PREPROCESS = {**LINEART_PREPROCESS, "interpolation": "bicubic"}


def image_preprocess(size: int) -> dict:
    return {"imageSize": size, "resize": "shortest-edge", "crop": "center", "interpolation": "bicubic",
            "channels": "RGB", "layout": "NCHW", "rescale": 1 / 255, "mean": CLIP_MEAN, "std": CLIP_STD}


def write_pack(c: GarmentComponents, pack: Path, *, meta: dict, defaults: dict | None = None,
               sample_size: int | None = None, control: dict | None = None, vae_encoder: bool = False) -> dict:
    """meta: id, version, name, licence and optional description/source. Replaces `pack` if it exists.
    control: preprocess.control for a pack with a ControlNet or a sketch encoder (LINEART_PREPROCESS
    when left out)."""
    if pack.exists():
        shutil.rmtree(pack)
    pack.mkdir(parents=True)
    try:
        return _write_pack(c, pack, meta=meta, defaults=defaults, sample_size=sample_size, control=control,
                           vae_encoder=vae_encoder)
    except BaseException:
        shutil.rmtree(pack, ignore_errors=True)  # a half-written pack must not look like a pack
        raise


def _write_pack(c: GarmentComponents, pack: Path, *, meta: dict, defaults: dict | None, sample_size: int | None,
                control: dict | None = None, vae_encoder: bool = False) -> dict:
    graphs = export_graphs(c, pack, sample_size=sample_size, vae_encoder=vae_encoder)
    (pack / "tokenizer").mkdir()
    for name in TOKENIZER_FILES:
        if (c.tokenizer_dir / name).is_file():
            shutil.copyfile(c.tokenizer_dir / name, pack / "tokenizer" / name)
    for name in ("vocab.json", "merges.txt"):
        if not (pack / "tokenizer" / name).is_file():
            raise FileNotFoundError(f"the tokenizer folder {c.tokenizer_dir} has no {name}")
    write_json(pack / "scheduler" / "scheduler_config.json", c.scheduler_config)
    if c.fabric_fusion is not None:
        fabric = dict(c.fabric or {})
        write_json(pack / "fabrics.json", {"labels": fabric.get("labels", []), "synonyms": fabric.get("synonyms", {})})
    return write_manifest(pack, garment_manifest(c, graphs, meta=meta, defaults=defaults, sample_size=sample_size, control=control))


def garment_manifest(c: GarmentComponents, graphs: dict, *, meta: dict, defaults: dict | None,
                     sample_size: int | None, control: dict | None = None) -> dict:
    """The manifest without `files`; reads only the components' configs, so recipes (tools/models/recipes)
    write the same manifest for packs the app assembles."""
    latent_size = int(sample_size or c.unet.config.sample_size)
    vae_scale = 2 ** (len(c.vae.config.block_out_channels) - 1)
    image_px = latent_size * vae_scale
    higarment = c.architecture == "higarment"
    conditioning: dict = {
        "attention": "decoupled",
        "imagePromptTokens": c.image_prompt_tokens,
        "alpha": {"rule": "harmonized", "lambda": 0.6, "pool": "mean"} if higarment else {"rule": "fixed", "value": 1.0},
        "negative": {"prompt": "", "imageEmbeds": "zeros"},
    }
    if c.fabric_fusion is not None:
        conditioning["fabric"] = {"table": "fabrics.json", "tokens": c.fabric_fusion.num_tokens, "labelPrompt": "{label}"}
    variants: dict = {"imageBiased": {"alpha": "rule" if higarment else 1.0}, "textBiased": {"alpha": 0.3}}
    if c.sketch is not None:
        # The image-biased variant keeps the sketch; the text-biased one leaves room for silhouette words.
        variants["imageBiased"]["sketchScale"] = 1.0
        variants["textBiased"]["sketchScale"] = 0.3
    garment = {
        "architecture": c.architecture,
        "tokenizer": {
            "kind": "clip-bpe",
            "vocab": "tokenizer/vocab.json",
            "merges": "tokenizer/merges.txt",
            "contextLength": int(c.text_encoder.config.max_position_embeddings),
            "doLowerCase": True,
            "specialTokens": {"bos": "<|startoftext|>", "eos": "<|endoftext|>", "pad": "<|endoftext|>"},
            "specialIds": {"bos": 49406, "eos": 49407, "pad": 49407},
        },
        "graphs": graphs,
        "preprocess": {
            "sketch": image_preprocess(int(c.image_encoder.config.image_size)),
            "swatch": image_preprocess(int(c.image_encoder.config.image_size)),
        },
        "latents": {"channels": int(c.unet.config.in_channels), "downscale": vae_scale,
                    "scalingFactor": float(c.vae.config.scaling_factor)},
        "scheduler": {"config": "scheduler/scheduler_config.json"},
        "conditioning": conditioning,
        "defaults": {
            "width": image_px,
            "height": image_px,
            "steps": 50,
            "guidanceScale": 7.5,
            "variants": variants,
            **(defaults or {}),
        },
    }
    if c.controlnet is not None or c.sketch is not None:
        garment["preprocess"]["control"] = dict(control or LINEART_PREPROCESS)
    if c.controlnet is not None:
        garment["defaults"]["controlScale"] = 1.0
    manifest = {
        "id": meta["id"],
        "version": meta["version"],
        "kind": "garment",
        "name": meta["name"],
        "licence": meta["licence"],
        "packFormat": PACK_FORMAT,
        **({"description": meta["description"]} if meta.get("description") else {}),
        "source": {"tool": f"jinxiu tools/models {TOOL_VERSION}", **meta.get("source", {})},
        "garment": garment,
    }
    return manifest
