"""Compact golden files: one little-endian `.bin` of concatenated arrays plus a `.json` index
(dtype, shape, byte offset per array, and free-form metadata). The TypeScript tests read them with a
DataView; nothing here needs numpy's .npy parser on the other side."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

_DTYPES = {"float32": "<f4", "int32": "<i4", "int64": "<i8", "uint8": "u1"}


class GoldenWriter:
    def __init__(self, directory: Path, name: str, meta: dict | None = None) -> None:
        self.directory, self.name = directory, name
        self.meta = dict(meta or {})
        self.arrays: dict[str, dict] = {}
        self.blob = bytearray()

    def add(self, key: str, array, dtype: str = "float32") -> None:
        if key in self.arrays:
            raise KeyError(f"{key} is already in {self.name}")
        data = np.ascontiguousarray(np.asarray(array), dtype=_DTYPES[dtype])
        while len(self.blob) % 8:
            self.blob.append(0)
        self.arrays[key] = {"dtype": dtype, "shape": list(data.shape), "offset": len(self.blob), "bytes": data.nbytes}
        self.blob.extend(data.tobytes())

    def write(self) -> tuple[Path, Path]:
        self.directory.mkdir(parents=True, exist_ok=True)
        bin_path = self.directory / f"{self.name}.bin"
        json_path = self.directory / f"{self.name}.json"
        bin_path.write_bytes(bytes(self.blob))
        index = {"format": "jinxiu-golden-1", "data": bin_path.name, "meta": self.meta, "arrays": self.arrays}
        json_path.write_text(json.dumps(index, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        return bin_path, json_path


def read_golden(json_path: Path) -> tuple[dict, dict[str, np.ndarray]]:
    index = json.loads(json_path.read_text(encoding="utf-8"))
    blob = (json_path.parent / index["data"]).read_bytes()
    arrays = {}
    for key, spec in index["arrays"].items():
        raw = blob[spec["offset"] : spec["offset"] + spec["bytes"]]
        arrays[key] = np.frombuffer(raw, dtype=_DTYPES[spec["dtype"]]).reshape(spec["shape"])
    return index["meta"], arrays
