import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCorpus } from './evaluate';
import { extractPrompt } from './extract';
import { normalisePrompt, normaliseWithSpans, sourceSpan } from './normalise';

const corpus = parseCorpus(fs.readFileSync(new URL('./extraction-corpus.jsonl', import.meta.url), 'utf8'));

describe('normaliseWithSpans', () => {
  it('reads every corpus prompt exactly as normalisePrompt does', () => {
    for (const c of corpus) expect(normaliseWithSpans(c.text).text, c.text).toBe(normalisePrompt(c.text));
  });

  it('maps every match back to the typed words it came from', () => {
    for (const c of corpus) {
      for (const m of extractPrompt(c.text).matches) {
        const span = sourceSpan(c.text, m.start, m.end);
        expect(normalisePrompt(c.text.slice(span.start, span.end)), c.text).toBe(m.text);
      }
    }
  });

  it('keeps the typed casing, hyphens, full-width letters and doubled spaces inside the span', () => {
    const typed = '  Navy   Long-Sleeved ＤＥＮＩＭ jacket';
    const denim = extractPrompt(typed).matches.find((m) => m.facets.includes('fabric:denim'))!;
    const span = sourceSpan(typed, denim.start, denim.end);
    expect(typed.slice(span.start, span.end)).toBe('ＤＥＮＩＭ');
    const sleeve = extractPrompt(typed).matches.find((m) => m.facets.includes('sleeve:long'))!;
    const s = sourceSpan(typed, sleeve.start, sleeve.end);
    expect(typed.slice(s.start, s.end)).toBe('Long-Sleeved');
  });

  it('refuses a span outside the prompt', () => {
    expect(() => sourceSpan('denim', 2, 9)).toThrow(/No span 2-9/);
  });
});
