"""Against Chinese-CLIP's own code (cn_clip 1.6.0): .pt checkpoint conversion and the tokenizer."""
from __future__ import annotations

import numpy as np
import pytest

from tools.models.motif import cnclip_ref, golden_tokens
from tools.models.motif.convert import ConvertError, convert

from .helpers import VOCAB


def tiny_cnclip(seed: int = 0):
    import torch

    torch.manual_seed(seed)
    model = cnclip_ref.clip_class()(
        embed_dim=24, image_resolution=64, vision_layers=2, vision_width=128, vision_patch_size=16,
        vocab_size=21128, text_attention_probs_dropout_prob=0.0, text_hidden_act="gelu", text_hidden_dropout_prob=0.0,
        text_hidden_size=128, text_initializer_range=0.02, text_intermediate_size=256, text_max_position_embeddings=64,
        text_num_attention_heads=2, text_num_hidden_layers=2, text_type_vocab_size=2,
    ).eval()
    with torch.no_grad():  # cn_clip initialises class/positional embeddings randomly but LayerNorms to 1/0: perturb them
        for name, param in model.named_parameters():
            if "ln" in name or "LayerNorm" in name:
                param.add_(0.1 * torch.randn_like(param))
    return model


def test_cnclip_checkpoint_converts_and_matches_cnclip_within_1e4(tmp_path):
    import onnxruntime as ort
    import torch

    model = tiny_cnclip()
    ckpt = tmp_path / "epoch_latest.pt"  # cn_clip's training checkpoints wrap DDP: "module." prefixes
    torch.save({"epoch": 1, "state_dict": {f"module.{k}": v for k, v in model.state_dict().items()}}, ckpt)
    out = tmp_path / "pack"
    manifest = convert(ckpt, out, vocab=VOCAB)
    assert manifest["source"]["from"] == "cn_clip checkpoint"
    assert manifest["motif"]["embeddingDim"] == 24 and manifest["motif"]["preprocess"]["imageSize"] == 64
    assert manifest["motif"]["logitScale"] == pytest.approx(float(model.logit_scale.exp()), rel=1e-6)
    text = ort.InferenceSession(str(out / "text.onnx"), providers=["CPUExecutionProvider"])
    image = ort.InferenceSession(str(out / "image.onnx"), providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(0)
    for prompt in ["缠枝莲纹", "dragon and phoenix 龙凤", "", "云" * 80]:
        ids = np.array([cnclip_ref.tokenize(prompt, VOCAB)], dtype=np.int64)
        pixels = rng.standard_normal((1, 3, 64, 64)).astype(np.float32)
        with torch.no_grad():
            want_text = model.encode_text(torch.from_numpy(ids)).numpy()
            want_image = model.encode_image(torch.from_numpy(pixels)).numpy()
        assert np.abs(text.run(None, {"text": ids})[0] - want_text).max() < 1e-4
        assert np.abs(image.run(None, {"image": pixels})[0] - want_image).max() < 1e-4


def test_a_checkpoint_that_is_not_cnclip_is_refused(tmp_path):
    import torch

    bad = tmp_path / "other.pt"
    torch.save({"state_dict": {"encoder.weight": torch.zeros(2, 2)}}, bad)
    with pytest.raises(ConvertError, match="not a cn_clip checkpoint: state_dict has no 'visual.conv1.weight'"):
        convert(bad, tmp_path / "pack", vocab=VOCAB)
    assert not (tmp_path / "pack").exists()


def test_golden_ids_agree_with_cnclip_full_tokenizer():
    """The golden file comes from transformers' BertTokenizer; Chinese-CLIP itself uses its own copy of
    Google's FullTokenizer. Both must give the same ids for every golden prompt."""
    header, rows = golden_tokens.load()
    assert header["count"] == len(rows) >= 500
    for row in rows:
        assert cnclip_ref.tokenize(row["text"], VOCAB) == row["ids"], row["text"]
