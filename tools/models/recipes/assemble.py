"""The reference assembler (RECIPES.md): public safetensors files + a recipe -> a pack, reading one
tensor at a time with safetensors' safe_open (never a pickle), merging LoRAs as weights are read, and
writing each graph's external data at the tensor map's offsets. The app's TypeScript assembler
implements the same document; tests hold both to the Python converters' packs."""

from __future__ import annotations

import json
import re
import shutil
from contextlib import ExitStack
from pathlib import Path

import numpy as np
import torch
from safetensors import safe_open

from ..common.manifest import write_manifest

RECIPES_ROOT = Path(__file__).resolve().parents[3] / "resources" / "models" / "recipes"
ALLOWED_DTYPES = {torch.float32, torch.float16, torch.bfloat16}


class AssemblyError(Exception):
    """Sources that do not fit the recipe; the message names the file, key and shapes at fault."""


class Sources:
    """The recipe's source files, opened lazily; `read` gives a key as float32 with any LoRA merged."""

    def __init__(self, recipe: dict, files: dict[str, Path], stack: ExitStack) -> None:
        missing = [role for role, s in recipe["sources"].items() if role not in files and not s.get("optional")]
        if missing:
            raise AssemblyError(f"no file given for source(s) {missing}")
        self.files = files
        self.handles = {}
        for role, path in files.items():
            if Path(path).suffix != ".safetensors":
                raise AssemblyError(f"{path}: only .safetensors files are read (a pickle is never opened)")
            self.handles[role] = stack.enter_context(safe_open(str(path), framework="pt"))
        self.loras = self._lora_index(recipe)

    def keys(self, role: str) -> list[str]:
        return list(self.handles[role].keys())

    def _lora_index(self, recipe: dict) -> dict[tuple[str, str], list[tuple[str, str, float]]]:
        index: dict[tuple[str, str], list[tuple[str, str, float]]] = {}
        targets = recipe.get("loraTargets", {})
        for lora in recipe.get("loras", []):
            if lora["format"] != "sd15-lora-kohya":
                raise AssemblyError(f"unknown LoRA format {lora['format']}")
            modules = sorted({k.split(".", 1)[0] for k in self.keys(lora["source"])})
            untargeted = [m for m in modules if m not in targets]
            if untargeted:
                raise AssemblyError(f"{self.files[lora['source']]}: LoRA modules with no target: {untargeted[:8]}")
            for module in modules:
                index.setdefault((lora["into"], targets[module]), []).append((lora["source"], module, float(lora["scale"])))
        return index

    def raw(self, role: str, key: str) -> torch.Tensor:
        handle = self.handles[role]
        if key not in handle.keys():
            raise AssemblyError(f"{self.files[role]} ({role}) has no key {key}")
        return handle.get_tensor(key)

    def read(self, role: str, key: str, shape: list[int]) -> torch.Tensor:
        tensor = self.raw(role, key)
        if tensor.dtype not in ALLOWED_DTYPES:
            raise AssemblyError(f"{self.files[role]}: {key} is {tensor.dtype}, not a float tensor")
        if list(tensor.shape) != list(shape):
            raise AssemblyError(f"{self.files[role]}: {key} has shape {list(tensor.shape)}, the recipe expects {list(shape)}")
        tensor = tensor.float()
        for source, module, scale in self.loras.get((role, key), []):
            tensor = tensor + scale * lora_delta(self, source, module, tensor.shape)
        return tensor


def lora_delta(sources: Sources, role: str, module: str, shape) -> torch.Tensor:
    down = sources.raw(role, f"{module}.lora_down.weight").float()
    up = sources.raw(role, f"{module}.lora_up.weight").float()
    rank = down.shape[0]
    alpha_key = f"{module}.alpha"
    alpha = float(sources.raw(role, alpha_key).float()) if alpha_key in sources.handles[role].keys() else float(rank)
    delta = up.reshape(up.shape[0], rank) @ down.reshape(rank, -1)
    if delta.numel() != int(np.prod(shape)):
        raise AssemblyError(f"{sources.files[role]}: LoRA {module} makes {list(delta.shape)}, its target is {list(shape)}")
    return (alpha / rank) * delta.reshape(shape)


def apply_ops(tensors: list[torch.Tensor], ops: list[dict]) -> torch.Tensor:
    if len(tensors) > 1 and (not ops or ops[0]["op"] != "concat"):
        raise AssemblyError("several source tensors need a concat first")
    x = tensors[0]
    for op in ops:
        kind = op["op"]
        if kind == "concat":
            x = torch.cat(tensors, dim=op["axis"])
        elif kind == "slice":
            x = x.narrow(op["axis"], op["start"], op["end"] - op["start"])
        elif kind == "transpose":
            x = x.permute(*op["perm"])
        elif kind == "reshape":
            x = x.reshape(op["shape"])
        elif kind == "scale":
            x = x * float(op["by"])
        else:
            raise AssemblyError(f"unknown op {kind}")
    return x


def _check_coverage(recipe: dict, sources: Sources, maps: list[dict]) -> None:
    used = {(f["source"], f["key"]) for m in maps for t in m["tensors"] for f in t["from"]}
    lora_roles = {lora["source"] for lora in recipe.get("loras", [])}
    for role in sources.handles:
        if role in lora_roles:
            continue
        patterns = recipe.get("ignored", {}).get(role, [])
        unknown = [k for k in sources.keys(role) if (role, k) not in used and not any(re.fullmatch(p, k) for p in patterns)]
        if unknown:
            raise AssemblyError(f"{sources.files[role]} ({role}): keys the recipe neither uses nor ignores: {unknown[:8]}")


def write_data(sources: Sources, tensor_map: dict, path: Path) -> None:
    with open(path, "wb") as out:
        for entry in sorted(tensor_map["tensors"], key=lambda t: t["offset"]):
            value = apply_ops([sources.read(f["source"], f["key"], f["shape"]) for f in entry["from"]], entry["ops"])
            if list(value.shape) != list(entry["shape"]):
                raise AssemblyError(f"{tensor_map['graph']}: {entry['name']} from {[f['key'] for f in entry['from']]} "
                                    f"came out {list(value.shape)}, the graph needs {entry['shape']}")
            if out.tell() > entry["offset"]:
                raise AssemblyError(f"{tensor_map['graph']}: {entry['name']} overlaps the tensor before it")
            out.write(b"\0" * (entry["offset"] - out.tell()))
            out.write(value.contiguous().numpy().astype("<f4", copy=False).tobytes())
        if out.tell() != tensor_map["dataBytes"]:
            raise AssemblyError(f"{tensor_map['graph']}: wrote {out.tell()} bytes, the map says {tensor_map['dataBytes']}")


def assemble(recipe_dir: Path, files: dict[str, Path], out: Path, recipes_root: Path | None = None) -> dict:
    """Writes the pack into `out` (replaced) and returns its manifest."""
    recipe = json.loads((recipe_dir / "recipe.json").read_text())
    root = recipes_root or recipe_dir.parent
    templates = root / recipe["templatesFrom"] if recipe.get("templatesFrom") else recipe_dir
    maps = [json.loads((templates / g["tensors"]).read_text()) for g in recipe["graphs"]]
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    try:
        with ExitStack() as stack:
            sources = Sources(recipe, files, stack)
            _check_coverage(recipe, sources, maps)
            for graph, tensor_map in zip(recipe["graphs"], maps):
                shutil.copyfile(templates / graph["file"], out / graph["file"])
                write_data(sources, tensor_map, out / graph["data"])
        for rel in recipe.get("packFiles", []):
            source = recipe_dir / "pack" / rel
            if not source.is_file():
                source = templates / "pack" / rel
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, out / rel)
        return write_manifest(out, recipe["manifest"])
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)  # a half-written pack must not look like a pack
        raise
