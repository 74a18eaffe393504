"""The garment side's CLI targets: export garment, convert sd15-ipadapter, golden garment, cache garment-sketches."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path


def quiet_libraries() -> None:
    # diffusers/transformers warn about accelerate and tracing on every load; the CLI prints its own summary.
    import warnings

    from diffusers.utils import logging as dlog
    from transformers.utils import logging as tlog

    dlog.set_verbosity_error()
    tlog.set_verbosity_error()
    warnings.filterwarnings("ignore")


def _pack_meta_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, required=True, help="pack folder to write (replaced if it exists)")
    p.add_argument("--id", required=True, help="pack id, e.g. jinxiu-garment-sd15-ipadapter")
    p.add_argument("--version", default="0.1.0")
    p.add_argument("--name", required=True)
    p.add_argument("--licence", required=True, help="the licence of the weights, e.g. CreativeML-OpenRAIL-M")
    p.add_argument("--description", default="")
    p.add_argument("--sample-size", type=int, default=None, help="latent side for the export's example inputs")


def _meta(args, source: dict) -> dict:
    return {"id": args.id, "version": args.version, "name": args.name, "licence": args.licence,
            "description": args.description, "source": source}


def _summary(manifest: dict, out: Path) -> None:
    total = sum(f["size"] for f in manifest["files"])
    print(f"wrote {out} ({len(manifest['files'])} files, {total / 1e6:.1f} MB): "
          + ", ".join(manifest["garment"]["graphs"]))


def cmd_export(args) -> int:
    quiet_libraries()
    from .components import load_garment_model
    from .export import write_pack

    components = load_garment_model(args.model)
    manifest = write_pack(components, args.out, meta=_meta(args, {"exported_from": args.model.name}),
                          sample_size=args.sample_size)
    _summary(manifest, args.out)
    return 0


def cmd_convert_sd15(args) -> int:
    quiet_libraries()
    from .components import load_parts
    from .export import write_pack

    components = load_parts(architecture="sd15-ip-adapter", sd_dir=args.sd15, image_encoder_dir=args.image_encoder,
                            ip_adapter=args.ip_adapter, controlnet_dir=args.controlnet)
    source = {"sd15": args.sd15.name, "ip_adapter": args.ip_adapter.name, "image_encoder": args.image_encoder.name}
    if args.controlnet:
        source["controlnet"] = args.controlnet.name
    defaults = {"steps": args.steps, "variants": {"imageBiased": {"alpha": args.image_scale},
                                                  "textBiased": {"alpha": args.text_scale}}}
    manifest = write_pack(components, args.out, meta=_meta(args, source), defaults=defaults, sample_size=args.sample_size)
    _summary(manifest, args.out)
    return 0


def cmd_golden(args) -> int:
    quiet_libraries()
    from . import goldens

    goldens.write_all(args.out)
    print(f"wrote garment goldens to {args.out}")
    return 0


def _without_card_options(argv: list[str]) -> list[str]:
    """The command as the card quotes it: the card's own texts (--training-command, --card-notes)
    are said elsewhere in the card and do not change the pack."""
    kept, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg in ("--training-command", "--card-notes"):
            skip = True
        elif not arg.startswith(("--training-command=", "--card-notes=")):
            kept.append(arg)
    return kept


def _card_argv(argv: list[str]) -> list[str]:
    """_without_card_options, and absolute folders (the run's scratch --out, a --data-root) as their
    option's placeholder: a card names no path of the machine that made it."""
    kept, previous = [], None
    for arg in _without_card_options(argv):
        if previous in ("--out", "--data-root", "--checkpoint", "--from-checkpoint", "--init-checkpoint") and Path(arg).is_absolute():
            arg = previous[2:].upper().replace("-", "_")
        kept.append(arg)
        previous = arg
    return kept


def _overrides(pairs: list[str]) -> dict:
    import json

    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise SystemExit(f"--config-set takes KEY=JSON, got {pair!r}")
        try:
            out[key] = json.loads(value)
        except json.JSONDecodeError:
            out[key] = value
    return out


def cmd_train(args) -> int:
    import os

    import torch

    quiet_libraries()
    if not args.no_nice:
        os.nice(10)  # the build machines' cores are shared
    torch.set_num_threads(args.threads)
    from .components import load_garment_model
    from .export import SKETCH_CONTROL_PREPROCESS, write_pack
    from .train import export_checkpoint, pack_defaults, resolve_config, train

    model_dir = args.out / "model"
    if args.from_checkpoint:
        if args.config:
            raise SystemExit("--from-checkpoint rebuilds the configuration the checkpoint stores; leave --config out")
        facts = export_checkpoint(args.from_checkpoint, model_dir, decoder_minutes=args.decoder_minutes)
    else:
        # a warm start trains the configuration its checkpoint stores, unless --config names it again
        config = None if args.init_checkpoint and not args.config else resolve_config(args.config or "default", _overrides(args.config_set))
        facts = train(model_dir, minutes=args.minutes, vae_share=args.vae_share, batch=args.batch, seed=args.seed,
                      max_steps=(args.vae_steps, args.unet_steps) if args.unet_steps else None, device=args.device,
                      workers=args.workers, checkpoint=args.checkpoint or (args.out / "checkpoint" if args.checkpoint_only else None),
                      checkpoint_every=args.checkpoint_every, save_folder=not args.checkpoint_only, data_root=args.data_root,
                      config=config, sketch_cache=args.sketch_cache, init=args.init_checkpoint)
    print(f"trained: {facts}")
    if args.checkpoint_only:
        return 0
    config = resolve_config(facts["config"])
    route = bool(config["sketch_route"])
    model = load_garment_model(model_dir)
    from .evaluate import vae_colour_error

    facts["vaeColourDeltaE"] = round(vae_colour_error(model.vae, config["image"]), 1)
    manifest = write_pack(model, args.out / "pack", meta={
        "id": args.id, "version": args.version, "name": "Jinxiu default garment pack", "licence": "MIT",
        "source": {"made_by": "python -m tools.models train garment", "training": facts}},
        defaults=pack_defaults(config), control=SKETCH_CONTROL_PREPROCESS if route else None, vae_encoder=True)
    rows = None
    if args.eval_samples:
        from .evaluate import evaluate_pack

        rows = evaluate_pack(args.out / "pack", args.eval_samples)
    from ..common.manifest import write_manifest
    from .model_card import write_model_card

    commands = [*args.training_command, "python -m tools.models " + shlex.join(_card_argv(args.argv))]
    oracle_rows = None
    if args.eval_samples:
        from .evaluate import oracle

        oracle_rows = oracle(args.eval_samples, size=config["image"])
    heldout = None
    if args.eval_samples and not args.no_heldout:
        from .heldout import evaluate_heldout

        try:
            heldout = evaluate_heldout(args.out / "pack", renders=args.out / "heldout-renders")
        except (RuntimeError, OSError) as err:  # no node/npx here: the card says so rather than the run failing
            heldout = f"Not measured for this build ({err}); run `eval garment --pack PACK`."
    write_model_card(args.out / "pack", facts, rows, command="\n    ".join(commands), notes=args.card_notes,
                     oracle_rows=oracle_rows, threads=args.threads, heldout=heldout, config=config)
    manifest = write_manifest(args.out / "pack", {k: v for k, v in manifest.items() if k != "files"})
    _summary(manifest, args.out / "pack")
    return 0


def cmd_eval(args) -> int:
    quiet_libraries()
    synthetic_options = args.oracle or args.steps is not None or args.samples is not None
    # Without --set, the synthetic options still mean the synthetic set, as before the held-out flats existed.
    chosen = args.set or ("synthetic" if synthetic_options else "heldout")
    if chosen == "heldout":
        from .heldout import DEFAULT_PACK, evaluate_heldout

        if synthetic_options:
            raise SystemExit("--samples, --oracle and --steps go with --set synthetic; the held-out table always has its "
                             "oracle row and renders with the pack's default steps, as the studio does")
        print(evaluate_heldout(args.pack or DEFAULT_PACK, renders=args.renders))
        return 0
    from .evaluate import evaluate_pack, oracle, table

    samples = args.samples or 48
    if args.oracle:
        print(table(oracle(samples)))
    if args.pack:
        print(table(evaluate_pack(args.pack, samples, steps=args.steps)))
    return 0


def register(groups: dict[str, argparse._SubParsersAction]) -> None:
    p = groups["export"].add_parser("garment", help="garment model folder -> garment pack")
    p.add_argument("--model", type=Path, required=True, help="garment model folder (see garment/components.py)")
    _pack_meta_args(p)
    p.set_defaults(func=cmd_export)

    p = groups["convert"].add_parser("sd15-ipadapter", help="SD 1.5 + IP-Adapter (+ line-art ControlNet) -> garment pack")
    p.add_argument("--sd15", type=Path, required=True, help="diffusers SD 1.5 folder (text_encoder, tokenizer, unet, vae, scheduler)")
    p.add_argument("--ip-adapter", type=Path, required=True, help="ip-adapter_sd15.bin or .safetensors")
    p.add_argument("--image-encoder", type=Path, required=True, help="CLIPVisionModelWithProjection folder (IP-Adapter's models/image_encoder)")
    p.add_argument("--controlnet", type=Path, default=None, help="optional ControlNetModel folder (line art)")
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--image-scale", type=float, default=1.0, help="image-prompt scale (alpha) of the image-biased variant")
    p.add_argument("--text-scale", type=float, default=0.3, help="image-prompt scale (alpha) of the text-biased variant")
    _pack_meta_args(p)
    p.set_defaults(func=cmd_convert_sd15)

    p = groups["train"].add_parser("garment", help="train the small default garment pack on synthetic data (CPU, or --device cuda)")
    p.add_argument("--out", type=Path, required=True, help="folder for model/ (garment model folder) and pack/")
    p.add_argument("--minutes", type=float, default=75.0,
                   help="training wall clock; with the export and the evaluation the command stays within 90 minutes")
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1,
                   help="torch threads; 1 by default: on the shared 2-core build machine two OpenMP threads spin-wait "
                        "for each other and ran a step 2-4x slower than one")
    p.add_argument("--vae-steps", type=int, default=0, help="with --unet-steps: a fixed step count instead of --minutes")
    p.add_argument("--unet-steps", type=int, default=0)
    p.add_argument("--id", default="jinxiu-garment-default")
    p.add_argument("--version", default="0.1.0")
    p.add_argument("--no-nice", action="store_true")
    p.add_argument("--eval-samples", type=int, default=48, help="held-out conflicts scored into the model card (0: none)")
    p.add_argument("--no-heldout", action="store_true",
                   help="leave the held-out real flats (eval garment, rendered by the studio's CLI) out of the model card")
    p.add_argument("--device", default="cpu", help="torch device to train on: cpu (default) or cuda")
    p.add_argument("--workers", type=int, default=0, help="processes making the data (0: in the training process)")
    p.add_argument("--data-root", type=Path, default=None,
                   help="folder holding garment_flats/flats_png (default: $JINXIU_SHARED_DATA or /work/shared/data)")
    p.add_argument("--checkpoint", type=Path, default=None, help="also write a compact fp16 checkpoint to this folder")
    p.add_argument("--checkpoint-every", type=float, default=0, help="seconds between checkpoints while training (0: at the end only)")
    p.add_argument("--checkpoint-only", action="store_true",
                   help="stop at the checkpoint (OUT/checkpoint unless --checkpoint): no model folder, pack or evaluation")
    p.add_argument("--from-checkpoint", type=Path, default=None,
                   help="skip training: model folder, pack, evaluation and model card from a checkpoint folder")
    p.add_argument("--init-checkpoint", type=Path, default=None,
                   help="a warm start: every part begins from this checkpoint's weights and trains on (its configuration)")
    p.add_argument("--vae-share", type=float, default=0.1, help="the share of --minutes the VAE stage takes (0: none)")
    p.add_argument("--decoder-minutes", type=float, default=0,
                   help="with --from-checkpoint: fine-tune the VAE's decoder alone this long first (train.finetune_decoder)")
    p.add_argument("--training-command", action="append", default=[],
                   help="with --from-checkpoint: the command that trained the checkpoint, quoted in the model card")
    p.add_argument("--card-notes", default="", help="a paragraph for the model card's Training section")
    p.add_argument("--config", choices=("default", "pack256"), default=None,
                   help="default: the 64 px pack (the default); pack256: the 256 px pack with the sketch route, trained on "
                        "the sketch cache (`cache garment-sketches --size 256`), exported at 10 DPM++ 2M Karras steps "
                        "(train.CONFIGS). --from-checkpoint takes the checkpoint's own")
    p.add_argument("--sketch-cache", type=Path, default=None,
                   help="with --config pack256: the sketch cache folder (default tools/models/.cache/garment-sketches/SIZE)")
    p.add_argument("--config-set", action="append", default=[], metavar="KEY=JSON",
                   help="override one key of the configuration, e.g. image=128 or 'unet_channels=[16,32,32]' (tests, experiments)")
    p.set_defaults(func=cmd_train)

    p = groups["eval"].add_parser("garment", help="sketch vs text adherence of a pack: held-out real flats (default) or synthetic conflicts")
    p.add_argument("--set", choices=("heldout", "synthetic"), default=None,
                   help="heldout: the real flats of garment/heldout.json rendered by the studio (`jinxiu generate`); "
                        "synthetic: conflicts from the training data's generator, at indices training never sees "
                        "(the default when --samples, --steps or --oracle is given)")
    p.add_argument("--pack", type=Path, default=None, help="pack folder (heldout: the bundled default pack when left out)")
    p.add_argument("--renders", type=Path, default=None,
                   help="heldout: folder for the renders (kept); one already holding an index.json is scored as it is")
    p.add_argument("--samples", type=int, default=None, help="synthetic: conflicts to score (48 when left out)")
    p.add_argument("--steps", type=int, default=None, help="synthetic: denoising steps (the pack's default when left out)")
    p.add_argument("--oracle", action="store_true", help="synthetic: also score the data's own image and text targets")
    p.set_defaults(func=cmd_eval)

    from .goldens import GOLDEN_DIR

    p = groups["golden"].add_parser("garment", help="CLIP BPE ids, scheduler trajectories, tiny pack, graph and pipeline goldens")
    p.add_argument("--out", type=Path, default=GOLDEN_DIR)
    p.set_defaults(func=cmd_golden)

    from .sketches import register as register_sketches

    register_sketches(groups)
