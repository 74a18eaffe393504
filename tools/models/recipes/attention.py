"""Memory-efficient attention in the exported UNet and ControlNet: every softmax(Q K^T * scale) V that
diffusers' classic processors export (head_to_batch_dim, baddbmm with beta 0, softmax, bmm) becomes
one com.microsoft MultiHeadAttention node.

Why: at 512 px the first down block attends over 64 x 64 = 4,096 latent tokens, and the plain graph
materialises the [rows x heads, 4096, 4096] probabilities (256 MiB per row of the batch for each of
the two tensors of a softmax), which is what drove a 4-row UNet pass to 23 GB. onnxruntime's CPU
MultiHeadAttention (com.microsoft, opset 1; onnxruntime-node 1.23) takes an MLAS flash-attention path
when there is no mask, bias or past state: it walks the keys in L2-sized blocks with an online softmax
and never holds the score matrix, so its scratch is a few blocks per thread.

The rewrite is local: the node takes the three [batch x heads, tokens, head_dim] tensors the graph
already has (num_heads 1, so the batch-and-heads axis is the operator's batch) and gives the same
[batch x heads, tokens, head_dim] output the second MatMul gave, so nothing around it changes and the
initializers (the tensor map's slots) are untouched. Fused and plain graphs agree to float rounding
(the online softmax sums in another order); the recipe tests hold them within 1e-5.
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import helper, numpy_helper

MS_DOMAIN = "com.microsoft"


class _Graph:
    def __init__(self, graph: onnx.GraphProto) -> None:
        self.graph = graph
        self.producer = {o: n for n in graph.node for o in n.output}
        self.consumers: dict[str, list[onnx.NodeProto]] = {}
        for n in graph.node:
            for i in n.input:
                self.consumers.setdefault(i, []).append(n)
        self.initializers = {i.name: i for i in graph.initializer}

    def constant(self, name: str) -> np.ndarray | None:
        if name in self.initializers:
            return numpy_helper.to_array(self.initializers[name])
        node = self.producer.get(name)
        if node is not None and node.op_type == "Constant":
            for a in node.attribute:
                if a.name == "value":
                    return numpy_helper.to_array(a.t)
        return None

    def scalar(self, name: str) -> float | None:
        value = self.constant(name)
        return float(value.reshape(-1)[0]) if value is not None and value.size == 1 else None

    def op(self, name: str, op_type: str) -> onnx.NodeProto | None:
        node = self.producer.get(name)
        return node if node is not None and node.op_type == op_type else None


def _is_zero_bias(g: _Graph, name: str) -> bool:
    """baddbmm(empty, q, k^T, beta=0) exports an added `zeros * 0` (or `empty * beta` with beta 0)."""
    mul = g.op(name, "Mul")
    return mul is not None and any(g.scalar(i) == 0.0 for i in mul.input)


def _scores(g: _Graph, name: str) -> tuple[str, str, float] | None:
    """(Q, K, scale) when `name` is Q @ K^T times a scalar, plus an optional zero bias."""
    add = g.op(name, "Add")
    if add is not None:
        rest = [i for i in add.input if not _is_zero_bias(g, i)]
        if len(rest) != 1:
            return None
        name = rest[0]
    scale = 1.0
    mul = g.op(name, "Mul")
    if mul is not None:
        factors = [g.scalar(i) for i in mul.input]
        if factors[0] is None and factors[1] is not None:
            name, scale = mul.input[0], factors[1]
        elif factors[1] is None and factors[0] is not None:
            name, scale = mul.input[1], factors[0]
        else:
            return None
    matmul = g.op(name, "MatMul")
    if matmul is None:
        return None
    transpose = g.op(matmul.input[1], "Transpose")
    perm = next((list(a.ints) for a in transpose.attribute if a.name == "perm"), None) if transpose else None
    if perm != [0, 2, 1]:
        return None
    return matmul.input[0], transpose.input[0], scale


def fuse_attention(model: onnx.ModelProto) -> int:
    """Rewrites the model in place; returns how many attentions became MultiHeadAttention."""
    g = _Graph(model.graph)
    replaced: dict[int, onnx.NodeProto] = {}  # index of the second MatMul -> the fused node
    for softmax in [n for n in model.graph.node if n.op_type == "Softmax"]:
        axis = next((a.i for a in softmax.attribute if a.name == "axis"), -1)
        found = _scores(g, softmax.input[0])
        users = g.consumers.get(softmax.output[0], [])
        if axis not in (-1, 2) or found is None or len(users) != 1:
            continue
        probs, weights = users[0], softmax.output[0]
        if probs.op_type == "Cast":  # get_attention_scores casts back to the query's dtype (float32 here)
            users, weights = g.consumers.get(probs.output[0], []), probs.output[0]
            if len(users) != 1:
                continue
            probs = users[0]
        if probs.op_type != "MatMul" or probs.input[0] != weights:
            continue
        query, key, scale = found
        fused = helper.make_node("MultiHeadAttention", [query, key, probs.input[1]], list(probs.output),
                                 name=probs.name + "_MultiHeadAttention", domain=MS_DOMAIN,
                                 num_heads=1, scale=float(scale))
        replaced[id(probs)] = fused
    if not replaced:
        return 0
    nodes = [replaced.get(id(n), n) for n in model.graph.node]
    del model.graph.node[:]
    model.graph.node.extend(_live(nodes, {o.name for o in model.graph.output}))
    if not any(o.domain == MS_DOMAIN for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid(MS_DOMAIN, 1))
    return len(replaced)


def _live(nodes: list[onnx.NodeProto], outputs: set[str]) -> list[onnx.NodeProto]:
    """The nodes something still reads (the old score chain, its zero bias and shape arithmetic go)."""
    needed, keep = set(outputs), []
    for node in reversed(nodes):
        if any(o in needed for o in node.output):
            keep.append(node)
            needed.update(i for i in node.input if i)
    return keep[::-1]


def main(argv: list[str] | None = None) -> int:
    """Fuses already exported templates in place: what a re-export (`export recipes`) writes, byte for byte
    (checked on the tiny templates), without the full-size export's 25 minutes."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("templates", nargs="+", help="weightless .onnx templates, e.g. resources/models/recipes/sd15-garment/unet.onnx")
    for path in parser.parse_args(argv).templates:
        model = onnx.load(path, load_external_data=False)
        count = fuse_attention(model)
        onnx.save_model(model, path)
        print(f"{path}: {count} attentions fused")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
