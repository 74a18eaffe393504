"""`convert sd15-ipadapter` on tiny random checkpoints in the official layouts (diffusers SD folder,
ip-adapter_sd15.bin, CLIPVisionModelWithProjection, ControlNetModel): the pack's graphs reproduce
diffusers' own IP-Adapter + ControlNet forward pass, with alpha in the image-prompt scale's place."""

from __future__ import annotations

import json

import numpy as np
import onnxruntime as ort
import pytest
import torch

from tools.models.__main__ import main
from tools.models.garment.tiny import write_sd15_ip_adapter_checkpoints


@pytest.fixture(scope="module")
def checkpoints(tmp_path_factory):
    return write_sd15_ip_adapter_checkpoints(tmp_path_factory.mktemp("ckpt"), seed=5)


@pytest.fixture(scope="module")
def pack(checkpoints, tmp_path_factory):
    out = tmp_path_factory.mktemp("sd15") / "pack"
    code = main(["convert", "sd15-ipadapter", "--sd15", str(checkpoints["sd15"]), "--ip-adapter", str(checkpoints["ip_adapter"]),
                 "--image-encoder", str(checkpoints["image_encoder"]), "--controlnet", str(checkpoints["controlnet"]),
                 "--out", str(out), "--id", "test-sd15-ip", "--name", "test", "--licence", "CreativeML-OpenRAIL-M"])
    assert code == 0
    return out


def run(pack, manifest, key, **roles):
    spec = manifest["garment"]["graphs"][key]
    sess = ort.InferenceSession(str(pack / spec["file"]), providers=["CPUExecutionProvider"])
    feed = {spec["inputs"][r]["name"]: v for r, v in roles.items()}
    names = list(spec["outputs"])
    return dict(zip(names, sess.run([spec["outputs"][n]["name"] for n in names], feed)))


def test_manifest_describes_sd15_ip_adapter(pack):
    m = json.loads((pack / "manifest.json").read_text())
    g = m["garment"]
    assert g["architecture"] == "sd15-ip-adapter"
    assert g["conditioning"]["alpha"] == {"rule": "fixed", "value": 1.0}
    assert "fabricFusion" not in g["graphs"]
    assert set(g["graphs"]) == {"textEncoder", "imageEncoder", "imageProjection", "unet", "controlnet", "vaeDecoder"}
    # tiny UNet: conv_in + 2 blocks x 1 resnet + 1 downsampler = 4 residuals, plus the mid block
    assert [r for r in g["graphs"]["unet"]["inputs"] if r.startswith("control")] == [f"controlDown{i}" for i in range(4)] + ["controlMid"]
    assert g["preprocess"]["control"]["kind"] == "lineart"
    assert json.loads((pack / "scheduler" / "scheduler_config.json").read_text())["_class_name"] == "DDIMScheduler"


def test_pack_reproduces_diffusers_ip_adapter_and_controlnet(pack, checkpoints):
    from diffusers import ControlNetModel, UNet2DConditionModel
    from diffusers.models.attention_processor import AttnProcessor
    from transformers import CLIPTextModel, CLIPVisionModelWithProjection

    m = json.loads((pack / "manifest.json").read_text())
    gen = torch.Generator().manual_seed(11)
    ids = torch.full((1, 77), 49407, dtype=torch.long)
    ids[0, :6] = torch.tensor([49406, 320, 736, 13606, 6164, 49407])
    pixels = torch.randn(1, 3, 32, 32, generator=gen)
    sample = torch.randn(1, 4, 8, 8, generator=gen)
    control_image = torch.rand(1, 3, 64, 64, generator=gen)
    t, scale, control_scale = 601.0, 0.7, 0.8

    # diffusers' own path, as StableDiffusionControlNetPipeline + load_ip_adapter run it.
    text_encoder = CLIPTextModel.from_pretrained(str(checkpoints["sd15"] / "text_encoder")).eval()
    image_encoder = CLIPVisionModelWithProjection.from_pretrained(str(checkpoints["image_encoder"])).eval()
    unet = UNet2DConditionModel.from_pretrained(str(checkpoints["sd15"] / "unet")).eval()
    unet._load_ip_adapter_weights([torch.load(str(checkpoints["ip_adapter"]))])
    for proc in unet.attn_processors.values():
        if hasattr(proc, "scale"):
            proc.scale = [scale]
    controlnet = ControlNetModel.from_pretrained(str(checkpoints["controlnet"])).eval()
    controlnet.set_attn_processor(AttnProcessor())
    with torch.no_grad():
        text = text_encoder(ids).last_hidden_state
        image_embeds = image_encoder(pixels).image_embeds
        down, mid = controlnet(sample, t, encoder_hidden_states=text, controlnet_cond=control_image,
                               conditioning_scale=control_scale, return_dict=False)
        expected = unet(sample, t, encoder_hidden_states=text, added_cond_kwargs={"image_embeds": [image_embeds[:, None]]},
                        down_block_additional_residuals=down, mid_block_additional_residual=mid).sample.numpy()

    text_o = run(pack, m, "textEncoder", ids=ids.numpy())["hiddenStates"]
    embeds_o = run(pack, m, "imageEncoder", pixels=pixels.numpy())["imageEmbeds"]
    prompt_o = run(pack, m, "imageProjection", imageEmbeds=embeds_o)["imagePromptEmbeds"]
    timestep = np.array([t], np.float32)
    control = run(pack, m, "controlnet", sample=sample.numpy(), timestep=timestep, textEmbeds=text_o,
                  controlImage=control_image.numpy(), controlScale=np.array([control_scale], np.float32))
    got = run(pack, m, "unet", sample=sample.numpy(), timestep=timestep, textEmbeds=text_o, imagePromptEmbeds=prompt_o,
              alpha=np.array([scale], np.float32), **control)["noisePred"]
    np.testing.assert_allclose(text_o, text.numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(embeds_o, image_embeds.numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(got, expected, rtol=1e-3, atol=1e-5)
    assert np.abs(expected).max() > 1e-3  # the comparison is not between two near-zero tensors


def test_safetensors_ip_adapter_loads_like_the_bin(checkpoints, tmp_path):
    from tools.models.garment.components import read_ip_adapter, write_ip_adapter

    nested = read_ip_adapter(checkpoints["ip_adapter"])
    write_ip_adapter(tmp_path / "ip.safetensors", nested["image_proj"], nested["ip_adapter"])
    again = read_ip_adapter(tmp_path / "ip.safetensors")
    for part in ("image_proj", "ip_adapter"):
        assert sorted(again[part]) == sorted(nested[part])
        for key, value in nested[part].items():
            assert torch.equal(again[part][key], value)


def test_a_file_that_is_not_an_ip_adapter_is_refused_with_its_reason(checkpoints, tmp_path):
    from safetensors.torch import save_file

    bogus = tmp_path / "model.safetensors"
    save_file({"unet.conv_in.weight": torch.zeros(2, 2)}, str(bogus))
    out = tmp_path / "pack"
    with pytest.raises(ValueError, match="unexpected key 'unet.conv_in.weight'"):
        main(["convert", "sd15-ipadapter", "--sd15", str(checkpoints["sd15"]), "--ip-adapter", str(bogus),
              "--image-encoder", str(checkpoints["image_encoder"]), "--out", str(out), "--id", "x-y", "--name", "x",
              "--licence", "MIT"])
    assert not out.exists()


def test_a_folder_that_is_not_sd15_is_refused(checkpoints, tmp_path):
    with pytest.raises(FileNotFoundError, match="text_encoder/ is missing"):
        main(["convert", "sd15-ipadapter", "--sd15", str(tmp_path), "--ip-adapter", str(checkpoints["ip_adapter"]),
              "--image-encoder", str(checkpoints["image_encoder"]), "--out", str(tmp_path / "p"), "--id", "x-y",
              "--name", "x", "--licence", "MIT"])
