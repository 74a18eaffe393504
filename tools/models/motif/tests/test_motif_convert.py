"""convert chinese-clip, end to end on a tiny random ChineseCLIPModel: the path a real checkpoint takes."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tools.models.motif import contract
from tools.models.motif.convert import ConvertError, convert
from tools.models.motif.tokenizer import encode

from .helpers import VOCAB, tiny_chinese_clip

ROOT = Path(__file__).resolve().parents[4]


def run_pack(pack: Path, ids: np.ndarray, pixels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    import onnxruntime as ort

    m = json.loads((pack / "manifest.json").read_text(encoding="utf-8"))["motif"]["graphs"]
    text = ort.InferenceSession(str(pack / m["text"]["file"]), providers=["CPUExecutionProvider"])
    image = ort.InferenceSession(str(pack / m["image"]["file"]), providers=["CPUExecutionProvider"])
    feeds = {m["text"]["inputs"]["ids"]["name"]: ids}
    if "attentionMask" in m["text"]["inputs"]:
        feeds[m["text"]["inputs"]["attentionMask"]["name"]] = (ids != 0).astype(np.int64)
    if "tokenTypeIds" in m["text"]["inputs"]:
        feeds[m["text"]["inputs"]["tokenTypeIds"]["name"]] = np.zeros_like(ids)
    return text.run(None, feeds)[0], image.run(None, {m["image"]["inputs"]["pixels"]["name"]: pixels})[0]


def test_manifest_states_the_official_io_and_hashes(converted_pack):
    manifest = json.loads((converted_pack / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["kind"] == "motif" and manifest["id"] == "tiny-chinese-clip"
    motif = manifest["motif"]
    assert motif["layout"] == "chinese-clip-onnx"
    assert motif["graphs"]["text"]["inputs"] == {"ids": {"name": "text", "dtype": "int64", "shape": [1, 52]}}
    assert motif["graphs"]["text"]["outputs"] == {"features": {"name": "unnorm_text_features", "dtype": "float32", "shape": [1, 24]}}
    assert motif["graphs"]["image"]["inputs"] == {"pixels": {"name": "image", "dtype": "float32", "shape": [1, 3, 64, 64]}}
    assert motif["graphs"]["image"]["outputs"]["features"]["name"] == "unnorm_image_features"
    assert motif["embeddingDim"] == 24 and motif["preprocess"]["imageSize"] == 64
    assert motif["logitScale"] == pytest.approx(np.exp(3.0), rel=1e-6)
    assert motif["tokenizer"]["vocabSize"] == 21128 and motif["tokenizer"]["contextLength"] == 52
    assert motif["preprocess"]["mean"] == list(contract.IMAGE_MEAN) and motif["preprocess"]["std"] == list(contract.IMAGE_STD)
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == {"text.onnx", "image.onnx", "vocab.txt"}
    for path, entry in listed.items():
        assert entry["sha256"] == contract_sha256(converted_pack / path)
        assert entry["size"] == (converted_pack / path).stat().st_size


def contract_sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_onnx_matches_transformers_within_1e4(hf_folder, converted_pack):
    """Against transformers' own get_text_features / get_image_features, not the export wrappers."""
    import torch

    model = tiny_chinese_clip()
    prompts = ["祥云纹织锦", "a blue key fret motif on silk", "", "龙" * 70, "mixed 中英 text 👗 ！"]
    rng = np.random.default_rng(3)
    for prompt in prompts:
        ids = np.array([encode(prompt, VOCAB)], dtype=np.int64)
        pixels = rng.standard_normal((1, 3, 64, 64)).astype(np.float32)
        got_text, got_image = run_pack(converted_pack, ids, pixels)
        with torch.no_grad():
            t_ids = torch.from_numpy(ids)
            want_text = model.get_text_features(input_ids=t_ids, attention_mask=(t_ids != 0).long()).numpy()
            want_image = model.get_image_features(pixel_values=torch.from_numpy(pixels)).numpy()
        assert np.abs(got_text - want_text).max() < 1e-4, prompt
        assert np.abs(got_image - want_image).max() < 1e-4


def test_official_onnx_pair_converts_unchanged(converted_pack, tmp_path):
    """A folder laid out like cn_clip's deploy/pytorch_to_onnx.py output becomes a pack with the same graphs."""
    export = tmp_path / "export"
    export.mkdir()
    shutil.copyfile(converted_pack / "text.onnx", export / "vit-b-16.txt.fp32.onnx")
    shutil.copyfile(converted_pack / "image.onnx", export / "vit-b-16.img.fp32.onnx")
    out = tmp_path / "pack"
    manifest = convert(export, out, vocab=VOCAB, logit_scale=100.0)
    assert manifest["motif"]["layout"] == "chinese-clip-onnx"
    assert (out / "text.onnx").read_bytes() == (converted_pack / "text.onnx").read_bytes()
    assert manifest["motif"]["logitScale"] == 100.0


def test_hugging_face_layout_is_mapped_not_rewritten(tmp_path, converted_pack):
    """An export with transformers' names (input_ids, attention_mask, token_type_ids -> text_embeds)."""
    import torch

    model = tiny_chinese_clip()
    src = tmp_path / "hf-onnx"
    src.mkdir()

    class Text(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.model.get_text_features(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)

    class Image(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.model = model

        def forward(self, pixel_values):
            return self.model.get_image_features(pixel_values=pixel_values)

    ids = torch.zeros((1, 52), dtype=torch.long)
    torch.onnx.export(Text(), (ids, ids, ids), str(src / "text_model.onnx"), opset_version=14,
                      input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["text_embeds"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"},
                                    "token_type_ids": {0: "batch", 1: "sequence"}, "text_embeds": {0: "batch"}})
    torch.onnx.export(Image(), (torch.zeros((1, 3, 64, 64)),), str(src / "vision_model.onnx"), opset_version=14,
                      input_names=["pixel_values"], output_names=["image_embeds"], dynamic_axes={"pixel_values": {0: "batch"}})
    out = tmp_path / "pack"
    manifest = convert(src, out, vocab=VOCAB)
    graphs = manifest["motif"]["graphs"]
    assert manifest["motif"]["layout"] == "hf-chinese-clip"
    assert {r: s["name"] for r, s in graphs["text"]["inputs"].items()} == {
        "ids": "input_ids", "attentionMask": "attention_mask", "tokenTypeIds": "token_type_ids"}
    assert graphs["text"]["inputs"]["ids"]["shape"] == ["batch", "sequence"]
    assert graphs["image"]["outputs"]["features"]["name"] == "image_embeds"
    ids_np = np.array([encode("回纹 key fret", VOCAB)], dtype=np.int64)
    pixels = np.random.default_rng(1).standard_normal((1, 3, 64, 64)).astype(np.float32)
    for a, b in zip(run_pack(out, ids_np, pixels), run_pack(converted_pack, ids_np, pixels)):
        assert np.abs(a - b).max() < 1e-4


def test_wrong_graphs_are_refused_with_the_reason_and_leave_nothing(converted_pack, tmp_path):
    out = tmp_path / "pack"
    with pytest.raises(ConvertError, match="expected 'image' -> 'unnorm_image_features'"):
        convert(converted_pack / "text.onnx", out, image_source=converted_pack / "text.onnx", vocab=VOCAB)
    assert not out.exists()
    (tmp_path / "junk.onnx").write_bytes(b"not a model")
    with pytest.raises(ConvertError, match="not a readable ONNX model"):
        convert(tmp_path / "junk.onnx", out, image_source=converted_pack / "image.onnx", vocab=VOCAB)
    assert not out.exists()


def test_a_bad_pack_id_is_refused_and_leaves_nothing(hf_folder, tmp_path):
    with pytest.raises(ConvertError, match="id 'Bad Id!' must be 2-64 characters"):
        convert(hf_folder, tmp_path / "pack", pack_id="Bad Id!")
    assert not (tmp_path / "pack").exists()


def test_vocab_that_does_not_fit_the_model_is_refused(hf_folder, tmp_path):
    small = tmp_path / "vocab.txt"
    small.write_text("[PAD]\n[UNK]\n[CLS]\n[SEP]\n龙\n", encoding="utf-8")
    with pytest.raises(ConvertError, match="has 5 tokens but the text model has 21128 rows"):
        convert(hf_folder, tmp_path / "pack", vocab=small)
    assert not (tmp_path / "pack").exists()


def test_cli_converts_a_hf_folder(hf_folder, tmp_path):
    out = tmp_path / "cli-pack"
    done = subprocess.run([sys.executable, "-m", "tools.models.motif", "convert", "chinese-clip", str(hf_folder), str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "layout chinese-clip-onnx" in done.stdout
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["motif"]["embeddingDim"] == 24
    again = subprocess.run([sys.executable, "-m", "tools.models.motif", "convert", "chinese-clip", str(hf_folder), str(out)],
                           cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert again.returncode == 2 and "is not empty" in again.stderr


def test_graph_with_external_weights_is_folded_into_one_file(converted_pack, tmp_path):
    """cn_clip's fp16 and ViT-H exports keep weights in a side file (`*.extra_file`)."""
    import onnx

    export = tmp_path / "export"
    export.mkdir()
    for src, name in (("text.onnx", "vit-h-14.txt.fp32.onnx"), ("image.onnx", "vit-h-14.img.fp32.onnx")):
        model = onnx.load(str(converted_pack / src))
        onnx.save(model, str(export / name), save_as_external_data=True, all_tensors_to_one_file=True,
                  location=f"{name}.extra_file", size_threshold=1024)
    assert (export / "vit-h-14.txt.fp32.onnx.extra_file").is_file()
    out = tmp_path / "pack"
    manifest = convert(export, out, vocab=VOCAB)
    assert sorted(f["path"] for f in manifest["files"]) == ["image.onnx", "text.onnx", "vocab.txt"]
    ids = np.array([encode("海水江崖纹", VOCAB)], dtype=np.int64)
    pixels = np.random.default_rng(2).standard_normal((1, 3, 64, 64)).astype(np.float32)
    for a, b in zip(run_pack(out, ids, pixels), run_pack(converted_pack, ids, pixels)):
        np.testing.assert_array_equal(a, b)
