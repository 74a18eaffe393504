"""Export a Hugging Face ChineseCLIPModel to two ONNX graphs in Chinese-CLIP's official I/O layout.

The official export (cn_clip/deploy/pytorch_to_onnx.py) feeds only `text` and derives the attention
mask inside the model from `text != [PAD]`; the wrappers below do the same, so a pack made here and
the official export are interchangeable for the studio.
"""
from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from . import contract

OPSET = 14


class TextTower(nn.Module):
    """`text` int64 [1, 52] -> `unnorm_text_features` float32 [1, D] (projected [CLS], not normalised)."""

    def __init__(self, model: nn.Module, pad_id: int = 0) -> None:
        super().__init__()
        self.text_model = model.text_model
        self.text_projection = model.text_projection
        self.pad_id = pad_id

    def forward(self, text: torch.Tensor) -> torch.Tensor:
        attention_mask = text.ne(self.pad_id).long()
        hidden = self.text_model(
            input_ids=text, attention_mask=attention_mask, token_type_ids=torch.zeros_like(text), return_dict=False
        )[0]
        return self.text_projection(hidden[:, 0, :])


class ImageTower(nn.Module):
    """`image` float32 [1, 3, R, R] -> `unnorm_image_features` float32 [1, D]."""

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.vision_model = model.vision_model
        self.visual_projection = model.visual_projection

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        pooled = self.vision_model(pixel_values=image, return_dict=False)[1]
        return self.visual_projection(pooled)


def prefer_eager_attention(model: nn.Module) -> None:
    # SDPA kernels trace into graphs some ONNX Runtime builds reject; eager attention is plain MatMul/Softmax.
    for config in (model.config, model.config.text_config, model.config.vision_config):
        if hasattr(config, "_attn_implementation"):
            config._attn_implementation = "eager"


@torch.no_grad()
def export_towers(model: nn.Module, out_dir: Path, pad_id: int = 0) -> tuple[Path, Path]:
    model = model.eval().float()
    prefer_eager_attention(model)
    image_size = int(model.config.vision_config.image_size)
    text_path = out_dir / contract.TEXT_FILE
    image_path = out_dir / contract.IMAGE_FILE
    sample_text = torch.zeros((1, contract.CONTEXT_LENGTH), dtype=torch.long)
    sample_text[0, :3] = torch.tensor([101, 1000 % model.config.text_config.vocab_size, 102])
    torch.onnx.export(
        TextTower(model, pad_id),
        (sample_text,),
        str(text_path),
        input_names=[contract.OFFICIAL_TEXT_INPUT],
        output_names=[contract.OFFICIAL_TEXT_OUTPUT],
        opset_version=OPSET,
        do_constant_folding=True,
    )
    sample_image = torch.zeros((1, 3, image_size, image_size), dtype=torch.float32)
    torch.onnx.export(
        ImageTower(model),
        (sample_image,),
        str(image_path),
        input_names=[contract.OFFICIAL_IMAGE_INPUT],
        output_names=[contract.OFFICIAL_IMAGE_OUTPUT],
        opset_version=OPSET,
        do_constant_folding=True,
    )
    return text_path, image_path
