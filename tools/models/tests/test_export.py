"""`export garment`: every ONNX graph matches the torch module it came from, at batch 1 and 2, and
the manifest states the files' real signatures and hashes."""

from __future__ import annotations

import json

import numpy as np
import onnxruntime as ort
import pytest
import torch

from tools.models.common.hashing import sha256_file
from tools.models.common.onnx_io import signature
from tools.models.garment import graphs as g
from tools.models.garment.components import load_garment_model


def session(pack, manifest, key):
    return ort.InferenceSession(str(pack / manifest["garment"]["graphs"][key]["file"]), providers=["CPUExecutionProvider"])


@pytest.fixture(scope="module")
def manifest(higarment_pack):
    return json.loads((higarment_pack / "manifest.json").read_text())


@pytest.fixture(scope="module")
def model(higarment_folder):
    return load_garment_model(higarment_folder)


def test_manifest_lists_every_file_with_its_hash(higarment_pack, manifest):
    on_disk = sorted(p.relative_to(higarment_pack).as_posix() for p in higarment_pack.rglob("*")
                     if p.is_file() and p.name != "manifest.json")
    assert [f["path"] for f in manifest["files"]] == on_disk
    for entry in manifest["files"]:
        path = higarment_pack / entry["path"]
        assert entry["sha256"] == sha256_file(path) and entry["size"] == path.stat().st_size


def test_manifest_signatures_are_the_files_own(higarment_pack, manifest):
    for key, spec in manifest["garment"]["graphs"].items():
        inputs, outputs = signature(higarment_pack / spec["file"])
        assert sorted(t["name"] for t in inputs) == sorted(t["name"] for t in spec["inputs"].values()), key
        for t in list(spec["inputs"].values()) + list(spec["outputs"].values()):
            assert t["shape"][0] == "batch", f"{key}.{t['name']} should have a dynamic batch"
    unet = manifest["garment"]["graphs"]["unet"]["inputs"]
    assert unet["alpha"] == {"name": "alpha", "dtype": "float32", "shape": ["batch"]}
    assert unet["textEmbeds"]["shape"][1] == "text_tokens"
    assert manifest["garment"]["conditioning"]["alpha"] == {"rule": "harmonized", "lambda": 0.6, "pool": "mean"}


@pytest.mark.parametrize("batch", [1, 2])
def test_graphs_match_torch(higarment_pack, manifest, model, batch):
    gen = torch.Generator().manual_seed(batch)
    text_cfg, vision_cfg = model.text_encoder.config, model.image_encoder.config
    cross = model.unet.config.cross_attention_dim
    ids = torch.randint(0, 49406, (batch, 77), generator=gen)
    ids[:, 0], ids[:, 9:] = 49406, 49407
    pixels = torch.randn(batch, 3, vision_cfg.image_size, vision_cfg.image_size, generator=gen)
    sample = torch.randn(batch, 4, 8, 8, generator=gen)
    timestep = torch.tensor([981.0, 21.0][:batch])
    text = torch.randn(batch, 77 + 3, cross, generator=gen)  # text tokens + fabric tokens: any length
    image_prompt = torch.randn(batch, 4 + 3, cross, generator=gen)
    alpha = torch.tensor([0.8, 0.2][:batch])
    label = torch.randn(batch, text_cfg.hidden_size, generator=gen)
    fabric_hidden = torch.randn(batch, 17, vision_cfg.hidden_size, generator=gen)
    cases = {
        "textEncoder": (g.TextEncoderGraph(model.text_encoder), (ids,)),
        "imageEncoder": (g.ImageEncoderGraph(model.image_encoder), (pixels,)),
        "imageProjection": (g.ImageProjectionGraph(model.image_projection), (torch.randn(batch, vision_cfg.projection_dim, generator=gen),)),
        "fabricFusion": (model.fabric_fusion, (label, fabric_hidden)),
        "unet": (g.UNetGraph(model.unet, model.state), (sample, timestep, text, image_prompt, alpha)),
        "vaeDecoder": (g.VaeDecoderGraph(model.vae), (sample,)),
    }
    assert set(cases) == set(manifest["garment"]["graphs"])
    for key, (module, args) in cases.items():
        spec = manifest["garment"]["graphs"][key]
        with torch.no_grad():
            expected = module(*args)
        expected = expected if isinstance(expected, tuple) else (expected,)
        feed = {t["name"]: a.numpy() for t, a in zip(spec["inputs"].values(), args)}
        got = session(higarment_pack, manifest, key).run([t["name"] for t in spec["outputs"].values()], feed)
        for e, o in zip(expected, got):
            np.testing.assert_allclose(o, e.numpy(), rtol=1e-4, atol=1e-5, err_msg=key)


def test_alpha_steers_the_image_branch(higarment_pack, manifest):
    unet = session(higarment_pack, manifest, "unet")
    rng = np.random.default_rng(0)
    feed = {"sample": rng.standard_normal((1, 4, 8, 8), np.float32), "timestep": np.array([500.0], np.float32),
            "encoder_hidden_states": rng.standard_normal((1, 77, 8), np.float32),
            "image_prompt_embeds": rng.standard_normal((1, 4, 8), np.float32)}
    outs = {a: unet.run(None, {**feed, "alpha": np.array([a], np.float32)})[0] for a in (0.0, 0.5, 1.0)}
    assert not np.allclose(outs[0.0], outs[1.0], atol=1e-4)
    # The image branch is added linearly before the output projection, so alpha=0.5 lies between.
    assert np.abs(outs[0.5] - outs[0.0]).max() < np.abs(outs[1.0] - outs[0.0]).max()


def test_large_weights_go_to_one_external_data_file(tmp_path):
    """SD 1.5's UNet passes protobuf's 2 GB limit; a zero threshold takes the same path on a tiny graph."""
    from tools.models.garment.export import _export

    module = torch.nn.Linear(4, 3)
    file = tmp_path / "linear.onnx"
    _export(module, (torch.randn(1, 4),), file, ({"x": "x"}, {"y": "y"}), {"x": {0: "batch"}, "y": {0: "batch"}},
            external_threshold=0, tensor_threshold=0)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["linear.onnx", "linear.onnx.data"]
    x = np.random.default_rng(0).standard_normal((2, 4)).astype(np.float32)
    got = ort.InferenceSession(str(file), providers=["CPUExecutionProvider"]).run(None, {"x": x})[0]
    np.testing.assert_allclose(got, module(torch.from_numpy(x)).detach().numpy(), rtol=1e-5, atol=1e-6)


def test_a_folder_without_garment_model_json_is_refused(tmp_path):
    from tools.models.__main__ import main

    with pytest.raises(FileNotFoundError, match="has no garment_model.json"):
        main(["export", "garment", "--model", str(tmp_path), "--out", str(tmp_path / "p"), "--id", "x-y", "--name", "x",
              "--licence", "MIT"])
