"""`train motif` end to end on a handful of pairs: checkpoint -> pack -> held-out figures -> card."""
from __future__ import annotations

import hashlib
import json

from tools.models.motif import data, train

HERITAGE = data.HERITAGE_SAMPLE


def test_training_command_path_makes_a_loadable_pack(tmp_path):
    checkpoint, out, golden = tmp_path / "ckpt", tmp_path / "pack", tmp_path / "golden.json"
    facts = train.train_checkpoint(checkpoint, steps=2, batch=4, heritage=HERITAGE, limit=12, threads=1, log=lambda _: None)
    assert facts["train_pairs"] + facts["test_pairs"] == 12 + 12 and facts["test_pairs"] >= 1
    manifest = train.package(checkpoint, out, heritage=HERITAGE, limit=12, golden=golden, log=lambda _: None)
    assert manifest["id"] == train.PACK_ID and manifest["kind"] == "motif"
    assert max(manifest["parity"].values()) < 1e-4
    graphs = manifest["motif"]["graphs"]
    assert graphs["text"]["inputs"]["ids"] == {"name": "text", "dtype": "int64", "shape": [1, 52]}
    assert graphs["image"]["inputs"]["pixels"] == {"name": "image", "dtype": "float32", "shape": [1, 3, 224, 224]}
    on_disk = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {f["path"]: f for f in on_disk["files"]}
    assert set(listed) == {"text.onnx", "image.onnx", "vocab.txt", "MODEL_CARD.md"}
    for path, entry in listed.items():
        assert hashlib.sha256((out / path).read_bytes()).hexdigest() == entry["sha256"]
    card = (out / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "| zh | 1.0 |" in card and "| en | 0.5 |" in card and "int(sha256(id)[:8], 16) % 5 == 0" in card
    assert json.loads(golden.read_text(encoding="utf-8"))["pack"]["files"]["text.onnx"] == listed["text.onnx"]["sha256"]
    test = [p for p in data.load_pairs(HERITAGE, "heritage", 12) if data.held_out(p.id)]
    assert len(test) == facts["test_pairs"]


def test_training_is_reproducible_from_its_seed(tmp_path):
    from safetensors.numpy import load_file

    for name in ("a", "b"):
        train.train_checkpoint(tmp_path / name, steps=2, batch=4, heritage=HERITAGE, limit=6, threads=1, log=lambda _: None)
    a, b = load_file(tmp_path / "a" / "model.safetensors"), load_file(tmp_path / "b" / "model.safetensors")
    assert a.keys() == b.keys()
    assert all((a[k] == b[k]).all() for k in a)
