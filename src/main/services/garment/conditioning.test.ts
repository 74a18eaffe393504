import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract';
import { fabricFromPrompt, harmonizedAlpha, normalizeFabric } from './conditioning';
import { explainGenerationError } from './errors';
import { parsePythonJson } from './python-json';

const table = {
  labels: ['solid', 'stripe', 'denim', 'knit', 'silk'],
  synonyms: { jeans: 'denim', satin: 'silk', rib: 'knit', 'rib knit': 'knit', 丝绸: 'silk', 牛仔: 'denim' },
};

describe('fabric from the prompt', () => {
  it.each([
    ['a pair of blue Jeans', 'denim'],
    ['红色丝绸旗袍', 'silk'],
    ['牛仔夹克, long sleeves', 'denim'],
    ['a satin blouse', 'silk'],
    ['a striped dress', null], // "stripe" is a label, "striped" is not the word
    ['a ribbon-trimmed coat', null], // "rib" only as a whole word
    ['a jacket', null],
  ])('%s -> %s', (prompt, label) => {
    expect(fabricFromPrompt(prompt, table)).toBe(label);
  });
});

describe('a typed fabric word', () => {
  it('is normalised by the synonym table, unknown words passing unchanged', () => {
    expect(normalizeFabric(' Jeans ', table)).toBe('denim');
    expect(normalizeFabric('SILK', table)).toBe('silk');
    expect(normalizeFabric('velvet', table)).toBe('velvet');
  });
});

describe('harmonized alpha', () => {
  const rows = (data: number[][]) => ({ dims: [data.length, data[0]!.length], data: Float32Array.from(data.flat()) });

  it('is lambda + (1 - lambda) * sigmoid(cos) of the mean tokens', () => {
    const same = harmonizedAlpha(rows([[1, 0], [1, 0]]), rows([[2, 0]]), 0.6);
    expect(same).toBeCloseTo(0.6 + 0.4 / (1 + Math.exp(-1)), 12);
    const opposite = harmonizedAlpha(rows([[1, 0]]), rows([[-1, 0]]), 0.6);
    expect(opposite).toBeCloseTo(0.6 + 0.4 / (1 + Math.exp(1)), 12);
    // cos in (-1, 1) keeps alpha within about 0.71..0.89 for lambda 0.6, as the design says.
    expect(opposite).toBeGreaterThan(0.7);
    expect(same).toBeLessThan(0.9);
  });
});

describe('Python-written JSON', () => {
  it('reads -Infinity, Infinity and NaN outside strings only', () => {
    const parsed = parsePythonJson('{"a": -Infinity, "b": [Infinity, NaN], "c": "NaN -Infinity", "d": "q\\"NaN"}') as Record<string, unknown>;
    expect(parsed['a']).toBe(-Infinity);
    expect(parsed['b']).toEqual([Infinity, NaN]);
    expect(parsed['c']).toBe('NaN -Infinity');
    expect(parsed['d']).toBe('q"NaN');
  });
});

describe('generation errors', () => {
  it('names out-of-memory as such', () => {
    expect(explainGenerationError(new AppError('OUT_OF_MEMORY', 'Session x ran out of memory: bad_alloc'))).toMatchObject({
      code: 'OUT_OF_MEMORY',
      message: expect.stringContaining('ran out of memory'),
    });
    expect(explainGenerationError(new Error('std::bad_alloc'))).toMatchObject({ code: 'OUT_OF_MEMORY' });
    const cancelled = new AppError('JOB_CANCELLED', 'cancelled');
    expect(explainGenerationError(cancelled)).toBe(cancelled);
  });
});
