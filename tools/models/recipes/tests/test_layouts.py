"""The public layouts of the tiny twins against diffusers' and transformers' own loading: the twins'
LDM names convert back to every parameter by diffusers' single-file code, and the Ref-based key map
(what the recipes are made of) gives the same tensors as that code run on the tensors themselves."""

from __future__ import annotations

import re

import pytest
import torch
from safetensors.torch import load_file

from tools.models.recipes import layouts
from tools.models.recipes.configs import tiny_garment
from tools.models.recipes.graphs import processor_names


def _apply(ref: layouts.Ref, tensors: dict[str, torch.Tensor]) -> torch.Tensor:
    x = tensors[ref.key].float()
    for op in ref.ops:
        x = x.reshape(op["shape"])
    return x


def _shapes(state: dict) -> dict:
    return {k: tuple(v.shape) for k, v in state.items()}


def test_single_file_twin_converts_back_to_the_diffusers_models_by_diffusers_code(twins):
    from diffusers import AutoencoderKL, UNet2DConditionModel
    from diffusers.loaders.single_file_utils import (convert_ldm_clip_checkpoint, convert_ldm_unet_checkpoint,
                                                     convert_ldm_vae_checkpoint)
    from transformers import CLIPTextModel

    ckpt = load_file(str(twins["checkpoint"]))
    folder = twins["converter_sd15"]
    unet = UNet2DConditionModel.from_pretrained(str(folder / "unet"))
    vae = AutoencoderKL.from_pretrained(str(folder / "vae"))
    text = CLIPTextModel.from_pretrained(str(folder / "text_encoder"))
    for model, converted in ((unet, convert_ldm_unet_checkpoint(dict(ckpt), dict(unet.config))),
                             (vae, convert_ldm_vae_checkpoint(dict(ckpt), dict(vae.config))),
                             (text, convert_ldm_clip_checkpoint(dict(ckpt)))):
        expected = model.state_dict()
        converted.pop("text_model.embeddings.position_ids", None)  # a buffer transformers no longer saves
        assert sorted(converted) == sorted(expected)
        for key, value in expected.items():
            assert torch.equal(converted[key].float(), value), key

    refs = layouts.sd15_single_file(layouts.refs("checkpoint", _shapes(ckpt)), dict(unet.config), dict(vae.config))
    for name, model in (("unet", unet), ("vae", vae), ("text_encoder", text)):
        state = model.state_dict()
        assert set(state) <= set(refs[name])
        for key, value in state.items():
            assert torch.equal(_apply(refs[name][key], ckpt), value), key


def test_single_file_map_reads_the_weights_not_the_ema_copies(twins):
    ckpt = load_file(str(twins["checkpoint"]))
    c = tiny_garment()
    refs = layouts.sd15_single_file(layouts.refs("checkpoint", _shapes(ckpt)), c.unet, c.vae)
    keys = {ref.key for part in refs.values() for ref in part.values()}
    assert keys and not any(k.startswith("model_ema.") for k in keys)
    assert any(k.startswith("model_ema.") for k in ckpt)  # the twin has them, so the test means something


def test_controlnet_v11_twin_converts_back_by_diffusers_code(twins):
    from diffusers import ControlNetModel
    from diffusers.loaders.single_file_utils import convert_controlnet_checkpoint

    ckpt = load_file(str(twins["controlnet"]))
    assert all(k.startswith("control_model.") for k in ckpt) and {v.dtype for v in ckpt.values()} == {torch.float16}
    net = ControlNetModel.from_pretrained(str(twins["converter_controlnet"]))
    expected = net.state_dict()
    converted = convert_controlnet_checkpoint(dict(ckpt), dict(net.config))
    assert sorted(converted) == sorted(expected)
    refs = layouts.controlnet_v11(layouts.refs("controlnet", _shapes(ckpt)), net.config.layers_per_block)
    for key, value in expected.items():
        assert torch.equal(converted[key].float(), value) and torch.equal(_apply(refs[key], ckpt), value), key


def test_ip_adapter_layers_land_where_diffusers_puts_them(twins):
    from diffusers import UNet2DConditionModel

    state = load_file(str(twins["ip_adapter"]))
    unet = UNet2DConditionModel.from_pretrained(str(twins["converter_sd15"] / "unet"))
    nested = {"image_proj": {}, "ip_adapter": {}}
    for key, value in state.items():
        head, _, rest = key.partition(".")
        nested[head][rest] = value.float()
    processors = unet._convert_ip_adapter_attn_to_diffusers([nested])
    projection = unet._convert_ip_adapter_image_proj_to_diffusers(nested["image_proj"])
    refs = layouts.h94_ip_adapter(layouts.refs("ip_adapter", _shapes(state)), processor_names(dict(unet.config)))
    for name, processor in processors.items():
        if hasattr(processor, "to_k_ip"):
            assert torch.equal(_apply(refs["unet"][f"{name}.to_k_ip.weight"], state), processor.to_k_ip[0].weight)
            assert torch.equal(_apply(refs["unet"][f"{name}.to_v_ip.weight"], state), processor.to_v_ip[0].weight)
    for key, value in projection.state_dict().items():
        assert torch.equal(_apply(refs["image_projection"][key], state), value.float()), key


def test_an_ip_adapter_index_on_a_self_attention_is_refused():
    names = processor_names(tiny_garment().unet)
    with pytest.raises(KeyError, match="not a cross-attention"):
        layouts.h94_ip_adapter({"ip_adapter.0.to_k_ip.weight": layouts.Ref("ip", "ip_adapter.0.to_k_ip.weight", (8, 8))}, names)


def test_kohya_lora_names_are_the_modules_diffusers_converts_them_to(twins):
    from diffusers.loaders.lora_conversion_utils import _convert_non_diffusers_lora_to_diffusers

    lora = load_file(str(twins["lcm"]))
    converted, _ = _convert_non_diffusers_lora_to_diffusers(dict(lora))
    # diffusers names attention LoRAs by their old processor slots (attn1.processor.to_out_lora.down.weight)
    normal = {re.sub(r"\.processor\.to_(q|k|v|out)_lora\.", lambda m: f".to_{m[1]}{'.0' if m[1] == 'out' else ''}.lora.", k)
              for k in converted}
    diffusers_modules = {k[len("unet."): k.index(".lora.")] for k in normal if ".lora." in k}
    ckpt = load_file(str(twins["checkpoint"]))
    c = tiny_garment()
    unet_refs = layouts.sd15_single_file(layouts.refs("checkpoint", _shapes(ckpt)), c.unet, c.vae)["unet"]
    targets = layouts.lora_targets(unet_refs, list(lora))
    by_key = {ref.key: name[: -len(".weight")] for name, ref in unet_refs.items()}
    assert {by_key[key] for key in targets.values()} == diffusers_modules
