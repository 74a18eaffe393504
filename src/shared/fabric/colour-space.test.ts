import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deltaE76, hexToLab, hexToRgb, labToHex, rgbToHex } from './colour-space';
import golden from './golden/lab-golden.json';
import { COLOURS, colourLab } from './lexicon';

describe('sRGB hex -> CIELAB', () => {
  // Golden values come from libvips (golden/make-lab-golden.ts), an independent implementation.
  it.each(golden.golden)('$hex agrees with libvips', ({ hex, L, a, b }) => {
    const lab = hexToLab(hex);
    expect(Math.abs(lab.L - L)).toBeLessThan(0.1);
    expect(Math.abs(lab.a - a)).toBeLessThan(0.1);
    expect(Math.abs(lab.b - b)).toBeLessThan(0.1);
  });

  it('covers every colour of the lexicon, whose Lab table agrees with libvips', () => {
    const byHex = new Map(golden.golden.map((g) => [g.hex, g]));
    for (const c of COLOURS) {
      const g = byHex.get(c.hex.toUpperCase());
      expect(g, c.id).toBeDefined();
      expect(Math.abs(colourLab(c.id).L - g!.L)).toBeLessThan(0.1);
      expect(Math.abs(colourLab(c.id).b - g!.b)).toBeLessThan(0.1);
    }
  });

  it('round-trips every 8-bit colour through Lab', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), (r, g, b) => {
        const hex = rgbToHex(r, g, b);
        expect(labToHex(hexToLab(hex))).toBe(hex);
      }),
    );
  });

  it('reads hex with or without # and in either case, and refuses anything else', () => {
    expect(hexToRgb('#1f2a44')).toEqual([31, 42, 68]);
    expect(hexToRgb('1F2A44')).toEqual([31, 42, 68]);
    expect(() => hexToRgb('#12345')).toThrow(/not an sRGB colour/);
    expect(() => hexToRgb('navy')).toThrow(/not an sRGB colour/);
  });

  it('measures navy nearer to blue than to yellow', () => {
    const navy = hexToLab('#1F2A44');
    expect(deltaE76(navy, hexToLab('#2E5EAA'))).toBeLessThan(deltaE76(navy, hexToLab('#F6D42A')));
    expect(deltaE76(navy, navy)).toBe(0);
  });
});
