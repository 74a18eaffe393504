"""The motif pack contract: what a motif pack's manifest says and what the studio relies on.

Everything here mirrors Chinese-CLIP's official ONNX export (cn_clip/deploy/pytorch_to_onnx.py)
so that a real export loads through the manifest alone. README.md beside this file is the prose
version of the same facts; keep them in step.
"""
from __future__ import annotations

import json
from typing import Any

CONTEXT_LENGTH = 52
IMAGE_SIZE = 224
# CLIP's statistics; Chinese-CLIP reuses them unchanged (cn_clip/clip/utils.py image_transform).
IMAGE_MEAN = (0.48145466, 0.4578275, 0.40821073)
IMAGE_STD = (0.26862954, 0.26130258, 0.27577711)

# Chinese-CLIP's official export names. Batch is fixed at 1 there.
OFFICIAL_TEXT_INPUT = "text"
OFFICIAL_TEXT_OUTPUT = "unnorm_text_features"
OFFICIAL_IMAGE_INPUT = "image"
OFFICIAL_IMAGE_OUTPUT = "unnorm_image_features"

# Hugging Face / Optimum / transformers.js names for the same two towers.
HF_TEXT_INPUTS = {"ids": "input_ids", "attentionMask": "attention_mask", "tokenTypeIds": "token_type_ids"}
HF_TEXT_OUTPUT = "text_embeds"
HF_IMAGE_INPUT = "pixel_values"
HF_IMAGE_OUTPUT = "image_embeds"

# LACLIP (local alignment) defaults; see README.md "LACLIP" for the reading of the paper.
LACLIP_DEFAULTS: dict[str, Any] = {
    "beta": 0.5,
    "tau": 0.1,
    "crops": {"scheme": "grid+center", "grid": [2, 2], "centerScale": 0.5},
}

TEXT_FILE = "text.onnx"
IMAGE_FILE = "image.onnx"
VOCAB_FILE = "vocab.txt"


# Roles the studio feeds and reads, mapped to each layout's tensor names.
TEXT_ROLES = {
    "chinese-clip-onnx": ({"ids": OFFICIAL_TEXT_INPUT}, {"features": OFFICIAL_TEXT_OUTPUT}),
    "hf-chinese-clip": (dict(HF_TEXT_INPUTS), {"features": HF_TEXT_OUTPUT}),
}
IMAGE_ROLES = {
    "chinese-clip-onnx": ({"pixels": OFFICIAL_IMAGE_INPUT}, {"features": OFFICIAL_IMAGE_OUTPUT}),
    "hf-chinese-clip": ({"pixels": HF_IMAGE_INPUT}, {"features": HF_IMAGE_OUTPUT}),
}


def image_preprocess(image_size: int) -> dict[str, Any]:
    """cn_clip's image_transform: Resize((R, R), BICUBIC) (a stretch, no crop), ToTensor, Normalize."""
    return {"imageSize": image_size, "resize": "stretch", "interpolation": "bicubic", "channels": "RGB",
            "layout": "NCHW", "rescale": 1 / 255, "mean": list(IMAGE_MEAN), "std": list(IMAGE_STD)}


def motif_section(
    *,
    layout: str,
    graphs: dict[str, Any],
    embedding_dim: int,
    image_size: int,
    vocab_size: int,
    logit_scale: float,
    special_ids: dict[str, int] | None = None,
) -> dict[str, Any]:
    ids = special_ids or {"pad": 0, "unk": 100, "cls": 101, "sep": 102}
    return {
        "layout": layout,
        "tokenizer": {
            "kind": "bert-wordpiece",
            "vocab": VOCAB_FILE,
            "vocabSize": vocab_size,
            "doLowerCase": True,
            "tokenizeChineseChars": True,
            "contextLength": CONTEXT_LENGTH,
            "specialTokens": {"pad": "[PAD]", "unk": "[UNK]", "cls": "[CLS]", "sep": "[SEP]"},
            "specialIds": ids,
            "maxCharsPerWord": 200,
        },
        "graphs": graphs,
        "preprocess": image_preprocess(image_size),
        "embeddingDim": embedding_dim,
        "normalize": "l2",
        "logitScale": logit_scale,
        "laclip": json.loads(json.dumps(LACLIP_DEFAULTS)),
    }
