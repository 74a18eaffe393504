import { describe, expect, it } from 'vitest';
import { guideAt, visibleScene } from './guides';

describe('guides on the canvas', () => {
  it('picks the guide nearest across its line, within tolerance only', () => {
    const guides = [
      { id: 'a', orientation: 'vertical' as const, at: 100 },
      { id: 'b', orientation: 'vertical' as const, at: 104 },
      { id: 'c', orientation: 'horizontal' as const, at: 50 },
    ];
    expect(guideAt(guides, { x: 103, y: 400 }, 5)?.id).toBe('b');
    expect(guideAt(guides, { x: 101, y: 400 }, 5)?.id).toBe('a');
    expect(guideAt(guides, { x: 300, y: 52 }, 5)?.id).toBe('c');
    expect(guideAt(guides, { x: 300, y: 60 }, 5)).toBeNull();
    expect(guideAt([], { x: 0, y: 0 }, 5)).toBeNull();
  });

  it('maps the canvas back to the scene rectangle it shows', () => {
    // zoom 2, panned 40 px right and 10 px down, on an 800 x 600 canvas.
    expect(visibleScene([2, 0, 0, 2, 40, 10], 800, 600)).toEqual({ x0: -20, y0: -5, x1: 380, y1: 295 });
  });
});
