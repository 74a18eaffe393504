import { describe, expect, it } from 'vitest';
import { sheetFonts, textWidth } from './font';
import { clampLines, ELLIPSIS, ellipsize, wrapText } from './text-layout';

const face = sheetFonts().regular;
const fits = (lines: string[], width: number) => lines.every((l) => textWidth(face, l, 8) <= width + 1e-9);

describe('sheet text layout', () => {
  it('breaks a word wider than its box between characters instead of overflowing, so a note nobody can edit still prints', () => {
    const url = 'https://museum.example.org/collection/objects/dunhuang-mogao-cave-220-north-wall-detail';
    const { lines, overflow } = wrapText(face, `See ${url} for the full record`, 8, 120);
    expect(overflow).toBe(false);
    expect(fits(lines, 120)).toBe(true);
    expect(lines.join('').replace(/\s/g, '')).toBe(`See${url}forthefullrecord`);
    expect(lines[0]).toBe('See');
  });

  it('keeps Latin words whole and breaks Chinese anywhere', () => {
    const { lines } = wrapText(face, '罗纹领口 rib neckband 2 cm 双针明线 twin-needle topstitch', 8, 60);
    expect(fits(lines, 60)).toBe(true);
    for (const w of ['rib', 'neckband', 'twin-needle', 'topstitch']) expect(lines.some((l) => l.split(' ').includes(w))).toBe(true);
  });

  it('clamps to a number of lines, the last one ending in an ellipsis, only when the text is cut', () => {
    const text = '莫高窟第二二〇窟北壁药师经变局部 Mogao Cave 220, north wall, detail of the Medicine Buddha tableau, early Tang dynasty. '.repeat(4);
    const cut = clampLines(face, text, 8, 150, 3);
    expect(cut.truncated).toBe(true);
    expect(cut.lines).toHaveLength(3);
    expect(cut.lines[2]!.endsWith(ELLIPSIS)).toBe(true);
    expect(fits(cut.lines, 150)).toBe(true);
    const whole = clampLines(face, 'Mogao Cave 220', 8, 150, 3);
    expect(whole).toEqual({ lines: ['Mogao Cave 220'], truncated: false });
  });

  it('ellipsizes one line to the longest start that fits', () => {
    const { text, truncated } = ellipsize(face, 'Licence: Creative Commons Attribution 2.5 Generic', 8, 80);
    expect(truncated).toBe(true);
    expect(text.endsWith(ELLIPSIS)).toBe(true);
    expect(textWidth(face, text, 8)).toBeLessThanOrEqual(80);
    const oneMore = 'Licence: Creative Commons Attribution 2.5 Generic'.slice(0, text.length);
    expect(textWidth(face, `${oneMore}${ELLIPSIS}`, 8)).toBeGreaterThan(80);
  });
});
