"""Chinese-CLIP's own code (the cn_clip package) as a reference, loaded without torchvision.

cn_clip/clip/__init__.py imports utils.py, which needs torchvision for its image transforms; the
model and the tokenizer need only torch and six. This registers `cn_clip.clip` as a bare package
whose `_tokenizer` is cn_clip's FullTokenizer, then imports model.py from it.
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from functools import lru_cache
from pathlib import Path


def clip_dir() -> Path:
    spec = importlib.util.find_spec("cn_clip")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("cn_clip is not installed; run tools/models/setup.sh")
    return Path(list(spec.submodule_search_locations)[0]) / "clip"


@lru_cache(maxsize=1)
def _package() -> types.ModuleType:
    folder = clip_dir()
    if "cn_clip.clip" in sys.modules and hasattr(sys.modules["cn_clip.clip"], "_tokenizer"):
        return sys.modules["cn_clip.clip"]
    importlib.import_module("cn_clip")
    package = types.ModuleType("cn_clip.clip")
    package.__path__ = [str(folder)]
    sys.modules["cn_clip.clip"] = package
    tokenizer_module = importlib.import_module("cn_clip.clip.bert_tokenizer")
    package._tokenizer = tokenizer_module.FullTokenizer()
    return package


def full_tokenizer(vocab: Path | None = None):
    package = _package()
    if vocab is None:
        return package._tokenizer
    return importlib.import_module("cn_clip.clip.bert_tokenizer").FullTokenizer(vocab_file=str(vocab))


def tokenize(text: str, vocab: Path | None = None, context_length: int = 52) -> list[int]:
    """cn_clip.clip.utils.tokenize for one text, restated (utils.py cannot be imported here)."""
    tok = full_tokenizer(vocab)
    ids = [tok.vocab["[CLS]"]] + tok.convert_tokens_to_ids(tok.tokenize(text))[: context_length - 2] + [tok.vocab["[SEP]"]]
    return ids + [0] * (context_length - len(ids))


def clip_class():
    _package()
    return importlib.import_module("cn_clip.clip.model").CLIP
