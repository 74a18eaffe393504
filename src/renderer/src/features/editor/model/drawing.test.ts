import { describe, expect, it } from 'vitest';
import { applyCommand, bounds, FlatDocumentSchema, isClosed } from '../../../../../shared/flat';
import { sampleFlat } from '../../../../../shared/flat/testing/fixtures';
import { blankFlat, docDigest, ellipseSegments, makeShape, nearestAnchor, penSegments, rectSegments, smoothAnchor, snapPoint } from './drawing';

describe('pen segments', () => {
  it('makes corners into lines and dragged anchors into cubics with mirrored handles', () => {
    const segs = penSegments([{ p: { x: 0, y: 0 } }, smoothAnchor({ x: 10, y: 0 }, { x: 14, y: 3 }), { p: { x: 20, y: 10 } }], false);
    expect(segs).toEqual([
      { kind: 'M', to: { x: 0, y: 0 } },
      { kind: 'C', c1: { x: 0, y: 0 }, c2: { x: 6, y: -3 }, to: { x: 10, y: 0 } },
      { kind: 'C', c1: { x: 14, y: 3 }, c2: { x: 20, y: 10 }, to: { x: 20, y: 10 } },
    ]);
  });

  it('closes back to the first anchor only with three or more anchors', () => {
    const tri = penSegments([{ p: { x: 0, y: 0 } }, { p: { x: 10, y: 0 } }, { p: { x: 0, y: 10 } }], true);
    expect(tri.at(-2)).toEqual({ kind: 'L', to: { x: 0, y: 0 } });
    expect(isClosed(tri)).toBe(true);
    expect(isClosed(penSegments([{ p: { x: 0, y: 0 } }, { p: { x: 10, y: 0 } }], true))).toBe(false);
  });
});

describe('shapes', () => {
  it('draws rectangles from any corner pair and ellipses within their box', () => {
    expect(bounds(rectSegments({ x: 10, y: 20 }, { x: 0, y: 0 }))).toEqual({ minX: 0, minY: 0, maxX: 10, maxY: 20 });
    const b = bounds(ellipseSegments({ x: 0, y: 0 }, { x: 40, y: 20 }))!;
    expect(b.minX).toBeCloseTo(0, 2);
    expect(b.maxX).toBeCloseTo(40, 2);
    expect(b.maxY).toBeCloseTo(20, 2);
  });

  it('makes closed paths panels with a fill and open ones seams, valid for item.add', () => {
    const doc = blankFlat('b', 'Blank');
    const panel = makeShape('p', 'outline', rectSegments({ x: 0, y: 0 }, { x: 10, y: 10 }));
    const seam = makeShape('s', 'seams', [{ kind: 'M', to: { x: 0, y: 0 } }, { kind: 'L', to: { x: 5, y: 5 } }]);
    expect([panel.role, panel.style.fill, seam.role, seam.style.fill]).toEqual(['panel', '#ffffff', 'seam', null]);
    let next = applyCommand(doc, { type: 'item.add', viewId: 'front', item: panel }).doc;
    next = applyCommand(next, { type: 'item.add', viewId: 'front', item: seam }).doc;
    expect(FlatDocumentSchema.safeParse(next).success).toBe(true);
    expect(next.views[0]!.items.map((i) => i.id)).toEqual(['p', 's']);
  });
});

describe('snapping', () => {
  const view = sampleFlat().views[0]!;
  it('finds the nearest anchor within the tolerance, ignoring hidden layers', () => {
    expect(nearestAnchor(view, { x: 61, y: 41 }, 3)).toMatchObject({ shapeId: 'panel', segment: 0, point: { x: 60, y: 40 } });
    expect(nearestAnchor(view, { x: 61, y: 41 }, 1)).toBeNull();
    expect(nearestAnchor(view, { x: 61, y: 41 }, 3, new Set(['body']))).toBeNull();
  });

  it('snaps to an anchor, then to the axis, then to the grid', () => {
    const o = { tolerance: 3, anchors: true, axisX: 100, grid: 10 };
    expect(snapPoint(view, { x: 139, y: 41 }, o)).toEqual({ x: 140, y: 40 });
    expect(snapPoint(view, { x: 102, y: 23 }, o)).toEqual({ x: 100, y: 20 });
    expect(snapPoint(view, { x: 13, y: 17 }, o)).toEqual({ x: 10, y: 20 });
    expect(snapPoint(view, { x: 13, y: 17 }, { ...o, grid: null })).toEqual({ x: 13, y: 17 });
  });
});

describe('docDigest', () => {
  it('tells documents apart and is stable for equal ones', () => {
    const a = sampleFlat();
    expect(docDigest(a)).toBe(docDigest(sampleFlat()));
    const moved = applyCommand(a, { type: 'item.transform', viewId: 'front', ids: ['pocket'], matrix: [1, 0, 0, 1, 1, 0] }).doc;
    expect(docDigest(moved)).not.toBe(docDigest(a));
    // Key order is not content: a flat read back from the library lists keys in schema order.
    const reordered = { ...a, views: a.views.map((v) => ({ ...v, items: v.items.map((i) => Object.fromEntries(Object.entries(i).reverse()) as typeof i) })) };
    expect(docDigest(reordered)).toBe(docDigest(a));
  });
});
