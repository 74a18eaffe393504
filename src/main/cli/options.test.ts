import { describe, expect, it } from 'vitest';
import { MAX_SEED, parseDecimal, parseWholeNumber } from './options';

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

describe('parseDecimal', () => {
  it('reads plain decimals within the range, ends included unless the range is open below', () => {
    expect(parseDecimal('--rotate', '-45', { min: -45, max: 45 })).toBe(-45);
    expect(parseDecimal('--rotate', '12.25', { min: -45, max: 45 })).toBe(12.25);
    expect(parseDecimal('--strength', '.35', { min: 0, max: 1 })).toBe(0.35);
    expect(parseDecimal('--strength', '1.', { min: 0, max: 1 })).toBe(1);
    expect(Object.is(parseDecimal('--strength', '-0', { min: 0, max: 1 }), 0)).toBe(true);
    expect(parseDecimal('--gsm', '0.001', { min: 0, max: 2000, aboveMin: true })).toBe(0.001);
  });

  it('refuses what Number() or parseFloat would quietly turn into another number', () => {
    for (const text of ['1e3', '0x10', '', ' 1', '1 ', 'Infinity', '1,5', '+1', '.', '-', '1.2.3', '0b1', '１']) {
      expect(() => parseDecimal('--alpha', text, { min: 0, max: 1 })).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT', message: `--alpha takes a decimal from 0 to 1, not "${text}".` }),
      );
    }
    expect(() => parseDecimal('--gsm', '0', { min: 0, max: 2000, aboveMin: true })).toThrow('--gsm takes a decimal above 0 and up to 2000, not "0".');
    expect(() => parseDecimal('--rotate', '45.01', { min: -45, max: 45 })).toThrow('--rotate takes a decimal from -45 to 45, not "45.01".');
  });
});
