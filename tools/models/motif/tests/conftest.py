"""Shared fixtures of the motif tests."""
from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import VOCAB, tiny_chinese_clip


@pytest.fixture(autouse=True)
def quiet_tracer():
    """torch.onnx.export warns about every shape check it freezes into the graph; the parity checks are what count."""
    import warnings

    import torch

    warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)
    warnings.filterwarnings("ignore", message=".*legacy.*", category=UserWarning)
    yield


@pytest.fixture(scope="session")
def hf_folder(tmp_path_factory) -> Path:
    """A ChineseCLIPModel folder as save_pretrained writes it, with Chinese-CLIP's vocab beside it."""
    import shutil

    folder = tmp_path_factory.mktemp("hf") / "tiny-chinese-clip"
    tiny_chinese_clip().save_pretrained(folder)
    shutil.copyfile(VOCAB, folder / "vocab.txt")
    return folder


@pytest.fixture(scope="session")
def converted_pack(hf_folder, tmp_path_factory) -> Path:
    from tools.models.motif.convert import convert

    out = tmp_path_factory.mktemp("packs") / "from-hf"
    convert(hf_folder, out, pack_id="tiny-chinese-clip")
    return out
