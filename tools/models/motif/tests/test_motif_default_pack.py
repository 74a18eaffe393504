"""The shipped default motif pack: hashes, official I/O, size, and its golden outputs."""
from __future__ import annotations

import hashlib
import json

import numpy as np

from tools.models.motif import golden_graphs, train

PACK = train.DEFAULT_OUT


def test_default_pack_is_small_complete_and_official():
    manifest = json.loads((PACK / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["id"] == "jinxiu-motif-default" and manifest["kind"] == "motif"
    total = 0
    for entry in manifest["files"]:
        blob = (PACK / entry["path"]).read_bytes()
        assert hashlib.sha256(blob).hexdigest() == entry["sha256"] and len(blob) == entry["size"], entry["path"]
        total += len(blob)
    assert total < 10 * 2**20
    graphs = manifest["motif"]["graphs"]
    assert graphs["text"]["inputs"]["ids"]["name"] == "text" and graphs["text"]["outputs"]["features"]["name"] == "unnorm_text_features"
    assert graphs["image"]["inputs"]["pixels"]["shape"] == [1, 3, 224, 224]
    assert "Held-out retrieval" in (PACK / "MODEL_CARD.md").read_text(encoding="utf-8")


def test_golden_outputs_match_a_fresh_run_of_the_pack():
    committed = json.loads(golden_graphs.DEFAULT_TARGET.read_text(encoding="utf-8"))
    fresh = golden_graphs.build(PACK)
    assert committed["pack"] == fresh["pack"]
    for a, b in zip(committed["texts"] + committed["images"], fresh["texts"] + fresh["images"]):
        assert a.get("ids") == b.get("ids")
        np.testing.assert_allclose(a["unnorm"], b["unnorm"], atol=1e-5)
    for beta, scores in committed["laclip"]["scoresByBeta"].items():
        np.testing.assert_allclose(scores, fresh["laclip"]["scoresByBeta"][beta], atol=1e-5)


def test_preprocess_golden_matches_a_fresh_run(tmp_path):
    from tools.models.common.golden_io import read_golden

    meta, arrays = read_golden(golden_graphs.DEFAULT_TARGET.parent / f"{golden_graphs.PREPROCESS_NAME}.json")
    golden_graphs.write_preprocess(PACK, tmp_path)
    fresh_meta, fresh = read_golden(tmp_path / f"{golden_graphs.PREPROCESS_NAME}.json")
    assert meta == fresh_meta
    assert arrays["pixels"].shape == (1, 3, 224, 224) and arrays["crops"].shape[0] == 5
    np.testing.assert_array_equal(arrays["pixels"], fresh["pixels"])
    for key in ("global", "crops", "weights"):
        np.testing.assert_allclose(arrays[key], fresh[key], atol=1e-5)
    assert abs(float(arrays["weights"].sum()) - 1) < 1e-6
    assert meta["cropBoxes"]["401x299"][4] == [100, 75, 300, 224]


def test_cli_eval_prints_the_held_out_table():
    import subprocess
    import sys

    from tools.models.motif import data

    root = PACK.parents[2]
    held = sum(data.held_out(json.loads(line)["id"])
               for line in (data.HERITAGE_SAMPLE / "captions.jsonl").read_text(encoding="utf-8").splitlines() if line.strip())
    done = subprocess.run([sys.executable, "-m", "tools.models", "eval", "motif", "--heritage", str(data.HERITAGE_SAMPLE)],
                          cwd=root, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split()[:2] == ["captions", "beta"] and len(lines) == 8
    assert held >= 1 and f"n={held}" in lines[-1]
