"""Prompts for the tokenizer golden file: heritage captions plus garment and fabric prompts.

Deterministic: the same inputs always give the same list in the same order.

The heritage captions come from the repository's sample of the shared collection (CC BY 2.5,
test-fixtures/heritage_motifs), so the golden and its tests need nothing beside the clone. A caption
prompt carries a reference {"dataset", "id", "field"} to the record it came from instead of a second
copy of the text, and readers resolve it against test-fixtures/. The project's own prompts (edge
cases, garments) carry their text.
"""
from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import data

# dataset name -> (file under test-fixtures/, key field of a record)
DATASETS = {"heritage_motifs": ("heritage_motifs/captions.jsonl", "id")}
# Derived variants (a truncation, a mix of two fields) go here by name as pure functions of the field's
# text, so a reference can say how to rebuild them. None in use: every caption prompt is a field as is.
# Readers refuse a name they do not know rather than guess.
TRANSFORMS: dict[str, Callable[[str], str]] = {}


class UnresolvedReference(ValueError):
    """A reference that does not resolve against the fixture data."""


@dataclass(frozen=True)
class Prompt:
    text: str
    source: dict | None = None  # {"dataset", "id", "field"} when the text is a heritage record's


GARMENTS = [("连衣裙", "dress"), ("衬衫", "shirt"), ("旗袍", "qipao"), ("夹克", "jacket"), ("半身裙", "skirt"),
            ("风衣", "trench coat"), ("卫衣", "hoodie"), ("马面裙", "mamian skirt"), ("西装", "blazer"), ("T恤", "T-shirt")]
FABRICS = [("牛仔布", "denim"), ("真丝", "silk"), ("雪纺", "chiffon"), ("亚麻", "linen"), ("羊毛", "wool"),
           ("灯芯绒", "corduroy"), ("缎面", "satin"), ("针织", "knit"), ("蕾丝", "lace"), ("织锦", "brocade")]
COLOURS = [("藏青色", "navy"), ("朱红", "vermilion"), ("米白", "off-white"), ("墨绿", "dark green"), ("黑色", "black")]
MOTIFS = [("祥云纹", "auspicious cloud scroll"), ("回纹", "key fret"), ("缠枝莲", "interlaced lotus"),
          ("海水江崖", "waves and cliffs"), ("龙纹", "dragon"), ("凤纹", "phoenix"), ("宝相花", "baoxiang flower"),
          ("联珠纹", "pearl roundel"), ("冰裂纹", "ice-crack lattice"), ("万字纹", "swastika fret")]

EDGE_CASES = [
    "", " ", "   多个   空格   ", "\t制表符\t与\n换行", "ＡＢＣ全角字母ａｂｃ", "全角数字１２３４５６", "全角标点：，。！？「」『』（）",
    "半角标点: , . ! ? ( ) [ ]", "Hello, World!", "UPPER lower MiXeD CaSe", "café résumé naïve façade", "Ångström ÉCOLE",
    "2024年春夏系列 SS24", "尺码 S/M/L/XL/XXL", "胸围 96cm 衣长 68.5cm", "3.14159 1,000,000 50% $199 ¥1299",
    "emoji 👗👘🧵🪡", "连衣裙👗配真丝🧵", "❤️ heart ✨ sparkle", "🇨🇳 flag", "[CLS] [SEP] [PAD] [UNK] [MASK]",
    "[cls] literal brackets", "<b>html</b> & entities &amp;", "email@example.com https://example.com/a?b=c",
    "unbelievably antidisestablishmentarianism", "supercalifragilisticexpialidocious", "x" * 120,
    "繁體中文：龍鳳呈祥，錦繡山河", "日本語のテキスト：着物と帯", "한국어 한복", "Ελληνικά", "Русский текст: шёлк",
    "العربية", "עברית", "ไทย ผ้าไหม", "हिन्दी", "mixed中English混合text", "denim牛仔布jacket夹克", "sub-word tokenisation's edge-cases",
    "don't can't won't", "a-b_c.d/e\\f", "～〜—–-…·•", "“弯引号”‘单引号’", "《书名号》〈尖括号〉", "①②③ ⅠⅡⅢ",
    "½ ¼ ¾ ² ³", "℃ ℉ ㎝ ㎏", "\u00a0non-breaking\u00a0space", "zero\u200bwidth\u200bspace", "control\x07char",
    "combining e\u0301 accent", "ﬁ ligature ﬂ", "tab\tseparated\tvalues", "𠀀𠀁 rare CJK ext-B 𪚥", "〇一二三四五六七八九十",
]


def garment_prompts() -> list[str]:
    out: list[str] = []
    # every third combination: with the heritage sample's few captions, these keep the file over 500 prompts
    for (gz, ge), (fz, fe), (cz, ce) in itertools.islice(itertools.product(GARMENTS, FABRICS, COLOURS), 0, None, 3):
        out.append(f"{cz}{fz}{gz}")
        out.append(f"a {ce} {fe} {ge}")
    for (mz, me), (gz, ge) in itertools.islice(itertools.product(MOTIFS, GARMENTS), 0, None, 3):
        out.append(f"{gz}上的{mz}刺绣")
        out.append(f"{me} embroidery on a {ge}")
        out.append(f"{ge} with {mz} 图案")
    long_zh = "，".join(f"{c}{f}{g}" for (g, _), (f, _), (c, _) in zip(GARMENTS, FABRICS, COLOURS * 2))
    long_en = ", ".join(f"a {c} {f} {g}" for (_, g), (_, f), (_, c) in zip(GARMENTS, FABRICS, COLOURS * 2))
    out += [long_zh, long_en, long_zh + long_en, "龙" * 60, "dragon " * 60, "缠枝莲纹" * 20 + " lotus scrolls"]
    return out


def caption_prompts(path: Path | None = None) -> list[Prompt]:
    out: list[Prompt] = []
    path = path or fixture_root() / DATASETS["heritage_motifs"][0]  # at call time, as the header's hash is
    with path.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    for record in records:
        # context_en: the long paragraphs, which the 52-token limit truncates
        for name in ("title_zh", "title_en", "caption_zh", "caption_en", "context_en"):
            if not record.get(name):
                continue
            source = {"dataset": "heritage_motifs", "id": record["id"], "field": name}
            out.append(Prompt(record[name], source))
    return out


def all_prompts() -> list[Prompt]:
    return [Prompt(text) for text in EDGE_CASES + garment_prompts()] + caption_prompts()


def fixture_root() -> Path:
    return data.FIXTURES


@lru_cache(maxsize=8)
def _records(path: str, key: str) -> dict[str, dict]:
    with open(path, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return {row[key]: row for row in rows}


def resolve(source: dict, root: Path | None = None) -> str:
    """The text a golden reference stands for, read from test-fixtures/ (or root, a folder of the same layout)."""
    unknown = set(source) - {"dataset", "id", "field", "transform"}
    if unknown:
        raise UnresolvedReference(f"reference {source}: unknown keys {sorted(unknown)}")
    if source.get("dataset") not in DATASETS:
        raise UnresolvedReference(f"reference {source}: unknown dataset (known: {sorted(DATASETS)})")
    rel, key = DATASETS[source["dataset"]]
    path = (root or fixture_root()) / rel
    if not path.is_file():
        raise UnresolvedReference(f"reference {source}: {path} not found")
    record = _records(str(path), key).get(source.get("id"))
    if record is None:
        raise UnresolvedReference(f"reference {source}: no record with {key} {source.get('id')!r} in {path}")
    if not isinstance(record.get(source.get("field")), str):
        raise UnresolvedReference(f"reference {source}: record has no text field {source.get('field')!r}")
    text = record[source["field"]]
    if "transform" in source:
        if source["transform"] not in TRANSFORMS:
            raise UnresolvedReference(f"reference {source}: unknown transform (known: {sorted(TRANSFORMS)})")
        text = TRANSFORMS[source["transform"]](text)
    return text
