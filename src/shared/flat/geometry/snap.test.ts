import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sampleFlat } from '../testing/fixtures';
import { movingPoints, snapMove, snapPoint, snapTargets, type SnapTargets } from './snap';

const targets = (t: Partial<SnapTargets>): SnapTargets => ({ anchors: [], verticals: [], horizontals: [], axisX: null, grid: null, ...t });

describe('snapPoint', () => {
  it('prefers an anchor, then a guide or the axis per coordinate, then the grid', () => {
    const t = targets({ anchors: [{ x: 50, y: 50 }], verticals: [30], horizontals: [72], axisX: 100, grid: 10 });
    expect(snapPoint({ x: 51, y: 49 }, t, 3)).toEqual({ point: { x: 50, y: 50 }, x: { kind: 'anchor', at: 50 }, y: { kind: 'anchor', at: 50 } });
    expect(snapPoint({ x: 31.5, y: 70.5 }, t, 3)).toEqual({ point: { x: 30, y: 72 }, x: { kind: 'guide', at: 30 }, y: { kind: 'guide', at: 72 } });
    expect(snapPoint({ x: 98, y: 13 }, t, 3)).toEqual({ point: { x: 100, y: 10 }, x: { kind: 'axis', at: 100 }, y: { kind: 'grid', at: 10 } });
    expect(snapPoint({ x: 44, y: 16 }, t, 3)).toEqual({ point: { x: 40, y: 20 }, x: { kind: 'grid', at: 40 }, y: { kind: 'grid', at: 20 } });
  });

  it('finds the nearest anchor within tolerance, as a search of every anchor would', () => {
    const coord = fc.double({ min: -50, max: 50, noNaN: true });
    const point = fc.record({ x: coord, y: coord });
    fc.assert(
      fc.property(fc.array(point, { maxLength: 60 }), point, fc.double({ min: 0.1, max: 20, noNaN: true }), (anchors, p, tol) => {
        const within = anchors.map((a) => Math.hypot(a.x - p.x, a.y - p.y)).filter((d) => d <= tol);
        const r = snapPoint(p, targets({ anchors }), tol);
        if (within.length === 0) expect(r.x).toBeNull();
        else expect(Math.hypot(r.point.x - p.x, r.point.y - p.y)).toBeCloseTo(Math.min(...within), 9);
      }),
      { numRuns: 300 },
    );
  });

  it('leaves a point alone out of reach with the grid off, and a guide wins a tie with the axis', () => {
    const t = targets({ verticals: [98], axisX: 102 });
    expect(snapPoint({ x: 10, y: 10 }, t, 3)).toEqual({ point: { x: 10, y: 10 }, x: null, y: null });
    expect(snapPoint({ x: 100, y: 10 }, t, 3).x).toEqual({ kind: 'guide', at: 98 });
    expect(snapPoint({ x: 101, y: 10 }, t, 3).x).toEqual({ kind: 'axis', at: 102 });
  });
});

describe('snapMove', () => {
  const square = [{ x: 0, y: 0 }, { x: 20, y: 0 }, { x: 0, y: 20 }, { x: 20, y: 20 }];

  it('puts the moving point nearest an anchor onto it, both coordinates at once', () => {
    const s = snapMove(square, { x: 41, y: 18 }, targets({ anchors: [{ x: 60, y: 40 }], verticals: [40] }), 3);
    // corner (20,20) lands at (61,38): 2.2 from the anchor, nearer than any other pairing.
    expect(s.delta).toEqual({ x: 40, y: 20 });
    expect(s.at).toEqual({ x: 60, y: 40 });
    expect(s.x?.kind).toBe('anchor');
  });

  it('snaps x to a vertical guide and y to a horizontal one independently, by the nearest moving point', () => {
    const s = snapMove(square, { x: 8, y: 31 }, targets({ verticals: [29.5], horizontals: [50] }), 3);
    // right edge 28 -> guide 29.5; bottom edge 51 -> guide 50.
    expect(s.delta).toEqual({ x: 9.5, y: 30 });
    expect(s.x).toEqual({ kind: 'guide', at: 29.5 });
    expect(s.y).toEqual({ kind: 'guide', at: 50 });
  });

  it('snaps to the symmetry axis, and otherwise puts the first point on the grid', () => {
    expect(snapMove(square, { x: 79, y: 3 }, targets({ axisX: 100 }), 3)).toMatchObject({ delta: { x: 80, y: 3 }, x: { kind: 'axis', at: 100 }, y: null });
    expect(snapMove(square, { x: 13, y: 27 }, targets({ grid: 10 }), 3)).toMatchObject({ delta: { x: 10, y: 30 }, x: { kind: 'grid' }, y: { kind: 'grid' } });
    expect(snapMove(square, { x: 13, y: 27 }, targets({}), 3)).toEqual({ delta: { x: 13, y: 27 }, x: null, y: null, at: null });
  });
});

describe('snapTargets and movingPoints', () => {
  it('collect the view\'s anchors and guides, skipping hidden layers and the items that move', () => {
    const doc = sampleFlat();
    const view = { ...doc.views[0]!, guides: [{ id: 'g', orientation: 'vertical' as const, at: 12 }, { id: 'h', orientation: 'horizontal' as const, at: 34 }] };
    const all = snapTargets(view, { grid: 10 });
    expect(all.verticals).toEqual([12]);
    expect(all.horizontals).toEqual([34]);
    expect(all.axisX).toBe(100);
    expect(all.grid).toBe(10);
    // panel 5 anchors (M + 3 L + none for Z = 4), half 3, pocket 4.
    expect(all.anchors).toHaveLength(11);
    expect(snapTargets(view, { exclude: new Set(['panel']) }).anchors).toHaveLength(7);
    expect(snapTargets(view, { hidden: new Set(['details']) }).anchors).toHaveLength(7);
    const pts = movingPoints(view, new Set(['pocket']));
    expect(pts.slice(0, 5)).toEqual([{ x: 70, y: 60 }, { x: 90, y: 60 }, { x: 70, y: 80 }, { x: 90, y: 80 }, { x: 80, y: 70 }]);
    expect(pts).toHaveLength(9);
  });
});
