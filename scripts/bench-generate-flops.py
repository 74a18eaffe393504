"""The FLOP side of `npm run bench:generate -- --real`: UNet + ControlNet GFLOPs per batch row at each
latent size, counted on diffusers' own modules (the real SD 1.5 and ControlNet v1.1 configurations,
tools/models/recipes/configs.py; torch 1.13 here has no FlopCounterMode, so hooks count),
and a square MatMul model for timing the cores' peak in onnxruntime. Prints one JSON line.

    tools/models/.venv/bin/python scripts/bench-generate-flops.py --latents 64,48 --matmul OUT.onnx
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
warnings.filterwarnings("ignore")


def gflops_per_row(latents: list[int]) -> dict[str, dict[str, float]]:
    """Counted once at a small latent side (8, real CPU work of ~1/64 of a 512 px pass) with hooks on every
    convolution and linear layer and a counting attention processor, then scaled exactly: every spatial
    level is the latent side over a power of two, so convolutions, linear layers on tokens and
    cross-attention grow with side^2, self-attention with side^4, and the time embedding not at all."""
    import torch
    from diffusers import ControlNetModel, UNet2DConditionModel
    from diffusers.models.attention_processor import AttnProcessor

    from tools.models.recipes import configs

    # No weight initialisation (uninitialised memory is as good for counting): seconds instead of a minute.
    for cls in (torch.nn.Linear, torch.nn.Conv2d, torch.nn.GroupNorm, torch.nn.LayerNorm, torch.nn.Embedding):
        cls.reset_parameters = lambda self: None
    base = 8
    c = configs.full_garment()
    tally: dict[str, float] = {}

    def add(kind: str, flops: float) -> None:
        tally[kind] = tally.get(kind, 0.0) + flops

    def conv_hook(module, inputs, output):
        add("spatial", 2.0 * output.numel() * module.in_channels // module.groups * module.kernel_size[0] * module.kernel_size[1])

    def linear_hook(fixed: bool):
        def hook(module, inputs, output):
            add("fixed" if fixed else "spatial", 2.0 * (inputs[0].numel() // module.in_features) * module.in_features * module.out_features)
        return hook

    class CountingProcessor(AttnProcessor):
        def __call__(self, attn, hidden_states, encoder_hidden_states=None, *args, **kwargs):
            tokens = hidden_states.shape[1] if hidden_states.ndim == 3 else hidden_states.shape[2] * hidden_states.shape[3]
            context = tokens if encoder_hidden_states is None else encoder_hidden_states.shape[1]
            inner = attn.to_q.out_features
            add("self" if encoder_hidden_states is None else "spatial", 4.0 * hidden_states.shape[0] * tokens * context * inner)
            return super().__call__(attn, hidden_states, encoder_hidden_states, *args, **kwargs)

    counted = {}
    with torch.no_grad():
        unet = UNet2DConditionModel(**c.unet).eval()
        net = ControlNetModel(**c.controlnet).eval()
        for model in (unet, net):
            model.set_attn_processor(CountingProcessor())
            for name, m in model.named_modules():
                if isinstance(m, torch.nn.Conv2d):
                    m.register_forward_hook(conv_hook)
                elif isinstance(m, torch.nn.Linear):
                    # the time embedding and the cross-attention keys and values (text tokens) do not grow with the image
                    fixed = "time_embedding" in name or name.endswith(("attn2.to_k", "attn2.to_v"))
                    m.register_forward_hook(linear_hook(fixed))
        sample, t, text = torch.zeros(1, 4, base, base), torch.tensor([1.0]), torch.zeros(1, 77, 768)
        tally.clear()
        down, mid = net(sample, t, text, torch.zeros(1, 3, base * 8, base * 8), return_dict=False)
        counted["controlnet"] = dict(tally)
        tally.clear()
        unet(sample, t, text, down_block_additional_residuals=down, mid_block_additional_residual=mid)
        counted["unet"] = dict(tally)
    out = {}
    for latent in latents:
        r = latent / base
        out[str(latent)] = {name: (t.get("spatial", 0) * r**2 + t.get("self", 0) * r**4 + t.get("fixed", 0)) / 1e9
                            for name, t in counted.items()}
    return out


def write_matmul(path: Path, n: int) -> None:
    import onnx
    from onnx import TensorProto, helper

    a = helper.make_tensor_value_info("a", TensorProto.FLOAT, [n, n])
    b = helper.make_tensor_value_info("b", TensorProto.FLOAT, [n, n])
    c = helper.make_tensor_value_info("c", TensorProto.FLOAT, [n, n])
    graph = helper.make_graph([helper.make_node("MatMul", ["a", "b"], ["c"])], "matmul", [a, b], [c])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8), str(path))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--latents", default="64")
    parser.add_argument("--matmul", type=Path)
    parser.add_argument("--matmul-size", type=int, default=2048)
    args = parser.parse_args()
    result = {"perRow": gflops_per_row([int(l) for l in args.latents.split(",")])}
    if args.matmul:
        write_matmul(args.matmul, args.matmul_size)
        result["matmul"] = {"file": str(args.matmul), "n": args.matmul_size}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
