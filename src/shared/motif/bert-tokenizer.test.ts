import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BertTokenizer, CONTEXT_LENGTH, basicTokenize } from './bert-tokenizer';

// Golden ids from transformers' BertTokenizer (tools/models/motif/golden_tokens.py, which records the
// reference and the vocabulary's hash in the file's first line).
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const GOLDEN = path.join(ROOT, 'tools/models/motif/golden/tokenizer.jsonl');
const VOCAB = path.join(ROOT, 'tools/models/motif/vocab/vocab.txt');

interface GoldenHeader {
  vocabSha256: string;
  contextLength: number;
  count: number;
  data: { root: string; datasets: Record<string, { file: string; key: string; sha256: string }> };
}
type GoldenLine = { ids: number[] } & ({ text: string } | { source: { dataset: string; id: string; field: string } });

/**
 * Prompts taken from the heritage captions are named, not copied: {source: {dataset, id, field}} is read
 * from the repository's heritage sample (test-fixtures/), whose file hash the header records.
 */
const records = new Map<string, Map<string, Record<string, unknown>>>();
function resolveText(line: GoldenLine, header: GoldenHeader): { text: string; ids: number[] } {
  if ('text' in line) return line;
  const dataset = header.data.datasets[line.source.dataset]!;
  let byKey = records.get(line.source.dataset);
  if (!byKey) {
    const file = path.join(ROOT, header.data.root, dataset.file);
    const bytes = fs.readFileSync(file);
    expect(
      createHash('sha256').update(bytes).digest('hex'),
      `${file} is not the data the goldens were made from: regenerate the goldens with \`tools/models/.venv/bin/python -m tools.models golden bert\``,
    ).toBe(dataset.sha256);
    byKey = new Map(
      bytes
        .toString('utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .map((r) => [String(r[dataset.key]), r]),
    );
    records.set(line.source.dataset, byKey);
  }
  const text = byKey.get(line.source.id)?.[line.source.field];
  if (typeof text !== 'string') throw new Error(`The golden names ${JSON.stringify(line.source)}, which the data does not have.`);
  return { text, ids: line.ids };
}

describe('BertTokenizer against the golden ids', () => {
  const [headerLine, ...lines] = fs.readFileSync(GOLDEN, 'utf8').split('\n').filter(Boolean);
  const header = JSON.parse(headerLine!) as GoldenHeader;
  const vocabText = fs.readFileSync(VOCAB, 'utf8');
  const tokenizer = new BertTokenizer(vocabText);
  const cases = lines.map((l) => resolveText(JSON.parse(l) as GoldenLine, header));

  it('uses the vocabulary the goldens were made with', () => {
    expect(createHash('sha256').update(fs.readFileSync(VOCAB)).digest('hex')).toBe(header.vocabSha256);
    expect(tokenizer.size).toBe(21128);
    expect(header.contextLength).toBe(CONTEXT_LENGTH);
    expect(cases.length).toBe(header.count);
    expect(cases.length).toBeGreaterThanOrEqual(500);
  });

  it('gives the reference ids for every golden prompt', () => {
    const wrong = cases.filter((c) => JSON.stringify(tokenizer.encode(c.text)) !== JSON.stringify(c.ids));
    expect(wrong.slice(0, 5).map((c) => ({ text: c.text, want: c.ids, got: tokenizer.encode(c.text) }))).toEqual([]);
  });

  it('counts the real tokens of each row, [CLS] through [SEP], as the attention mask covers them', () => {
    for (const c of cases.slice(0, 200)) expect(tokenizer.encodeRow(c.text).tokens, c.text).toBe(c.ids.filter((id) => id !== tokenizer.pad).length);
    const long = tokenizer.encodeRow('莲'.repeat(80), 12);
    expect(long).toEqual({ ids: [tokenizer.cls, ...long.ids.slice(1, 11), tokenizer.sep], tokens: 12 });
    expect(tokenizer.encodeRow('', 6)).toEqual({ ids: [tokenizer.cls, tokenizer.sep, ...Array<number>(4).fill(tokenizer.pad)], tokens: 2 });
    expect(() => tokenizer.encodeRow('莲', 1)).toThrow(/context of 1/);
  });

  it('feeds int64 rows of 52', () => {
    const row = tokenizer.encodeInt64('莲花纹');
    expect(row.length).toBe(52);
    expect(Array.from(row.slice(0, 5), Number)).toEqual(tokenizer.encode('莲花纹').slice(0, 5));
  });
});

describe('basicTokenize', () => {
  it('splits Chinese characters, punctuation and whitespace, lower-cases and strips accents', () => {
    expect(basicTokenize('  Café，莲花纹!  ')).toEqual(['cafe', '，', '莲', '花', '纹', '!']);
    expect(basicTokenize('\u0000a\tb\u200bc')).toEqual(['a', 'bc']);
  });

  it('refuses a vocabulary without the special tokens', () => {
    expect(() => new BertTokenizer('a\nb\n')).toThrow(/no \[CLS\]/);
  });
});
