import { describe, expect, it } from 'vitest';
import { arcToCubics } from './arc';
import { applyToPoint, about, multiply, rotate, scale, translate } from './matrix';
import { offsetPath } from './offset';
import { bounds, flatten, pathLength, reverseSubpath } from './path';
import { formatPathData, parsePathData } from './pathdata';
import { parseTransform } from '../svg/transform';

describe('path data', () => {
  it('reads relative, implicit and shorthand commands as absolute segments', () => {
    const segs = parsePathData('m 10,10 20,0 v 10 h -5 l-5-5 z M0 0 S 10 10 20 0 T 40 0');
    expect(segs.slice(0, 6)).toEqual([
      { kind: 'M', to: { x: 10, y: 10 } },
      { kind: 'L', to: { x: 30, y: 10 } },
      { kind: 'L', to: { x: 30, y: 20 } },
      { kind: 'L', to: { x: 25, y: 20 } },
      { kind: 'L', to: { x: 20, y: 15 } },
      { kind: 'Z' },
    ]);
    expect(segs[7]).toEqual({ kind: 'C', c1: { x: 0, y: 0 }, c2: { x: 10, y: 10 }, to: { x: 20, y: 0 } });
    expect(segs[8]).toEqual({ kind: 'Q', c: { x: 20, y: 0 }, to: { x: 40, y: 0 } });
  });

  it('reads compact numbers and arc flags without separators', () => {
    const segs = parsePathData('M.5.5L1e1-2a5 5 0 011 1');
    expect(segs[0]).toEqual({ kind: 'M', to: { x: 0.5, y: 0.5 } });
    expect(segs[1]).toEqual({ kind: 'L', to: { x: 10, y: -2 } });
    expect(segs[segs.length - 1]).toMatchObject({ kind: 'C', to: { x: 11, y: -1 } });
  });

  it('refuses malformed data', () => {
    expect(() => parsePathData('L 1 2')).toThrow(/moveto/);
    expect(() => parsePathData('M 1 2 C 3')).toThrow(/needs 6/);
    expect(() => parsePathData('M 1 2 X 3')).toThrow(/unknown/);
  });

  it('writes what it reads', () => {
    const d = 'M10 10L30 10C1 2 3 4 5 6Q7 8 9 10Z';
    expect(formatPathData(parsePathData(d))).toBe(d);
  });
});

describe('arcs', () => {
  it('become cubics that stay on the ellipse', () => {
    // A half ellipse rx=50, ry=20 rotated 30 degrees, from one end of the major axis to the other.
    const r = (30 * Math.PI) / 180;
    const from = { x: 100 - 50 * Math.cos(r), y: 100 - 50 * Math.sin(r) };
    const to = { x: 100 + 50 * Math.cos(r), y: 100 + 50 * Math.sin(r) };
    const pieces = arcToCubics(from, 50, 20, 30, false, true, to);
    expect(pieces).toHaveLength(2);
    let start = from;
    for (const p of pieces) {
      for (const t of [0.25, 0.5, 0.75]) {
        const u = 1 - t;
        const x = u ** 3 * start.x + 3 * u * u * t * p.c1.x + 3 * u * t * t * p.c2.x + t ** 3 * p.to.x;
        const y = u ** 3 * start.y + 3 * u * u * t * p.c1.y + 3 * u * t * t * p.c2.y + t ** 3 * p.to.y;
        const dx = x - 100;
        const dy = y - 100;
        const ex = dx * Math.cos(r) + dy * Math.sin(r);
        const ey = -dx * Math.sin(r) + dy * Math.cos(r);
        // A 90-degree cubic strays about 0.03% of the radius, 0.06% in this squared form.
        expect(Math.abs((ex / 50) ** 2 + (ey / 20) ** 2 - 1)).toBeLessThan(1e-3);
      }
      start = p.to;
    }
  });

  it('scale up radii that are too small, as SVG requires', () => {
    const pieces = arcToCubics({ x: 0, y: 0 }, 1, 1, 0, false, true, { x: 10, y: 0 });
    const mid = pieces[0]!.to;
    expect(Math.hypot(mid.x - 5, mid.y)).toBeCloseTo(5, 6);
  });
});

describe('matrices and transforms', () => {
  it('compose in SVG order', () => {
    const m = parseTransform('translate(10 20) rotate(90) scale(2)')!;
    expect(applyToPoint(m, { x: 1, y: 0 }).x).toBeCloseTo(10, 9);
    expect(applyToPoint(m, { x: 1, y: 0 }).y).toBeCloseTo(22, 9);
    expect(parseTransform('matrix(1,0,0,1,5,6) skewX(45)')).toEqual(multiply(translate(5, 6), [1, 0, Math.tan(Math.PI / 4), 1, 0, 0]));
    expect(parseTransform('rotate(90 10 10)')).toEqual(about(rotate(90), { x: 10, y: 10 }));
    expect(parseTransform('scale(2,')).toBeNull();
    expect(scale(3)).toEqual([3, 0, 0, 3, 0, 0]);
  });
});

describe('flattening, offsets and bounds', () => {
  it('flattens a circle close to its true length', () => {
    const k = 0.5522847498;
    const circle = parsePathData(`M10 0C10 ${10 * k} ${10 * k} 10 0 10C${-10 * k} 10 -10 ${10 * k} -10 0C-10 ${-10 * k} ${-10 * k} -10 0 -10C${10 * k} -10 10 ${-10 * k} 10 0Z`);
    expect(pathLength(circle)).toBeCloseTo(2 * Math.PI * 10, 1);
    expect(bounds(circle)).toMatchObject({ minX: -10, maxX: 10 });
  });

  it('offsets a line sideways and a square inwards by the distance', () => {
    const line = offsetPath(parsePathData('M0 0L100 0'), 5);
    expect(line).toEqual([
      { kind: 'M', to: { x: 0, y: -5 } },
      { kind: 'L', to: { x: 100, y: -5 } },
    ]);
    const square = offsetPath(parsePathData('M0 0L100 0L100 100L0 100Z'), -10);
    const b = bounds(square)!;
    expect([b.minX, b.minY, b.maxX, b.maxY].map((n) => Math.round(n * 1e6) / 1e6)).toEqual([10, 10, 90, 90]);
  });

  it('reverses a subpath with its handles', () => {
    const segs = parsePathData('M0 0C1 1 2 2 3 3L4 4');
    expect(reverseSubpath(segs)).toEqual(parsePathData('M4 4L3 3C2 2 1 1 0 0'));
    expect(flatten(reverseSubpath(segs))[0]!.points[0]).toEqual({ x: 4, y: 4 });
  });
});
