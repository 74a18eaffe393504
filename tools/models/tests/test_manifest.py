"""Manifest writing and the CLIP BPE files the packs ship."""

from __future__ import annotations

import json

import pytest

from tools.models.common import clip_bpe
from tools.models.common.manifest import write_manifest


def test_write_manifest_hashes_every_file_and_puts_files_last(tmp_path):
    (tmp_path / "a.onnx").write_bytes(b"abc")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("x")
    m = write_manifest(tmp_path, {"id": "jinxiu-test", "version": "1", "kind": "garment", "name": "t", "licence": "MIT"})
    assert list(m)[-1] == "files"
    assert m["files"][0] == {"path": "a.onnx", "sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "size": 3}
    assert m["files"][1]["path"] == "sub/b.txt"
    assert json.loads((tmp_path / "manifest.json").read_text()) == m


@pytest.mark.parametrize("bad, message", [({"id": "Bad Id"}, "id 'Bad Id'"), ({"kind": "lora"}, "kind 'lora'"),
                                          ({"licence": ""}, "licence is missing")])
def test_write_manifest_refuses_bad_fields(tmp_path, bad, message):
    (tmp_path / "a.onnx").write_bytes(b"abc")
    base = {"id": "jinxiu-test", "version": "1", "kind": "garment", "name": "t", "licence": "MIT"}
    with pytest.raises(ValueError, match=message):
        write_manifest(tmp_path, {**base, **bad})
    assert not (tmp_path / "manifest.json").exists()


def test_clip_vocab_is_openai_clips(tmp_path):
    vocab, merges = clip_bpe.derive()
    assert len(vocab) == 49408 and len(merges) == 48894
    assert vocab["<|startoftext|>"] == 49406 and vocab["<|endoftext|>"] == 49407
    assert vocab["a</w>"] == 320  # CLIP's id for "a", as in every SD 1.5 prompt


def test_fast_and_slow_tokenizers_agree_with_open_clip(tmp_path):
    import ftfy
    from transformers import CLIPTokenizerFast

    from tools.models.garment.prompts import garment_prompts

    clip_bpe.write_tokenizer_files(tmp_path)
    slow, fast = clip_bpe.hf_tokenizer(tmp_path), CLIPTokenizerFast.from_pretrained(str(tmp_path))
    reference = clip_bpe.open_clip_tokenizer()
    for prompt in garment_prompts()[:120]:
        ids = clip_bpe.encode(slow, prompt)
        # transformers' fast tokenizer skips ftfy; fed ftfy's text (full-width letters made ASCII and
        # so on) it agrees, which is why PACKS.md makes that normalisation part of the contract.
        assert clip_bpe.encode(fast, ftfy.fix_text(prompt)) == ids, prompt
        end = ids.index(49407)
        plain = prompt.replace("<|startoftext|>", " ").replace("<|endoftext|>", " ")
        assert reference(plain, context_length=77)[0].tolist()[: end + 1] == ids[: end + 1], prompt


def test_typed_special_tokens_cannot_end_a_prompt(tmp_path):
    clip_bpe.write_tokenizer_files(tmp_path)
    ids = clip_bpe.encode(clip_bpe.hf_tokenizer(tmp_path), "red <|endoftext|> dress")
    assert ids[:4] == [49406, 736, 2595, 49407]  # "red", "dress", then the one real EOS
