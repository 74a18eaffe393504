import { describe, expect, it } from 'vitest';
import { MAX_SEED, parseWholeNumber } from './options';

describe('parseWholeNumber', () => {
  it('reads decimal digits within the range', () => {
    expect(parseWholeNumber('--seed', '0', 0, MAX_SEED)).toBe(0);
    expect(parseWholeNumber('--seed', '0042', 0, MAX_SEED)).toBe(42);
    expect(parseWholeNumber('--seed', '4294967295', 0, MAX_SEED)).toBe(4294967295);
  });

  it('refuses what Number() would quietly turn into another number', () => {
    for (const text of ['0x10', '1e3', ' 7', '7 ', '', '+5', '-1', '1.0', '0b11', 'Infinity', '4294967296']) {
      expect(() => parseWholeNumber('--seed', text, 0, MAX_SEED)).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT', message: `--seed takes a whole number from 0 to 4294967295, not "${text}".` }),
      );
    }
    expect(() => parseWholeNumber('--steps', '0', 1, 200)).toThrow('--steps takes a whole number from 1 to 200, not "0".');
  });
});
