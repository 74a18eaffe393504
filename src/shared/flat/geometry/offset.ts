import type { Point, Segment } from '../schema';
import { flatten, polylineToSegments, simplify, type Polyline } from './path';

/**
 * Offsets a polyline sideways by `distance` (positive: to the left of the direction of travel as
 * seen on a y-down page, i.e. outside a panel drawn clockwise on screen). Joins are mitred up to
 * `miterLimit` times the distance, then bevelled, so sharp corners do not shoot out.
 */
export function offsetPolyline(line: Polyline, distance: number, miterLimit = 4): Polyline {
  const pts = dedupe(line.points, line.closed);
  const n = pts.length;
  if (n < 2 || distance === 0) return { points: [...pts], closed: line.closed };
  const normal = (a: Point, b: Point): Point => {
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len = Math.hypot(dx, dy) || 1;
    return { x: dy / len, y: -dx / len };
  };
  const out: Point[] = [];
  for (let i = 0; i < n; i++) {
    const p = pts[i]!;
    const hasPrev = line.closed || i > 0;
    const hasNext = line.closed || i < n - 1;
    const prev = pts[(i - 1 + n) % n]!;
    const next = pts[(i + 1) % n]!;
    const n1 = hasPrev ? normal(prev, p) : null;
    const n2 = hasNext ? normal(p, next) : null;
    if (!n1 || !n2) {
      const nn = (n1 ?? n2)!;
      out.push({ x: p.x + nn.x * distance, y: p.y + nn.y * distance });
      continue;
    }
    const mx = n1.x + n2.x;
    const my = n1.y + n2.y;
    const mlen = Math.hypot(mx, my);
    const cosHalf = mlen / 2;
    if (mlen < 1e-9 || 1 / cosHalf > miterLimit) {
      out.push({ x: p.x + n1.x * distance, y: p.y + n1.y * distance });
      out.push({ x: p.x + n2.x * distance, y: p.y + n2.y * distance });
    } else {
      const k = distance / (cosHalf * mlen);
      out.push({ x: p.x + mx * k, y: p.y + my * k });
    }
  }
  return { points: out, closed: line.closed };
}

function dedupe(points: readonly Point[], closed: boolean): Point[] {
  const out: Point[] = [];
  for (const p of points) {
    const last = out[out.length - 1];
    if (!last || Math.hypot(last.x - p.x, last.y - p.y) > 1e-9) out.push(p);
  }
  if (closed && out.length > 1) {
    const a = out[0]!;
    const b = out[out.length - 1]!;
    if (Math.hypot(a.x - b.x, a.y - b.y) <= 1e-9) out.pop();
  }
  return out;
}

/** The offset of a bezier path as a simplified polyline path, within `tolerance` of the true offset. */
export function offsetPath(segments: readonly Segment[], distance: number, tolerance = 0.05): Segment[] {
  return flatten(segments, tolerance / 2).flatMap((line) => {
    const off = offsetPolyline(line, distance);
    return polylineToSegments({ points: simplify(off.points, tolerance / 2), closed: off.closed });
  });
}

/** Twice the signed area on a y-down page: positive when the outline runs clockwise on screen. */
export function signedArea2(points: readonly Point[]): number {
  let sum = 0;
  for (let i = 0; i < points.length; i++) {
    const a = points[i]!;
    const b = points[(i + 1) % points.length]!;
    sum += a.x * b.y - b.x * a.y;
  }
  return sum;
}
