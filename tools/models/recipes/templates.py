"""Weightless graph templates: export a graph from a model with random weights, find which module
parameter each initializer holds (by its bytes: as it is, reshaped, or transposed), and make those
initializers external data at 64-byte aligned offsets of `<graph>.onnx.data`. Small constants the
exporter made (shapes, position ids, sinusoid frequencies) stay inline."""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import numpy_helper

from ..common.onnx_io import graph_entry
from ..garment.export import OPSET, _fix_output_shapes
from .attention import fuse_attention

ALIGN = 64
# An unmatched initializer above this is a weight the exporter changed (folded arithmetic), which no
# map could fill: fail rather than ship random numbers inline.
MAX_INLINE_BYTES = 1 << 16


@dataclass
class GraphSpec:
    """One graph: the wrapper module, example inputs, the contract's I/O roles and dynamic axes, and
    which wrapper attribute holds which component (`{"unet.": "unet"}`)."""

    key: str
    file: str
    module: torch.nn.Module
    args: tuple
    io: tuple[dict, dict]
    dynamic: dict
    components: dict[str, str]
    opset: int = OPSET
    # Rewrite softmax(QK^T)V into com.microsoft MultiHeadAttention (attention.py): the UNet and the
    # ControlNet, whose 4,096-token self-attention at 512 px would otherwise dominate memory.
    fuse_attention: bool = False


@dataclass
class Slot:
    """One initializer of a template: where its bytes go and which parameter they come from."""

    name: str
    offset: int
    shape: list[int]
    component: str
    param: str
    param_shape: list[int]
    ops: list = field(default_factory=list)


@dataclass
class Template:
    key: str
    file: str
    entry: dict  # the manifest's graph entry
    slots: list[Slot]
    data_bytes: int


def randomize(module: torch.nn.Module, seed: int) -> None:
    """Distinct values in every parameter: fresh layer norms are all ones and biases all zeros, and
    matching by bytes needs each parameter to be its own."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for param in module.parameters():
            param.copy_(torch.randn(param.shape, generator=gen) * 0.02)


def _digest(array: np.ndarray) -> bytes:
    return hashlib.blake2b(np.ascontiguousarray(array).tobytes(), digest_size=16).digest()


def _param_index(module: torch.nn.Module, components: dict[str, str]) -> dict[bytes, tuple[str, str, list, bool]]:
    index: dict[bytes, tuple[str, str, list, bool]] = {}
    for name, param in module.named_parameters():
        prefix = next((p for p in components if name.startswith(p)), None)
        if prefix is None:
            raise KeyError(f"parameter {name} belongs to no component of {sorted(components)}")
        array = param.detach().numpy()
        ref = (components[prefix], name[len(prefix):], list(array.shape))
        index.setdefault(_digest(array), (*ref, False))
        if array.ndim == 2:
            index.setdefault(_digest(array.T), (*ref, True))
    return index


def _graph_ops(shape: list[int], transposed: bool, target: list[int]) -> list[dict]:
    ops: list[dict] = []
    if transposed:
        ops.append({"op": "transpose", "perm": [1, 0]})
        shape = [shape[1], shape[0]]
    if shape != target:
        ops.append({"op": "reshape", "shape": list(target)})
    return ops


def export_template(spec: GraphSpec, out_dir: Path) -> Template:
    """Writes `out_dir/spec.file` (weightless) and returns its slots and manifest entry."""
    names_in, names_out = list(spec.io[0].values()), list(spec.io[1].values())
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(scratch) / spec.file
        with torch.no_grad():
            torch.onnx.export(spec.module, spec.args, str(tmp), input_names=names_in, output_names=names_out,
                              dynamic_axes=spec.dynamic, opset_version=spec.opset, do_constant_folding=True)
        model = onnx.load(str(tmp), load_external_data=False)
        _fix_output_shapes(model, spec.module, spec.args, spec.dynamic)
        if spec.fuse_attention and fuse_attention(model) == 0:
            raise ValueError(f"{spec.file}: no attention matched the pattern attention.py fuses")
        index = _param_index(spec.module, spec.components)
        slots, offset = [], 0
        for init in model.graph.initializer:
            array = numpy_helper.to_array(init, base_dir=scratch)
            found = index.get(_digest(array)) if array.dtype == np.float32 else None
            if found is None:
                if array.nbytes > MAX_INLINE_BYTES:
                    raise ValueError(f"{spec.file}: initializer {init.name} {list(array.shape)} matches no parameter")
                if init.data_location == onnx.TensorProto.EXTERNAL:
                    init.CopyFrom(numpy_helper.from_array(array, init.name))
                continue
            component, param, shape, transposed = found
            slots.append(Slot(init.name, offset, list(array.shape), component, param, shape,
                              _graph_ops(shape, transposed, list(array.shape))))
            _make_external(init, spec.file + ".data", offset, array.nbytes)
            offset = _aligned(offset + array.nbytes)
    file = out_dir / spec.file
    file.parent.mkdir(parents=True, exist_ok=True)
    onnx.save_model(model, str(file))
    entry = graph_entry(out_dir, file, *spec.io)
    entry["file"] = entry.pop("path")
    return Template(spec.key, spec.file, entry, slots, data_bytes=_data_bytes(slots))


def _aligned(n: int) -> int:
    return (n + ALIGN - 1) // ALIGN * ALIGN


def _data_bytes(slots: list[Slot]) -> int:
    if not slots:
        return 0
    last = max(slots, key=lambda s: s.offset)
    return last.offset + 4 * int(np.prod(last.shape, dtype=np.int64))


def _make_external(init, location: str, offset: int, length: int) -> None:
    init.ClearField("raw_data")
    for field_name in ("float_data", "double_data", "int32_data", "int64_data"):
        init.ClearField(field_name)
    del init.external_data[:]
    init.data_location = onnx.TensorProto.EXTERNAL
    for key, value in (("location", location), ("offset", str(offset)), ("length", str(length))):
        entry = init.external_data.add()
        entry.key, entry.value = key, value
