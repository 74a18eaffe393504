"""The sketch route (modules.SketchEncoder, SketchRoute, SketchConvIn): a fresh route changes nothing, the
exported graphs are the torch modules within 1e-5, and the golden (garment/goldens_sketch.py) says what
it claims: its overlay is garment-tiny-pack plus the route, and the line art really moves the run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest
import torch

from tools.models.common.golden_io import read_golden
from tools.models.garment.goldens import GOLDEN_DIR, TINY_PACK
from tools.models.garment.goldens_sketch import NAME, OVERLAY
from tools.models.garment.modules import SketchEncoder, SketchRoute, install_sketch_route


def unet_inputs(c, rng: np.random.Generator, batch: int = 2):
    size = int(c.unet.config.sample_size)
    cross = int(c.unet.config.cross_attention_dim)
    channels = int(c.unet.config.block_out_channels[0])
    t = lambda *shape: torch.from_numpy(rng.standard_normal(shape).astype(np.float32))  # noqa: E731
    return {
        "sample": t(batch, 4, size, size), "timestep": torch.tensor([999.0, 1.0][:batch]),
        "encoder_hidden_states": t(batch, 77, cross), "image_prompt_embeds": t(batch, c.image_prompt_tokens, cross),
        "alpha": torch.tensor([0.8, 0.3][:batch]), "sketch_features": t(batch, channels, size, size),
        "sketch_scale": torch.tensor([1.0, 0.6][:batch]),
    }


def test_the_encoder_has_stride_8_and_the_unet_width():
    encoder = SketchEncoder(8, channels=(4, 8, 8, 16)).eval()
    with torch.no_grad():
        out = encoder(torch.rand(2, 3, 64, 48))
    assert tuple(out.shape) == (2, 8, 8, 6)
    with pytest.raises(ValueError, match="4 channel stages"):
        SketchEncoder(8, channels=(4, 8, 16))


def test_a_fresh_route_changes_nothing(higarment_folder):
    from tools.models.garment.components import load_garment_model
    from tools.models.garment.graphs import UNetGraph

    c = load_garment_model(higarment_folder)
    x = unet_inputs(c, np.random.default_rng(0))
    plain = (x["sample"], x["timestep"], x["encoder_hidden_states"], x["image_prompt_embeds"], x["alpha"])
    with torch.no_grad():
        before = UNetGraph(c.unet, c.state)(*plain)
        route = SketchRoute(int(c.unet.config.block_out_channels[0]), channels=(4, 8, 8, 16)).eval()
        install_sketch_route(c.unet, route, c.state)
        after = UNetGraph(c.unet, c.state, sketch=True)(*plain, x["sketch_features"], x["sketch_scale"])
        # The same UNet with the route installed but no features: conv_in alone.
        unfed = UNetGraph(c.unet, c.state)(*plain)
    assert torch.equal(before, after)
    assert torch.equal(before, unfed)
    with pytest.raises(ValueError, match="already has a sketch route"):
        install_sketch_route(c.unet, route, c.state)


@pytest.fixture(scope="module")
def sketch_pack(higarment_folder, tmp_path_factory):
    from tools.models.garment.components import load_garment_model
    from tools.models.garment.export import write_pack
    from tools.models.garment.tiny import write_sketch_route

    folder = tmp_path_factory.mktemp("sketch") / "model"
    shutil.copytree(higarment_folder, folder)
    write_sketch_route(folder, seed=5)
    c = load_garment_model(folder)
    pack = tmp_path_factory.mktemp("sketch-pack") / "pack"
    write_pack(c, pack, meta={"id": "sketch-test", "version": "0", "name": "sketch test", "licence": "MIT"})
    return c, pack


def test_the_export_round_trips_within_1e_5(sketch_pack):
    from tools.models.garment.graphs import UNetGraph

    c, pack = sketch_pack
    manifest = json.loads((pack / "manifest.json").read_text())
    g = manifest["garment"]
    assert g["graphs"]["sketchEncoder"]["file"] == "sketch_encoder.onnx"
    assert g["graphs"]["sketchEncoder"]["inputs"]["lineArt"]["name"] == "line_art"
    assert g["graphs"]["sketchEncoder"]["outputs"]["sketchFeatures"]["shape"] == ["batch", 8, "height", "width"]
    assert [g["graphs"]["unet"]["inputs"][r]["name"] for r in ("sketchFeatures", "sketchScale")] == ["sketch_features", "sketch_scale"]
    assert g["preprocess"]["control"]["kind"] == "lineart"
    assert {k: v["sketchScale"] for k, v in g["defaults"]["variants"].items()} == {"imageBiased": 1.0, "textBiased": 0.3}
    assert "sketch_encoder.onnx" in {f["path"] for f in manifest["files"]}

    rng = np.random.default_rng(1)
    line_art = rng.random((2, 3, 64, 64), dtype=np.float32)
    session = ort.InferenceSession(str(pack / "sketch_encoder.onnx"), providers=["CPUExecutionProvider"])
    with torch.no_grad():
        features = c.sketch.encoder(torch.from_numpy(line_art)).numpy()
    np.testing.assert_allclose(session.run(None, {"line_art": line_art})[0], features, atol=1e-5, rtol=0)

    x = unet_inputs(c, rng)
    session = ort.InferenceSession(str(pack / "unet.onnx"), providers=["CPUExecutionProvider"])
    with torch.no_grad():
        expected = UNetGraph(c.unet, c.state, sketch=True)(*x.values()).numpy()
        unscaled = UNetGraph(c.unet, c.state, sketch=True)(*list(x.values())[:-1], torch.zeros(2)).numpy()
    feeds = {k: v.numpy() for k, v in x.items()}
    got = session.run(None, feeds)[0]
    np.testing.assert_allclose(got, expected, atol=1e-5, rtol=0)
    # The route's random 1x1 convolution matters at scale 1 and not at all at scale 0.
    assert np.abs(expected - unscaled).max() > 1e-2
    np.testing.assert_allclose(session.run(None, {**feeds, "sketch_scale": np.zeros(2, np.float32)})[0], unscaled, atol=1e-5, rtol=0)


def assembled(tmp_path: Path) -> Path:
    """garment-tiny-pack with the overlay laid over it, as the TypeScript test assembles it."""
    pack = tmp_path / "pack"
    shutil.copytree(GOLDEN_DIR / TINY_PACK, pack)
    for f in (GOLDEN_DIR / OVERLAY).iterdir():
        shutil.copyfile(f, pack / f.name)
    return pack


def test_the_overlay_is_the_tiny_pack_plus_the_route(tmp_path):
    from tools.models.common.hashing import file_entry

    pack = assembled(tmp_path)
    manifest = json.loads((pack / "manifest.json").read_text())
    for entry in manifest["files"]:
        assert file_entry(pack, pack / entry["path"]) == entry, entry["path"]
    # At sketch scale 0 the overlay's UNet is garment-tiny-pack's.
    rng = np.random.default_rng(2)
    spec = manifest["garment"]["graphs"]["unet"]["inputs"]
    feeds = {"sample": rng.standard_normal((2, 4, 8, 8)), "timestep": np.asarray([999.0, 1.0]),
             "encoder_hidden_states": rng.standard_normal((2, 82, 8)), "image_prompt_embeds": rng.standard_normal((2, 7, 8)),
             "alpha": np.asarray([0.8, 0.3])}
    feeds = {k: v.astype(np.float32) for k, v in feeds.items()}
    base = ort.InferenceSession(str(GOLDEN_DIR / TINY_PACK / "unet.onnx"), providers=["CPUExecutionProvider"]).run(None, feeds)[0]
    route = ort.InferenceSession(str(pack / "unet.onnx"), providers=["CPUExecutionProvider"])
    sketch = {spec["sketchFeatures"]["name"]: rng.standard_normal((2, 8, 8, 8)).astype(np.float32)}
    off = route.run(None, {**feeds, **sketch, spec["sketchScale"]["name"]: np.zeros(2, np.float32)})[0]
    on = route.run(None, {**feeds, **sketch, spec["sketchScale"]["name"]: np.ones(2, np.float32)})[0]
    np.testing.assert_allclose(off, base, atol=1e-6, rtol=0)
    assert np.abs(on - base).max() > 1e-2


def test_the_line_art_moves_the_golden_run(tmp_path):
    from tools.models.garment.pipeline import GarmentPack, GarmentRequest, preprocess_control

    meta, arrays = read_golden(GOLDEN_DIR / f"{NAME}.json")
    p = GarmentPack(assembled(tmp_path), threads=1)
    case, run_meta = meta["case"], meta["runs"]["imageBiased"]
    control = preprocess_control(arrays["lineArt"], p.g["preprocess"]["control"], 64, 64)
    request = dict(prompt=case["prompt"], sketch=arrays["sketch"], noise=arrays["noise"], fabric_label=case["fabric"],
                   swatch=arrays["swatch"], steps=case["steps"], guidance_scale=case["guidanceScale"], control_image=control)
    again = p.generate(GarmentRequest(**request, sketch_scale=run_meta["sketchScale"]))
    np.testing.assert_allclose(again.image, arrays["imageBiased/image"], atol=1e-5, rtol=0)
    off = p.generate(GarmentRequest(**request, sketch_scale=0.0))
    # Far above the parity tolerance (2/255 on the [-1, 1] image): a runtime that dropped the route fails.
    assert np.abs(off.image - arrays["imageBiased/image"]).max() > 0.1
    with pytest.raises(ValueError, match="needs the line art"):
        p.generate(GarmentRequest(**{**request, "control_image": None}))
