"""Writes the app's committed tiny recipe fixtures (src/main/services/models/fixtures/), the twins and
tiny recipes exactly as twin-parity.ts and the pytest suite make them (twins.py, garment seed 3,
Chinese-CLIP seed 4; build.build_tiny, the full-size code path):

    tools/models/.venv/bin/python -m tools.models.recipes.fixtures            # write, then goldens
    tools/models/.venv/bin/python -m tools.models.recipes.fixtures --no-goldens

  tiny-sd15-garment/          checked, not written: its bytes must be what this makes (it came first);
                              --rewrite-garment-recipe writes its recipe/ after a deliberate graph change
  tiny-sd15-garment-lcm/      recipe/  the sd15-garment-lcm recipe (templatesFrom: sd15-garment, so
                                       it installs beside tiny-sd15-garment/recipe as recipes/sd15-garment)
                              sources/ checkpoint, ip_adapter, image_encoder, controlnet (the same
                                       bytes as tiny-sd15-garment's) and lcm: the kohya-layout LCM-LoRA twin
  tiny-chinese-clip-motif/    recipe/  the chinese-clip-motif recipe with its vocab.txt
                              sources/ checkpoint: the HF ChineseCLIPModel-layout model.safetensors
                                       (config.json beside it, as the Hugging Face repository has it)

Then fixture_goldens.py writes each folder's golden.{json,bin} (the Python references the app's
parity tests read). Seeded: a rerun writes the same bytes.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import tempfile
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "src" / "main" / "services" / "models" / "fixtures"
GARMENT_SEED, CHINESE_CLIP_SEED = 3, 4
GARMENT_ROLES = ("checkpoint", "ip_adapter", "image_encoder", "controlnet")


def make_twins(root: Path) -> tuple[dict[str, Path], dict[str, Path]]:
    """The twins (twins.py) and the three tiny recipes (build_tiny) under `root`."""
    from .build import build_tiny
    from .twins import write_chinese_clip_twin, write_garment_twins

    twins = write_garment_twins(root / "twins" / "garment", seed=GARMENT_SEED)
    twins["chinese_clip"] = write_chinese_clip_twin(root / "twins" / "chinese_clip", seed=CHINESE_CLIP_SEED)
    return twins, build_tiny(root / "recipes", twins, twins["chinese_clip"])


def tree_differences(made: Path, committed: Path) -> list[str]:
    cmp = filecmp.dircmp(made, committed)
    out = [f"{committed / n}: only one side has it" for n in cmp.left_only + cmp.right_only]
    out += [str(committed / n) for n in cmp.diff_files
            if not filecmp.cmp(made / n, committed / n, shallow=False)]
    for sub in cmp.common_dirs:
        out += tree_differences(made / sub, committed / sub)
    return out


def check_garment_fixture(twins: dict[str, Path], recipes: dict[str, Path]) -> list[str]:
    """Differences between what this makes and the committed tiny-sd15-garment (empty: the same)."""
    committed = FIXTURES / "tiny-sd15-garment"
    problems = tree_differences(recipes["sd15-garment"], committed / "recipe")
    for role in GARMENT_ROLES:
        if not filecmp.cmp(twins[role], committed / "sources" / f"{role}.safetensors", shallow=False):
            problems.append(f"{committed}/sources/{role}.safetensors")
    return problems


def _fresh(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "sources").mkdir(parents=True)
    return folder


LCM_README = """# tiny-sd15-garment-lcm

The toolchain's tiny sd15-garment-lcm recipe and its twins, written by
`tools/models/.venv/bin/python -m tools.models.recipes.fixtures` (do not edit by hand).

- `recipe/` has no graphs of its own (`templatesFrom: sd15-garment`): install it as `<recipes>/sd15-garment-lcm`
  beside `../tiny-sd15-garment/recipe` as `<recipes>/sd15-garment`.
- `sources/<role>.safetensors`, one per source role of recipe.json; `lcm` is an SD 1.5 LoRA in kohya's key
  layout (`lora_unet_..._proj_in.lora_down.weight`, `.lora_up.weight`, `.alpha`, F16), as
  latent-consistency/lcm-lora-sdv1-5 ships it. The other four are byte for byte tiny-sd15-garment's.
- `golden.json` + `golden.bin`: the Python references for lcm-parity.test.ts (fixture_goldens.py).
"""
MOTIF_README = """# tiny-chinese-clip-motif

The toolchain's tiny chinese-clip-motif recipe and its twin, written by
`tools/models/.venv/bin/python -m tools.models.recipes.fixtures` (do not edit by hand).

- `recipe/`: install as `<recipes>/chinese-clip-motif`; `recipe/pack/vocab.txt` is Chinese-CLIP's vocabulary.
- `sources/checkpoint.safetensors`: transformers' ChineseCLIPModel keys (`model.safetensors` of the Hugging Face
  layout, random weights); `config.json` is its configuration, for Python readers only (not a recipe source).
- `golden.json` + `golden.bin`: the Python references for chinese-clip-parity.test.ts (fixture_goldens.py).
"""


def write_lcm_fixture(twins: dict[str, Path], recipes: dict[str, Path]) -> Path:
    out = _fresh(FIXTURES / "tiny-sd15-garment-lcm")
    (out / "README.md").write_text(LCM_README)
    shutil.copytree(recipes["sd15-garment-lcm"], out / "recipe")
    for role in (*GARMENT_ROLES, "lcm"):
        shutil.copyfile(twins[role], out / "sources" / f"{role}.safetensors")
    return out


def write_motif_fixture(twins: dict[str, Path], recipes: dict[str, Path]) -> Path:
    out = _fresh(FIXTURES / "tiny-chinese-clip-motif")
    (out / "README.md").write_text(MOTIF_README)
    shutil.copytree(recipes["chinese-clip-motif"], out / "recipe")
    shutil.copyfile(twins["chinese_clip"], out / "sources" / "checkpoint.safetensors")
    shutil.copyfile(twins["chinese_clip"].parent / "config.json", out / "sources" / "config.json")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-goldens", action="store_true", help="write the fixtures only")
    parser.add_argument("--rewrite-garment-recipe", action="store_true",
                        help="after a deliberate graph change (templates.py, graphs.py, attention.py): write "
                             "tiny-sd15-garment/recipe from what this makes; its sources must still match")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    import torch

    torch.set_num_threads(1)  # goldens must not depend on the core count
    with tempfile.TemporaryDirectory() as tmp:
        twins, recipes = make_twins(Path(tmp))
        if args.rewrite_garment_recipe:
            committed = FIXTURES / "tiny-sd15-garment" / "recipe"
            shutil.rmtree(committed)
            shutil.copytree(recipes["sd15-garment"], committed)
            print(f"rewrote {committed}")
        problems = check_garment_fixture(twins, recipes)
        if problems:
            print("tiny-sd15-garment is not what the seeds make; its tests and these fixtures would disagree:")
            print("\n".join(f"  {p}" for p in problems))
            return 1
        lcm, motif = write_lcm_fixture(twins, recipes), write_motif_fixture(twins, recipes)
        print(f"wrote {lcm} and {motif}")
        if not args.no_goldens:
            from . import fixture_goldens

            fixture_goldens.write_all(twins, lcm, motif, Path(tmp) / "goldens")
            print("wrote their golden.json and golden.bin")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
