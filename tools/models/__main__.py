"""python -m tools.models <command> <target> ...  (run from the repository root with tools/models/.venv)

Commands group targets: `export garment`, `convert sd15-ipadapter`, `golden garment`, ... Each side
of the toolchain adds its targets to the groups: garment/cli.py `register`, motif/cli.py `add_commands`.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys

COMMANDS = {
    "export": "write a pack from a model built with diffusers/transformers classes",
    "convert": "turn a public checkpoint into a pack",
    "golden": "regenerate golden outputs for the TypeScript parity tests",
    "train": "train a small default pack on data the toolchain makes",
    "eval": "score a pack on a held-out set",
    "samples": "write procedural sample data the app ships",
    "cache": "draw data that training reads into tools/models/.cache (the studio's own rendering)",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tools.models", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="command")
    groups = {}
    for name, help_text in COMMANDS.items():
        sub = commands.add_parser(name, help=help_text)
        groups[name] = sub.add_subparsers(dest="target", required=True, metavar="target")
    from .garment.cli import register as register_garment

    register_garment(groups)
    from .recipes.cli import register as register_recipes

    register_recipes(groups)
    # The motif side registers its targets (convert chinese-clip, ...) once motif/cli.py exists.
    if importlib.util.find_spec(".motif.cli", __package__) is not None:
        from .motif.cli import add_commands as register_motif

        register_motif(groups)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    args.argv = argv  # model cards quote the command that made them
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
