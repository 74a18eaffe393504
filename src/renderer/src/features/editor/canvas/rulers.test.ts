import { describe, expect, it } from 'vitest';
import { rulerTicks } from './rulers';

describe('rulerTicks', () => {
  it('labels a 1-2-5 step at least 64 px apart, with four minors between', () => {
    // 0.5 px per mm: 64 px needs 128 mm, so majors every 200 mm and minors every 40 mm.
    const ticks = rulerTicks(0.5, 30, 400);
    const majors = ticks.filter((t) => t.major);
    expect(majors.map((t) => t.value)).toEqual([0, 200, 400, 600]);
    expect(majors[0]!.px).toBe(30);
    expect(ticks[1]!.value - ticks[0]!.value).toBeCloseTo(40, 9);
    // Every tick maps back to its document coordinate through the viewport.
    for (const t of ticks) expect((t.px - 30) / 0.5).toBeCloseTo(t.value, 6);
    // The ruler is covered end to end, and not far beyond.
    expect(ticks[0]!.px).toBeLessThanOrEqual(0);
    expect(ticks.at(-1)!.px).toBeGreaterThanOrEqual(400);
    expect(ticks.at(-1)!.px).toBeLessThan(400 + 40 * 0.5 + 1e-9);
  });

  it('goes below a millimetre when zoomed far in and has nothing for a bad viewport', () => {
    const majors = rulerTicks(300, -3000, 600).filter((t) => t.major);
    expect(majors[1]!.value - majors[0]!.value).toBeCloseTo(0.5, 9);
    expect(rulerTicks(0, 0, 100)).toEqual([]);
    expect(rulerTicks(1, Number.NaN, 100)).toEqual([]);
  });
});
