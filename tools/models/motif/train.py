"""`train motif`: train the small default motif pack from scratch, in Chinese-CLIP's architecture and I/O.

One command, short and niced: python -m tools.models train motif [--out resources/models/motif-default]
It trains a tiny ChineseCLIPModel (BERT text tower over Chinese-CLIP's own vocab, ViT image tower) on
the procedural samples and the training part of the heritage photos, exports it with
`convert chinese-clip`, evaluates the held-out part and writes MODEL_CARD.md and the golden outputs.
"""
from __future__ import annotations

import json
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from . import contract, data, tokenizer
from .convert import BUNDLED_VOCAB, convert

DEFAULT_OUT = Path(__file__).resolve().parents[3] / "resources" / "models" / "motif-default"
PACK_ID = "jinxiu-motif-default"
PACK_VERSION = "0.1.0"
LICENCE = "CC-BY-2.5 (weights learnt from photos by Alex Amies, Chinese Notes, chinesenotes.com; see MODEL_CARD.md)"

TINY = {
    "text_config": {"hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128,
                    "max_position_embeddings": 64, "type_vocab_size": 2},
    "vision_config": {"hidden_size": 64, "num_hidden_layers": 3, "num_attention_heads": 4, "intermediate_size": 128,
                      "patch_size": 32, "image_size": contract.IMAGE_SIZE, "hidden_act": "quick_gelu"},
    "projection_dim": 64,
}


def build_model(vocab_size: int, config: dict = TINY):
    from transformers import ChineseCLIPConfig, ChineseCLIPModel

    cfg = ChineseCLIPConfig(
        text_config={**config["text_config"], "vocab_size": vocab_size},
        vision_config={**config["vision_config"], "projection_dim": config["projection_dim"]},
        projection_dim=config["projection_dim"],
        attn_implementation="eager",
    )
    return ChineseCLIPModel(cfg)


def train_model(pairs: list[data.Pair], *, steps: int, batch: int, seed: int, vocab: Path, log=print):
    import torch
    import torch.nn.functional as F

    from .export import ImageTower, TextTower

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = build_model(len(tokenizer.bert_tokenizer(str(vocab)).vocab)).train()
    text_tower, image_tower = TextTower(model), ImageTower(model)
    ids = [{k: tokenizer.encode(t, vocab) for k, t in p.texts.items()} for p in pairs]
    optimiser = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.05)
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(  # linear warm-up, then cosine down to zero
        optimiser, lambda s: min(1.0, (s + 1) / warmup) * 0.5 * (1 + np.cos(np.pi * min(1.0, s / steps)))
    )
    size = model.config.vision_config.image_size
    began = time.time()
    for step in range(steps):
        picks = rng.choice(len(pairs), size=min(batch, len(pairs)), replace=False)
        images = torch.from_numpy(np.concatenate([data.augment(pairs[i].image, size, rng) for i in picks]))
        texts = torch.tensor([ids[i][rng.choice(sorted(ids[i]))] for i in picks], dtype=torch.long)
        # trailing [PAD]s are masked out of attention, so cutting them changes no [CLS] output, only the cost
        texts = texts[:, : int((texts != 0).sum(dim=1).max())]
        img = F.normalize(image_tower(images), dim=-1)
        txt = F.normalize(text_tower(texts), dim=-1)
        logits = model.logit_scale.exp().clamp(max=100) * img @ txt.t()
        target = torch.arange(len(picks))
        loss = (F.cross_entropy(logits, target) + F.cross_entropy(logits.t(), target)) / 2
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        schedule.step()
        with torch.no_grad():
            model.logit_scale.clamp_(0, np.log(100))
        if step % 25 == 0 or step == steps - 1:
            log(f"step {step + 1}/{steps} loss {loss.item():.3f} scale {model.logit_scale.exp().item():.1f} ({time.time() - began:.0f} s)")
    return model.eval()


DEFAULT_CHECKPOINT = Path(__file__).parent / ".checkpoints" / "motif-default"


def split_pairs(heritage: Path = data.HERITAGE, samples: Path = data.SAMPLES, limit: int | None = None):
    heritage_pairs = data.load_pairs(heritage, "heritage", limit)
    train = [p for p in heritage_pairs if not data.held_out(p.id)] + data.load_pairs(samples, "sample", limit)
    test = [p for p in heritage_pairs if data.held_out(p.id)]
    return train, test


def train_checkpoint(checkpoint: Path = DEFAULT_CHECKPOINT, *, steps: int = 900, batch: int = 32, seed: int = 0,
                     heritage: Path = data.HERITAGE, samples: Path = data.SAMPLES, limit: int | None = None,
                     threads: int = 1, log=print) -> dict:
    """Train and save a Hugging Face ChineseCLIPModel folder plus training.json (the facts for the card)."""
    import torch

    torch.set_num_threads(threads)
    started = time.time()
    train, test = split_pairs(heritage, samples, limit)
    log(f"training on {len(train)} pairs, holding out {len(test)}")
    model = train_model(train, steps=steps, batch=batch, seed=seed, vocab=BUNDLED_VOCAB, log=log)
    checkpoint.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(checkpoint)
    facts = {"steps": steps, "batch": batch, "seed": seed, "train_pairs": len(train), "test_pairs": len(test),
             "train_seconds": round(time.time() - started), "threads": threads, "config": TINY}
    (checkpoint / "training.json").write_text(json.dumps(facts, indent=2) + "\n", encoding="utf-8")
    return facts


def package(checkpoint: Path = DEFAULT_CHECKPOINT, out: Path = DEFAULT_OUT, *, heritage: Path = data.HERITAGE,
            samples: Path = data.SAMPLES, limit: int | None = None, golden: Path | None = None, log=print) -> dict:
    """Checkpoint -> pack: convert, evaluate the held-out pairs, write MODEL_CARD.md and the golden outputs."""
    from . import evaluate, golden_graphs

    facts = json.loads((checkpoint / "training.json").read_text(encoding="utf-8"))
    _, test = split_pairs(heritage, samples, limit)
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / "pack"
        manifest = convert(checkpoint, staged, vocab=BUNDLED_VOCAB, pack_id=PACK_ID, version=PACK_VERSION,
                           name="Jinxiu default motif model (tiny Chinese-CLIP)", licence=LICENCE,
                           extra_files_writer=lambda folder, m: evaluate.write_model_card(
                               folder, {**facts, "parity": m["parity"], "manifest": m},
                               evaluate.evaluate_pack(folder, test) if test else {}))
        log(f"exported; ONNX vs torch max diff {manifest['parity']}")
        golden_graphs.write(staged, golden or (golden_graphs.DEFAULT_TARGET if out == DEFAULT_OUT else Path(tmp) / "golden.json"))
        if out.exists():
            shutil.rmtree(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(staged, out)
    log(f"wrote {out}")
    return manifest


def run(out: Path = DEFAULT_OUT, *, checkpoint: Path = DEFAULT_CHECKPOINT, log=print, **options) -> dict:
    """One command: train, then package."""
    data_options = {k: options[k] for k in ("heritage", "samples", "limit") if k in options}
    facts = train_checkpoint(checkpoint, log=log, **options)
    return {**facts, "manifest": package(checkpoint, out, log=log, **data_options)}
