"""The motif commands, attached to the toolchain's CLI (tools/models/__main__.py) under its verbs:

  convert chinese-clip SOURCE OUT   checkpoint / HF folder / ONNX pair -> motif pack
  golden bert                       tokenizer golden ids (golden/tokenizer.jsonl)
  golden motif                      golden graph outputs of the default pack (golden/motif-default.json)
  samples motif                     procedural sample motifs (resources/motifs/samples)
  train motif                       train + package the default pack (resources/models/motif-default)
  eval motif                        held-out retrieval figures of a pack

Also runnable alone: python -m tools.models.motif <verb> <noun> ...
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def _convert(args: argparse.Namespace) -> int:
    from .convert import ConvertError, convert

    try:
        manifest = convert(
            Path(args.source), Path(args.out), image_source=Path(args.image) if args.image else None,
            vocab=Path(args.vocab) if args.vocab else None, pack_id=args.id, version=args.version, name=args.name,
            licence=args.licence, logit_scale=args.logit_scale, text_heads=args.text_heads, vision_heads=args.vision_heads,
        )
    except ConvertError as error:
        print(f"convert chinese-clip: {error}", file=sys.stderr)
        return 2
    motif = manifest["motif"]
    print(f"wrote {args.out}: layout {motif['layout']}, dim {motif['embeddingDim']}, image {motif['preprocess']['imageSize']}, "
          f"parity {manifest['parity'] or 'n/a (ONNX source)'}")
    return 0


def _golden_bert(args: argparse.Namespace) -> int:
    from . import golden_tokens

    return golden_tokens.main(check=args.check)


def _golden_motif(args: argparse.Namespace) -> int:
    from . import golden_graphs

    print(f"wrote {golden_graphs.write(Path(args.pack), Path(args.out))}")
    return 0


def _samples(_: argparse.Namespace) -> int:
    from . import samples

    return samples.main()


def _train(args: argparse.Namespace) -> int:
    from . import train

    if not args.no_nice:
        os.nice(10)  # the build machines' cores are shared
    if not args.package_only:
        train.train_checkpoint(Path(args.checkpoint), steps=args.steps, batch=args.batch, seed=args.seed, threads=args.threads)
    train.package(Path(args.checkpoint), Path(args.out))
    return 0


def _eval(args: argparse.Namespace) -> int:
    from . import evaluate

    return evaluate.main(Path(args.pack), Path(args.heritage))


def add_commands(verbs: dict[str, argparse._SubParsersAction]) -> None:
    """verbs: the shared CLI's sub-parser groups by verb ("convert", "golden", "samples", "train", "eval")."""
    from . import data, golden_graphs, train

    if "convert" in verbs:
        p = verbs["convert"].add_parser("chinese-clip", help="Chinese-CLIP checkpoint or ONNX export -> motif pack")
        p.add_argument("source", help="HF ChineseCLIPModel folder, cn_clip .pt, text .onnx (with --image) or a folder with both .onnx")
        p.add_argument("out", help="new pack folder")
        p.add_argument("--image", help="the image .onnx when SOURCE is the text .onnx")
        p.add_argument("--vocab", help="vocab.txt (default: the source's, else Chinese-CLIP's 21128-token vocab)")
        p.add_argument("--id", default="chinese-clip")
        p.add_argument("--version", default="1.0.0")
        p.add_argument("--name", default="Chinese-CLIP")
        p.add_argument("--licence", default="MIT (Chinese-CLIP code and weights, OFA-Sys)")
        p.add_argument("--logit-scale", type=float, help="default: the checkpoint's, or 100 for ONNX sources")
        p.add_argument("--text-heads", type=int, help="cn_clip .pt only: attention heads (default hidden / 64)")
        p.add_argument("--vision-heads", type=int, help="cn_clip .pt only: attention heads (default width / 64)")
        p.set_defaults(func=_convert)
    if "golden" in verbs:
        p = verbs["golden"].add_parser("bert", help="BERT WordPiece golden ids for the TS tokenizer")
        p.add_argument("--check", action="store_true", help="compare with the committed file instead of writing")
        p.set_defaults(func=_golden_bert)
        p = verbs["golden"].add_parser("motif", help="golden outputs of a motif pack's graphs")
        p.add_argument("--pack", default=str(train.DEFAULT_OUT))
        p.add_argument("--out", default=str(golden_graphs.DEFAULT_TARGET))
        p.set_defaults(func=_golden_motif)
    if "samples" in verbs:
        verbs["samples"].add_parser("motif", help="procedural sample motifs").set_defaults(func=_samples)
    if "train" in verbs:
        p = verbs["train"].add_parser("motif", help="train and package the default motif pack")
        p.add_argument("--out", default=str(train.DEFAULT_OUT))
        p.add_argument("--checkpoint", default=str(train.DEFAULT_CHECKPOINT))
        p.add_argument("--steps", type=int, default=900)
        p.add_argument("--batch", type=int, default=32)
        p.add_argument("--seed", type=int, default=0)
        p.add_argument("--threads", type=int, default=1, help="1 wastes least CPU on a busy shared machine")
        p.add_argument("--package-only", action="store_true", help="skip training; package the saved checkpoint")
        p.add_argument("--no-nice", action="store_true")
        p.set_defaults(func=_train)
    if "eval" in verbs:
        p = verbs["eval"].add_parser("motif", help="held-out retrieval figures of a motif pack")
        p.add_argument("--pack", default=str(train.DEFAULT_OUT))
        p.add_argument("--heritage", default=str(data.HERITAGE),
                       help="folder in the heritage layout (captions.jsonl, images/); default: the full shared collection")
        p.set_defaults(func=_eval)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.models.motif", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    verbs_action = parser.add_subparsers(dest="verb", required=True)
    verbs = {v: verbs_action.add_parser(v).add_subparsers(dest="noun", required=True)
             for v in ("convert", "golden", "samples", "train", "eval")}
    add_commands(verbs)
    args = parser.parse_args(argv)
    return args.func(args)
