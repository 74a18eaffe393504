"""Shared fixtures: one tiny HiGarment model folder and its pack per test session, built with the
same classes a real checkpoint uses (tools/models/garment/tiny.py)."""

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
    torch.set_num_threads(1)


@pytest.fixture(scope="session")
def higarment_folder(tmp_path_factory) -> Path:
    from tools.models.garment.tiny import write_higarment_folder

    return write_higarment_folder(tmp_path_factory.mktemp("higarment") / "model", seed=0)


@pytest.fixture(scope="session")
def higarment_pack(higarment_folder, tmp_path_factory) -> Path:
    from tools.models.__main__ import main

    out = tmp_path_factory.mktemp("packs") / "higarment"
    assert main(["export", "garment", "--model", str(higarment_folder), "--out", str(out), "--id", "test-higarment",
                 "--name", "test", "--licence", "MIT"]) == 0
    return out
