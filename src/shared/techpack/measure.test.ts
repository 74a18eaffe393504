import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatGraded } from './grade';
import { add, convert, formatLength, parseDecimal, rational, roundToSteps } from './measure';

describe('exact lengths', () => {
  it('converts inches and centimetres exactly, both ways', () => {
    expect(convert(parseDecimal('1'), 'in', 'cm')).toEqual(rational(254n, 100n));
    expect(convert(parseDecimal('8.25'), 'in', 'cm')).toEqual(parseDecimal('20.955'));
    fc.assert(
      fc.property(fc.integer({ min: -10_000_000, max: 10_000_000 }), fc.integer({ min: 0, max: 4 }), (n, places) => {
        const v = rational(BigInt(n), 10n ** BigInt(places));
        expect(convert(convert(v, 'cm', 'in'), 'in', 'cm')).toEqual(v);
      }),
    );
  });

  it('adds decimals with no binary drift (0.1 + 0.2 is 0.3)', () => {
    expect(add(parseDecimal('0.1'), parseDecimal('0.2'))).toEqual(parseDecimal('0.3'));
    expect(parseDecimal(70.51)).toEqual(rational(7051n, 100n));
  });

  it('rounds only for display: cm to 0.1, inches to 1/8 as a mixed fraction, half away from zero', () => {
    expect(formatLength(parseDecimal('20.955'), 'cm')).toBe('21.0');
    expect(formatLength(parseDecimal('20.95'), 'cm')).toBe('21.0');
    expect(formatLength(parseDecimal('20.949'), 'cm')).toBe('20.9');
    expect(formatLength(parseDecimal('-0.05'), 'cm')).toBe('-0.1');
    expect(formatLength(parseDecimal('27.375'), 'in')).toBe('27 3/8');
    expect(formatLength(parseDecimal('27.5'), 'in')).toBe('27 1/2');
    expect(formatLength(parseDecimal('0.0625'), 'in')).toBe('1/8');
    expect(formatLength(parseDecimal('0.06'), 'in')).toBe('0');
    expect(formatLength(parseDecimal('12'), 'in')).toBe('12');
    // 52.5 cm = 20.669... in, nearest eighth is 20 5/8 (20.625) not 20 3/4 (20.75).
    expect(formatLength(convert(parseDecimal('52.5'), 'cm', 'in'), 'in')).toBe('20 5/8');
    expect(formatLength(parseDecimal('1'), 'cm', { signed: true })).toBe('+1.0');
  });

  it('rounds to the nearest step for any value (checked against the definition with exact integers)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.integer({ min: 1, max: 1000 }), (n, d) => {
        const steps = roundToSteps(rational(BigInt(n), BigInt(d)), rational(1n, 8n));
        // |n/d - steps/8| <= 1/16  <=>  |8n - steps*d| * 2 <= d
        const err = 8n * BigInt(n) - steps * BigInt(d);
        expect((err < 0n ? -err : err) * 2n <= BigInt(d)).toBe(true);
      }),
    );
  });

  it('refuses what is not a decimal', () => {
    expect(() => parseDecimal('1,5')).toThrow(/not a decimal/);
    expect(() => parseDecimal(Number.NaN)).toThrow(/finite/);
  });
});

describe('grading', () => {
  const base = { sizes: ['XS', 'S', 'M', 'L', 'XL'], baseSize: 'M' };
  it('adds increments up from the base size and takes them off below it, converting the rule unit exactly', () => {
    expect(formatGraded({ ...base, value: '52.5', unit: 'cm', tableUnit: 'cm', rule: { code: 'CH', unit: 'cm', increments: ['4', '4', '5', '5'] } })).toEqual([
      '44.5', '48.5', '52.5', '57.5', '62.5',
    ]);
    // 8.25 in with 3/8 in steps printed in cm: 19.05, 20.0025, 20.955, 21.9075, 22.86 cm.
    expect(formatGraded({ ...base, value: '8.25', unit: 'in', tableUnit: 'cm', rule: { code: 'SL', unit: 'in', increments: ['0.375'] } })).toEqual([
      '19.1', '20.0', '21.0', '21.9', '22.9',
    ]);
    // Printed in inches: 68.51, 69.51, 70.51, 71.51, 72.51 cm = 26.972, 27.366, 27.760, 28.154, 28.547 in.
    expect(formatGraded({ ...base, value: '70.51', unit: 'cm', tableUnit: 'in', rule: { code: 'L', unit: 'cm', increments: ['1'] } })).toEqual([
      '27', '27 3/8', '27 3/4', '28 1/8', '28 1/2',
    ]);
  });

  it('says what is wrong with a rule that does not fit the size range', () => {
    expect(() => formatGraded({ ...base, value: '1', unit: 'cm', tableUnit: 'cm', rule: { code: 'X', unit: 'cm', increments: ['1', '2'] } })).toThrow(
      /has 2 increments; the size range needs 1 or 4/,
    );
    expect(() => formatGraded({ ...base, baseSize: 'XXL', value: '1', unit: 'cm', tableUnit: 'cm', rule: null })).toThrow(/base size XXL/);
  });
});
