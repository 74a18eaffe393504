import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluate, formatReport, parseCorpus } from './evaluate';
import { extractPrompt } from './extract';
import { COLOURS, FABRICS } from './lexicon';
import { COLOUR_IDS, FABRIC_IDS } from './types';

const corpus = parseCorpus(fs.readFileSync(new URL('./extraction-corpus.jsonl', import.meta.url), 'utf8'));

describe('the labelled prompt corpus', () => {
  it('has at least 300 prompts in both languages', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    const chinese = corpus.filter((c) => /\p{Script=Han}/u.test(c.text)).length;
    expect(chinese).toBeGreaterThanOrEqual(100);
    expect(corpus.length - chinese).toBeGreaterThanOrEqual(100);
  });

  it('scores at least 95% on every field and overall', () => {
    const report = evaluate(corpus);
    // The table is printed so a failing run shows where the extractor slipped.
    console.log(formatReport(report));
    for (const field of report.fields) expect(field.correct / field.total, field.field).toBeGreaterThanOrEqual(0.95);
    expect(report.overall).toBeGreaterThanOrEqual(0.95);
  });

  it('holds up on prompts written after the extractor and never tuned against', () => {
    const heldOut = parseCorpus(fs.readFileSync(new URL('./extraction-heldout.jsonl', import.meta.url), 'utf8'));
    expect(heldOut.length).toBeGreaterThanOrEqual(40);
    expect(evaluate(heldOut).overall).toBeGreaterThanOrEqual(0.95);
  });
});

describe('extractPrompt', () => {
  it('normalises synonyms in both languages to one fabric id', () => {
    expect(extractPrompt('blue jeans').fabric).toBe('denim');
    expect(extractPrompt('牛仔布外套').fabric).toBe('denim');
    expect(extractPrompt('真丝衬衫').fabric).toBe('silk');
    expect(extractPrompt('针织开衫').fabric).toBe('knit-jersey');
    expect(extractPrompt('silk satin skirt').fabric).toBe('satin');
  });

  it('tells a sleeve length from a body length', () => {
    expect(extractPrompt('long sleeve dress')).toMatchObject({ sleeve: 'long', length: null, garment: 'dress' });
    expect(extractPrompt('long dress, short sleeves')).toMatchObject({ sleeve: 'short', length: 'long' });
    expect(extractPrompt('长袖连衣裙')).toMatchObject({ sleeve: 'long', length: null });
    expect(extractPrompt('长款连衣裙')).toMatchObject({ sleeve: null, length: 'long' });
    expect(extractPrompt('make the sleeves short')).toMatchObject({ sleeve: 'short', length: null });
  });

  it('reads negated pockets as false and plain pockets as true', () => {
    expect(extractPrompt('jacket with no pockets').pockets).toBe(false);
    expect(extractPrompt('jacket without side or chest pockets').pockets).toBe(false);
    expect(extractPrompt('外套，无口袋').pockets).toBe(false);
    expect(extractPrompt('外套，不要口袋').pockets).toBe(false);
    expect(extractPrompt('jacket with two pockets').pockets).toBe(true);
    expect(extractPrompt('jacket').pockets).toBeNull();
  });

  it('drops a negated closure or neckline instead of asking for it', () => {
    expect(extractPrompt('coat, no buttons').closure).toBeNull();
    expect(extractPrompt('jacket, no hood, zip front')).toMatchObject({ neckline: null, closure: 'zip' });
  });

  it('keeps two colours in order, once each, and takes the longest colour word', () => {
    expect(extractPrompt('red and white stripes, red trim').colours).toEqual(['red', 'white']);
    expect(extractPrompt('navy blue coat').colours).toEqual(['navy']);
    expect(extractPrompt('红白条纹').colours).toEqual(['red', 'white']);
    expect(extractPrompt('藏青色').colours).toEqual(['navy']);
  });

  it('does not find words inside other words', () => {
    expect(extractPrompt('hoodie').neckline).toBeNull();
    expect(extractPrompt('shorts').length).toBeNull();
    expect(extractPrompt('sweatshirt').garment).toBe('hoodie');
    expect(extractPrompt('redwood tee').colours).toEqual([]);
  });

  it('reads plurals and mixed-language prompts', () => {
    expect(extractPrompt('t-shirts with v necks')).toMatchObject({ garment: 't-shirt', neckline: 'v-neck' });
    expect(extractPrompt('黑色 slim fit jeans')).toMatchObject({ colours: ['black'], fit: 'slim', garment: 'trousers', fabric: 'denim' });
  });

  it('resolves bare cotton by garment and keeps trims apart from the body fabric', () => {
    expect(extractPrompt('cotton t-shirt').fabric).toBe('knit-jersey');
    expect(extractPrompt('cotton chino shorts').fabric).toBe('cotton-twill');
    expect(extractPrompt('cotton shirt with lace trim')).toMatchObject({ fabric: 'cotton-poplin', trimFabrics: ['lace'] });
    expect(extractPrompt('denim jacket with a corduroy collar')).toMatchObject({ fabric: 'denim', trimFabrics: ['corduroy'] });
  });

  it('takes the head of a compound garment word', () => {
    expect(extractPrompt('shirt dress').garment).toBe('dress');
    expect(extractPrompt('dress shirt').garment).toBe('shirt');
    expect(extractPrompt('衬衫外套').garment).toBe('jacket');
  });

  it('explains every value with the term that gave it', () => {
    const x = extractPrompt('No pockets, navy denim');
    expect(x.matches.map((m) => [m.text, m.negated])).toEqual([
      ['pockets', true],
      ['navy', false],
      ['denim', false],
    ]);
  });

  it('has names in both languages for every fabric and colour id', () => {
    expect(FABRICS.map((f) => f.id).sort()).toEqual([...FABRIC_IDS].sort());
    expect(COLOURS.map((c) => c.id).sort()).toEqual([...COLOUR_IDS].sort());
    for (const f of FABRICS) expect(f.name.zh.length * f.name.en.length * f.terms.zh.length * f.terms.en.length).toBeGreaterThan(0);
    expect(FABRICS.length).toBeGreaterThanOrEqual(11);
  });
});
