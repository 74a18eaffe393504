"""Trains the small default garment pack (HiGarment architecture) on CPU, on GarmentData.

    nice -n 10 tools/models/.venv/bin/python -m tools.models train garment --out DIR [--minutes 90]

Two stages in one command: a small VAE (64 px images, latents 4 x 16 x 16), then the text encoder,
image encoder, projection, fabric fusion and UNet together on the diffusion loss. alpha is drawn per
sample: a conflict sample is shown its image target (the sketch's silhouette and fill) at a high
alpha and its text target at a low one, so the image-prompt branch learns to carry the sketch and the
text branch the caption. The model folder is written in the layout `export garment` reads, and the
pack beside it.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from ..common.clip_bpe import write_tokenizer_files
from .components import ip_adapter_state_from_processors, save_fabric_fusion, write_ip_adapter
from .data import GarmentData
from .modules import ConditioningState, FabricFusion, install_harmonized_attention
from .tiny import DEFAULT_FABRICS, SD15_SCHEDULER

IMAGE = 64
CROSS = 32
VISION = 64
PROJ = 64
TOKENS = 4


def build(seed: int):
    from diffusers import AutoencoderKL, UNet2DConditionModel
    from diffusers.models.embeddings import ImageProjection
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPVisionConfig, CLIPVisionModelWithProjection

    torch.manual_seed(seed)
    text = CLIPTextModel(CLIPTextConfig(vocab_size=49408, hidden_size=CROSS, intermediate_size=64, num_hidden_layers=2,
                                        num_attention_heads=4, max_position_embeddings=77, projection_dim=CROSS,
                                        bos_token_id=49406, eos_token_id=49407, pad_token_id=49407))
    vision = CLIPVisionModelWithProjection(CLIPVisionConfig(image_size=IMAGE, patch_size=8, hidden_size=VISION,
                                                            intermediate_size=128, num_hidden_layers=2,
                                                            num_attention_heads=4, projection_dim=PROJ))
    vae = AutoencoderKL(in_channels=3, out_channels=3, latent_channels=4, block_out_channels=(32, 64, 64),
                        down_block_types=("DownEncoderBlock2D",) * 3, up_block_types=("UpDecoderBlock2D",) * 3,
                        layers_per_block=1, norm_num_groups=16, sample_size=IMAGE)
    unet = UNet2DConditionModel(sample_size=IMAGE // 4, in_channels=4, out_channels=4, block_out_channels=(32, 64, 96),
                                layers_per_block=1, down_block_types=("CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"),
                                up_block_types=("UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"),
                                cross_attention_dim=CROSS, attention_head_dim=4, norm_num_groups=16)
    state = ConditioningState()
    install_harmonized_attention(unet, None, state)
    projection = ImageProjection(image_embed_dim=PROJ, cross_attention_dim=CROSS, num_image_text_embeds=TOKENS)
    fusion = FabricFusion(CROSS, VISION, CROSS, num_queries=4)
    return text, vision, vae, unet, state, projection, fusion


def to_tensor(images: list[np.ndarray]) -> torch.Tensor:
    return torch.from_numpy(np.stack(images)).permute(0, 3, 1, 2).float() / 127.5 - 1


def clip_pixels(images: list[np.ndarray]) -> torch.Tensor:
    mean = torch.tensor([0.48145466, 0.4578275, 0.40821073]).view(1, 3, 1, 1)
    std = torch.tensor([0.26862954, 0.26130258, 0.27577711]).view(1, 3, 1, 1)
    return (torch.from_numpy(np.stack(images)).permute(0, 3, 1, 2).float() / 255 - mean) / std


def train(out: Path, minutes: float = 90, vae_share: float = 0.15, batch: int = 16, seed: int = 0, log=print,
          max_steps: tuple[int, int] | None = None) -> dict:
    """Trains for `minutes` of wall clock (a share for the VAE), or exactly `max_steps` = (vae, unet)
    steps when given (the smoke test)."""
    from diffusers import DDPMScheduler
    from transformers import CLIPTokenizer

    torch.manual_seed(seed)
    out.mkdir(parents=True, exist_ok=True)
    write_tokenizer_files(out / "tokenizer")
    tokenizer = CLIPTokenizer.from_pretrained(str(out / "tokenizer"))
    data = GarmentData(size=IMAGE, seed=0)
    text, vision, vae, unet, state, projection, fusion = build(seed)
    start = time.time()
    budget = minutes * 60
    rng = np.random.default_rng(seed)
    index = 0

    def draw(n: int):
        nonlocal index
        samples = [data.sample(index + i) for i in range(n)]
        index += n
        return samples

    # stage 1: the VAE, as a plain autoencoder with a small KL term
    opt = torch.optim.AdamW(vae.parameters(), lr=1e-3)
    vae_steps = 0
    def more(done: int, stage: int, until: float) -> bool:
        return done < max_steps[stage] if max_steps else time.time() - start < until

    while more(vae_steps, 0, budget * vae_share):
        s = draw(batch)
        x = to_tensor([t for smp in s for t in (smp.image_target, smp.text_target)][:batch])
        post = vae.encode(x).latent_dist
        rec = vae.decode(post.sample()).sample
        loss = F.mse_loss(rec, x) + 1e-6 * post.kl().mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        vae_steps += 1
        if vae_steps % 50 == 0:
            log(f"vae step {vae_steps}: loss {loss.item():.4f}")
    vae.eval().requires_grad_(False)
    with torch.no_grad():
        s = draw(64)
        z = vae.encode(to_tensor([smp.image_target for smp in s])).latent_dist.mean
        scaling = float(1.0 / z.std())
    vae.register_to_config(scaling_factor=scaling)

    # stage 2: everything else on the diffusion loss
    noise_sched = DDPMScheduler.from_config({k: v for k, v in SD15_SCHEDULER.items() if not k.startswith("_")})
    params = [*text.parameters(), *vision.parameters(), *unet.parameters(), *projection.parameters(), *fusion.parameters()]
    opt = torch.optim.AdamW(params, lr=3e-4, weight_decay=1e-2)
    steps, losses = 0, []
    while more(steps, 1, budget):
        s = draw(batch)
        high = rng.random(batch) < 0.5
        alpha = torch.tensor(np.where(high, rng.uniform(0.6, 1.0, batch), rng.uniform(0.0, 0.4, batch)), dtype=torch.float32)
        target = [smp.image_target if h else smp.text_target for smp, h in zip(s, high)]
        captions = ["" if rng.random() < 0.1 else smp.caption for smp in s]
        ids = torch.tensor(tokenizer(captions, padding="max_length", max_length=77, truncation=True)["input_ids"])
        label_ids = torch.tensor(tokenizer([smp.text_look.fabric for smp in s], padding="max_length", max_length=77)["input_ids"])
        with torch.no_grad():
            latents = vae.encode(to_tensor(target)).latent_dist.sample() * scaling
        t_out = text(input_ids=ids)
        sketch_embeds = vision(pixel_values=clip_pixels([smp.sketch for smp in s])).image_embeds
        drop_image = torch.from_numpy(rng.random(batch) < 0.1).view(-1, 1)
        v = projection(torch.where(drop_image, torch.zeros_like(sketch_embeds), sketch_embeds))
        label = text(input_ids=label_ids).pooler_output
        f = fusion(label, vision(pixel_values=clip_pixels([smp.swatch for smp in s])).last_hidden_state)
        noise = torch.randn_like(latents)
        t = torch.randint(0, noise_sched.config.num_train_timesteps, (batch,))
        noisy = noise_sched.add_noise(latents, noise, t)
        state.image_prompt_embeds = torch.cat([v, f], 1)
        state.alpha = alpha
        pred = unet(noisy, t, encoder_hidden_states=torch.cat([t_out.last_hidden_state, f], 1)).sample
        state.image_prompt_embeds = state.alpha = None
        loss = F.mse_loss(pred, noise)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        steps += 1
        losses.append(loss.item())
        if steps % 25 == 0:
            log(f"unet step {steps}: loss {np.mean(losses[-25:]):.4f} ({(time.time() - start) / 60:.1f} min)")

    save_model_folder(out, text, vision, vae, unet, projection, fusion)
    facts = {"minutes": round((time.time() - start) / 60, 1), "vaeSteps": vae_steps, "unetSteps": steps, "batch": batch,
             "samplesSeen": index, "finalLoss": float(np.mean(losses[-50:])) if losses else None, "scalingFactor": scaling}
    (out / "training.json").write_text(json.dumps(facts, indent=2) + "\n")
    return facts


def save_model_folder(out: Path, text, vision, vae, unet, projection, fusion) -> None:
    from diffusers.models.attention_processor import AttnProcessor

    text.save_pretrained(str(out / "text_encoder"))
    vision.save_pretrained(str(out / "image_encoder"))
    vae.save_pretrained(str(out / "vae"))
    image_proj, ip_layers = ip_adapter_state_from_processors(unet, projection)
    write_ip_adapter(out / "ip_adapter.safetensors", image_proj, ip_layers)
    processors = unet.attn_processors
    unet.set_attn_processor(AttnProcessor())  # save the UNet's own weights only
    unet.save_pretrained(str(out / "unet"))
    unet.set_attn_processor(processors)
    save_fabric_fusion(fusion, out / "fabric_fusion")
    (out / "scheduler").mkdir(exist_ok=True)
    (out / "scheduler" / "scheduler_config.json").write_text(json.dumps(SD15_SCHEDULER, indent=2) + "\n")
    meta = {"architecture": "higarment", "ip_adapter": "ip_adapter.safetensors", "fabric": DEFAULT_FABRICS}
    (out / "garment_model.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
