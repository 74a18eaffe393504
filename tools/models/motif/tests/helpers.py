"""Helpers for the motif tests: a tiny random-weight ChineseCLIPModel built from transformers' own classes."""
from __future__ import annotations

from pathlib import Path

VOCAB = Path(__file__).resolve().parents[1] / "vocab" / "vocab.txt"


def tiny_chinese_clip(seed: int = 0):
    import torch
    from transformers import ChineseCLIPConfig, ChineseCLIPModel

    torch.manual_seed(seed)
    config = ChineseCLIPConfig(
        text_config={"vocab_size": 21128, "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 2,
                     "intermediate_size": 64, "max_position_embeddings": 64},
        vision_config={"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 2,
                       "patch_size": 16, "image_size": 64, "projection_dim": 24, "hidden_act": "quick_gelu"},
        projection_dim=24,
        attn_implementation="eager",
    )
    model = ChineseCLIPModel(config).eval()
    with torch.no_grad():  # a non-default scale, so the manifest must really read it from the weights
        model.logit_scale.fill_(3.0)
    return model
