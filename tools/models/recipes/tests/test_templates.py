"""Templates hold structure only, and their tensor maps are complete and consistent: every weight is
external data at a 64-byte aligned offset in one `.data` file, every external initializer has exactly
one map entry with its shape, and the table functions reproduce the twins' own headers."""

from __future__ import annotations

import json

import onnx
import pytest

from tools.models.recipes import configs, tables
from tools.models.recipes.build import header_table


@pytest.mark.parametrize("recipe", ["sd15-garment", "chinese-clip-motif"])
def test_every_weight_is_mapped_external_data(recipes, recipe):
    folder = recipes[recipe]
    spec = json.loads((folder / "recipe.json").read_text())
    for graph in spec["graphs"]:
        model = onnx.load(str(folder / graph["file"]), load_external_data=False)
        tensors = {t["name"]: t for t in json.loads((folder / graph["tensors"]).read_text())["tensors"]}
        external = [i for i in model.graph.initializer if i.data_location == onnx.TensorProto.EXTERNAL]
        assert external and {i.name for i in external} == set(tensors), graph["file"]
        for init in external:
            info = {e.key: e.value for e in init.external_data}
            entry = tensors[init.name]
            assert info["location"] == graph["data"] and int(info["offset"]) == entry["offset"]
            assert int(info["offset"]) % 64 == 0 and list(init.dims) == entry["shape"]
            assert int(info["length"]) == 4 * max(1, int(__import__("math").prod(entry["shape"])))
        inline = sum(len(i.raw_data) for i in model.graph.initializer if i.data_location != onnx.TensorProto.EXTERNAL)
        assert inline < 1 << 16, f"{graph['file']} keeps {inline} bytes inline"


def test_table_functions_give_the_twins_headers(twins):
    c = configs.tiny_garment()
    assert tables.sd15_single_file(c.unet, c.vae, c.text) == header_table(twins["checkpoint"])
    assert tables.controlnet_v11(c.controlnet) == header_table(twins["controlnet"])
    assert tables.ip_adapter(c.unet, 8, 12, 4) == header_table(twins["ip_adapter"])
    assert tables.clip_vision(c.vision, position_ids=False) == header_table(twins["image_encoder"])
    from tools.models.recipes.twins import LORA_RANK

    assert tables.kohya_lora(c.unet, LORA_RANK) == header_table(twins["lcm"])
    assert tables.chinese_clip(configs.tiny_chinese_clip()) == header_table(twins["chinese_clip"])


def test_header_estimate_is_safetensors_own_header(twins):
    for role in ("checkpoint", "controlnet", "ip_adapter", "image_encoder", "lcm"):
        path = twins[role]
        table = header_table(path)
        # transformers' save_pretrained and our LoRA twin write {"format": "pt"}, as the public files do
        metadata = {"format": "pt"} if role in ("image_encoder", "lcm") else None
        assert tables.data_bytes(table) + tables.header_bytes(table, metadata) == path.stat().st_size, role
