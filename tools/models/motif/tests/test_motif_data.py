"""Golden files, vocab provenance, procedural samples, LACLIP scoring and the training command."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tools.models.motif import data, evaluate, golden_tokens, samples
from tools.models.motif.vocab import fetch_vocab

from .helpers import VOCAB

ROOT = Path(__file__).resolve().parents[4]


def test_vocab_is_chinese_clips_own():
    assert fetch_vocab.main.__module__  # the module that regenerates it is importable
    import hashlib

    assert hashlib.sha256(VOCAB.read_bytes()).hexdigest() == fetch_vocab.SHA256
    tokens = VOCAB.read_text(encoding="utf-8").split("\n")[:-1]
    assert len(tokens) == 21128
    assert [tokens[i] for i in (0, 100, 101, 102, 103)] == ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def test_tokenizer_golden_regenerates_byte_for_byte():
    assert golden_tokens.build() == golden_tokens.TARGET.read_text(encoding="utf-8")


def test_tokenizer_golden_covers_what_the_issue_asks():
    _, rows = golden_tokens.load()
    texts = [r["text"] for r in rows]
    assert len(rows) >= 500
    assert all(len(r["ids"]) == 52 and r["ids"][0] == 101 for r in rows)
    assert sum(1 for r in rows if 102 not in r["ids"][:51] and r["ids"][51] == 102) >= 10  # truncated to 52
    assert any("👗" in t for t in texts) and any("１２３" in t for t in texts) and any("，" in t for t in texts)
    assert any(any("\u4e00" <= ch <= "\u9fff" for ch in t) and any(ch.isascii() and ch.isalpha() for ch in t) for t in texts)
    assert any(100 in r["ids"] for r in rows)  # [UNK] is exercised


def test_tokenizer_golden_refers_to_the_heritage_captions_instead_of_copying_them():
    """Every heritage prompt is a reference to a record of test-fixtures/heritage_motifs, none of their text is in the file."""
    raw = golden_tokens.TARGET.read_text(encoding="utf-8")
    rows = [json.loads(line) for line in raw.splitlines()[1:]]
    assert all(("text" in r) != ("source" in r) and set(r) <= {"text", "source", "ids"} for r in rows)
    refs = [r["source"] for r in rows if "source" in r]
    records = [json.loads(line) for line in (data.HERITAGE_SAMPLE / "captions.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    assert {r["dataset"] for r in refs} == {"heritage_motifs"}
    assert {(r["id"], r["field"]) for r in refs} == {(r["id"], f) for r in records
                                                     for f in ("title_zh", "title_en", "caption_zh", "caption_en", "context_en") if r.get(f)}
    copied = [r[f] for r in records for f in ("caption_zh", "caption_en", "context_en", "title_zh", "title_en")
              if len(r.get(f) or "") >= 8 and (r[f] in raw or json.dumps(r[f])[1:-1] in raw)]
    assert copied == []


def test_golden_references_resolve_against_a_data_folder(tmp_path):
    from tools.models.motif import prompts

    (tmp_path / "heritage_motifs").mkdir()
    record = {"id": "made_up_vase", "caption_zh": "虚构的青花瓶", "caption_en": "A made-up vase"}
    (tmp_path / "heritage_motifs" / "captions.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    ref = {"dataset": "heritage_motifs", "id": "made_up_vase", "field": "caption_zh"}
    assert prompts.resolve(ref, tmp_path) == "虚构的青花瓶"
    assert prompts.resolve({**ref, "id": "agate_snuff_bottle_qing400"}).startswith("玛瑙")  # default: test-fixtures/
    with pytest.raises(prompts.UnresolvedReference, match="no record with id 'gone_vase' in"):
        prompts.resolve({**ref, "id": "gone_vase"}, tmp_path)
    with pytest.raises(prompts.UnresolvedReference, match="no text field 'context_en'"):
        prompts.resolve({**ref, "field": "context_en"}, tmp_path)
    with pytest.raises(prompts.UnresolvedReference, match="unknown transform"):
        prompts.resolve({**ref, "transform": "first_10_chars"}, tmp_path)
    with pytest.raises(prompts.UnresolvedReference, match="unknown dataset"):
        prompts.resolve({**ref, "dataset": "garment_flats"}, tmp_path)
    with pytest.raises(prompts.UnresolvedReference, match="not found"):
        prompts.resolve(ref, tmp_path / "nowhere")


def test_samples_regenerate_pixel_for_pixel(tmp_path):
    records = samples.generate(tmp_path)
    committed = samples.OUT
    assert (tmp_path / "captions.jsonl").read_text(encoding="utf-8") == (committed / "captions.jsonl").read_text(encoding="utf-8")
    assert len(records) == 48 and {r["family"] for r in records} == set(samples.FAMILIES)
    for record in records[::7]:
        a = np.asarray(Image.open(tmp_path / record["image"]))
        b = np.asarray(Image.open(committed / record["image"]))
        assert a.shape == (256, 256, 3) and np.array_equal(a, b), record["id"]


def test_held_out_rule_is_stable_and_about_a_fifth():
    ids = [f"motif_{i:04d}" for i in range(1000)]  # the rule hashes ids, so any set of ids shows its share
    held = [i for i in ids if data.held_out(i)]
    assert 0.12 < len(held) / len(ids) < 0.28
    assert data.held_out("agate_snuff_bottle_qing400") == (int(__import__("hashlib").sha256(b"agate_snuff_bottle_qing400").hexdigest()[:8], 16) % 5 == 0)


def test_laclip_scores_follow_the_formula():
    rng = np.random.default_rng(0)
    unit = lambda a: a / np.linalg.norm(a, axis=-1, keepdims=True)  # noqa: E731
    g, v, t = unit(rng.standard_normal((3, 8))), unit(rng.standard_normal((3, 5, 8))), unit(rng.standard_normal((4, 8)))
    np.testing.assert_allclose(evaluate.laclip_scores(g, v, t, 1.0, 0.1), g @ t.T)
    tau, beta = 0.2, 0.3
    for n in range(3):
        w = np.exp(v[n] @ g[n] / tau)
        w /= w.sum()
        want = beta * g[n] @ t.T + (1 - beta) * sum(w[j] * (v[n, j] @ t.T) for j in range(5))
        np.testing.assert_allclose(evaluate.laclip_scores(g, v, t, beta, tau)[n], want, rtol=1e-12)


def test_recall_counts_ranks():
    scores = np.array([[0.9, 0.1, 0.0], [0.8, 0.5, 0.0], [0.0, 0.2, 0.1]])  # right answers on the diagonal
    assert evaluate.recall_at(scores) == {"R@1": pytest.approx(100 / 3, abs=0.1), "R@5": 100.0, "R@10": 100.0}


def test_crops_tile_the_image():
    image = Image.new("RGB", (200, 100))
    crops = data.laclip_crops(image)
    assert [c.size for c in crops] == [(100, 50)] * 4 + [(100, 50)]
