import { describe, expect, it } from 'vitest';
import { offsetPath, parsePathData, PrintSchema, ShapeSchema, StitchLineSchema, TrimSchema, type FlatItem, type Point } from '../../../../../shared/flat';
import { HANDLE_PX } from './context';
import { pickAt, reachOf, type HitCandidate } from './hit-test';

const OUTLINE = 'M 0 0 L 200 0 L 200 300 L 0 300 Z';

const panel = (fill: string | null = '#ffffff') =>
  ShapeSchema.parse({
    id: 'front',
    layerId: 'outline',
    type: 'shape',
    role: 'panel',
    segments: parsePathData(OUTLINE),
    style: { stroke: '#000000', strokeWidth: 1.2, fill },
  });

/** A double-needle topstitch 6 units in from the outline, as the stitch tool lays one along a panel. */
const stitch = (of: FlatItem & { type: 'shape' }) => {
  // Whichever way offsetPath turns, the row 6 in from the edge is the one inside the panel.
  const a = offsetPath(of.segments, 6);
  const inside = a.some((s) => s.kind !== 'Z' && s.to.x > 0 && s.to.x < 200 && s.to.y > 0 && s.to.y < 300);
  return StitchLineSchema.parse({
    id: 'topstitch',
    layerId: 'stitching',
    type: 'stitch',
    stitch: 'doubleNeedle',
    segments: inside ? a : offsetPath(of.segments, -6),
    along: of.id,
    offset: 6,
    needleGap: 6.4,
    style: { stroke: '#333333', strokeWidth: 0.4, dash: [2.5, 1.5] },
  });
};

/** A fisheye dart in the middle of the panel: an open line, nothing filled. */
const dart = ShapeSchema.parse({
  id: 'dart',
  layerId: 'details',
  type: 'shape',
  role: 'detail',
  segments: parsePathData('M 100 120 L 94 200 L 100 260 L 106 200'),
  style: { stroke: '#000000', strokeWidth: 0.6, fill: null },
});

/** The canvas's paint order, bottom first: the panel, then its stitching, then the dart. */
const scene = (items: FlatItem[]): HitCandidate<string>[] => items.map((item) => ({ target: item.id, item }));
/** The pick distance at a zoom, as the controller gives it: HANDLE_PX screen pixels. */
const at = (zoom: number) => HANDLE_PX / zoom;
const pick = (items: FlatItem[], p: Point, zoom = 1) => pickAt(scene(items), p, at(zoom));

describe('canvas hit test', () => {
  const front = panel();
  const stitched = [front, stitch(front), dart];

  it('a click on a dart inside a stitched outline picks the dart, not the stitch drawn over the panel', () => {
    // On the dart's leg, a little off the line as a hand clicks.
    expect(pick(stitched, { x: 97 + 2, y: 160 })).toBe('dart');
    // The stitch's bounding box holds the whole panel: it must not catch the click.
    expect(reachOf(stitched[1]!, { x: 99, y: 160 }, at(1))).toBeNull();
  });

  it('inside a panel away from every line the panel is picked, drawn filled or not; an open line only near it', () => {
    expect(pick(stitched, { x: 50, y: 100 })).toBe('front');
    const unfilled = panel(null);
    expect(pick([unfilled, stitch(unfilled), dart], { x: 50, y: 100 })).toBe('front');
    expect(pick([unfilled, stitch(unfilled), dart], { x: 97, y: 160 })).toBe('dart');
    // An open outline (a neckline, a hem) has a box as large as the panel's, but no inside.
    const hem = ShapeSchema.parse({ ...unfilled, id: 'hem', role: 'seam', segments: parsePathData('M 0 0 L 200 0 L 200 300') });
    expect(pick([hem, dart], { x: 50, y: 100 })).toBeUndefined();
    expect(pick([hem, dart], { x: 199, y: 100 })).toBe('hem');
  });

  it('of the lines near the pointer the nearest wins: the stitch near its row, the outline near the edge', () => {
    expect(pick(stitched, { x: 7, y: 150 })).toBe('topstitch');
    expect(pick(stitched, { x: 1, y: 150 })).toBe('front');
    // Just outside the panel, the outline is the only line within reach.
    expect(pick(stitched, { x: -3, y: 150 })).toBe('front');
  });

  it('lines equally near go to the topmost', () => {
    const twin = { ...dart, id: 'dart-copy' };
    expect(pick([front, dart, twin], { x: 97, y: 160 })).toBe('dart-copy');
    expect(pick([front, twin, dart], { x: 97, y: 160 })).toBe('dart');
  });

  it('the tolerance is in screen pixels: zoomed in, a click that far from the dart is a click on the panel', () => {
    const off = { x: 97 + 4, y: 160 };
    expect(pick(stitched, off, 1)).toBe('dart');
    expect(pick(stitched, off, 4)).toBe('front');
  });

  it('a filled area hides the lines under it; a trim over a seam is picked anywhere on it', () => {
    const pocket = ShapeSchema.parse({
      id: 'pocket',
      layerId: 'details',
      type: 'shape',
      role: 'detail',
      segments: parsePathData('M 80 140 L 130 140 L 130 190 L 80 190 Z'),
      style: { stroke: '#000000', strokeWidth: 1, fill: '#ffffff' },
    });
    // The pocket is drawn over the dart's leg: a click on the pocket where the dart runs under it is the pocket's.
    expect(pick([front, dart, pocket], { x: 97, y: 160 })).toBe('pocket');
    const button = TrimSchema.parse({ id: 'button', layerId: 'trims', type: 'trim', trim: 'button', at: { x: 97, y: 160 }, size: 12 });
    expect(pick([front, dart, button], { x: 101, y: 163 })).toBe('button');
    // A print is picked anywhere inside its placement box, turned as it is placed.
    const print = PrintSchema.parse({ id: 'print', layerId: 'prints', type: 'print', motifId: 'm', at: { x: 100, y: 60 }, width: 60, height: 20, rotation: 90 });
    expect(pick([front, print], { x: 100, y: 85 })).toBe('print');
    expect(pick([front, print], { x: 125, y: 60 })).toBe('front');
  });

  it('what only fabric can test takes part through its box test', () => {
    const candidates: HitCandidate<string>[] = [...scene(stitched), { target: 'selection', item: null, contains: () => true }];
    expect(pickAt(candidates, { x: 50, y: 100 }, at(1))).toBe('selection');
    // A line above nothing that only fabric knows still wins by being near.
    expect(pickAt([{ target: 'box', item: null, contains: () => true }, ...scene([dart])], { x: 97, y: 160 }, at(1))).toBe('dart');
  });
});
