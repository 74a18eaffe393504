import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testFixture } from '../../../../../main/test-fixtures';
import { measuredLine, scaleForKnown } from '../../../../../shared/flat/scale';
import { importSvg } from '../../../../../shared/flat/svg';
import { pxPerCm, rulerTicks } from './rulers';

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

describe('rulers read cm at the flat\'s calibrated scale', () => {
  /** The ruler's reading at screen position s, from two of its labelled ticks (it is linear). */
  const readingAt = (ticks: ReturnType<typeof rulerTicks>, s: number) => {
    const [a, b] = ticks.filter((t) => t.major);
    return a!.value + ((s - a!.px) * (b!.value - a!.value)) / (b!.px - a!.px);
  };

  it('a px-page qipao calibrated to a 118 cm body length reads 118 cm shoulder to hem, not its drawing units', () => {
    const { doc } = importSvg(fs.readFileSync(testFixture('flat_views', 'qipao-front-back.svg'), 'utf8'), { views: 'auto' });
    const front = doc.views[0]!;
    const body = measuredLine(front, 'bodyLength')!;
    const mmPerUnit = scaleForKnown(doc, front, 'bodyLength', 118);
    // The viewport as Fit would leave it on an 800 px high canvas: px per document unit, and an offset.
    const zoom = (800 * 0.92) / doc.page.height;
    const offset = 32;
    const ticks = rulerTicks(pxPerCm(zoom, mmPerUnit), offset, 800);
    const top = readingAt(ticks, body.from.y * zoom + offset);
    const hem = readingAt(ticks, body.to.y * zoom + offset);
    expect(hem - top).toBeCloseTo(118, 6);
    // The same ruler in drawing units would read the drawing's own length, far from 118.
    expect(Math.abs(body.length - 118)).toBeGreaterThan(10);
    // Labels stay on a 1-2-5 step of whole cm at this zoom, at least 64 px apart.
    const majors = ticks.filter((t) => t.major);
    expect(majors[1]!.px - majors[0]!.px).toBeGreaterThanOrEqual(64);
    for (const t of majors) expect(Number.isInteger(t.value)).toBe(true);
  });

  it('a millimetre document reads its own length in cm', () => {
    // 2 px per mm of a mm document (mmPerUnit 1): 20 px per cm.
    expect(pxPerCm(2, 1)).toBe(20);
    const ticks = rulerTicks(pxPerCm(2, 1), 0, 600);
    expect(readingAt(ticks, 600)).toBeCloseTo(30, 9);
  });
});
