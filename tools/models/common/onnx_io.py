"""Reads an ONNX graph's input/output signature in the manifest's form, so the manifest always states
what the file really has (names, dtypes, shapes with symbolic dimensions as strings)."""

from __future__ import annotations

from pathlib import Path

import onnx

_DTYPES = {
    onnx.TensorProto.FLOAT: "float32",
    onnx.TensorProto.FLOAT16: "float16",
    onnx.TensorProto.INT64: "int64",
    onnx.TensorProto.INT32: "int32",
    onnx.TensorProto.BOOL: "bool",
    onnx.TensorProto.UINT8: "uint8",
}


def _tensor_spec(value_info) -> dict:
    tensor = value_info.type.tensor_type
    shape: list[int | str] = []
    for dim in tensor.shape.dim:
        if dim.HasField("dim_value"):
            shape.append(int(dim.dim_value))
        else:
            shape.append(dim.dim_param or "?")
    return {"name": value_info.name, "dtype": _DTYPES[tensor.elem_type], "shape": shape}


def signature(path: Path) -> tuple[list[dict], list[dict]]:
    model = onnx.load(str(path), load_external_data=False)
    initializers = {init.name for init in model.graph.initializer}
    inputs = [_tensor_spec(v) for v in model.graph.input if v.name not in initializers]
    outputs = [_tensor_spec(v) for v in model.graph.output]
    return inputs, outputs


def graph_entry(pack_dir: Path, file: Path, roles_in: dict[str, str], roles_out: dict[str, str]) -> dict:
    """A manifest `graphs.<name>` entry: the contract's role for each tensor mapped to the file's real
    name, dtype and shape. Every role must exist in the file and every file input must have a role."""
    inputs, outputs = signature(file)
    by_name_in = {t["name"]: t for t in inputs}
    by_name_out = {t["name"]: t for t in outputs}
    unmapped = set(by_name_in) - set(roles_in.values())
    if unmapped:
        raise ValueError(f"{file.name}: inputs without a role in the contract: {sorted(unmapped)}")
    entry_in, entry_out = {}, {}
    for role, name in roles_in.items():
        if name not in by_name_in:
            raise ValueError(f"{file.name}: has no input {name!r} (has {sorted(by_name_in)})")
        entry_in[role] = by_name_in[name]
    for role, name in roles_out.items():
        if name not in by_name_out:
            raise ValueError(f"{file.name}: has no output {name!r} (has {sorted(by_name_out)})")
        entry_out[role] = by_name_out[name]
    return {"path": file.relative_to(pack_dir).as_posix(), "inputs": entry_in, "outputs": entry_out}
