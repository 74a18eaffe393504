"""MODEL_CARD.md of a trained garment pack: data, command, time, figures, licence."""

from __future__ import annotations

from pathlib import Path

from .colour import COLOURS
from .data import CHINESE_CAPTIONS
from .evaluate import table


def _training(facts: dict, threads: int | None) -> str:
    where = facts.get("device", "cpu")
    if where == "cpu" and threads:
        where = f"cpu ({threads} torch thread{'s' if threads > 1 else ''})"
    warm = facts.get("warmStart")
    line = ""
    if warm:
        # the run went on from a checkpoint (`--init-checkpoint`): say what that one had been trained for
        line = (f"Warm start (`--init-checkpoint`) from a checkpoint of {warm.get('minutes')} minutes on {warm.get('device', 'cpu')} "
                f"({warm.get('vaeSteps')} VAE and {warm.get('unetSteps')} UNet steps at batch {warm.get('batch')}), then ")
    line += (f"{facts.get('minutes')} minutes on {where}: {facts.get('vaeSteps')} VAE steps "
            f"({facts.get('vaeSeconds')} s), then {facts.get('unetSteps')} UNet steps ({facts.get('unetSeconds')} s")
    if facts.get("secondsPerUnetStep"):
        line += f", {facts['secondsPerUnetStep']} s per step"
    line += (f") at batch {facts.get('batch')}, {facts.get('samplesSeen')} samples in all; final (weighted) diffusion loss "
             f"{facts['finalLoss']:.4f}." if facts.get("finalLoss") is not None else ").")
    if facts.get("decoderSteps"):
        line += (f" Then the VAE's decoder alone (`--decoder-minutes`, train.finetune_decoder): {facts['decoderSteps']} steps "
                 f"({facts.get('decoderSeconds')} s), the encoder, and with it the UNet's latent space, unchanged.")
    if facts.get("vaeColourDeltaE") is not None:
        line += (f" The VAE alone returns the lexicon's colours within ΔE2000 {facts['vaeColourDeltaE']} on average "
                 "(evaluate.vae_colour_error: a plain block of each, encoded and decoded), the floor under the "
                 "text-biased colour figure.")
    return line


def write_model_card(pack: Path, facts: dict, rows: dict | None, command: str, notes: str = "",
                     oracle_rows: dict | None = None, threads: int | None = None, heldout: str | None = None,
                     config: dict | None = None) -> Path:
    """heldout: the markdown of `eval garment` on the held-out real flats (heldout.evaluate_heldout);
    config: the training configuration (train.CONFIGS), the 64 px default when left out."""
    size = int((config or {}).get("image", 64))
    design = f"{size} x {size} pixels"
    if (config or {}).get("sketch_route"):
        design += (", with the sketch route (a stride-8 sketch encoder on the flat's line art, added at the UNet's conv_in; "
                   "sketch scale 1 in the image-biased variant, 0.3 in the text-biased one), trained on the sketches the "
                   "studio itself draws (the sketch cache)")
    if (config or {}).get("text_time"):
        design += ("; the caption also reaches every UNet block through its attention-pooled embedding added to the "
                   "timestep embedding, scaled by 1 - alpha (the colour and fabric words' short path, which the "
                   "image-biased variant mostly closes)")
    if (config or {}).get("caption_aux"):
        design += (f"; beside the diffusion loss the caption's pooled embedding was trained to say the caption's colour "
                   f"(CIELAB) and fabric (a train-only head, train.caption_loss, weight {config['caption_aux']})")
    if size > 64:
        design += ("; the VAE was trained on 128 px windows of the images (it has no attention), its loss weighing the mean "
                   "colour of every latent cell's 8 x 8 pixels beside the pixels (train.vae_loss)")
    design += f"; {(config or {}).get('steps', 20)} {(config or {}).get('scheduler', 'ddim')} steps by default"
    figures = table(rows) if rows else "Not measured for this build (run `eval garment --set synthetic --pack PACK`)."
    if rows and oracle_rows:
        n = next(iter(oracle_rows.values())).n
        figures += f"""

What the data's own targets score on the same {n} conflicts (`eval garment --set synthetic --oracle`), the bounds a
perfect model would reach:

{table(oracle_rows)}"""
    text = f"""# Jinxiu default garment pack

A small HiGarment-architecture model (CLIP text encoder, CLIP image encoder for the sketch and the
fabric swatch, IP-Adapter-style projection, fabric fusion, UNet with harmonized cross-attention,
VAE) trained from scratch for the studio's offline default. {design}; it shows the
mechanics (sketch vs text, alpha) rather than photographic quality.

## Data
Made by the toolchain on the fly (`tools/models/garment/data.py`): flat sketches from the FreeSewing
flats (MIT, read in place from the shared data, ../shared/data/garment_flats, not shipped), the
studio's own garment templates (resources/templates, front and back views drawn from their paths) and
procedural garment silhouettes (t-shirt, shirt, dress, jacket, tank, skirt, trousers; long or short
sleeves); procedural fabrics (solid, stripe, plaid, dot, denim twill, knit rib, silk sheen,
brocade-like) in the studio lexicon's {len(COLOURS)} colours (src/shared/fabric/lexicon.ts, its sRGB); captions from
the attributes, {round(CHINESE_CAPTIONS * 100)}% of them in Chinese, the colour named by the lexicon's name or any of its
words in that language. In training 60% of the samples are
deliberate conflicts, half of them about sleeves (the only conflict where the sketch and the caption
ask for different silhouettes), a quarter each about colour and fabric; a conflict is trained towards
the sketch at alpha in [0.6, 1] and towards the caption at alpha in [0, 0.4]. 10% of the samples are
trained with neither caption nor sketch (what guidance subtracts) and 5% without each alone; the
diffusion loss is min-SNR-5 weighted. The figures below come from a held-out range of indices of
another seed that training never sees.

## Command
    {command}

(OUT: any empty folder; the pack is OUT/pack.)

## Training
{_training(facts, threads)}
{notes}

{"## Figures (held-out real flats)" + chr(10) + heldout + chr(10) + chr(10) if heldout else ""}## Figures (held-out synthetic conflicts)
{figures}

## Licence
MIT (weights and data are the toolchain's own; the FreeSewing flats used in training are MIT).
"""
    path = pack / "MODEL_CARD.md"
    path.write_text(text, encoding="utf-8")
    return path
