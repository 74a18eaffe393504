import { describe, expect, it } from 'vitest';
import { StitchLineSchema, TrimSchema, type Point, type Segment } from '../schema';
import type { CircleMark, PathMark } from './marks';
import { stitchRows } from './stitches';
import { trimDrawing } from './trims';

const line = (from: Point, to: Point): Segment[] => [
  { kind: 'M', to: from },
  { kind: 'L', to },
];
const stitch = (fields: Record<string, unknown>) =>
  StitchLineSchema.parse({ id: 's', layerId: 'l', type: 'stitch', stitch: 'topstitch', segments: line({ x: 0, y: 10 }, { x: 100, y: 10 }), style: { stroke: '#000000', strokeWidth: 0.4 }, ...fields });
const points = (row: PathMark): Point[] => row.segments.flatMap((s) => (s.kind === 'Z' ? [] : [s.to]));
const ys = (row: PathMark) => [...new Set(points(row).map((p) => Number(p.y.toFixed(6))))];

describe('stitch rows', () => {
  it('draws a coverstitch as three needle rows, needleGap apart with the middle one on the line', () => {
    const rows = stitchRows(stitch({ stitch: 'coverstitch', needleGap: 6 }));
    // Offsetting to the left of travel on a y-down page moves a left-to-right line up the page.
    expect(rows.map(ys)).toEqual([[13], [10], [7]]);
    for (const row of rows) expect(row.pen?.dash).toEqual([2.5, 1.5]);
  });

  it('draws a double needle as two rows straddling the line', () => {
    const rows = stitchRows(stitch({ stitch: 'doubleNeedle', needleGap: 4 }));
    expect(rows.map(ys)).toEqual([[12], [8]]);
  });

  it('dashes a straight stitch with its stitch length and spacing unless the style has its own dash', () => {
    expect(stitchRows(stitch({ stitchLength: 3, spacing: 1 }))[0]!.pen?.dash).toEqual([3, 1]);
    const own = stitchRows(stitch({ stitch: 'doubleNeedle', style: { stroke: '#000000', strokeWidth: 0.4, dash: [4, 1, 1, 1], dashOffset: 2 } }));
    for (const row of own) expect(row.pen).toMatchObject({ dash: [4, 1, 1, 1], dashOffset: 2 });
    // An empty dash is a solid line, whatever the stitch length.
    expect(stitchRows(stitch({ style: { stroke: '#000000', strokeWidth: 0.4, dash: [] } }))[0]!.pen?.dash).toBeNull();
  });

  it('draws a zigzag as a solid thread swinging zigzagWidth across the line, a full swing per stitch length', () => {
    const [row, ...more] = stitchRows(stitch({ stitch: 'zigzag', stitchLength: 4, zigzagWidth: 3, style: { stroke: '#000000', strokeWidth: 0.4, dash: [1, 1] } }));
    expect(more).toEqual([]);
    expect(row!.pen?.dash).toBeNull();
    const swings = points(row!).slice(1);
    expect(swings).toHaveLength(50);
    swings.forEach((p, i) => {
      expect(p.x).toBeCloseTo((i + 1) * 2, 9);
      expect(p.y).toBeCloseTo(i % 2 === 0 ? 8.5 : 11.5, 9);
    });
  });

  it('carries the stitch style onto every row', () => {
    const rows = stitchRows(stitch({ stitch: 'coverstitch', style: { stroke: '#224466', strokeWidth: 0.3, lineCap: 'butt', opacity: 0.5, strokeOpacity: 0.8 } }));
    for (const row of rows) {
      expect(row.pen).toMatchObject({ colour: '#224466', width: 0.3, lineCap: 'butt', strokeOpacity: 0.8 });
      expect(row.opacity).toBe(0.5);
      expect(row.fill).toBeNull();
    }
  });
});

describe('trim drawings', () => {
  const trim = (fields: Record<string, unknown>) => TrimSchema.parse({ id: 't', layerId: 'l', type: 'trim', trim: 'button', at: { x: 40, y: 50 }, size: 10, ...fields });

  it('draws a button about its centre with four holes, placed and turned as the trim', () => {
    const d = trimDrawing(trim({ rotation: 30, colour: '#aa0000' }));
    expect(d.placement).toEqual({ at: { x: 40, y: 50 }, rotation: 30 });
    const [face, ...holes] = d.marks as CircleMark[];
    expect(face).toMatchObject({ centre: { x: 0, y: 0 }, r: 5, fill: '#ffffff', pen: { colour: '#aa0000', width: 0.6 } });
    expect(holes.map((h) => [h.centre.x, h.centre.y])).toEqual([[-1.25, -1.25], [1.25, -1.25], [-1.25, 1.25], [1.25, 1.25]]);
    expect(holes.every((h) => h.pen === null && h.fill === '#aa0000')).toBe(true);
  });

  it('keeps a hairline outline on a tiny trim', () => {
    expect((trimDrawing(trim({ trim: 'rivet', size: 1 })).marks[0] as CircleMark).pen?.width).toBe(0.2);
  });

  it('lays a zipper along its path in document coordinates, teeth dashed across the tape', () => {
    const path = line({ x: 0, y: 0 }, { x: 0, y: 80 });
    const d = trimDrawing(trim({ trim: 'zipper', size: 5, path }));
    expect(d.placement).toBeNull();
    expect(d.marks.map((m) => (m.kind === 'path' ? [m.segments, m.pen?.width, m.pen?.dash] : null))).toEqual([
      [path, 1.25, null],
      [path, 5, [0.6, 0.6]],
    ]);
  });

  it('writes a label text only when there is one', () => {
    expect(trimDrawing(trim({ trim: 'label' })).marks.map((m) => m.kind)).toEqual(['rect']);
    expect(trimDrawing(trim({ trim: 'label', text: 'Care' })).marks.at(-1)).toEqual({ kind: 'text', at: { x: 0, y: 0.75 }, text: 'Care', fontSize: 2.5, fill: '#000000' });
  });
});
