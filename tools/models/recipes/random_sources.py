"""Full-size source files with random weights in the public layouts, for `npm run bench:generate` on a
real-size pack (docs: scripts/bench-generate.ts). Made from the key/shape tables (tables/*.json, which
come from the real model configurations), so every key and shape is the public file's; no weights are
downloaded and no model is built, so it needs seconds of CPU and a few GB of disk:

    tools/models/.venv/bin/python -m tools.models.recipes.random_sources OUT_DIR

writes OUT_DIR/{checkpoint,ip_adapter,image_encoder,controlnet}.safetensors (F16 throughout, ~4.2 GB:
the assembler converts to the pack's float32 as it does for the public fp16 files). The checkpoint
leaves out the EMA copies, which the recipe ignores anyway.

Values are scaled so activations stay in a normal range through the whole network (weights
N(0, 1/fan_in), norm scales near 1, biases near 0): timings must not depend on overflow or denormals.
"""

from __future__ import annotations

import argparse
import json
import math
import struct
from pathlib import Path

import numpy as np

from . import tables

SOURCES = {"checkpoint": "v1-5-pruned", "ip_adapter": "ip-adapter_sd15", "image_encoder": "ip-adapter-image-encoder",
           "controlnet": "control_v11p_sd15_lineart_fp16"}
SKIPPED = ("model_ema.",)
POOL = 1 << 24


def _values(key: str, shape: list[int], pool: np.ndarray, at: int) -> tuple[np.ndarray, int]:
    count = math.prod(shape) if shape else 1
    if at + count > pool.size:
        at = 0
    # The pool repeats for a tensor bigger than itself (the largest, 1280x2560x3x3, is 29.5M values).
    raw = pool[at:at + count].astype(np.float32) if count <= pool.size else np.resize(pool, count)
    if len(shape) >= 2:
        raw *= 1.0 / math.sqrt(max(1, math.prod(shape[1:])))
    elif key.endswith("weight"):  # a 1-D weight is a norm's scale (GroupNorm, LayerNorm) in all four layouts
        raw = 1.0 + 0.02 * raw
    else:
        raw *= 0.02
    return raw.astype(np.float16).reshape(shape), at + count


def write_random(table: dict, out: Path, seed: int) -> int:
    keys = [k for k in table["tensors"] if not k.startswith(SKIPPED)]
    header, offset = {}, 0
    for key in keys:
        shape = table["tensors"][key]["shape"]
        size = 2 * (math.prod(shape) if shape else 1)
        header[key] = {"dtype": "F16", "shape": shape, "data_offsets": [offset, offset + size]}
        offset += size
    header["__metadata__"] = {"format": "pt", "made_by": "tools.models.recipes.random_sources (random weights)"}
    blob = json.dumps(header, separators=(",", ":")).encode()
    blob += b" " * (-len(blob) % 8)
    pool = np.random.default_rng(seed).standard_normal(POOL, dtype=np.float32)
    at = 0
    with open(out, "wb") as f:
        f.write(struct.pack("<Q", len(blob)))
        f.write(blob)
        for key in keys:
            values, at = _values(key, table["tensors"][key]["shape"], pool, at)
            f.write(values.tobytes())
    return out.stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--only", action="append", choices=sorted(SOURCES), help="a source role (repeatable); default all")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for i, role in enumerate(args.only or SOURCES):
        size = write_random(tables.load_table(SOURCES[role]), args.out / f"{role}.safetensors", seed=i)
        print(f"{args.out / role}.safetensors: {size / 1e9:.2f} GB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
