"""`golden bert`: tokenizer ids for the TypeScript tokenizer's parity tests.

Writes golden/tokenizer.jsonl: a header line (vocab sha256, reference, context length), then one line
per prompt {"text", "ids"} with ids as Chinese-CLIP feeds them ([1, 52] row, zero padded).
Byte-for-byte reproducible: python -m tools.models golden bert
"""
from __future__ import annotations

import json
from pathlib import Path

from ..common.hashing import sha256_file
from . import contract, prompts, tokenizer
from .convert import BUNDLED_VOCAB

TARGET = Path(__file__).parent / "golden" / "tokenizer.jsonl"


def build(vocab: Path = BUNDLED_VOCAB) -> str:
    import transformers

    texts = prompts.all_prompts()
    header = {
        "reference": f"transformers {transformers.__version__} BertTokenizer(do_lower_case=True) basic_tokenizer + wordpiece_tokenizer (max 200 chars per word, no never-split)",
        "shape": "cn_clip.clip.tokenize: [CLS] + ids[:50] + [SEP], padded with 0",
        "vocab": "tools/models/motif/vocab/vocab.txt",
        "vocabSha256": sha256_file(vocab),
        "contextLength": contract.CONTEXT_LENGTH,
        "count": len(texts),
    }
    lines = [json.dumps(header, ensure_ascii=False)]
    for text in texts:
        lines.append(json.dumps({"text": text, "ids": tokenizer.encode(text, vocab)}, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def main(target: Path = TARGET, check: bool = False) -> int:
    text = build()
    if check:
        same = target.is_file() and target.read_text(encoding="utf-8") == text
        print(f"{target}: {'up to date' if same else 'DIFFERS from a fresh build'}")
        return 0 if same else 1
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target} ({text.count(chr(10)) - 1} prompts)")
    return 0
