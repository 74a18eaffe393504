import type { FlatView, Point } from '../schema';
import { anchorIndices, bounds, unionBoxes, type Box } from './path';

/** What a point snapped to, strongest first: an anchor, a ruler guide, the symmetry axis, the grid. */
export type SnapKind = 'anchor' | 'guide' | 'axis' | 'grid';

/** What drawing may snap to in one view; lines are vertical (x) or horizontal (y) positions. */
export interface SnapTargets {
  anchors: readonly Point[];
  /** x of the vertical guides. */
  verticals: readonly number[];
  /** y of the horizontal guides. */
  horizontals: readonly number[];
  axisX: number | null;
  /** Grid spacing, or null when the grid is off. */
  grid: number | null;
}

/** One coordinate's snap: what it snapped to and where that line is. */
export interface SnapLine {
  kind: SnapKind;
  at: number;
}

export interface SnapResult {
  point: Point;
  x: SnapLine | null;
  y: SnapLine | null;
}

export interface MoveSnap {
  /** The move, corrected so a moving point lands on what it snapped to. */
  delta: Point;
  x: SnapLine | null;
  y: SnapLine | null;
  /** Where the moving point that snapped ends up (for the indicator), or null when nothing snapped. */
  at: Point | null;
}

export interface TargetOptions {
  /** Layers whose items are not snapped to (hidden ones). */
  hidden?: ReadonlySet<string>;
  /** Items not snapped to: the ones being moved. */
  exclude?: ReadonlySet<string>;
  anchors?: boolean;
  grid?: number | null;
  /** Whether the symmetry axis attracts (it does in a view that has one). */
  axis?: boolean;
}

/** The anchors, guides, axis and grid of a view as snap targets. */
export function snapTargets(view: FlatView, o: TargetOptions = {}): SnapTargets {
  const anchors: Point[] = [];
  if (o.anchors !== false) {
    for (const item of view.items) {
      if (item.type !== 'shape' || o.hidden?.has(item.layerId) || o.exclude?.has(item.id)) continue;
      for (const i of anchorIndices(item.segments)) {
        const s = item.segments[i]!;
        if (s.kind !== 'Z') anchors.push(s.to);
      }
    }
  }
  const guides = view.guides;
  return {
    anchors,
    verticals: guides.filter((g) => g.orientation === 'vertical').map((g) => g.at),
    horizontals: guides.filter((g) => g.orientation === 'horizontal').map((g) => g.at),
    axisX: o.axis === false ? null : view.axisX,
    grid: o.grid ?? null,
  };
}

/**
 * Anchors sorted by x, made once per target list: a drag asks for the nearest anchor on every move,
 * and a binary search to the tolerance band keeps that to the few anchors near the pointer.
 */
const byX = new WeakMap<readonly Point[], Point[]>();
function sortedByX(anchors: readonly Point[]): Point[] {
  let sorted = byX.get(anchors);
  if (!sorted) {
    sorted = [...anchors].sort((a, b) => a.x - b.x);
    byX.set(anchors, sorted);
  }
  return sorted;
}

function nearestAnchor(anchors: readonly Point[], p: Point, tolerance: number): Point | null {
  const sorted = sortedByX(anchors);
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.x < p.x - tolerance) lo = mid + 1;
    else hi = mid;
  }
  let best: Point | null = null;
  let bestD2 = tolerance * tolerance;
  for (let k = lo; k < sorted.length; k++) {
    const a = sorted[k]!;
    const dx = a.x - p.x;
    if (dx > tolerance) break;
    const dy = a.y - p.y;
    if (dy > tolerance || dy < -tolerance) continue;
    const d2 = dx * dx + dy * dy;
    if (d2 <= bestD2) {
      best = a;
      bestD2 = d2;
    }
  }
  return best;
}

/** The nearest line within tolerance of `v`; a guide wins a tie with the axis, as it was placed on purpose. */
function nearestLine(v: number, guides: readonly number[], axis: number | null, tolerance: number): SnapLine | null {
  let best: SnapLine | null = null;
  let bestD = Infinity;
  for (const g of guides) {
    const d = Math.abs(g - v);
    if (d <= tolerance && d < bestD) {
      best = { kind: 'guide', at: g };
      bestD = d;
    }
  }
  if (axis !== null) {
    const d = Math.abs(axis - v);
    if (d <= tolerance && d < bestD) best = { kind: 'axis', at: axis };
  }
  return best;
}

const onGrid = (v: number, grid: number) => Math.round(v / grid) * grid;

/**
 * Snaps a point as flat editors do: onto an anchor within `tolerance` first; otherwise each
 * coordinate onto the nearest guide (or, for x, the symmetry axis) within tolerance; a coordinate
 * still free goes to the grid when it is on.
 */
export function snapPoint(p: Point, t: SnapTargets, tolerance: number): SnapResult {
  const anchor = nearestAnchor(t.anchors, p, tolerance);
  if (anchor) return { point: anchor, x: { kind: 'anchor', at: anchor.x }, y: { kind: 'anchor', at: anchor.y } };
  let x: SnapLine | null = nearestLine(p.x, t.verticals, t.axisX, tolerance);
  let y: SnapLine | null = nearestLine(p.y, t.horizontals, null, tolerance);
  if (t.grid) {
    x ??= { kind: 'grid', at: onGrid(p.x, t.grid) };
    y ??= { kind: 'grid', at: onGrid(p.y, t.grid) };
  }
  return { point: { x: x?.at ?? p.x, y: y?.at ?? p.y }, x, y };
}

/**
 * Snaps a move of several points (a shape's anchors and bounds) by `delta`: the pair of a moving
 * point and an anchor that come closest within tolerance decides both coordinates; otherwise each
 * coordinate follows the moving point nearest a guide or the axis. A coordinate still free puts the
 * first point (the bounds' corner) on the grid when it is on.
 */
export function snapMove(points: readonly Point[], delta: Point, t: SnapTargets, tolerance: number): MoveSnap {
  let bestAnchor: { from: Point; to: Point } | null = null;
  let bestD = tolerance;
  for (const p of points) {
    const moved = { x: p.x + delta.x, y: p.y + delta.y };
    const a = nearestAnchor(t.anchors, moved, bestD);
    if (a) {
      const d = Math.hypot(a.x - moved.x, a.y - moved.y);
      if (d <= bestD) {
        bestAnchor = { from: p, to: a };
        bestD = d;
      }
    }
  }
  if (bestAnchor) {
    const { from, to } = bestAnchor;
    return { delta: { x: to.x - from.x, y: to.y - from.y }, x: { kind: 'anchor', at: to.x }, y: { kind: 'anchor', at: to.y }, at: to };
  }
  const along = (coord: 'x' | 'y', guides: readonly number[], axis: number | null) => {
    let best: { line: SnapLine; shift: number; p: Point } | null = null;
    for (const p of points) {
      const v = p[coord] + delta[coord];
      const line = nearestLine(v, guides, axis, tolerance);
      if (line && (!best || Math.abs(line.at - v) < Math.abs(best.shift))) best = { line, shift: line.at - v, p };
    }
    return best;
  };
  const sx = along('x', t.verticals, t.axisX);
  const sy = along('y', t.horizontals, null);
  let dx = delta.x + (sx?.shift ?? 0);
  let dy = delta.y + (sy?.shift ?? 0);
  let x = sx?.line ?? null;
  let y = sy?.line ?? null;
  const ref = points[0];
  if (t.grid && ref) {
    if (!x) {
      dx = onGrid(ref.x + delta.x, t.grid) - ref.x;
      x = { kind: 'grid', at: ref.x + dx };
    }
    if (!y) {
      dy = onGrid(ref.y + delta.y, t.grid) - ref.y;
      y = { kind: 'grid', at: ref.y + dy };
    }
  }
  const marker = sx?.p ?? sy?.p ?? (t.grid ? ref : undefined);
  return { delta: { x: dx, y: dy }, x, y, at: marker && (x || y) ? { x: marker.x + dx, y: marker.y + dy } : null };
}

/** What a moving selection snaps by: its bounds' corners and centre, then its anchors (up to `maxAnchors`). */
export function movingPoints(view: FlatView, ids: ReadonlySet<string>, maxAnchors = 400): Point[] {
  const items = view.items.filter((i) => ids.has(i.id));
  const boxes: (Box | null)[] = [];
  const anchors: Point[] = [];
  for (const item of items) {
    if (item.type === 'shape' || item.type === 'stitch') {
      boxes.push(bounds(item.segments));
      if (item.type === 'shape' && anchors.length < maxAnchors)
        for (const s of item.segments) if (s.kind !== 'Z' && anchors.length < maxAnchors) anchors.push(s.to);
    } else if ('at' in item) {
      boxes.push({ minX: item.at.x, minY: item.at.y, maxX: item.at.x, maxY: item.at.y });
    }
  }
  const box = unionBoxes(boxes);
  if (!box) return anchors;
  const corners = [
    { x: box.minX, y: box.minY },
    { x: box.maxX, y: box.minY },
    { x: box.minX, y: box.maxY },
    { x: box.maxX, y: box.maxY },
    { x: (box.minX + box.maxX) / 2, y: (box.minY + box.maxY) / 2 },
  ];
  return [...corners, ...anchors];
}
