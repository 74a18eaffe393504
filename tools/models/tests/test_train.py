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
    card = (out / "pack" / "MODEL_CARD.md").read_text()
    assert "--unet-steps 2" in card
    # the card names no path of the machine that made it: the scratch --out is a placeholder
    assert "--out OUT" in card and str(tmp_path) not in card and "/work/" not in card
    assert main(["eval", "garment", "--pack", str(out / "pack"), "--samples", "2", "--steps", "1"]) == 0
    printed = capsys.readouterr().out
    assert "| imageBiased |" in printed and "| textBiased |" in printed


def test_checkpoint_only_then_from_checkpoint_exports_the_same_weights(tmp_path, monkeypatch):
    """The GPU path: train to an fp16 checkpoint (split into shards), then export the pack from it."""
    import torch
    from safetensors.torch import load_file

    from tools.models.garment import train as train_module

    monkeypatch.setattr(train_module, "SHARD_BYTES", 2_000_000)  # force several shards
    run = tmp_path / "run"
    assert main(["train", "garment", "--out", str(run), "--vae-steps", "1", "--unet-steps", "1", "--batch", "2",
                 "--no-nice", "--threads", "1", "--workers", "1", "--checkpoint-only"]) == 0
    meta = json.loads((run / "checkpoint" / "checkpoint.json").read_text())
    assert meta["training"]["unetSteps"] == 1 and meta["training"]["device"] == "cpu"
    assert len(meta["shards"]) > 1 and not (run / "model" / "unet").exists()
    saved = {}
    for name in meta["shards"]:
        saved.update(load_file(str(run / "checkpoint" / name)))
    assert all(v.dtype == torch.float16 for v in saved.values() if v.is_floating_point())
    assert any("to_k_ip" in k for k in saved)  # the harmonized attention's image branch travels too

    parts, facts = train_module.load_checkpoint(run / "checkpoint")
    for part, module in parts.items():
        for key, value in module.state_dict().items():
            if value.is_floating_point():
                assert torch.equal(value, saved[f"{part}.{key}"].float()), f"{part}.{key}"
    assert parts["vae"].config.scaling_factor == facts["scalingFactor"]

    assert main(["train", "garment", "--out", str(run), "--from-checkpoint", str(run / "checkpoint"), "--no-nice",
                 "--threads", "1", "--eval-samples", "0", "--training-command", "python -m tools.models train garment --device cuda"]) == 0
    manifest = json.loads((run / "pack" / "manifest.json").read_text())
    assert manifest["source"]["training"]["unetSteps"] == 1
    card = (run / "pack" / "MODEL_CARD.md").read_text()
    assert "--device cuda" in card and "--from-checkpoint" in card

    # a warm start (--init-checkpoint): every part begins from the checkpoint, in the configuration it
    # stores, and trains on; with no VAE steps the VAE is the checkpoint's to the bit
    from tools.models.garment.components import load_garment_model

    warm = tmp_path / "warm"
    assert main(["train", "garment", "--out", str(warm), "--init-checkpoint", str(run / "checkpoint"), "--vae-steps", "0",
                 "--unet-steps", "1", "--batch", "2", "--no-nice", "--threads", "1", "--eval-samples", "0"]) == 0
    facts = json.loads((warm / "model" / "training.json").read_text())
    assert facts["warmStart"]["unetSteps"] == 1 and facts["vaeSteps"] == 0 and facts["unetSteps"] == 1
    vae = load_garment_model(warm / "model").vae.state_dict()
    assert all(torch.equal(vae[k], v) for k, v in parts["vae"].state_dict().items())
    assert "Warm start (`--init-checkpoint`) from a checkpoint of" in (warm / "pack" / "MODEL_CARD.md").read_text()


def test_checkpoint_of_another_configuration_is_refused(tmp_path):
    import pytest

    from tools.models.garment.train import load_checkpoint

    (tmp_path / "checkpoint.json").write_text(json.dumps({"format": "jinxiu-garment-checkpoint", "config": {"image": 32}}))
    with pytest.raises(ValueError, match="not a garment checkpoint of this configuration"):
        load_checkpoint(tmp_path)


def test_conditioning_trains_the_unconditional_pair_and_the_sketch_alone():
    from tools.models.garment.train import DROP_BOTH, DROP_CAPTION, DROP_SKETCH, conditioning

    drop_caption, drop_image, high, alpha = conditioning(np.random.default_rng(0), 20_000)
    both = drop_caption & drop_image
    # the pair guidance subtracts is trained at its own share, not at the product of two drops
    assert abs(both.mean() - DROP_BOTH) < 0.01
    assert abs((drop_image & ~drop_caption).mean() - DROP_SKETCH) < 0.01
    sketch_only = drop_caption & ~drop_image
    assert abs(sketch_only.mean() - DROP_CAPTION) < 0.01
    # with the caption gone the target is the sketch's, at an alpha that says so
    assert high[sketch_only].all() and (alpha.numpy()[sketch_only] >= 0.6).all()
    a = alpha.numpy()
    assert ((a >= 0.6) == high).all() and abs(high[~sketch_only].mean() - 0.5) < 0.02


def test_the_caption_head_learns_each_caption_s_own_colour_and_fabric(tmp_path):
    """The batch carries, per sample, the caption's lexicon colour (CIELAB / 100) and fabric index, in
    the batch's own order; caption_loss is near zero only for the right colour and fabric."""
    import torch
    from transformers import CLIPTokenizer

    from tools.models.common.clip_bpe import write_tokenizer_files
    from tools.models.garment.colour import COLOUR_WORDS, COLOURS, srgb_to_lab
    from tools.models.garment.data import GarmentData
    from tools.models.garment.fabrics import FABRICS
    from tools.models.garment.train import _Collate, _Samples, caption_loss

    write_tokenizer_files(tmp_path / "tokenizer")
    data = GarmentData(size=32, use_real_flats=False)
    samples = [data.sample(i) for i in range(8)]
    batch = _Collate(CLIPTokenizer.from_pretrained(str(tmp_path / "tokenizer")))([_Samples(data)[i] for i in range(8)])
    for s, lab, fabric in zip(samples, batch["colour_lab"].numpy(), batch["fabric_index"].tolist()):
        np.testing.assert_allclose(lab, srgb_to_lab(np.asarray(COLOURS[s.text_look.colour])) / 100, atol=1e-5)
        assert FABRICS[fabric] == s.text_look.fabric
        words = COLOUR_WORDS[s.text_look.colour]
        assert any(w in s.caption for w in (*words.en, *words.zh))  # the colour the caption names
    assert len({s.text_look.colour for s in samples}) > 1

    right = torch.cat([batch["colour_lab"], torch.nn.functional.one_hot(batch["fabric_index"], len(FABRICS)) * 20.0], 1)
    assert caption_loss(right, batch["colour_lab"], batch["fabric_index"]).item() < 1e-3
    wrong_colour = torch.cat([batch["colour_lab"].roll(1, 0), right[:, 3:]], 1)
    wrong_fabric = torch.cat([batch["colour_lab"], right[:, 3:].roll(1, 1)], 1)
    assert caption_loss(wrong_colour, batch["colour_lab"], batch["fabric_index"]).item() > 0.01
    assert caption_loss(wrong_fabric, batch["colour_lab"], batch["fabric_index"]).item() > 1
