"""MODEL_CARD.md of a trained garment pack: data, command, time, figures, licence."""

from __future__ import annotations

from pathlib import Path

from .evaluate import table


def write_model_card(pack: Path, facts: dict, rows: dict | None, command: str, notes: str = "") -> Path:
    figures = table(rows) if rows else "Not measured for this build (run `eval garment --pack PACK`)."
    text = f"""# Jinxiu default garment pack

A small HiGarment-architecture model (CLIP text encoder, CLIP image encoder for the sketch and the
fabric swatch, IP-Adapter-style projection, fabric fusion, UNet with harmonized cross-attention,
VAE) trained from scratch for the studio's offline default. 64 x 64 pixels; it shows the
mechanics (sketch vs text, alpha) rather than photographic quality.

## Data
Made by the toolchain on the fly (`tools/models/garment/data.py`): flat sketches from the FreeSewing
flats (MIT, read from /work/shared/data/garment_flats, not shipped) and procedural garment
silhouettes (t-shirt, shirt, dress, jacket, tank, skirt, trousers; long or short sleeves);
procedural fabrics (solid, stripe, plaid, dot, denim twill, knit rib, silk sheen, brocade-like) in
13 named colours; captions from the attributes. Half the samples are deliberate conflicts (another
colour, another fabric, other sleeves in the caption than in the sketch); a conflict is trained
towards the sketch at alpha in [0.6, 1] and towards the caption at alpha in [0, 0.4].

## Command
    {command}

## Training
{facts.get('minutes')} minutes on {facts.get('device', 'cpu')}; {facts.get('vaeSteps')} VAE steps, {facts.get('unetSteps')} UNet steps at batch
{facts.get('batch')} ({facts.get('samplesSeen')} samples); final diffusion loss {facts.get('finalLoss')}.
{notes}

## Figures (held-out synthetic conflicts)
{figures}

## Licence
MIT (weights and data are the toolchain's own; the FreeSewing flats used in training are MIT).
"""
    path = pack / "MODEL_CARD.md"
    path.write_text(text, encoding="utf-8")
    return path
