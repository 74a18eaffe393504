"""The UNet and ControlNet templates attend through onnxruntime's fused MultiHeadAttention (attention.py),
and the rewrite computes what diffusers' classic attention computes."""

from __future__ import annotations

import io
import json

import numpy as np
import onnx
import pytest
import torch

from tools.models.recipes.attention import MS_DOMAIN, fuse_attention


@pytest.mark.parametrize("graph", ["unet.onnx", "controlnet.onnx"])
def test_denoising_graphs_keep_no_plain_softmax_attention(recipes, graph):
    model = onnx.load(str(recipes["sd15-garment"] / graph), load_external_data=False)
    ops = [n.op_type for n in model.graph.node]
    assert "Softmax" not in ops
    # the UNet's attn2 attends twice (text, then the image prompt): 3 per transformer block there
    assert ops.count("MultiHeadAttention") >= 2
    assert any(o.domain == MS_DOMAIN for o in model.opset_import)


def test_other_graphs_are_left_as_exported(recipes):
    spec = json.loads((recipes["sd15-garment"] / "recipe.json").read_text())
    for graph in spec["graphs"]:
        if graph["file"] in ("unet.onnx", "controlnet.onnx"):
            continue
        model = onnx.load(str(recipes["sd15-garment"] / graph["file"]), load_external_data=False)
        assert "MultiHeadAttention" not in {n.op_type for n in model.graph.node}, graph["file"]


@pytest.mark.parametrize("cross", [False, True])
def test_fused_attention_equals_diffusers_attention(cross):
    """diffusers' Attention with its classic processor (baddbmm, softmax, bmm), exported plainly, then fused:
    onnxruntime's fused operator and the plain graph agree with torch within 1e-5, also on a token
    count and batch the export never saw."""
    import onnxruntime as ort
    from diffusers.models.attention_processor import Attention, AttnProcessor

    torch.manual_seed(0)
    attn = Attention(16, cross_attention_dim=12 if cross else None, heads=4, dim_head=4).eval()
    attn.set_processor(AttnProcessor())

    class Wrapped(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.attn = attn

        def forward(self, x, context):
            return self.attn(x, context if cross else None)

    x, context = torch.randn(1, 9, 16), torch.randn(1, 5, 12 if cross else 16)
    buffer = io.BytesIO()
    with torch.no_grad():
        torch.onnx.export(Wrapped(), (x, context), buffer, input_names=["x", "context"], output_names=["out"],
                          dynamic_axes={"x": {0: "b", 1: "s"}, "context": {0: "b", 1: "t"}}, opset_version=17)
    plain = onnx.load_from_string(buffer.getvalue())
    fused = onnx.load_from_string(buffer.getvalue())
    assert fuse_attention(fused) == 1
    assert "Softmax" not in {n.op_type for n in fused.graph.node}

    x, context = torch.randn(3, 40, 16), torch.randn(3, 7, 12 if cross else 16)
    with torch.no_grad():
        want = Wrapped()(x, context).numpy()
    feeds = {"x": x.numpy(), "context": context.numpy()}
    names = {i.name for i in plain.graph.input}
    feeds = {k: v for k, v in feeds.items() if k in names}
    for model in (plain, fused):
        got = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"]).run(None, feeds)[0]
        np.testing.assert_allclose(got, want, atol=1e-5, rtol=0)
