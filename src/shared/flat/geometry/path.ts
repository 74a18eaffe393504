import type { Point, Segment } from '../schema';
import { applyToPoint, type Matrix } from './matrix';

export interface Polyline {
  points: Point[];
  closed: boolean;
}
export interface Box {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export function transformSegments(segments: readonly Segment[], m: Matrix): Segment[] {
  const t = (p: Point) => applyToPoint(m, p);
  return segments.map((s): Segment => {
    switch (s.kind) {
      case 'M':
      case 'L':
        return { kind: s.kind, to: t(s.to) };
      case 'C':
        return { kind: 'C', c1: t(s.c1), c2: t(s.c2), to: t(s.to) };
      case 'Q':
        return { kind: 'Q', c: t(s.c), to: t(s.to) };
      case 'Z':
        return { kind: 'Z' };
    }
  });
}

/** The on-curve point that segment `index` ends at; null for a Z or an index out of range. */
export function anchorPoint(segments: readonly Segment[], index: number): Point | null {
  const s = segments[index];
  return s && s.kind !== 'Z' ? s.to : null;
}

/** Indices of the segments that end on an anchor a technician can pick. */
export function anchorIndices(segments: readonly Segment[]): number[] {
  const out: number[] = [];
  segments.forEach((s, i) => {
    if (s.kind !== 'Z') out.push(i);
  });
  return out;
}

const dist = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);
export const distance = dist;

function cubicAt(p0: Point, p1: Point, p2: Point, p3: Point, t: number): Point {
  const u = 1 - t;
  const a = u * u * u;
  const b = 3 * u * u * t;
  const c = 3 * u * t * t;
  const d = t * t * t;
  return { x: a * p0.x + b * p1.x + c * p2.x + d * p3.x, y: a * p0.y + b * p1.y + c * p2.y + d * p3.y };
}

/** Splits every curve into straight pieces no longer off the curve than about `tolerance`. */
export function flatten(segments: readonly Segment[], tolerance = 0.1): Polyline[] {
  const lines: Polyline[] = [];
  let current: Polyline | null = null;
  let cur: Point = { x: 0, y: 0 };
  let start: Point = cur;
  for (const s of segments) {
    switch (s.kind) {
      case 'M':
        current = { points: [s.to], closed: false };
        lines.push(current);
        cur = start = s.to;
        break;
      case 'L':
        current?.points.push(s.to);
        cur = s.to;
        break;
      case 'C':
      case 'Q': {
        const c1 = s.kind === 'C' ? s.c1 : { x: cur.x + (2 / 3) * (s.c.x - cur.x), y: cur.y + (2 / 3) * (s.c.y - cur.y) };
        const c2 = s.kind === 'C' ? s.c2 : { x: s.to.x + (2 / 3) * (s.c.x - s.to.x), y: s.to.y + (2 / 3) * (s.c.y - s.to.y) };
        // The control polygon bounds the curve, so its length bounds the number of pieces needed.
        const hull = dist(cur, c1) + dist(c1, c2) + dist(c2, s.to);
        const n = Math.min(256, Math.max(1, Math.ceil(Math.sqrt(hull / Math.max(tolerance, 1e-6)))));
        for (let i = 1; i <= n; i++) current?.points.push(i === n ? s.to : cubicAt(cur, c1, c2, s.to, i / n));
        cur = s.to;
        break;
      }
      case 'Z':
        if (current) current.closed = true;
        cur = start;
        break;
    }
  }
  return lines;
}

export function boundsOfPoints(points: readonly Point[]): Box | null {
  if (points.length === 0) return null;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const p of points) {
    minX = Math.min(minX, p.x);
    minY = Math.min(minY, p.y);
    maxX = Math.max(maxX, p.x);
    maxY = Math.max(maxY, p.y);
  }
  return { minX, minY, maxX, maxY };
}

export function bounds(segments: readonly Segment[]): Box | null {
  return boundsOfPoints(flatten(segments, 0.05).flatMap((l) => l.points));
}

export function unionBoxes(boxes: readonly (Box | null)[]): Box | null {
  const real = boxes.filter((b): b is Box => b !== null);
  if (real.length === 0) return null;
  return {
    minX: Math.min(...real.map((b) => b.minX)),
    minY: Math.min(...real.map((b) => b.minY)),
    maxX: Math.max(...real.map((b) => b.maxX)),
    maxY: Math.max(...real.map((b) => b.maxY)),
  };
}

export function polylineLength(line: Polyline): number {
  let total = 0;
  for (let i = 1; i < line.points.length; i++) total += dist(line.points[i - 1]!, line.points[i]!);
  if (line.closed && line.points.length > 1) total += dist(line.points[line.points.length - 1]!, line.points[0]!);
  return total;
}

export function pathLength(segments: readonly Segment[]): number {
  return flatten(segments, 0.01).reduce((sum, l) => sum + polylineLength(l), 0);
}

export function isClosed(segments: readonly Segment[]): boolean {
  const starts = segments.filter((s) => s.kind === 'M').length;
  const closes = segments.filter((s) => s.kind === 'Z').length;
  return starts > 0 && closes >= starts;
}

/** Reverses one open subpath given as segments that start with M (no Z inside). */
export function reverseSubpath(segments: readonly Segment[]): Segment[] {
  const pts: Point[] = [];
  for (const s of segments) if (s.kind !== 'Z') pts.push(s.to);
  const out: Segment[] = [{ kind: 'M', to: pts[pts.length - 1]! }];
  for (let i = segments.length - 1; i >= 1; i--) {
    const s = segments[i]!;
    const prev = pts[i - 1]!;
    if (s.kind === 'L') out.push({ kind: 'L', to: prev });
    else if (s.kind === 'C') out.push({ kind: 'C', c1: s.c2, c2: s.c1, to: prev });
    else if (s.kind === 'Q') out.push({ kind: 'Q', c: s.c, to: prev });
  }
  return out;
}

export const polylineToSegments = (line: Polyline): Segment[] => {
  const segs: Segment[] = line.points.map((p, i) => ({ kind: i === 0 ? 'M' : 'L', to: p }) as Segment);
  if (line.closed) segs.push({ kind: 'Z' });
  return segs;
};

/** Ramer-Douglas-Peucker: drops points closer than `tolerance` to the simplified line. */
export function simplify(points: readonly Point[], tolerance: number): Point[] {
  if (points.length <= 2) return [...points];
  const keep = new Uint8Array(points.length);
  keep[0] = keep[points.length - 1] = 1;
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length) {
    const [a, b] = stack.pop()!;
    const pa = points[a]!;
    const pb = points[b]!;
    const len = dist(pa, pb);
    let worst = -1;
    let worstD = tolerance;
    for (let i = a + 1; i < b; i++) {
      const p = points[i]!;
      const d =
        len === 0 ? dist(p, pa) : Math.abs((pb.x - pa.x) * (pa.y - p.y) - (pa.x - p.x) * (pb.y - pa.y)) / len;
      if (d > worstD) {
        worstD = d;
        worst = i;
      }
    }
    if (worst >= 0) {
      keep[worst] = 1;
      stack.push([a, worst], [worst, b]);
    }
  }
  return points.filter((_, i) => keep[i] === 1);
}
