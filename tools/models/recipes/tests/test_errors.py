"""What the assembler refuses, and how it says so: unknown keys, missing keys, wrong shapes, pickles,
untargeted LoRA modules. Each error names the file and key, and no half-written pack is left."""

from __future__ import annotations

import shutil

import pytest
import torch
from safetensors.torch import load_file, save_file

from tools.models.recipes.assemble import AssemblyError, assemble
from tools.models.recipes.tests.conftest import garment_files


def _with(path, tmp_path, change) -> object:
    state = load_file(str(path))
    change(state)
    out = tmp_path / path.name
    save_file(state, str(out))
    return out


def test_a_key_neither_used_nor_ignored_stops_assembly_and_is_named(twins, recipes, tmp_path):
    bad = _with(twins["controlnet"], tmp_path, lambda s: s.__setitem__("control_model.extra.weight", torch.zeros(2)))
    with pytest.raises(AssemblyError, match=r"neither uses nor ignores: \['control_model.extra.weight'\]"):
        assemble(recipes["sd15-garment"], {**garment_files(twins), "controlnet": bad}, tmp_path / "pack")
    assert not (tmp_path / "pack").exists()


def test_a_missing_key_is_named_with_its_file(twins, recipes, tmp_path):
    key = "ip_adapter.1.to_k_ip.weight"
    bad = _with(twins["ip_adapter"], tmp_path, lambda s: s.pop(key))
    with pytest.raises(AssemblyError, match=rf"ip-adapter_sd15.safetensors \(ip_adapter\) has no key {key}"):
        assemble(recipes["sd15-garment"], {**garment_files(twins), "ip_adapter": bad}, tmp_path / "pack")


def test_a_wrong_shape_is_named_with_both_shapes(twins, recipes, tmp_path):
    key = "image_proj.norm.weight"
    bad = _with(twins["ip_adapter"], tmp_path, lambda s: s.__setitem__(key, torch.zeros(9, dtype=torch.float16)))
    with pytest.raises(AssemblyError, match=rf"{key} has shape \[9\], the recipe expects \[8\]"):
        assemble(recipes["sd15-garment"], {**garment_files(twins), "ip_adapter": bad}, tmp_path / "pack")


def test_a_pickle_is_never_opened(twins, recipes, tmp_path):
    pickle = tmp_path / "model.ckpt"
    shutil.copyfile(twins["checkpoint"], pickle)
    with pytest.raises(AssemblyError, match="only .safetensors"):
        assemble(recipes["sd15-garment"], {**garment_files(twins), "checkpoint": pickle}, tmp_path / "pack")


def test_a_lora_module_with_no_target_is_named(twins, recipes, tmp_path):
    def add(state):
        state["lora_unet_nowhere.lora_down.weight"] = torch.zeros(4, 8, dtype=torch.float16)
        state["lora_unet_nowhere.lora_up.weight"] = torch.zeros(8, 4, dtype=torch.float16)
    bad = _with(twins["lcm"], tmp_path, add)
    with pytest.raises(AssemblyError, match=r"LoRA modules with no target: \['lora_unet_nowhere'\]"):
        assemble(recipes["sd15-garment-lcm"], {**garment_files(twins), "lcm": bad}, tmp_path / "pack")


def test_bf16_and_f16_sources_assemble_to_the_same_float32_weights(twins, recipes, packs, tmp_path):
    bf = _with(twins["image_encoder"], tmp_path, lambda s: s.update({k: v.bfloat16() for k, v in s.items()}))
    pack = tmp_path / "pack"
    assemble(recipes["sd15-garment"], {**garment_files(twins), "image_encoder": bf}, pack)
    got = (pack / "image_encoder.onnx.data").read_bytes()
    assert len(got) == len((packs["sd15-garment"] / "image_encoder.onnx.data").read_bytes())
    # bf16 keeps 8 mantissa bits: the assembled weights are the bf16-rounded twin's, not the original's
    assert got != (packs["sd15-garment"] / "image_encoder.onnx.data").read_bytes()
