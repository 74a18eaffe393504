"""`train garment --config pack256`: the 256 px pack with the sketch route. The design as configured,
the per-sample sketch scale, the line art as the studio feeds it, an early stop without the sketch
cache, and the whole command at a reduced size (a 64 px stand-in of the design on a small cache drawn
in numpy) down to a pack whose sketch encoder and UNet onnxruntime runs."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from tools.models.__main__ import main

# The design shrunk to run in seconds: every structural choice of pack256 (four VAE stages, so a
# downscale of 8; cross-attention in the lowest UNet block; the pooled caption gated by alpha; the
# route; studio sketches; DPM++) kept.
SMALL = ["--config-set", "image=64", "--config-set", "unet_channels=[16,32,64]", "--config-set", "vae_channels=[8,16,16,16]",
         "--config-set", "sketch_route=[8,8,16,16]"]


def test_pack256_is_the_planned_design():
    from tools.models.garment.train import CONFIG, PACK256, build_parts

    assert CONFIG["image"] == 64 and CONFIG["sketch_route"] is None and CONFIG["sketches"] == "png"  # the 64 px pack as it was
    assert PACK256["image"] == 256 and PACK256["vae_channels"] == [16, 32, 64, 64]
    assert PACK256["unet_channels"] == [32, 64, 128] and PACK256["unet_attention"] == [False, False, True]
    assert PACK256["text_time"] and not CONFIG["text_time"]
    assert PACK256["caption_aux"] == 1.0 and CONFIG["caption_aux"] == 0  # the caption head trains with pack256 only
    assert PACK256["sketches"] == "studio" and PACK256["scheduler"] == "dpmpp-2m-karras" and PACK256["steps"] == 10
    parts = build_parts(0, "pack256")
    unet = parts["unet"]
    assert unet.config.sample_size == 32  # latents 4 x 32 x 32
    assert [type(b).__name__ for b in unet.down_blocks] == ["DownBlock2D", "DownBlock2D", "CrossAttnDownBlock2D"]
    assert unet.config.addition_embed_type == "text" and unet._text_time_gate is not None
    assert parts["sketch"].encoder.conv_out.out_channels == 32 == unet.config.block_out_channels[0]
    assert unet.conv_in.inject is parts["sketch"].inject  # the route's 1x1 conv sits inside the UNet
    assert float(parts["sketch"].inject.weight.abs().sum()) == 0  # and starts silent


def test_sketch_scale_per_sample_follows_the_target_and_the_drop():
    from tools.models.garment.train import TEXT_SKETCH_SCALE_MAX, conditioning, sketch_scales

    rng = np.random.default_rng(0)
    drop_caption, drop_image, high, _ = conditioning(rng, 20_000)
    scale = sketch_scales(rng, high, drop_image).numpy()
    # image target (high alpha) -> 1, as the image-biased variant runs
    assert (scale[high & ~drop_image] == 1).all()
    # text target (low alpha) -> uniform over [0, 0.5], around the text-biased variant's 0.3
    low = scale[~high & ~drop_image]
    assert low.min() >= 0 and low.max() <= TEXT_SKETCH_SCALE_MAX == 0.5
    assert abs(low.mean() - 0.25) < 0.01 and (low < 0.1).mean() > 0.15 and (low > 0.4).mean() > 0.15
    # sketch dropped -> 0, the unconditional row's scale at inference (caption dropped or not)
    assert (scale[drop_image] == 0).all() and (drop_image & drop_caption).any()
    # hand-made rows: the rule on its own
    s = sketch_scales(np.random.default_rng(1), np.array([True, False, True, False]), np.array([False, False, True, True])).numpy()
    assert s[0] == 1 and 0 <= s[1] <= 0.5 and s[2] == 0 and s[3] == 0


def test_the_line_art_is_fed_as_the_studio_feeds_it():
    from tools.models.garment.export import SKETCH_CONTROL_PREPROCESS
    from tools.models.garment.pipeline import preprocess_control
    from tools.models.garment.train import control_pixels

    art = np.random.default_rng(0).integers(0, 256, (2, 16, 16, 3), dtype=np.uint8)
    ours = control_pixels(art).numpy()
    theirs = np.concatenate([preprocess_control(a, SKETCH_CONTROL_PREPROCESS, 16, 16) for a in art])
    np.testing.assert_allclose(ours, theirs, atol=1e-6)
    assert SKETCH_CONTROL_PREPROCESS["invert"] and ours[0, :, 0, 0].tolist() == pytest.approx((1 - art[0, 0, 0] / 255).tolist())


def test_pack256_without_its_sketch_cache_stops_at_once_naming_the_command(tmp_path):
    from tools.models.garment.train import train

    with pytest.raises(RuntimeError, match=r"cache garment-sketches --size 256"):
        train(tmp_path / "model", config="pack256", sketch_cache=tmp_path / "no-cache", max_steps=(1, 1))
    assert not (tmp_path / "model").exists()


def _stand_in_cache(folder, size):
    from tools.models.garment.export import SKETCH_CONTROL_PREPROCESS
    from tools.models.tests.test_garment_sketches import write_cache

    write_cache(folder, size, designs=("aaron", "brian"))
    index = json.loads((folder / "index.json").read_text())
    index["control"] = SKETCH_CONTROL_PREPROCESS  # drawn as the route's line art is
    (folder / "index.json").write_text(json.dumps(index))
    return folder


def test_pack256_trains_exports_and_the_route_runs_in_onnxruntime(tmp_path):
    import onnxruntime as ort

    from tools.models.garment.train import load_checkpoint

    cache = _stand_in_cache(tmp_path / "cache", 64)
    out = tmp_path / "run"
    assert main(["train", "garment", "--config", "pack256", *SMALL, "--sketch-cache", str(cache), "--out", str(out),
                 "--vae-steps", "1", "--unet-steps", "2", "--batch", "2", "--no-nice", "--threads", "1", "--workers", "1",
                 "--eval-samples", "0", "--checkpoint", str(tmp_path / "ckpt")]) == 0
    facts = json.loads((out / "model" / "training.json").read_text())
    assert facts["unetSteps"] == 2 and np.isfinite(facts["finalLoss"]) and facts["config"]["name"] == "pack256"
    assert (out / "model" / "sketch_route" / "model.safetensors").is_file()

    m = json.loads((out / "pack" / "manifest.json").read_text())
    g = m["garment"]
    assert g["graphs"]["sketchEncoder"]["file"] == "sketch_encoder.onnx"
    assert {"sketchFeatures", "sketchScale"} <= set(g["graphs"]["unet"]["inputs"])
    assert g["preprocess"]["control"] == {"kind": "lineart", "invert": True, "channels": "RGB", "layout": "NCHW",
                                          "rescale": 1 / 255, "resize": "stretch", "interpolation": "bicubic"}
    d = g["defaults"]
    assert (d["width"], d["steps"], d["guidanceScale"]) == (64, 10, 3.0)
    assert d["variants"]["imageBiased"]["sketchScale"] == 1.0 and d["variants"]["textBiased"]["sketchScale"] == 0.3
    assert g["latents"]["downscale"] == 8
    sched = json.loads((out / "pack" / g["scheduler"]["config"]).read_text())
    assert sched["_class_name"] == "DPMSolverMultistepScheduler" and sched["use_karras_sigmas"] is True
    assert "sketch route" in (out / "pack" / "MODEL_CARD.md").read_text()

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    enc = ort.InferenceSession(str(out / "pack" / "sketch_encoder.onnx"), opts, providers=["CPUExecutionProvider"])
    line_art = np.random.default_rng(0).random((1, 3, 64, 64), dtype=np.float32)
    (features,) = enc.run(None, {"line_art": line_art})
    assert features.shape == (1, 16, 8, 8)
    unet = ort.InferenceSession(str(out / "pack" / "unet.onnx"), opts, providers=["CPUExecutionProvider"])
    tokens = g["conditioning"]["imagePromptTokens"] + g["conditioning"]["fabric"]["tokens"]
    rng = np.random.default_rng(1)
    feeds = {"sample": rng.standard_normal((2, 4, 8, 8), np.float32), "timestep": np.array([999, 999], np.float32),
             "encoder_hidden_states": rng.standard_normal((2, 77 + g["conditioning"]["fabric"]["tokens"], 32), np.float32),
             "image_prompt_embeds": np.zeros((2, tokens, 32), np.float32), "alpha": np.array([0.0, 0.9], np.float32),
             "sketch_features": np.concatenate([features, features]), "sketch_scale": np.array([0.0, 1.0], np.float32)}
    (noise,) = unet.run(None, feeds)
    assert noise.shape == (2, 4, 8, 8) and np.isfinite(noise).all()
    # the graph is the model folder's UNet, the alpha-gated pooled caption traced into it
    from tools.models.garment.components import load_garment_model

    c = load_garment_model(out / "model")
    t = {k: torch.from_numpy(v) for k, v in feeds.items()}
    c.state.image_prompt_embeds, c.state.alpha = t["image_prompt_embeds"], t["alpha"]
    c.state.sketch_features, c.state.sketch_scale = t["sketch_features"], t["sketch_scale"]
    with torch.no_grad():
        ref = c.unet(t["sample"], t["timestep"], encoder_hidden_states=t["encoder_hidden_states"]).sample.numpy()
    np.testing.assert_allclose(noise, ref, atol=1e-4)

    # a trained pack carries the optional VAE encoder, so "Start from the colorway" works with it
    assert g["graphs"]["vaeEncoder"]["file"] == "vae_encoder.onnx"
    vae_enc = ort.InferenceSession(str(out / "pack" / "vae_encoder.onnx"), opts, providers=["CPUExecutionProvider"])
    image = rng.uniform(-1, 1, (1, 3, 64, 64)).astype(np.float32)
    (mean,) = vae_enc.run(None, {"sample": image})
    with torch.no_grad():
        want = c.vae.encode(torch.from_numpy(image)).latent_dist.mean.numpy()
    np.testing.assert_allclose(mean, want, atol=1e-4)

    # the checkpoint rebuilds the same model from the configuration it stores, route included
    parts, ck_facts = load_checkpoint(tmp_path / "ckpt")
    assert ck_facts["config"] == facts["config"] and "sketch" in parts
    assert parts["unet"].conv_in.inject is parts["sketch"].inject
    with pytest.raises(ValueError, match="not a garment checkpoint of this configuration"):
        load_checkpoint(tmp_path / "ckpt", config="default")


def test_the_decoder_fine_tune_moves_the_decoder_alone_and_lowers_its_loss():
    """Stage 3 (train.finetune_decoder): the encoder, and so the latent space the UNet learnt, stays
    bit for bit; the decoder reconstructs a fixed batch better than before."""
    from tools.models.garment.data import GarmentData
    from tools.models.garment.train import build_parts, finetune_decoder, resolve_config, to_tensor

    config = resolve_config("default", {"vae_channels": [8, 16, 16]})
    vae = build_parts(0, config)["vae"]
    encoder = {k: v.clone() for k, v in vae.state_dict().items() if k.startswith(("encoder.", "quant_conv."))}
    decoder = {k: v.clone() for k, v in vae.state_dict().items() if k.startswith(("decoder.", "post_quant_conv."))}
    x = to_tensor([GarmentData(size=64, seed=9).sample(i).text_target for i in range(4)])

    def loss() -> float:
        with torch.no_grad():
            return float(((vae.decode(vae.encode(x).latent_dist.mean).sample - x) ** 2).mean())

    before = loss()
    facts = finetune_decoder(vae, config, batch=4, max_steps=40, log=lambda *_: None)
    after = vae.state_dict()
    assert facts["decoderSteps"] == 40 and np.isfinite(facts["decoderLoss"])
    assert all(torch.equal(after[k], v) for k, v in encoder.items())
    assert any(not torch.equal(after[k], v) for k, v in decoder.items())
    assert loss() < 0.8 * before
    assert not any(p.requires_grad for p in vae.parameters())
