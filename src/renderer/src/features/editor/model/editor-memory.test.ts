import { describe, expect, it } from 'vitest';
import { transformFor, viewportOf } from './editor-memory';

describe('a kept flat view', () => {
  it('comes back as it was on a canvas of the same size', () => {
    const view = viewportOf([2, 0, 0, 2, -150, 40], 1000, 700);
    expect(transformFor(view, 1000, 700)).toEqual([2, 0, 0, 2, -150, 40]);
  });

  it('keeps the same point in the middle on a canvas of another size', () => {
    const view = viewportOf([2, 0, 0, 2, -150, 40], 1000, 700);
    const t = transformFor(view, 600, 900);
    // The document point in the middle of the old canvas...
    const mid = { x: (500 - -150) / 2, y: (350 - 40) / 2 };
    // ...is in the middle of the new one, at the same zoom.
    expect(t[0]! * mid.x + t[4]!).toBeCloseTo(300);
    expect(t[3]! * mid.y + t[5]!).toBeCloseTo(450);
    expect(t[0]).toBe(2);
  });
});
