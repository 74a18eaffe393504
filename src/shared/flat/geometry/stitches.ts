import type { Segment, StitchLine, StitchType } from '../schema';
import { penOf, type PathMark } from './marks';
import { offsetPath } from './offset';
import { flatten } from './path';

/**
 * Where each needle of a stitch runs, as offsets from the stitch line in units of `needleGap`:
 * a double needle straddles the line, a coverstitch adds a needle on it.
 */
const NEEDLES: Record<Exclude<StitchType, 'zigzag'>, readonly number[]> = {
  topstitch: [0],
  doubleNeedle: [-0.5, 0.5],
  coverstitch: [-0.5, 0, 0.5],
};

/** A zigzag drawn along the flattened line: one full swing per stitch length. */
export function zigzagSegments(segments: readonly Segment[], width: number, pitch: number): Segment[] {
  const out: Segment[] = [];
  for (const line of flatten(segments, 0.05)) {
    const pts = line.closed ? [...line.points, line.points[0]!] : line.points;
    let carried = 0;
    let side = 1;
    out.push({ kind: 'M', to: pts[0]! });
    for (let i = 1; i < pts.length; i++) {
      const a = pts[i - 1]!;
      const b = pts[i]!;
      const len = Math.hypot(b.x - a.x, b.y - a.y);
      if (len === 0) continue;
      const nx = (b.y - a.y) / len;
      const ny = -(b.x - a.x) / len;
      let t = pitch / 2 - carried;
      while (t <= len) {
        const p = { x: a.x + ((b.x - a.x) * t) / len, y: a.y + ((b.y - a.y) * t) / len };
        out.push({ kind: 'L', to: { x: p.x + (nx * side * width) / 2, y: p.y + (ny * side * width) / 2 } });
        side = -side;
        t += pitch / 2;
      }
      carried = len - (t - pitch / 2);
    }
  }
  return out;
}

/**
 * The rows a stitch line is drawn as, one mark per needle thread, in needle order. Straight-stitch
 * rows are dashed with the document's own dash when it has one, else stitch length on, spacing off;
 * a zigzag is drawn as its thread, solid.
 */
export function stitchRows(stitch: StitchLine): PathMark[] {
  const row = (segments: Segment[], dash: number[] | null): PathMark => ({
    kind: 'path',
    segments,
    fill: null,
    pen: penOf(stitch.style, dash),
    opacity: stitch.style.opacity,
  });
  if (stitch.stitch === 'zigzag') return [row(zigzagSegments(stitch.segments, stitch.zigzagWidth, stitch.stitchLength), null)];
  const dash = stitch.style.dash ?? [stitch.stitchLength, stitch.spacing];
  return NEEDLES[stitch.stitch].map((k) => row(k === 0 ? [...stitch.segments] : offsetPath(stitch.segments, k * stitch.needleGap), dash));
}
