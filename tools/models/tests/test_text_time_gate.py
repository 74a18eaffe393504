"""The pooled caption (diffusers' addition_embed_type "text") scaled by 1 - alpha (modules.gate_text_time):
at alpha 1 the caption's global path is shut, at alpha 0 it is whole, and the gate survives the model
folder, so `export garment` traces it into the UNet graph."""

from __future__ import annotations

import numpy as np
import torch

SMALL = {"image": 64, "unet_channels": [16, 32, 64], "vae_channels": [8, 16, 16, 16], "sketch_route": [8, 8, 16, 16]}


def parts():
    from tools.models.garment.train import build_parts, resolve_config

    return build_parts(0, resolve_config("pack256", SMALL))


def run(p, alpha: float, seed: int = 0) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    unet, state = p["unet"], p["state"]
    state.image_prompt_embeds = torch.randn(2, 4, 32, generator=g)
    state.alpha = torch.full((2,), alpha)
    try:
        with torch.no_grad():
            return unet(torch.randn(2, 4, 8, 8, generator=g), torch.tensor([500, 20]),
                        encoder_hidden_states=torch.randn(2, 77, 32, generator=g)).sample
    finally:
        state.image_prompt_embeds = state.alpha = None


def test_alpha_one_shuts_the_pooled_caption_and_alpha_zero_lets_it_all_through():
    p = parts()
    embedding = p["unet"].add_embedding
    before = {a: run(p, a) for a in (0.0, 0.5, 1.0)}
    with torch.no_grad():
        embedding.proj.weight.mul_(3.0)  # another pooled caption
        embedding.norm2.weight.mul_(3.0)
    after = {a: run(p, a) for a in (0.0, 0.5, 1.0)}
    torch.testing.assert_close(after[1.0], before[1.0], rtol=0, atol=1e-6)
    assert (after[0.0] - before[0.0]).abs().max() > 1e-3
    assert (after[0.5] - before[0.5]).abs().max() > 1e-3
    # halfway is half the path: its change is smaller than at alpha 0
    assert (after[0.5] - before[0.5]).abs().mean() < (after[0.0] - before[0.0]).abs().mean()


def test_a_unet_without_the_pooled_caption_has_no_gate():
    from tools.models.garment.train import build_parts

    unet = build_parts(0, {"unet_channels": [16, 32, 32]})["unet"]
    assert unet.config.addition_embed_type is None and getattr(unet, "_text_time_gate", None) is None


def test_the_gate_comes_back_with_the_model_folder(tmp_path):
    from tools.models.common.clip_bpe import write_tokenizer_files
    from tools.models.garment.components import load_garment_model
    from tools.models.garment.train import save_model_folder

    p = parts()
    with torch.no_grad():
        p["sketch"].inject.weight.normal_()
    write_tokenizer_files(tmp_path / "tokenizer")  # as train() writes it before the model
    save_model_folder(tmp_path, p["text"], p["vision"], p["vae"], p["unet"], p["projection"], p["fusion"], sketch=p["sketch"])
    c = load_garment_model(tmp_path)
    assert c.unet._text_time_gate is not None
    loaded = {"unet": c.unet, "state": c.state}
    for alpha in (0.0, 0.3, 1.0):
        np.testing.assert_allclose(run(loaded, alpha).numpy(), run(p, alpha).numpy(), atol=1e-5)
