import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOLDEN_DIR, Golden } from '../testing/golden';
import { ClipTokenizer } from './clip-bpe';
import { cleanPrompt } from './text-cleanup';

// Made by tools/models/garment/goldens.py (clip_tokens()): transformers' CLIPTokenizer with ftfy,
// checked there against open_clip's tokenizer. The vocabulary is the tiny pack's tokenizer folder.
const golden = new Golden<{ prompts: string[]; contextLength: number; padId: number }>('clip_bpe_tokens');
const folder = path.join(GOLDEN_DIR, 'garment-tiny-pack', 'tokenizer');

function tokenizer(): ClipTokenizer {
  return new ClipTokenizer({
    vocab: JSON.parse(readFileSync(path.join(folder, 'vocab.json'), 'utf8')) as Record<string, number>,
    merges: readFileSync(path.join(folder, 'merges.txt'), 'utf8'),
  });
}

describe('CLIP BPE tokenizer', () => {
  const tok = tokenizer();
  const ids = golden.array('ids');
  const { prompts, contextLength } = golden.meta;

  it('gives the same 77 ids as transformers for every golden prompt, Chinese and English', () => {
    expect(ids.shape).toEqual([prompts.length, contextLength]);
    const wrong: string[] = [];
    prompts.forEach((prompt, row) => {
      const expected = Array.from(ids.data.subarray(row * contextLength, (row + 1) * contextLength), Number);
      if (JSON.stringify(tok.encode(prompt)) !== JSON.stringify(expected)) wrong.push(prompt);
    });
    expect(wrong).toEqual([]);
    expect(prompts.some((p) => /\p{Script=Han}/u.test(p))).toBe(true);
  });

  it('drops BOS and EOS typed into a prompt, so it cannot end itself early', () => {
    expect(tok.tokenize('a <|endoftext|> b')).toEqual(tok.tokenize('a b'));
  });

  it('keeps EOS last when it truncates a long prompt', () => {
    const out = tok.encode('garment '.repeat(200));
    expect(out).toHaveLength(77);
    expect(out[0]).toBe(tok.bosId);
    expect(out[76]).toBe(tok.eosId);
  });

  it('cleans text the way ftfy + whitespace_clean + lower do', () => {
    expect(cleanPrompt('  ＦＵＬＬ\u3000ｗｉｄｔｈ\t&amp; “curly”  ﬁt\r\n')).toBe('full width & "curly" fit');
  });

  it('names a token missing from the vocabulary', () => {
    expect(() => new ClipTokenizer({ vocab: { a: 0 }, merges: '#version: 0.2\n' })).toThrow(/startoftext/);
  });
});
