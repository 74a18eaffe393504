"""Writes a recipe folder (RECIPES.md): templates, tensor maps, recipe.json and pack files. Tiny and
full-size recipes run the same code; only the configurations and the source key tables differ (a
tiny twin's own header, or recipes/tables/*.json for the public files)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

from ..common.clip_bpe import write_tokenizer_files
from ..common.manifest import PACK_FORMAT, write_json
from ..garment.tiny import SD15_SCHEDULER
from . import configs, layouts
from .graphs import GarmentConfigs, garment_specs, motif_specs, processor_names
from .templates import Template, export_template

RECIPE_FORMAT = 1
GARMENT_SOURCES = {
    "checkpoint": {"layout": "sd15-single-file", "description": "Stable Diffusion 1.5 as one safetensors file (UNet, VAE, CLIP text encoder)"},
    "ip_adapter": {"layout": "h94-ip-adapter", "description": "h94/IP-Adapter models/ip-adapter_sd15.safetensors"},
    "image_encoder": {"layout": "hf-clip-vision-projection", "description": "h94/IP-Adapter models/image_encoder/model.safetensors (OpenCLIP ViT-H/14)"},
    "controlnet": {"layout": "controlnet-v11", "description": "ControlNet v1.1 line art, control_v11p_sd15_lineart_fp16.safetensors"},
}
LCM_SOURCE = {"layout": "sd15-lora-kohya", "description": "latent-consistency/lcm-lora-sdv1-5, pytorch_lora_weights.safetensors"}
MOTIF_SOURCES = {"checkpoint": {"layout": "hf-chinese-clip", "description": "OFA-Sys/chinese-clip-vit-base-patch16 model.safetensors"}}
# Keys of the public files that are not weights a pack needs.
IGNORED = {
    "checkpoint": [r"model_ema\..*", r"(betas|alphas_cumprod|alphas_cumprod_prev|sqrt_alphas_cumprod|sqrt_one_minus_alphas_cumprod"
                   r"|log_one_minus_alphas_cumprod|sqrt_recip_alphas_cumprod|sqrt_recipm1_alphas_cumprod|posterior_variance"
                   r"|posterior_log_variance_clipped|posterior_mean_coef1|posterior_mean_coef2)",
                   r"cond_stage_model\.transformer\.text_model\.embeddings\.position_ids"],
    "image_encoder": [r"vision_model\.embeddings\.position_ids"],
}
MOTIF_IGNORED = {"checkpoint": [r"(text|vision)_model\.embeddings\.position_ids", r"logit_scale", r"text_model\.pooler\..*"]}
SD15_LICENCE = "CreativeML-OpenRAIL-M (SD 1.5); Apache-2.0 (IP-Adapter); OpenRAIL (ControlNet v1.1)"
TOKENIZER_PACK_FILES = ["tokenizer/vocab.json", "tokenizer/merges.txt", "tokenizer/special_tokens_map.json",
                        "tokenizer/tokenizer_config.json"]


class RecipeError(Exception):
    """A recipe that cannot be made: the message names the keys or parameters at fault."""


def lcm_scheduler_config() -> dict:
    from diffusers import DDIMScheduler, LCMScheduler

    config = dict(LCMScheduler.from_config(DDIMScheduler.from_config(SD15_SCHEDULER).config).config)
    return {"_class_name": "LCMScheduler", "_diffusers_version": config.pop("_diffusers_version", "0.31.0"),
            **{k: (list(v) if isinstance(v, tuple) else v) for k, v in config.items() if not k.startswith("_")}}


RECIPES = {
    "sd15-garment": {"name": "SD 1.5 + IP-Adapter + line-art ControlNet",
                     "description": "Stable Diffusion 1.5, h94's IP-Adapter with its ViT-H image encoder and the ControlNet v1.1 line-art model, assembled from the public files."},
    "sd15-garment-lcm": {"name": "SD 1.5 + IP-Adapter + line-art ControlNet, LCM-LoRA (8 steps)",
                         "description": "sd15-garment with latent-consistency's LCM-LoRA merged into the UNet: LCM scheduler, 8 steps, guidance 1.",
                         "templatesFrom": "sd15-garment"},
    "chinese-clip-motif": {"name": "Chinese-CLIP ViT-B/16", "description": "OFA-Sys/chinese-clip-vit-base-patch16 in the Hugging Face layout."},
}


def _ops(ref: layouts.Ref, graph_ops: list[dict], target: list[int]) -> list[dict]:
    """Source ops then graph ops, reshapes folded into one and dropped when they change nothing."""
    out: list[dict] = []
    shape = list(ref.shape)
    for op in [*ref.ops, *graph_ops]:
        if op["op"] == "reshape" and out and out[-1]["op"] == "reshape":
            out[-1] = op
        else:
            out.append(op)
    if all(op["op"] == "reshape" for op in out) and shape == target:
        return []
    return out


def tensor_map(template: Template, components: dict[str, dict[str, layouts.Ref]]) -> tuple[dict, set[tuple[str, str]]]:
    tensors, used, problems = [], set(), []
    for slot in template.slots:
        ref = components.get(slot.component, {}).get(slot.param)
        if ref is None:
            problems.append(f"{slot.component}.{slot.param}: no source key")
            continue
        if list(ref.out_shape) != slot.param_shape:
            problems.append(f"{slot.component}.{slot.param}: {ref.source} key {ref.key} gives {list(ref.out_shape)}, "
                            f"the graph needs {slot.param_shape}")
            continue
        used.add((ref.source, ref.key))
        tensors.append({"name": slot.name, "offset": slot.offset, "dtype": "float32", "shape": slot.shape,
                        "from": [ref.entry()], "ops": _ops(ref, slot.ops, slot.shape)})
    if problems:
        raise RecipeError(f"{template.file}: " + "; ".join(problems[:8]) + (" ..." if len(problems) > 8 else ""))
    return {"graph": template.file, "data": template.file + ".data", "dataBytes": template.data_bytes, "tensors": tensors}, used


def check_coverage(tables: dict[str, dict], used: set[tuple[str, str]], ignored: dict[str, list[str]],
                   lora_sources: set[str] = frozenset()) -> None:
    """Every key of every source is read or ignored (RECIPES.md), as the assembler will insist."""
    for role, table in tables.items():
        if role in lora_sources:
            continue
        unknown = [k for k in table if (role, k) not in used and not any(re.fullmatch(p, k) for p in ignored.get(role, []))]
        if unknown:
            raise RecipeError(f"source {role}: keys neither used nor ignored: {unknown[:8]}")


def _table_refs(role: str, table: dict) -> dict[str, layouts.Ref]:
    return layouts.refs(role, {k: tuple(v["shape"]) for k, v in table.items()})


def garment_components(c: GarmentConfigs, tables: dict[str, dict]) -> dict[str, dict[str, layouts.Ref]]:
    sd = layouts.sd15_single_file(_table_refs("checkpoint", tables["checkpoint"]), c.unet, c.vae)
    ip = layouts.h94_ip_adapter(_table_refs("ip_adapter", tables["ip_adapter"]), processor_names(c.unet))
    return {
        "text_encoder": sd["text_encoder"], "vae": sd["vae"], "unet": {**sd["unet"], **ip["unet"]},
        "image_projection": ip["image_projection"],
        "image_encoder": layouts.same_names(_table_refs("image_encoder", tables["image_encoder"]), IGNORED["image_encoder"]),
        "controlnet": layouts.controlnet_v11(_table_refs("controlnet", tables["controlnet"]), int(c.unet["layers_per_block"])),
    }


def _garment_manifest(c: GarmentConfigs, graphs: dict, recipe_id: str, lcm: bool) -> dict:
    from ..garment.export import garment_manifest

    stand_in = SimpleNamespace(
        architecture="sd15-ip-adapter", fabric_fusion=None, fabric=None, controlnet=c.controlnet, sketch=None,
        image_prompt_tokens=c.image_prompt_tokens, text_encoder=SimpleNamespace(config=c.text),
        image_encoder=SimpleNamespace(config=c.vision), unet=SimpleNamespace(config=SimpleNamespace(**c.unet)),
        vae=SimpleNamespace(config=SimpleNamespace(**{"scaling_factor": 0.18215, **c.vae})))
    defaults = {"steps": 8, "guidanceScale": 1.0} if lcm else {"steps": 30}
    meta = {"id": f"jinxiu-{recipe_id}", "version": "1.0.0", "name": RECIPES[recipe_id]["name"], "licence": SD15_LICENCE,
            "description": RECIPES[recipe_id]["description"], "source": {"recipe": recipe_id}}
    manifest = garment_manifest(stand_in, graphs, meta=meta, defaults=defaults, sample_size=int(c.unet.get("sample_size", 64)))
    manifest["source"] = {"recipe": recipe_id}
    return manifest


def _write_recipe(out: Path, recipe: dict) -> None:
    write_json(out / "recipe.json", recipe)


def build_garment(out: Path, c: GarmentConfigs, tables: dict[str, dict], *, seed: int = 0) -> dict:
    """sd15-garment: templates, tensor maps, pack files and recipe.json under `out`."""
    components = garment_components(c, tables)
    out.mkdir(parents=True, exist_ok=True)
    graphs, maps, used = {}, [], set()
    for spec in garment_specs(c, seed):
        template = export_template(spec, out)
        tensors, reads = tensor_map(template, components)
        write_json(out / (spec.file.removesuffix(".onnx") + ".tensors.json"), tensors)
        graphs[spec.key] = template.entry
        maps.append({"file": spec.file, "data": spec.file + ".data", "tensors": spec.file.removesuffix(".onnx") + ".tensors.json"})
        used |= reads
        del spec
    check_coverage(tables, used, IGNORED)
    write_tokenizer_files(out / "pack" / "tokenizer")
    write_json(out / "pack" / "scheduler" / "scheduler_config.json", SD15_SCHEDULER)
    recipe = {"recipeFormat": RECIPE_FORMAT, "id": "sd15-garment", "name": RECIPES["sd15-garment"]["name"],
              "description": RECIPES["sd15-garment"]["description"], "sources": GARMENT_SOURCES, "graphs": maps,
              "loras": [], "ignored": IGNORED, "manifest": _garment_manifest(c, graphs, "sd15-garment", lcm=False),
              "packFiles": [*TOKENIZER_PACK_FILES, "scheduler/scheduler_config.json"]}
    _write_recipe(out, recipe)
    return recipe


def build_garment_lcm(out: Path, base: Path, c: GarmentConfigs, tables: dict[str, dict]) -> dict:
    """sd15-garment-lcm: sd15-garment's templates (templatesFrom), the LoRA merged into the checkpoint's UNet."""
    base_recipe = json.loads((base / "recipe.json").read_text())
    unet_refs = garment_components(c, tables)["unet"]
    targets = layouts.lora_targets({k: v for k, v in unet_refs.items() if v.source == "checkpoint"}, list(tables["lcm"]))
    out.mkdir(parents=True, exist_ok=True)
    write_json(out / "pack" / "scheduler" / "scheduler_config.json", lcm_scheduler_config())
    manifest = _garment_manifest(c, base_recipe["manifest"]["garment"]["graphs"], "sd15-garment-lcm", lcm=True)
    recipe = {"recipeFormat": RECIPE_FORMAT, "id": "sd15-garment-lcm", "name": RECIPES["sd15-garment-lcm"]["name"],
              "description": RECIPES["sd15-garment-lcm"]["description"], "templatesFrom": "sd15-garment",
              "sources": {**GARMENT_SOURCES, "lcm": LCM_SOURCE}, "graphs": base_recipe["graphs"],
              "loras": [{"source": "lcm", "into": "checkpoint", "format": "sd15-lora-kohya", "scale": 1.0}],
              "loraTargets": targets, "ignored": IGNORED, "manifest": manifest,
              "packFiles": [*TOKENIZER_PACK_FILES, "scheduler/scheduler_config.json"]}
    _write_recipe(out, recipe)
    return recipe


def build_motif(out: Path, config, tables: dict[str, dict], *, seed: int = 0) -> dict:
    from ..motif import contract
    from ..motif.convert import BUNDLED_VOCAB, read_vocab, special_ids

    model = layouts.same_names(_table_refs("checkpoint", tables["checkpoint"]), MOTIF_IGNORED["checkpoint"])
    out.mkdir(parents=True, exist_ok=True)
    graphs, maps, used = {}, [], set()
    for spec in motif_specs(config, seed):
        template = export_template(spec, out)
        tensors, reads = tensor_map(template, {"chinese_clip": model})
        write_json(out / (spec.file.removesuffix(".onnx") + ".tensors.json"), tensors)
        graphs[spec.key] = template.entry
        maps.append({"file": spec.file, "data": spec.file + ".data", "tensors": spec.file.removesuffix(".onnx") + ".tensors.json"})
        used |= reads
    check_coverage(tables, used, MOTIF_IGNORED)
    (out / "pack").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(BUNDLED_VOCAB, out / "pack" / contract.VOCAB_FILE)
    tokens = read_vocab(BUNDLED_VOCAB)
    motif = contract.motif_section(layout="hf-chinese-clip", graphs=graphs, embedding_dim=int(config.projection_dim),
                                   image_size=int(config.vision_config.image_size), vocab_size=len(tokens),
                                   # Chinese-CLIP clamps the learnt scale at 100 and its released models sit there.
                                   logit_scale=100.0, special_ids=special_ids(tokens))
    manifest = {"id": "jinxiu-chinese-clip-motif", "version": "1.0.0", "kind": "motif", "name": RECIPES["chinese-clip-motif"]["name"],
                "licence": "MIT (Chinese-CLIP code and weights, OFA-Sys)", "packFormat": PACK_FORMAT,
                "description": RECIPES["chinese-clip-motif"]["description"], "source": {"recipe": "chinese-clip-motif"}, "motif": motif}
    recipe = {"recipeFormat": RECIPE_FORMAT, "id": "chinese-clip-motif", "name": RECIPES["chinese-clip-motif"]["name"],
              "description": RECIPES["chinese-clip-motif"]["description"], "sources": MOTIF_SOURCES, "graphs": maps,
              "loras": [], "ignored": MOTIF_IGNORED, "manifest": manifest, "packFiles": [contract.VOCAB_FILE]}
    _write_recipe(out, recipe)
    return recipe


def header_table(path: Path) -> dict:
    """A safetensors file's {key: {dtype, shape}} from its JSON header alone."""
    with open(path, "rb") as f:
        size = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(size))
    header.pop("__metadata__", None)
    return {k: {"dtype": v["dtype"], "shape": v["shape"]} for k, v in header.items()}


def build_tiny(out: Path, twins: dict[str, Path], chinese_clip: Path) -> dict[str, Path]:
    """The three recipes for the tiny twins (twins.py), under out/<id>."""
    tables = {role: header_table(twins[role]) for role in ("checkpoint", "ip_adapter", "image_encoder", "controlnet")}
    c = configs.tiny_garment()
    build_garment(out / "sd15-garment", c, tables)
    build_garment_lcm(out / "sd15-garment-lcm", out / "sd15-garment", c, {**tables, "lcm": header_table(twins["lcm"])})
    build_motif(out / "chinese-clip-motif", configs.tiny_chinese_clip(), {"checkpoint": header_table(chinese_clip)})
    return {rid: out / rid for rid in RECIPES}
