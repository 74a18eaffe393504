"""`golden bert`: tokenizer ids for the TypeScript tokenizer's parity tests.

Writes golden/tokenizer.jsonl: a header line (vocab sha256, reference, context length, where the
heritage captions live), then one line per prompt with ids as Chinese-CLIP feeds them ([1, 52] row, zero padded):
  {"text": "...", "ids": [...]}                                              the project's own prompts
  {"source": {"dataset": "heritage_motifs", "id": "...", "field": "caption_zh"}, "ids": [...]}
The second form stands for a field of a record of the repository's heritage sample (CC BY 2.5,
test-fixtures/heritage_motifs/captions.jsonl, whose hash the header pins); readers resolve it there, see load().
An optional "transform" names a derived variant (prompts.TRANSFORMS); readers refuse names they do not know.
Byte-for-byte reproducible: python -m tools.models golden bert
"""
from __future__ import annotations

import json
from pathlib import Path

from ..common.hashing import sha256_file
from ..common.shared_data import REPO
from . import contract, prompts, tokenizer
from .convert import BUNDLED_VOCAB

TARGET = Path(__file__).parent / "golden" / "tokenizer.jsonl"


def data_header(root: Path) -> dict:
    datasets = {}
    for name, (rel, key) in prompts.DATASETS.items():
        # the hash pins the data version the ids were made from; a changed file shows up as a --check failure
        datasets[name] = {"file": rel, "key": key, "sha256": sha256_file(root / rel)}
    return {"root": root.relative_to(REPO).as_posix(), "datasets": datasets}


def build(vocab: Path = BUNDLED_VOCAB) -> str:
    import transformers

    entries = prompts.all_prompts()
    header = {
        "reference": f"transformers {transformers.__version__} BertTokenizer(do_lower_case=True) basic_tokenizer + wordpiece_tokenizer (max 200 chars per word, no never-split)",
        "shape": "cn_clip.clip.tokenize: [CLS] + ids[:50] + [SEP], padded with 0",
        "vocab": "tools/models/motif/vocab/vocab.txt",
        "vocabSha256": sha256_file(vocab),
        "contextLength": contract.CONTEXT_LENGTH,
        "count": len(entries),
        "data": data_header(prompts.fixture_root()),
    }
    lines = [json.dumps(header, ensure_ascii=False)]
    for entry in entries:
        ids = tokenizer.encode(entry.text, vocab)
        row = {"source": entry.source, "ids": ids} if entry.source else {"text": entry.text, "ids": ids}
        lines.append(json.dumps(row, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def load(target: Path = TARGET, root: Path | None = None) -> tuple[dict, list[dict]]:
    """The header and the rows, each row with its "text" (resolved from the fixture data where it is a reference)."""
    lines = target.read_text(encoding="utf-8").splitlines()
    header, rows = json.loads(lines[0]), [json.loads(line) for line in lines[1:]]
    for row in rows:
        if "source" in row:
            row["text"] = prompts.resolve(row["source"], root)
    return header, rows


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
