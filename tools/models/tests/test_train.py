"""`train garment` end to end at two steps per stage: data -> VAE -> UNet and friends -> model folder
-> `export garment`'s loader -> pack -> the reference pipeline and the evaluation on that pack."""

from __future__ import annotations

import json

import numpy as np

from tools.models.__main__ import main


def test_train_two_steps_writes_a_pack_the_pipeline_runs(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["train", "garment", "--out", str(out), "--vae-steps", "2", "--unet-steps", "2", "--batch", "2",
                 "--no-nice", "--threads", "1", "--eval-samples", "0"]) == 0
    facts = json.loads((out / "model" / "training.json").read_text())
    assert facts["vaeSteps"] == 2 and facts["unetSteps"] == 2 and np.isfinite(facts["finalLoss"])
    manifest = json.loads((out / "pack" / "manifest.json").read_text())
    assert manifest["garment"]["architecture"] == "higarment"
    assert sum(f["size"] for f in manifest["files"]) < 25_000_000
    assert manifest["garment"]["latents"]["downscale"] == 4
    assert "MODEL_CARD.md" in [f["path"] for f in manifest["files"]]
    assert "--unet-steps 2" in (out / "pack" / "MODEL_CARD.md").read_text()
    assert main(["eval", "garment", "--pack", str(out / "pack"), "--samples", "2", "--steps", "1"]) == 0
    printed = capsys.readouterr().out
    assert "| imageBiased |" in printed and "| textBiased |" in printed
