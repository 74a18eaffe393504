"""Trains the small default garment pack (HiGarment architecture) on GarmentData, on CPU or a GPU.

    tools/models/.venv/bin/python -m tools.models train garment --out DIR [--minutes 75] [--no-nice]   # CPU, the default
    python -m tools.models train garment --out DIR --device cuda --workers 12 --checkpoint-only   # on a GPU box
    tools/models/.venv/bin/python -m tools.models train garment --out DIR --from-checkpoint DIR/checkpoint

One command on the 2-core build machine's CPU (one torch thread, see CONFIG for the sizes): the
model, the ONNX pack, the held-out evaluation and MODEL_CARD.md, within 90 minutes in all.

Two configurations (CONFIGS, `--config`): "default", today's 64 px pack (CONFIG), and "pack256", the
256 px bundled pack of garment/README.md (PACK256): latents 4 x 32 x 32, UNet [48,96,128], the
sketch route (modules.SketchRoute: a SketchEncoder on the flat's line art whose features the UNet
adds at conv_in) and the studio's own sketches from the sketch cache, which must exist first:

    tools/models/.venv/bin/python -m tools.models cache garment-sketches --size 256
    tools/models/.venv/bin/python -m tools.models train garment --config pack256 --out DIR

The checkpoint stores its configuration, so `--from-checkpoint` rebuilds the same model. A pack256
stage-2 step at batch 8 takes about 8 s on the build machine's 2 threads, so it trains on a GPU:
`bash tools/models/garment/train-gpu.sh MINUTES` on a lent machine leaves $OUT/checkpoint, and here

    tools/models/.venv/bin/python -m tools.models train garment --out DIR --from-checkpoint CHECKPOINT \
        --training-command "bash tools/models/garment/train-gpu.sh MINUTES"

writes DIR/model, the pack DIR/pack (sketch_encoder.onnx and the UNet's sketch inputs included) and
its model card.

Two stages: a small VAE (64 px images, latents 4 x 16 x 16), then the text encoder,
image encoder, projection, fabric fusion and UNet together on the diffusion loss (min-SNR weighted),
plus train-only losses: the sketch embedding predicts the sketch's silhouette, and (config
"caption_aux") the caption's pooled embedding its colour and fabric (caption_loss). alpha is drawn
per sample: a conflict sample is shown its image target (the sketch's silhouette and fill) at a high
alpha and its text target at a low one, so the image-prompt branch learns to carry the sketch and the
text branch the caption (see `conditioning` for the drops). With the sketch route its encoder trains
in the second stage too, on the sample's line art as the studio feeds it (`control_pixels`:
preprocess.control, inverted, in [0, 1]), at a scale per sample (`sketch_scales`): 1 towards the
image target, uniform in [0, 0.5] towards the text target, 0 where the sketch is dropped (the
unconditional row's scale at inference). The pack is exported with sketchScale 1 (image-biased) and
0.3 (text-biased). The model folder is written in the layout `export garment` reads, and the pack beside it.

A GPU machine may run a newer torch whose ONNX exporter differs from the toolchain's, so training
there stops at a compact checkpoint (fp16 safetensors shards under 15 MB, plus checkpoint.json) and
the pack is exported here from it (`--from-checkpoint`).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from ..common.clip_bpe import write_tokenizer_files
from .colour import COLOURS, srgb_to_lab
from .components import ip_adapter_state_from_processors, save_fabric_fusion, save_sketch_route, write_ip_adapter
from .data import GarmentData
from .fabrics import FABRICS
from .modules import ConditioningState, FabricFusion, SketchRoute, install_harmonized_attention, install_sketch_route
from .tiny import DEFAULT_FABRICS, SD15_SCHEDULER

SHARD_BYTES = 15_000_000  # files coming back from a lent GPU machine are limited to 16 MiB each
PARTS = ("text", "vision", "vae", "unet", "projection", "fusion")

# The default configuration is sized for the 2-core CPU build machine: the UNet works on 4 x 16 x 16
# latents with plain convolutions at 16 x 16 and cross-attention only at 8 x 8 and 4 x 4 (attention at
# 256 tokens cost more than the rest of the step together), the VAE is narrow, and the image prompt
# comes from a 128-wide sketch embedding so the sketch's silhouette has room to get through (4 tokens:
# diffusers' IP-Adapter loader, which export reads the projection through, assumes 4).
# Beyond the sizes: vision_patch (the image encoder's patch), sketch_route (None, or the SketchEncoder's
# four channel stages), sketches (GarmentData's: "png" or "studio", the sketch cache), and what the pack
# is exported with: its scheduler ("ddim" or "dpmpp-2m-karras"), steps and guidance.
CONFIG = {
    "name": "default",
    "image": 64, "cross": 32, "vision": 64, "proj": 128, "tokens": 4,
    "vae_channels": [16, 32, 32], "unet_channels": [32, 48, 64], "unet_attention": [False, True, True],
    "heads": 2, "text_layers": 2, "vision_layers": 2,
    "vision_patch": 8, "sketch_route": None, "sketches": "png",
    "scheduler": "ddim", "steps": 20, "guidance": 3.0, "text_time": False, "caption_aux": 0.0,
}
# The 256 px bundled pack (garment/README.md, issue 18): latents 4 x 32 x 32 (VAE downscale 8), a
# UNet [32,64,128] with cross-attention in its lowest block only (8 x 8) and the pooled caption added
# to the timestep embedding, the sketch route (a stride-8 SketchEncoder on the line art, added at
# conv_in), the studio's own sketches from the cache (`cache garment-sketches --size 256`), the
# caption head (caption_loss), and 10 DPM++ 2M Karras steps so both variants render in about 5 s on 2
# cores. The image encoder sees the 256 px sketch in 32 px patches (64 tokens): the silhouette
# arrives through the sketch route, the image prompt says what kind of garment and fill it is.
PACK256 = {
    **CONFIG,
    "name": "pack256",
    "image": 256, "vae_channels": [16, 32, 64, 64], "unet_channels": [32, 64, 128], "unet_attention": [False, False, True],
    "vision_patch": 32, "sketch_route": [16, 32, 64, 64], "sketches": "studio",
    "scheduler": "dpmpp-2m-karras", "steps": 10, "guidance": 3.0, "text_time": True, "caption_aux": 1.0,
}
CONFIGS = {"default": CONFIG, "pack256": PACK256}
# A pack with the sketch route: the image-biased variant keeps the whole sketch, the text-biased one a
# third of it, so silhouette words can win (training draws it over [0, TEXT_SKETCH_SCALE_MAX]).
VARIANT_SKETCH_SCALE = {"imageBiased": 1.0, "textBiased": 0.3}
TEXT_SKETCH_SCALE_MAX = 0.5


def resolve_config(config: str | dict | None = None, overrides: dict | None = None) -> dict:
    """A named configuration (CONFIGS) or a full or partial dict (over CONFIG), plus overrides: the
    complete dict a checkpoint stores. Keys this trainer does not know are refused."""
    if isinstance(config, str):
        if config not in CONFIGS:
            raise ValueError(f"unknown garment configuration {config!r}; expected one of {sorted(CONFIGS)}")
        base = CONFIGS[config]
    else:
        base = {**CONFIG, **(config or {})}
    full = {**base, **(overrides or {})}
    unknown = sorted(set(full) - set(CONFIG))
    if unknown:
        raise ValueError(f"unknown garment configuration keys {unknown}")
    return full


LR = 6e-4  # the second stage's peak learning rate; the small model takes a larger one than SD's 1e-4
TRAIN_CONFLICT_WEIGHTS = {"colour": 0.25, "fabric": 0.25, "sleeves": 0.5}
# Shares of the batch trained without caption and sketch (what guidance subtracts), without the sketch
# alone, and without the caption alone: the last is the most, since there only the sketch can say what to draw.
DROP_BOTH, DROP_SKETCH, DROP_CAPTION = 0.1, 0.05, 0.15
SILHOUETTE_WEIGHT = 0.1  # the auxiliary silhouette loss on the sketch embedding, beside the diffusion loss
SILHOUETTE_SIDE = 16
# The caption head's colour target: the lexicon colour in CIELAB over 100, so that its squared error
# starts about as large as a tenth of the fabric's cross-entropy (caption_loss).
CAPTION_LAB = {cid: (srgb_to_lab(np.asarray(rgb)) / 100).astype(np.float32) for cid, rgb in COLOURS.items()}
MIN_SNR_GAMMA = 5.0
VAE_CROP = 128  # the VAE stage trains on windows of this side (vae_crop)
# Weight of the VAE's colour term (vae_loss): without it a VAE trained for minutes decodes shapes but
# few colours (red and yellow came back brown, teal grey), and no UNet can draw what its decoder cannot.
VAE_COLOUR_WEIGHT = 4.0
MAX_NONFINITE_RUN = 10  # non-finite losses in a row that stop a run


def build_parts(seed: int, config: dict | None = None) -> dict:
    """The untrained modules of a configuration: PARTS, plus "sketch" (a SketchRoute, installed around
    the UNet's conv_in) when the configuration has the route, and "state" (the ConditioningState)."""
    from diffusers import AutoencoderKL, UNet2DConditionModel
    from diffusers.models.embeddings import ImageProjection
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPVisionConfig, CLIPVisionModelWithProjection

    c = resolve_config(config)
    image, cross, vision_dim, proj, tokens = c["image"], c["cross"], c["vision"], c["proj"], c["tokens"]
    torch.manual_seed(seed)
    text = CLIPTextModel(CLIPTextConfig(vocab_size=49408, hidden_size=cross, intermediate_size=2 * cross,
                                        num_hidden_layers=c["text_layers"], num_attention_heads=4,
                                        max_position_embeddings=77, projection_dim=cross,
                                        bos_token_id=49406, eos_token_id=49407, pad_token_id=49407))
    vision = CLIPVisionModelWithProjection(CLIPVisionConfig(image_size=image, patch_size=c["vision_patch"], hidden_size=vision_dim,
                                                            intermediate_size=2 * vision_dim,
                                                            num_hidden_layers=c["vision_layers"],
                                                            num_attention_heads=4, projection_dim=proj))
    vae_ch = tuple(c["vae_channels"])
    vae = AutoencoderKL(in_channels=3, out_channels=3, latent_channels=4, block_out_channels=vae_ch,
                        down_block_types=("DownEncoderBlock2D",) * len(vae_ch), up_block_types=("UpDecoderBlock2D",) * len(vae_ch),
                        layers_per_block=1, norm_num_groups=8, sample_size=image, mid_block_add_attention=False)
    unet_ch = tuple(c["unet_channels"])
    attention = list(c["unet_attention"])
    down = tuple("CrossAttnDownBlock2D" if a else "DownBlock2D" for a in attention)
    up = tuple("CrossAttnUpBlock2D" if a else "UpBlock2D" for a in reversed(attention))
    unet = UNet2DConditionModel(sample_size=image // 2 ** (len(vae_ch) - 1), in_channels=4, out_channels=4,
                                block_out_channels=unet_ch, layers_per_block=1, down_block_types=down, up_block_types=up,
                                cross_attention_dim=cross, attention_head_dim=c["heads"], norm_num_groups=8,
                                **({"addition_embed_type": "text", "addition_embed_type_num_heads": 4} if c["text_time"] else {}))
    state = ConditioningState()
    install_harmonized_attention(unet, None, state)
    projection = ImageProjection(image_embed_dim=proj, cross_attention_dim=cross, num_image_text_embeds=tokens)
    fusion = FabricFusion(cross, vision_dim, cross, num_queries=4)
    parts = {"text": text, "vision": vision, "vae": vae, "unet": unet, "projection": projection, "fusion": fusion,
             "state": state}
    if c["sketch_route"]:
        # the encoder's features have the UNet's first block width (the contract's C); the 1x1
        # injection starts at zero, so the route starts silent
        sketch = SketchRoute(unet_ch[0], tuple(c["sketch_route"]))
        install_sketch_route(unet, sketch, state)
        parts["sketch"] = sketch
    return parts


def build(seed: int, config: dict | None = None):
    """(text, vision, vae, unet, state, projection, fusion) of build_parts; a sketch route, if the
    configuration has one, is already inside the UNet."""
    p = build_parts(seed, config)
    return p["text"], p["vision"], p["vae"], p["unet"], p["state"], p["projection"], p["fusion"]


def trained_parts(parts: dict) -> dict:
    """The modules a checkpoint holds, in order: PARTS, then "sketch" when there is a route."""
    return {k: parts[k] for k in (*PARTS, "sketch") if k in parts}


def _uint8(images) -> torch.Tensor:
    return images if isinstance(images, torch.Tensor) else torch.from_numpy(np.stack(images))


def to_tensor(images, device: str | torch.device = "cpu") -> torch.Tensor:
    """[N, S, S, 3] uint8 (arrays or one tensor) -> [N, 3, S, S] in [-1, 1] on `device`."""
    return _uint8(images).to(device).permute(0, 3, 1, 2).float() / 127.5 - 1


def clip_pixels(images, device: str | torch.device = "cpu") -> torch.Tensor:
    mean = torch.tensor([0.48145466, 0.4578275, 0.40821073], device=device).view(1, 3, 1, 1)
    std = torch.tensor([0.26862954, 0.26130258, 0.27577711], device=device).view(1, 3, 1, 1)
    return (_uint8(images).to(device).permute(0, 3, 1, 2).float() / 255 - mean) / std


class _Samples(torch.utils.data.Dataset):
    """One data index -> the arrays and words a training step uses (picklable, for loader workers)."""

    def __init__(self, data: GarmentData) -> None:
        self.data = data

    def __getitem__(self, index: int) -> tuple:
        s = self.data.sample(index)
        return (s.image_target, s.text_target, s.sketch, s.swatch, s.caption, s.text_look.fabric, s.flat.mask, s.line_art,
                CAPTION_LAB[s.text_look.colour], FABRICS.index(s.text_look.fabric))


class _Consecutive:
    """Batches of consecutive indices from `start` on, without end: the order is the same with any
    number of workers, so a run is reproducible whatever machine makes its data."""

    def __init__(self, start: int, batch: int) -> None:
        self.start, self.batch = start, batch

    def __iter__(self):
        i = self.start
        while True:
            yield list(range(i, i + self.batch))
            i += self.batch


class _Collate:
    """Stacks a batch and tokenizes its words in the loader's worker, off the training process."""

    def __init__(self, tokenizer) -> None:
        self.tokenizer = tokenizer

    def _ids(self, words: list[str], truncation: bool = False) -> torch.Tensor:
        return torch.tensor(self.tokenizer(words, padding="max_length", max_length=77, truncation=truncation)["input_ids"])

    def __call__(self, items: list[tuple]) -> dict:
        cols = list(zip(*items))
        stack = lambda arrays: torch.from_numpy(np.stack(arrays))  # noqa: E731
        return {"image_target": stack(cols[0]), "text_target": stack(cols[1]), "sketch": stack(cols[2]),
                "swatch": stack(cols[3]), "ids": self._ids(list(cols[4]), truncation=True),
                "label_ids": self._ids(list(cols[5])), "sketch_mask": stack(cols[6]), "line_art": stack(cols[7]),
                "colour_lab": stack(cols[8]), "fabric_index": torch.tensor(cols[9])}


def control_pixels(line_art, device: str | torch.device = "cpu") -> torch.Tensor:
    """[N, S, S, 3] uint8 line art (dark lines on white, lineArtFromFlat's) -> what the sketch encoder
    takes at runtime: preprocess.control (export.SKETCH_CONTROL_PREPROCESS: x / 255, inverted), NCHW
    float32 in [0, 1], white lines on black. pipeline.preprocess_control and the studio's controlImage
    do the same to the same image."""
    return 1 - _uint8(line_art).to(device).permute(0, 3, 1, 2).float() / 255


def _batches(data: GarmentData, start: int, batch: int, workers: int, tokenizer):
    extra = {"prefetch_factor": 4} if workers else {}  # torch 1.13 refuses prefetch_factor without workers
    loader = torch.utils.data.DataLoader(_Samples(data), batch_sampler=_Consecutive(start, batch), num_workers=workers,
                                         collate_fn=_Collate(tokenizer), **extra)
    return iter(loader)


def conditioning(rng: np.random.Generator, batch: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, torch.Tensor]:
    """Per sample: drop the caption?, drop the sketch?, train towards the sketch (high alpha)?, and alpha.
    Guidance runs the UNet with neither caption nor sketch, so that pair is trained in its own right;
    independent 10% drops gave it 1% and a poor unconditional estimate that guidance amplified."""
    drop = rng.random(batch)
    drop_image = drop < DROP_BOTH + DROP_SKETCH
    sketch_only = drop >= 1 - DROP_CAPTION
    drop_caption = (drop < DROP_BOTH) | sketch_only
    high = (rng.random(batch) < 0.5) | sketch_only  # with no caption, the sketch is all there is to follow
    alpha = torch.tensor(np.where(high, rng.uniform(0.6, 1.0, batch), rng.uniform(0.0, 0.4, batch)), dtype=torch.float32)
    return drop_caption, drop_image, high, alpha


def vae_crop(x: torch.Tensor, rng: np.random.Generator, side: int = VAE_CROP) -> torch.Tensor:
    """A random side x side window of a batch larger than that (one window for the whole batch). The VAE
    has no attention, only convolutions, so it learns the same thing from windows as from whole
    images, at a quarter of the cost for a 256 px batch in 128 px windows."""
    h, w = x.shape[-2:]
    if h <= side and w <= side:
        return x
    top, left = int(rng.integers(h - side + 1)), int(rng.integers(w - side + 1))
    return x[..., top:top + side, left:left + side]


def vae_loss(rec: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """The VAE's reconstruction loss: pixel MSE plus VAE_COLOUR_WEIGHT x the MSE of the mean colour of
    each latent cell's 8 x 8 pixels. Pixel MSE is dominated by edges and texture; the cell means are
    the colour a garment reads as, which the colour words must be able to reach."""
    return F.mse_loss(rec, x) + VAE_COLOUR_WEIGHT * F.mse_loss(F.avg_pool2d(rec, 8), F.avg_pool2d(x, 8))


def caption_loss(pred: torch.Tensor, lab: torch.Tensor, fabric: torch.Tensor) -> torch.Tensor:
    """The caption head's loss: its first three outputs against the caption colour's CIELAB / 100, the
    rest as logits over FABRICS against the caption's fabric."""
    return F.mse_loss(pred[:, :3], lab) + 0.1 * F.cross_entropy(pred[:, 3:], fabric)


def sketch_scales(rng: np.random.Generator, high: np.ndarray, drop_image: np.ndarray) -> torch.Tensor:
    """The sketch route's scale per sample, as the studio will run it: a sample trained towards its image
    target (high alpha) at 1, the image-biased variant's scale; one trained towards its text target at a
    scale drawn over [0, TEXT_SKETCH_SCALE_MAX], around the text-biased variant's 0.3, so the caption's
    silhouette can win there; a sample whose sketch is dropped at 0, the unconditional row's scale."""
    scale = np.where(high, 1.0, rng.uniform(0.0, TEXT_SKETCH_SCALE_MAX, len(high)))
    return torch.tensor(np.where(drop_image, 0.0, scale), dtype=torch.float32)


def train(out: Path, minutes: float = 90, vae_share: float = 0.1, batch: int = 16, seed: int = 0, log=print,
          max_steps: tuple[int, int] | None = None, device: str = "cpu", workers: int = 0,
          checkpoint: Path | None = None, checkpoint_every: float = 0, save_folder: bool = True,
          data_root: Path | None = None, config: str | dict | None = None, sketch_cache: Path | None = None,
          init: Path | None = None) -> dict:
    """Trains for `minutes` of wall clock (a share for the VAE), or exactly `max_steps` = (vae, unet)
    steps when given (the smoke test). `workers` > 0 makes the data in that many processes;
    `checkpoint` writes a compact fp16 checkpoint there (also every `checkpoint_every` seconds of
    the second stage, so a run cut short still leaves one); `save_folder` writes the model folder.
    `config`: a name in CONFIGS ("default", "pack256") or a dict over CONFIG (resolve_config);
    `sketch_cache`: the sketch cache folder for a "studio" configuration (default flats.SKETCH_CACHE/SIZE);
    `init`: a checkpoint every part starts from (a warm start: its configuration, unless `config` names
    the same one; both stages then go on from its weights, the second with a fresh optimiser)."""
    from diffusers import DDPMScheduler
    from transformers import CLIPTokenizer

    from .flats import FLATS_DIR, SKETCH_CACHE, real_flats

    warm_facts = None
    if init is not None:
        warm_meta = json.loads((init / "checkpoint.json").read_text())
        config = checkpoint_config(warm_meta, init, config)
        warm_facts = warm_meta["training"]
    config = resolve_config(config)
    if config["sketches"] == "studio":
        check_sketch_cache(config["image"], sketch_cache)

    torch.manual_seed(seed)
    dev = torch.device(device)
    if dev.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    out.mkdir(parents=True, exist_ok=True)
    write_tokenizer_files(out / "tokenizer")
    tokenizer = CLIPTokenizer.from_pretrained(str(out / "tokenizer"))
    # More conflicts than the studio sees, and sleeve conflicts oftenest: they are the only ones where
    # the sketch and the caption ask for different silhouettes, and the rarest otherwise.
    studio = config["sketches"] == "studio"
    if studio and data_root is not None:
        log(f"note: the {config['name']} configuration reads the sketch cache; --data-root is not used")
        data_root = None
    data = GarmentData(size=config["image"], seed=0, use_real_flats=data_root is None, conflict_rate=0.6,
                       conflict_weights=TRAIN_CONFLICT_WEIGHTS, sketches=config["sketches"], sketch_cache=sketch_cache)
    if data_root is not None:
        data.real = real_flats(config["image"], data_root / "garment_flats" / "flats_png")
    source = (sketch_cache or SKETCH_CACHE / str(config["image"])) if studio else (data_root or FLATS_DIR.parent.parent)
    log(f"configuration {config['name']} ({config['image']} px); data: {len(data.real)} real flat views from {source}, "
        f"{len(data.templates)} template views; device {dev}, batch {batch}, {workers} data workers")
    if data_root is not None and not data.real:
        raise RuntimeError(f"no flats in {data_root / 'garment_flats' / 'flats_png'}: --data-root must hold garment_flats/flats_png")
    if not data.real:
        log("warning: no real flats found, training on procedural silhouettes only")
    built = build_parts(seed, config)
    text, vision, vae, unet, state, projection, fusion = (built[k] for k in ("text", "vision", "vae", "unet", "state", "projection", "fusion"))
    sketch = built.get("sketch")
    if warm_facts is not None:
        load_checkpoint_weights(init, warm_meta, trained_parts(built))
        log(f"warm start from {init}: {warm_facts['vaeSteps']} VAE and {warm_facts['unetSteps']} UNet steps")
    for m in trained_parts(built).values():
        m.to(dev)
    start = time.time()
    budget = minutes * 60
    rng = np.random.default_rng(seed)
    index = 0

    def more(done: int, stage: int, until: float) -> bool:
        return done < max_steps[stage] if max_steps else time.time() - start < until

    # stage 1: the VAE, as a plain autoencoder with a small KL term
    opt = torch.optim.AdamW(vae.parameters(), lr=1e-3)
    vae_steps = 0
    batches = _batches(data, index, batch, workers, tokenizer)
    while more(vae_steps, 0, budget * vae_share):
        b = next(batches)
        index += batch
        x = vae_crop(to_tensor(torch.stack([b["image_target"], b["text_target"]], 1).flatten(0, 1)[:batch], dev), rng)
        post = vae.encode(x).latent_dist
        # Decoded from the mean, as stage 2 and the studio's VAE encoder make latents: a decoder trained
        # on samples of a young, wide posterior learns to average the colours it cannot tell apart
        # (red and yellow came back brown). The small KL term keeps the latents' scale in hand.
        rec = vae.decode(post.mean).sample
        loss = vae_loss(rec, x) + 1e-6 * post.kl().mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        vae_steps += 1
        if vae_steps % 50 == 0:
            log(f"vae step {vae_steps}: loss {loss.item():.4f} ({(time.time() - start) / 60:.1f} min)")
    del batches
    vae.eval().requires_grad_(False)
    with torch.no_grad():
        z = vae.encode(to_tensor([data.sample(index + i).image_target for i in range(64)], dev)).latent_dist.mean
        index += 64
        scaling = float(1.0 / z.std())
    vae.register_to_config(scaling_factor=scaling)
    vae_seconds = time.time() - start

    # stage 2: everything else on the diffusion loss
    noise_sched = DDPMScheduler.from_config({k: v for k, v in SD15_SCHEDULER.items() if not k.startswith("_")})
    alphas_cumprod = noise_sched.alphas_cumprod.to(dev)
    # Train-only head (not exported): the sketch embedding must predict the sketch's silhouette. From
    # scratch, the UNet otherwise learns the garment's shape from the caption's words long before the
    # image encoder says anything, and the image-prompt branch, which alpha scales, stays silent.
    silhouette_head = torch.nn.Linear(config["proj"], SILHOUETTE_SIDE**2).to(dev)
    # Train-only too (config "caption_aux" > 0): the caption's pooled embedding must say the caption's
    # colour (CIELAB) and fabric. The diffusion loss alone teaches a text encoder from scratch its colour
    # and fabric words slowly (0.2.0's renders missed the named colour by ΔE2000 30 and more and read
    # as the asked fabric nowhere); this hands it the lexicon's answer from the first step.
    # Built only when used: an unused head would still draw from torch's generator and shift the run.
    caption_head = torch.nn.Linear(config["cross"], 3 + len(FABRICS)).to(dev) if config["caption_aux"] else None
    params = [*text.parameters(), *vision.parameters(), *unet.parameters(), *projection.parameters(), *fusion.parameters(),
              *silhouette_head.parameters(), *(caption_head.parameters() if caption_head else ())]
    if sketch is not None:
        # the encoder; its 1x1 injection is already among the UNet's parameters (conv_in wraps it)
        params += [*sketch.encoder.parameters()]
    opt = torch.optim.AdamW(params, lr=LR, weight_decay=1e-2)
    unet_start = time.time()

    def progress() -> float:
        """How far through the second stage: by steps in a fixed-step run, else by the clock."""
        if max_steps:
            return steps / max(1, max_steps[1])
        return min(1.0, (time.time() - unet_start) / max(1e-9, budget - (unet_start - start)))
    steps, losses, caption_losses = 0, [], []
    skipped = nonfinite_run = 0
    last_checkpoint = time.time()
    parts = trained_parts(built)

    def facts_now() -> dict:
        elapsed = time.time() - start
        return {"minutes": round(elapsed / 60, 1), "vaeSteps": vae_steps, "unetSteps": steps, "batch": batch,
                "samplesSeen": index, "finalLoss": float(np.mean(losses[-50:])) if losses else None,
                "scalingFactor": scaling, "device": _device_name(dev), "torch": torch.__version__,
                "vaeSeconds": round(vae_seconds, 1), "unetSeconds": round(elapsed - vae_seconds, 1),
                "secondsPerUnetStep": round((elapsed - vae_seconds) / steps, 4) if steps else None,
                "skippedSteps": skipped, "config": config,
                **({"warmStart": {k: warm_facts.get(k) for k in ("minutes", "vaeSteps", "unetSteps", "batch", "device", "warmStart")}}
                   if warm_facts is not None else {})}

    empty_ids = torch.tensor(tokenizer([""], padding="max_length", max_length=77)["input_ids"])
    batches = _batches(data, index, batch, workers, tokenizer)
    while more(steps, 1, budget):
        b = next(batches)
        index += batch
        drop_caption, drop_image, high, alpha = conditioning(rng, batch)
        drop_image_np = drop_image
        target = torch.where(torch.from_numpy(high).view(-1, 1, 1, 1), b["image_target"], b["text_target"])
        drop_caption, drop_image = torch.from_numpy(drop_caption).view(-1, 1), torch.from_numpy(drop_image).view(-1, 1).to(dev)
        ids = torch.where(drop_caption, empty_ids, b["ids"]).to(dev)
        label_ids = b["label_ids"].to(dev)
        with torch.no_grad():
            latents = vae.encode(to_tensor(target, dev)).latent_dist.mean * scaling
        # caption and fabric label, sketch and swatch: one encoder call each (half the calls on a CPU)
        t_out = text(input_ids=torch.cat([ids, label_ids]))
        t_hidden, label, pooled = t_out.last_hidden_state[:batch], t_out.pooler_output[batch:], t_out.pooler_output[:batch]
        seen = vision(pixel_values=clip_pixels(torch.cat([b["sketch"], b["swatch"]]), dev))
        sketch_embeds, swatch_hidden = seen.image_embeds[:batch], seen.last_hidden_state[batch:]
        v = projection(torch.where(drop_image, torch.zeros_like(sketch_embeds), sketch_embeds))
        f = fusion(label, swatch_hidden)
        noise = torch.randn_like(latents)
        t = torch.randint(0, noise_sched.config.num_train_timesteps, (batch,), device=dev)
        ac = alphas_cumprod[t].view(-1, 1, 1, 1)
        noisy = ac.sqrt() * latents + (1 - ac).sqrt() * noise  # DDPMScheduler.add_noise, on the device
        state.image_prompt_embeds = torch.cat([v, f], 1)
        state.alpha = alpha.to(dev)
        if sketch is not None:
            # the line art as the studio feeds it (preprocess.control), scaled per sample as it runs
            state.sketch_features = sketch.encoder(control_pixels(b["line_art"], dev))
            state.sketch_scale = sketch_scales(rng, high, drop_image_np).to(dev)
        pred = unet(noisy, t, encoder_hidden_states=torch.cat([t_hidden, f], 1)).sample
        state.image_prompt_embeds = state.alpha = state.sketch_features = state.sketch_scale = None
        # Min-SNR-5 weighting (Hang et al. 2023): quiet timesteps, which only polish detail, stop
        # dominating the loss, so the noisy ones that settle silhouette and colour learn faster.
        snr = ac.view(-1) / (1 - ac.view(-1))
        loss = (F.mse_loss(pred, noise, reduction="none").mean((1, 2, 3)) * snr.clamp(max=MIN_SNR_GAMMA) / snr).mean()
        shape = F.adaptive_avg_pool2d(b["sketch_mask"].to(dev).float().unsqueeze(1), SILHOUETTE_SIDE).flatten(1)
        aux = F.binary_cross_entropy_with_logits(silhouette_head(sketch_embeds), shape)
        total = loss + SILHOUETTE_WEIGHT * aux
        said = ~drop_caption.view(-1).to(dev)  # a dropped caption names nothing
        if caption_head is not None and said.any():
            caption_aux = caption_loss(caption_head(pooled[said]), b["colour_lab"].to(dev)[said], b["fabric_index"].to(dev)[said])
            total = total + config["caption_aux"] * caption_aux
            caption_losses.append(caption_aux.item())
        opt.zero_grad()
        if not torch.isfinite(total.detach()).item():
            # never step on a non-finite loss (a checkpoint of NaNs would waste a GPU run); stop if it lasts
            skipped += 1
            nonfinite_run += 1
            if nonfinite_run >= MAX_NONFINITE_RUN:
                raise RuntimeError(f"training diverged: {nonfinite_run} non-finite losses in a row at UNet step {steps}")
            continue
        nonfinite_run = 0
        total.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        # a short warm-up, then a cosine down to a tenth: a run of a few thousand steps ends settled
        for group in opt.param_groups:
            group["lr"] = LR * min(1.0, (steps + 1) / 50) * (0.1 + 0.45 * (1 + np.cos(np.pi * progress())))
        opt.step()
        steps += 1
        losses.append(loss.item())
        if steps % 25 == 0:
            caption_part = f", caption {np.mean(caption_losses[-25:]):.3f}" if caption_losses else ""
            log(f"unet step {steps}: loss {np.mean(losses[-25:]):.4f}, silhouette {aux.item():.3f}{caption_part} ({(time.time() - start) / 60:.1f} min)")
        if checkpoint and checkpoint_every and time.time() - last_checkpoint > checkpoint_every:
            save_checkpoint(checkpoint, parts, facts_now(), config)
            last_checkpoint = time.time()
    del batches

    facts = facts_now()
    if checkpoint:
        save_checkpoint(checkpoint, parts, facts, config)
    for m in parts.values():
        m.to("cpu")
    if save_folder:
        save_model_folder(out, text, vision, vae, unet, projection, fusion, sketch=sketch, config=config)
    (out / "training.json").write_text(json.dumps(facts, indent=2) + "\n")
    return facts


def check_sketch_cache(size: int, folder: Path | None = None) -> Path:
    """The sketch cache a "studio" configuration trains on, or an error naming the command that makes
    it (GarmentData alone would warn and fall back to the PNG flats, not what this pack is trained on).
    The cache's line art must have been drawn with the control preprocessing the pack is exported
    with (export.SKETCH_CONTROL_PREPROCESS), so training and the studio see the same tensor."""
    from .export import SKETCH_CONTROL_PREPROCESS
    from .flats import CACHE_COMMAND, SKETCH_CACHE

    folder = SKETCH_CACHE / str(size) if folder is None else folder
    index_file = folder / "index.json"
    if not index_file.is_file():
        raise RuntimeError(f"no garment sketch cache at {folder}: make it first with `{CACHE_COMMAND.format(size=size)}` "
                           "(needs Node and npm ci), or carry a cache made elsewhere and pass --sketch-cache DIR")
    index = json.loads(index_file.read_text(encoding="utf-8"))
    if int(index.get("size", 0)) != size:
        raise RuntimeError(f"the sketch cache at {folder} is {index.get('size')} px, not {size} px; "
                           f"make it with `{CACHE_COMMAND.format(size=size)}`")
    control = index.get("control") or {}
    differ = [k for k in ("kind", "invert", "resize", "interpolation") if control.get(k) != SKETCH_CONTROL_PREPROCESS[k]]
    if differ:
        raise RuntimeError(f"the sketch cache at {folder} drew its line art with preprocess.control {control}, "
                           f"not the sketch route's {SKETCH_CONTROL_PREPROCESS} ({', '.join(differ)} differ); "
                           f"remake it with `{CACHE_COMMAND.format(size=size)}`")
    return folder


def _device_name(dev: torch.device) -> str:
    if dev.type == "cuda":
        return f"cuda ({torch.cuda.get_device_name(dev)})"
    return "cpu"


def save_checkpoint(folder: Path, parts: dict, facts: dict, config: dict | None = None) -> list[Path]:
    """Every trained weight as fp16 safetensors shards of at most SHARD_BYTES, and checkpoint.json
    (the facts, the VAE's scaling factor and the shard list). Written beside and then renamed, so a
    run killed while saving leaves the last whole checkpoint."""
    from safetensors.torch import save_file

    folder.mkdir(parents=True, exist_ok=True)
    shards, current, size = [], {}, 0
    for part, module in parts.items():
        for key, value in module.state_dict().items():
            value = value.detach().to("cpu")
            value = (value.half() if value.is_floating_point() else value).contiguous().clone()
            nbytes = value.numel() * value.element_size()
            if current and size + nbytes > SHARD_BYTES:
                shards.append(current)
                current, size = {}, 0
            current[f"{part}.{key}"] = value
            size += nbytes
    shards.append(current)
    names = [f"weights-{i + 1:02d}-of-{len(shards):02d}.safetensors" for i in range(len(shards))]
    for name, shard in zip(names, shards):
        save_file(shard, str(folder / (name + ".part")))
    for name in names:
        os.replace(folder / (name + ".part"), folder / name)
    meta = {"format": "jinxiu-garment-checkpoint", "dtype": "float16", "parts": list(parts), "shards": names,
            "config": resolve_config(config),
            "training": facts}
    tmp = folder / "checkpoint.json.part"
    tmp.write_text(json.dumps(meta, indent=2) + "\n")
    os.replace(tmp, folder / "checkpoint.json")
    return [folder / n for n in names]


def checkpoint_config(meta: dict, folder: Path, config: str | dict | None = None) -> dict:
    """The configuration a checkpoint was trained with: the one it stores (keys added to CONFIG since
    take their defaults, which are what was built before they existed). With `config`, the stored one
    must be that configuration. A stored configuration that lacks the sizes is refused."""
    stored = meta.get("config")
    sizes = ("image", "cross", "vision", "proj", "tokens", "vae_channels", "unet_channels", "unet_attention")
    if meta.get("format") != "jinxiu-garment-checkpoint" or not isinstance(stored, dict) or not all(k in stored for k in sizes):
        raise ValueError(f"{folder} is not a garment checkpoint of this configuration ({stored})")
    try:
        found = resolve_config(stored)
    except ValueError as err:
        raise ValueError(f"{folder} is not a garment checkpoint of this configuration: {err}") from err
    if config is not None and found != resolve_config(config):
        raise ValueError(f"{folder} is not a garment checkpoint of this configuration ({resolve_config(config)}); it holds {found}")
    return found


def load_checkpoint_weights(folder: Path, meta: dict, parts: dict) -> None:
    """A checkpoint's weights (its checkpoint.json `meta`), as float32, into `parts` (trained_parts of
    build_parts for the configuration it stores), every key matched."""
    from safetensors.torch import load_file

    weights = {}
    for name in meta["shards"]:
        weights.update(load_file(str(folder / name)))
    for part, module in parts.items():
        prefix = part + "."
        own = {k[len(prefix):]: v.float() if v.is_floating_point() else v for k, v in weights.items() if k.startswith(prefix)}
        module.load_state_dict(own, strict=True)


def load_checkpoint(folder: Path, seed: int = 0, config: str | dict | None = None):
    """A checkpoint written by save_checkpoint -> the built modules (float32, CPU; with "sketch" when
    the configuration has the route) and its facts. The model is rebuilt from the configuration the
    checkpoint stores (`config`: refuse any other)."""
    meta = json.loads((folder / "checkpoint.json").read_text())
    found = checkpoint_config(meta, folder, config)
    parts = trained_parts(build_parts(seed, found))
    load_checkpoint_weights(folder, meta, parts)
    parts["vae"].register_to_config(scaling_factor=meta["training"]["scalingFactor"])
    return parts, {**meta["training"], "config": found}


DECODER_LR = 5e-4


def finetune_decoder(vae, config: dict, minutes: float = 0, batch: int = 8, seed: int = 0, log=print,
                     max_steps: int | None = None, sketch_cache: Path | None = None) -> dict:
    """Stage 3: the VAE's decoder alone (post_quant_conv and decoder), on 128 px windows of fresh
    samples (data seed 3), for `minutes` or exactly `max_steps`. The encoder stays as it is, so the
    latent space the UNet learnt does too, and the UNet needs nothing new (SD's ft-MSE decoder was made
    the same way). Why: a 256 px VAE trained jointly for a tenth of a CPU run's time decodes shapes
    but few colours (red and yellow came back brown), which no UNet can make up for."""
    data = GarmentData(size=config["image"], seed=3, use_real_flats=True, conflict_rate=0.6,
                       conflict_weights=TRAIN_CONFLICT_WEIGHTS, sketches=config["sketches"], sketch_cache=sketch_cache)
    rng = np.random.default_rng(seed + 3)
    decoder = [*vae.post_quant_conv.parameters(), *vae.decoder.parameters()]
    vae.requires_grad_(False)
    for p in decoder:
        p.requires_grad_(True)
    opt = torch.optim.AdamW(decoder, lr=DECODER_LR)
    start, steps, index, losses = time.time(), 0, 0, []
    while (steps < max_steps) if max_steps is not None else (time.time() - start < minutes * 60):
        samples = [data.sample(index + i) for i in range(batch // 2)]
        index += batch // 2
        x = vae_crop(to_tensor([im for s in samples for im in (s.image_target, s.text_target)]), rng)
        with torch.no_grad():
            z = vae.encode(x).latent_dist.mean
        loss = vae_loss(vae.decode(z).sample, x)
        opt.zero_grad()
        loss.backward()
        opt.step()
        steps += 1
        losses.append(loss.item())
        if steps % 50 == 0:
            log(f"decoder step {steps}: loss {np.mean(losses[-50:]):.4f} ({(time.time() - start) / 60:.1f} min)")
    vae.requires_grad_(False).eval()
    return {"decoderSteps": steps, "decoderSeconds": round(time.time() - start, 1),
            "decoderLoss": float(np.mean(losses[-50:])) if losses else None}


def export_checkpoint(folder: Path, out: Path, decoder_minutes: float = 0, log=print) -> dict:
    """Writes the model folder `out` (tokenizer, parts, training.json) from a checkpoint, with the
    configuration the checkpoint stores; `decoder_minutes` > 0 first fine-tunes the VAE's decoder
    (finetune_decoder) and records it in the facts."""
    parts, facts = load_checkpoint(folder)
    config = checkpoint_config(json.loads((folder / "checkpoint.json").read_text()), folder)
    if decoder_minutes > 0:
        facts = {**facts, **finetune_decoder(parts["vae"], config, decoder_minutes, log=log)}
    out.mkdir(parents=True, exist_ok=True)
    write_tokenizer_files(out / "tokenizer")
    save_model_folder(out, *(parts[p] for p in PARTS), sketch=parts.get("sketch"), config=config)
    (out / "training.json").write_text(json.dumps(facts, indent=2) + "\n")
    return facts


# The pack's scheduler: SD 1.5's schedule under DPM-Solver++ 2M Karras, the same keys the studio puts
# over a pack's config for `--scheduler dpmpp-2m-karras` (schedulers/index.ts schedulerMaker), so the
# pack's default is a path the runtime's parity tests already hold (PACKS.md "Scheduler").
DPMPP_2M_KARRAS = {**SD15_SCHEDULER, "_class_name": "DPMSolverMultistepScheduler", "algorithm_type": "dpmsolver++",
                   "solver_order": 2, "use_karras_sigmas": True}


def scheduler_config(config: dict | None = None) -> dict:
    name = resolve_config(config)["scheduler"]
    if name == "ddim":
        return SD15_SCHEDULER
    if name == "dpmpp-2m-karras":
        return DPMPP_2M_KARRAS
    raise ValueError(f"unknown scheduler {name!r} (ddim or dpmpp-2m-karras)")


def pack_defaults(config: dict | None = None) -> dict:
    """The manifest defaults a trained pack of this configuration is exported with (export.write_pack)."""
    c = resolve_config(config)
    variants = {"imageBiased": {"alpha": 0.9}, "textBiased": {"alpha": 0.0}}
    if c["sketch_route"]:
        for name, scale in VARIANT_SKETCH_SCALE.items():
            variants[name]["sketchScale"] = scale
    return {"steps": c["steps"], "guidanceScale": c["guidance"], "variants": variants}


def save_model_folder(out: Path, text, vision, vae, unet, projection, fusion, sketch: SketchRoute | None = None,
                      config: dict | None = None) -> None:
    """The model folder `export garment` reads (components.py): with a sketch route, the UNet is saved
    with its own conv_in (a plain diffusers UNet) and the route beside it in sketch_route/."""
    from diffusers.models.attention_processor import AttnProcessor

    from .modules import SketchConvIn

    text.save_pretrained(str(out / "text_encoder"))
    vision.save_pretrained(str(out / "image_encoder"))
    vae.save_pretrained(str(out / "vae"))
    image_proj, ip_layers = ip_adapter_state_from_processors(unet, projection)
    write_ip_adapter(out / "ip_adapter.safetensors", image_proj, ip_layers)
    processors = unet.attn_processors
    wrapped = unet.conv_in
    if isinstance(wrapped, SketchConvIn):
        if sketch is None or wrapped.inject is not sketch.inject:
            raise ValueError("the UNet has a sketch route; save_model_folder needs that route (sketch=)")
        unet.conv_in = wrapped.conv
    unet.set_attn_processor(AttnProcessor())  # save the UNet's own weights only
    try:
        unet.save_pretrained(str(out / "unet"))
    finally:
        unet.set_attn_processor(processors)
        unet.conv_in = wrapped
    if sketch is not None:
        save_sketch_route(sketch, out / "sketch_route")
    save_fabric_fusion(fusion, out / "fabric_fusion")
    (out / "scheduler").mkdir(exist_ok=True)
    (out / "scheduler" / "scheduler_config.json").write_text(json.dumps(scheduler_config(config), indent=2) + "\n")
    meta = {"architecture": "higarment", "ip_adapter": "ip_adapter.safetensors", "fabric": DEFAULT_FABRICS}
    (out / "garment_model.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
