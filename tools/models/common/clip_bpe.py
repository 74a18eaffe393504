"""OpenAI CLIP's byte-level BPE vocabulary in the layout transformers' CLIPTokenizer reads.

The vocabulary cannot come from a model hub here, so it is derived from the copy of OpenAI's
`bpe_simple_vocab_16e6.txt.gz` that ships inside the open_clip_torch wheel, exactly as
open_clip.tokenizer.SimpleTokenizer builds its table: 256 byte symbols, the same with `</w>`,
48894 merges, then `<|startoftext|>` and `<|endoftext|>` (49408 ids).
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import sys
from functools import lru_cache
from pathlib import Path

VOCAB_SIZE = 49408
BOS = "<|startoftext|>"
EOS = "<|endoftext|>"
CONTEXT_LENGTH = 77


def open_clip_dir() -> Path:
    spec = importlib.util.find_spec("open_clip")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("open_clip_torch is not installed; run tools/models/setup.sh")
    return Path(list(spec.submodule_search_locations)[0])


def bpe_gz_path() -> Path:
    return open_clip_dir() / "bpe_simple_vocab_16e6.txt.gz"


def bytes_to_unicode() -> dict[int, str]:
    """GPT-2's reversible byte -> printable character table (the same in open_clip and transformers)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def derive() -> tuple[dict[str, int], list[str]]:
    lines = gzip.open(bpe_gz_path()).read().decode("utf-8").split("\n")
    merges = lines[1 : 49152 - 256 - 2 + 1]
    pairs = [tuple(m.split()) for m in merges]
    symbols = list(bytes_to_unicode().values())
    vocab_list = symbols + [s + "</w>" for s in symbols] + ["".join(p) for p in pairs] + [BOS, EOS]
    if len(vocab_list) != VOCAB_SIZE:
        raise RuntimeError(f"derived {len(vocab_list)} tokens, expected {VOCAB_SIZE}")
    return {tok: i for i, tok in enumerate(vocab_list)}, [" ".join(p) for p in pairs]


def write_tokenizer_files(out_dir: Path) -> list[Path]:
    """vocab.json, merges.txt and the two small config files of an SD 1.5 `tokenizer/` folder.
    Compact JSON keeps vocab.json near 1 MB inside packs."""
    vocab, merges = derive()
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / "vocab.json", out_dir / "merges.txt", out_dir / "special_tokens_map.json", out_dir / "tokenizer_config.json"]
    paths[0].write_text(json.dumps(vocab, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    paths[1].write_text("#version: 0.2\n" + "\n".join(merges) + "\n", encoding="utf-8")
    special = {"bos_token": BOS, "eos_token": EOS, "pad_token": EOS, "unk_token": EOS}
    paths[2].write_text(json.dumps(special, indent=2) + "\n", encoding="utf-8")
    config = {
        "tokenizer_class": "CLIPTokenizer",
        "model_max_length": CONTEXT_LENGTH,
        "do_lower_case": True,
        "add_prefix_space": False,
        "errors": "replace",
        **special,
    }
    paths[3].write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return paths


@lru_cache(maxsize=1)
def open_clip_tokenizer():
    """open_clip's SimpleTokenizer, loaded from its file: importing the open_clip package would pull
    torchvision and timm, which the toolchain does not install."""
    path = open_clip_dir() / "tokenizer.py"
    spec = importlib.util.spec_from_file_location("jinxiu_open_clip_tokenizer", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module.SimpleTokenizer(bpe_path=str(bpe_gz_path()))


def hf_tokenizer(tokenizer_dir: Path):
    from transformers import CLIPTokenizer

    return CLIPTokenizer.from_pretrained(str(tokenizer_dir))


def encode(tokenizer, text: str, context_length: int = CONTEXT_LENGTH) -> list[int]:
    """SD 1.5's text input: BOS, BPE ids, EOS, truncated to the context with EOS kept last, padded with
    EOS (SD's tokenizer pads with `<|endoftext|>`, id 49407). The special tokens typed as text are
    removed first: a prompt must not be able to end itself early (PACKS.md)."""
    text = text.replace(BOS, " ").replace(EOS, " ")
    return tokenizer(text, padding="max_length", max_length=context_length, truncation=True)["input_ids"]
