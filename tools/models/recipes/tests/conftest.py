"""Tiny twins in every public layout, the tiny recipes made from them by the full-size code path, and
the packs assembled from them, once per test session."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
import torch


def pytest_configure(config) -> None:
    from diffusers.utils import logging as dlog
    from transformers.utils import logging as tlog

    dlog.set_verbosity_error()
    tlog.set_verbosity_error()
    warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)
    warnings.filterwarnings("ignore", category=UserWarning)
    warnings.filterwarnings("ignore", category=FutureWarning)
    torch.set_num_threads(1)


@pytest.fixture(scope="session")
def twins(tmp_path_factory) -> dict[str, Path]:
    from tools.models.recipes.twins import write_chinese_clip_twin, write_garment_twins

    root = tmp_path_factory.mktemp("twins")
    paths = write_garment_twins(root / "garment", seed=3)
    paths["chinese_clip"] = write_chinese_clip_twin(root / "chinese_clip", seed=4)
    return paths


@pytest.fixture(scope="session")
def recipes(twins, tmp_path_factory) -> dict[str, Path]:
    from tools.models.recipes.build import build_tiny

    return build_tiny(tmp_path_factory.mktemp("recipes"), twins, twins["chinese_clip"])


def garment_files(twins: dict[str, Path]) -> dict[str, Path]:
    return {role: twins[role] for role in ("checkpoint", "ip_adapter", "image_encoder", "controlnet")}


@pytest.fixture(scope="session")
def packs(twins, recipes, tmp_path_factory) -> dict[str, Path]:
    from tools.models.recipes.assemble import assemble

    root = tmp_path_factory.mktemp("packs")
    assemble(recipes["sd15-garment"], garment_files(twins), root / "sd15-garment")
    assemble(recipes["sd15-garment-lcm"], {**garment_files(twins), "lcm": twins["lcm"]}, root / "sd15-garment-lcm")
    assemble(recipes["chinese-clip-motif"], {"checkpoint": twins["chinese_clip"]}, root / "chinese-clip-motif")
    return {name: root / name for name in ("sd15-garment", "sd15-garment-lcm", "chinese-clip-motif")}
