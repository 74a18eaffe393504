"""CLI targets: `export recipes` (templates + tensor maps + recipe.json, full-size into
resources/models/recipes), `export recipe-tables` (recipes/tables/*.json), `convert recipe` (the
reference assembler: public safetensors files -> pack)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

RESOURCES = Path(__file__).resolve().parents[3] / "resources" / "models" / "recipes"
FULL_SOURCES = {"checkpoint": "v1-5-pruned", "ip_adapter": "ip-adapter_sd15", "image_encoder": "ip-adapter-image-encoder",
                "controlnet": "control_v11p_sd15_lineart_fp16", "lcm": "lcm-lora-sdv1-5"}


def cmd_recipes(args) -> int:
    import torch

    from ..garment.cli import quiet_libraries
    from . import build, configs, tables

    quiet_libraries()
    if not args.no_nice:
        os.nice(10)  # full-size exports run for many minutes on shared cores
    torch.set_num_threads(args.threads)
    loaded = {role: tables.load_table(name)["tensors"] for role, name in FULL_SOURCES.items()}
    garment_tables = {k: v for k, v in loaded.items() if k != "lcm"}
    wanted = set(args.only or build.RECIPES)
    c = configs.full_garment()
    if "sd15-garment" in wanted:
        build.build_garment(args.out / "sd15-garment", c, garment_tables)
        print("wrote sd15-garment")
    if "sd15-garment-lcm" in wanted:
        build.build_garment_lcm(args.out / "sd15-garment-lcm", args.out / "sd15-garment", c, loaded)
        print("wrote sd15-garment-lcm")
    if "chinese-clip-motif" in wanted:
        build.build_motif(args.out / "chinese-clip-motif", configs.full_chinese_clip(),
                          {"checkpoint": tables.load_table("chinese-clip-vit-base-patch16")["tensors"]})
        print("wrote chinese-clip-motif")
    return 0


def cmd_tables(args) -> int:
    from . import tables

    for name, doc in tables.write_full_tables(args.out).items():
        print(f"{name}: {len(doc['tensors'])} tensors, {doc['dataBytes']} data bytes, published {doc['publishedBytes']}")
    return 0


def cmd_assemble(args) -> int:
    from .assemble import assemble

    files = dict(item.split("=", 1) for item in args.source)
    manifest = assemble(args.recipe, {k: Path(v) for k, v in files.items()}, args.out)
    print(f"wrote {args.out}: {len(manifest['files'])} files, {sum(f['size'] for f in manifest['files']) / 1e6:.1f} MB")
    return 0


def register(groups: dict[str, argparse._SubParsersAction]) -> None:
    p = groups["export"].add_parser("recipes", help="full-size recipe templates and tensor maps (RECIPES.md)")
    p.add_argument("--out", type=Path, default=RESOURCES)
    p.add_argument("--only", action="append", help="a recipe id (repeatable); default all")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--no-nice", action="store_true")
    p.set_defaults(func=cmd_recipes)
    p = groups["export"].add_parser("recipe-tables", help="key/shape tables of the public files, from their configurations")
    p.add_argument("--out", type=Path, default=Path(__file__).parent / "tables")
    p.set_defaults(func=cmd_tables)
    p = groups["convert"].add_parser("recipe", help="assemble a pack from a recipe and public safetensors files")
    p.add_argument("recipe", type=Path, help="recipe folder, e.g. resources/models/recipes/sd15-garment")
    p.add_argument("--source", action="append", required=True, help="ROLE=FILE for each source of the recipe")
    p.add_argument("--out", type=Path, required=True)
    p.set_defaults(func=cmd_assemble)


__all__ = ["register"]
