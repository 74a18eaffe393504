import { describe, expect, it } from 'vitest';
import { FIT, zoomAt } from './useZoomPan';

describe('zoomAt', () => {
  it('keeps the point under the cursor fixed while zooming in and out', () => {
    const v = zoomAt(FIT, 2, 100, 50);
    expect(v).toEqual({ scale: 2, x: -100, y: -50 });
    // The frame point (100, 50) maps to the same image point before and after.
    expect((100 - v.x) / v.scale).toBe(100);
    const back = zoomAt(zoomAt(v, 2, 30, 30), 0.5, 30, 30);
    expect(back.scale).toBe(2);
    expect(back.x).toBeCloseTo(v.x);
  });

  it('stays between fit and 8x, and fitting again forgets the pan', () => {
    expect(zoomAt(FIT, 0.5, 10, 10)).toEqual(FIT);
    let v = FIT;
    for (let i = 0; i < 20; i++) v = zoomAt(v, 2, 0, 0);
    expect(v.scale).toBe(8);
    expect(zoomAt({ scale: 1.1, x: -40, y: -3 }, 0.5, 0, 0)).toEqual(FIT);
  });
});
