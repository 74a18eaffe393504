"""The garment sketch cache: every training flat drawn once by the studio's own TypeScript
(sketch-cache.ts: the SVG import, `sketchFromFlat`, `lineArtFromFlat`), plus each flat's silhouette
mask, so training reads the sketch the studio sends (flats.studio_flats).

    tools/models/.venv/bin/python -m tools.models cache garment-sketches [--size 256] [--out DIR]

The cache lives in tools/models/.cache/garment-sketches/SIZE (git-ignored) and is remade whole by
the command. Node and the repository's node_modules (npm ci) are needed to make it, not to read it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
from PIL import Image

from .flats import SKETCH_CACHE
from .heldout import HELDOUT_FILE, sketch_silhouette

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
SCRIPT = HERE / "sketch-cache.ts"


def _tsx() -> list[str]:
    local = REPO / "node_modules" / ".bin" / "tsx"
    return [str(local)] if local.exists() else ["npx", "tsx"]


def add_masks(out: Path) -> dict:
    """mask.png beside each flat of the cache at `out`: the silhouette of its black-filled sketch (every
    fill is ink there, however pale the flat's own fill), by the rule the held-out evaluation scores
    silhouettes with (heldout.sketch_silhouette)."""
    index_file = out / "index.json"
    index = json.loads(index_file.read_text(encoding="utf-8"))
    for entry in index["flats"]:
        d = out / entry["dir"]
        black = np.asarray(Image.open(d / entry["files"]["sketch-black"]).convert("RGB"))
        Image.fromarray((sketch_silhouette(black) * 255).astype(np.uint8)).save(d / "mask.png")
        entry["files"]["mask"] = "mask.png"
    index_file.write_text(json.dumps(index, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return index


def build_cache(size: int = 256, out: Path | None = None, flats: Path | None = None, templates: Path | None = None,
                heldout: Path = HELDOUT_FILE, pack: Path | None = None, log=print) -> dict:
    """Runs sketch-cache.ts into `out` (default SKETCH_CACHE/SIZE, replaced) and adds the masks. `pack`:
    the pack whose preprocess.sketch (at `size`) and preprocess.control are used (default the bundled
    pack; without a control section, the sketch encoder's proposed one: lineart, inverted, bicubic)."""
    out = (SKETCH_CACHE / str(size)) if out is None else out
    if out.exists():
        shutil.rmtree(out)
    cmd = [*_tsx(), str(SCRIPT), "--out", str(out), "--size", str(size), "--heldout", str(heldout)]
    if flats is not None:
        cmd += ["--flats", str(flats)]
    if templates is not None:
        cmd += ["--templates", str(templates)]
    if pack is not None:
        cmd += ["--pack", str(pack)]
    try:
        done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    except FileNotFoundError as err:
        raise RuntimeError(f"making the sketch cache needs Node and the repository's node_modules (npm ci): {err}") from err
    if done.returncode != 0:
        raise RuntimeError(f"sketch-cache.ts failed ({' '.join(cmd)}):\n{done.stderr[-4000:]}")
    index = add_masks(out)
    log(f"wrote {len(index['flats'])} flats at {size} px to {out}")
    return index


def cmd_cache(args) -> int:
    build_cache(args.size, args.out, args.flats, args.templates, pack=args.pack)
    return 0


def register(groups) -> None:
    p = groups["cache"].add_parser("garment-sketches",
                                   help="draw every training flat with the studio's own TypeScript (sketchFromFlat, lineArtFromFlat) "
                                        "into the cache training reads (flats.studio_flats)")
    p.add_argument("--size", type=int, default=256, help="pixels across: the sketch, the line art and the mask")
    p.add_argument("--out", type=Path, default=None, help=f"cache folder (default {SKETCH_CACHE.relative_to(REPO)}/SIZE; replaced)")
    p.add_argument("--flats", type=Path, default=None, help="folder of FreeSewing SVGs (default: the shared data's garment_flats/flats_svg)")
    p.add_argument("--templates", type=Path, default=None, help="studio templates folder (default resources/templates)")
    p.add_argument("--pack", type=Path, default=None,
                   help="pack whose sketch and control preprocessing to draw with (default: the bundled garment pack)")
    p.set_defaults(func=cmd_cache)
