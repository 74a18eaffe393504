"""Reference tokenizer for motif packs: transformers' BertTokenizer, shaped like cn_clip.clip.tokenize.

cn_clip.clip.tokenize(text, 52) = [CLS] + wordpiece ids[:50] + [SEP], then zeros to 52. Special-token
strings typed by a user ("[CLS]") are split as ordinary text, as cn_clip's FullTokenizer does.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from . import contract

MAX_CHARS_PER_WORD = 200


@lru_cache(maxsize=4)
def bert_tokenizer(vocab: str):
    from transformers import BertTokenizer

    tok = BertTokenizer(vocab, do_lower_case=True, tokenize_chinese_chars=True, strip_accents=None)
    # cn_clip's WordpieceTokenizer gives up on words over 200 characters; transformers' default is 100.
    tok.wordpiece_tokenizer.max_input_chars_per_word = MAX_CHARS_PER_WORD
    return tok


def wordpieces(text: str, vocab: Path) -> list[str]:
    """BertTokenizer's own two stages, called without its never-split list of special tokens."""
    tok = bert_tokenizer(str(vocab))
    return [piece for word in tok.basic_tokenizer.tokenize(text) for piece in tok.wordpiece_tokenizer.tokenize(word)]


def encode(text: str, vocab: Path, context_length: int = contract.CONTEXT_LENGTH) -> list[int]:
    tok = bert_tokenizer(str(vocab))
    pieces = tok.convert_tokens_to_ids(wordpieces(text, vocab))[: context_length - 2]
    ids = [tok.cls_token_id, *pieces, tok.sep_token_id]
    return ids + [tok.pad_token_id] * (context_length - len(ids))
