import { describe, expect, it } from 'vitest';
import type { Segment } from '../schema';
import { anchorSiblings, mirrorAnchor, moveAnchor } from './anchor';

const open: Segment[] = [
  { kind: 'M', to: { x: 0, y: 0 } },
  { kind: 'C', c1: { x: 5, y: 0 }, c2: { x: 10, y: 5 }, to: { x: 10, y: 10 } },
  { kind: 'Q', c: { x: 10, y: 20 }, to: { x: 20, y: 20 } },
  { kind: 'L', to: { x: 30, y: 20 } },
];
// A closed outline drawn with a straight closing edge (Z), start not repeated.
const box: Segment[] = [
  { kind: 'M', to: { x: 0, y: 0 } },
  { kind: 'L', to: { x: 10, y: 0 } },
  { kind: 'C', c1: { x: 12, y: 3 }, c2: { x: 12, y: 7 }, to: { x: 10, y: 10 } },
  { kind: 'Z' },
];

describe('moveAnchor', () => {
  it('carries the incoming cubic handle and leaves a quadratic control where it is', () => {
    const out = moveAnchor(open, 1, { x: 12, y: 9 });
    expect(out[1]).toEqual({ kind: 'C', c1: { x: 5, y: 0 }, c2: { x: 12, y: 4 }, to: { x: 12, y: 9 } });
    expect(out[2]).toEqual(open[2]);
    expect(open[1]).toEqual({ kind: 'C', c1: { x: 5, y: 0 }, c2: { x: 10, y: 5 }, to: { x: 10, y: 10 } });
  });

  it('carries the outgoing cubic handle of the next segment', () => {
    const out = moveAnchor(box, 1, { x: 11, y: -1 });
    expect(out[2]).toEqual({ kind: 'C', c1: { x: 13, y: 2 }, c2: { x: 12, y: 7 }, to: { x: 10, y: 10 } });
  });

  it('a start point closed by a Z has no twin to move along', () => {
    expect(anchorSiblings(box, 0)).toEqual([0]);
    expect(anchorSiblings(box, 3)).toEqual([]);
    expect(moveAnchor(box, 0, { x: 1, y: 1 })[0]).toEqual({ kind: 'M', to: { x: 1, y: 1 } });
  });
});

describe('mirrorAnchor', () => {
  const symmetric: Segment[] = [
    { kind: 'M', to: { x: 50, y: 0 } },
    { kind: 'L', to: { x: 70, y: 10 } },
    { kind: 'L', to: { x: 50, y: 40 } },
    { kind: 'L', to: { x: 30, y: 10 } },
    { kind: 'Z' },
  ];
  it('finds the anchor across the axis, and none for an anchor on it', () => {
    expect(mirrorAnchor(symmetric, 1, 50)).toBe(3);
    expect(mirrorAnchor(symmetric, 3, 50)).toBe(1);
    expect(mirrorAnchor(symmetric, 0, 50)).toBeNull();
    expect(mirrorAnchor(symmetric, 1, 40)).toBeNull();
  });
});
