import type { Point, Segment } from '../schema';

/** Two anchors closer than this (document units) are one point, as a closed outline's start and end. */
const SAME = 1e-6;
const same = (a: Point, b: Point, eps = SAME) => Math.abs(a.x - b.x) <= eps && Math.abs(a.y - b.y) <= eps;

interface Subpath {
  start: number;
  /** Index of the last segment that ends on an anchor (the one before a Z, if any). */
  last: number;
  closed: boolean;
}

function subpathOf(segments: readonly Segment[], index: number): Subpath {
  let start = index;
  while (start > 0 && segments[start]!.kind !== 'M') start--;
  let end = index;
  while (end + 1 < segments.length && segments[end + 1]!.kind !== 'M') end++;
  const closed = segments[end]!.kind === 'Z';
  return { start, last: closed ? end - 1 : end, closed };
}

/**
 * The segment indices that are one anchor with `index`: a closed outline whose last segment comes
 * back onto its start point has that point twice (the M and the closing segment), and both move.
 */
export function anchorSiblings(segments: readonly Segment[], index: number): number[] {
  const seg = segments[index];
  if (!seg || seg.kind === 'Z') return [];
  const { start, last, closed } = subpathOf(segments, index);
  const first = segments[start]!;
  const end = segments[last]!;
  if (closed && last > start && first.kind !== 'Z' && end.kind !== 'Z' && same(first.to, end.to) && (index === start || index === last))
    return [start, last];
  return [index];
}

const shift = (p: Point, dx: number, dy: number): Point => ({ x: p.x + dx, y: p.y + dy });

/**
 * The path with one anchor moved to `to`, its bezier handles travelling with it by the same delta
 * (Illustrator's direct selection): the incoming handle is the c2 of the segment that ends on the
 * anchor, the outgoing one the c1 of the segment that leaves it. A quadratic's single control is
 * shared with the neighbouring anchor, so it stays where it is.
 */
export function moveAnchor(segments: readonly Segment[], index: number, to: Point): Segment[] {
  const seg = segments[index];
  if (!seg || seg.kind === 'Z') return [...segments];
  const dx = to.x - seg.to.x;
  const dy = to.y - seg.to.y;
  const out = [...segments];
  for (const i of anchorSiblings(segments, index)) {
    const own = out[i]!;
    if (own.kind === 'Z') continue;
    out[i] = own.kind === 'C' ? { ...own, to: shift(own.to, dx, dy), c2: shift(own.c2, dx, dy) } : { ...own, to: shift(own.to, dx, dy) };
    const next = out[i + 1];
    if (next?.kind === 'C') out[i + 1] = { ...next, c1: shift(next.c1, dx, dy) };
  }
  return out;
}

/**
 * The anchor of the same path that mirrors `index` across the vertical axis at `axisX` (a whole
 * panel made by mirroring a half), or null when the path has none or the anchor lies on the axis.
 */
export function mirrorAnchor(segments: readonly Segment[], index: number, axisX: number, tolerance = 1e-3): number | null {
  const seg = segments[index];
  if (!seg || seg.kind === 'Z' || Math.abs(seg.to.x - axisX) <= tolerance) return null;
  const own = new Set(anchorSiblings(segments, index));
  const want = { x: 2 * axisX - seg.to.x, y: seg.to.y };
  for (let k = 0; k < segments.length; k++) {
    const s = segments[k]!;
    if (!own.has(k) && s.kind !== 'Z' && same(s.to, want, tolerance)) return k;
  }
  return null;
}

/**
 * Direct selection's anchor drag: `moveAnchor`, and with an axis the anchor's mirror image in the
 * same path moves the mirrored way, while an anchor on the axis slides along it. The editor's live
 * preview and the anchor.move command both go through here, so what is shown is what is saved.
 */
export function dragAnchor(segments: readonly Segment[], index: number, to: Point, axisX: number | null): Segment[] {
  const seg = segments[index];
  if (axisX === null || !seg || seg.kind === 'Z') return moveAnchor(segments, index, to);
  const onAxis = Math.abs(seg.to.x - axisX) <= 1e-3;
  const target = onAxis ? { x: axisX, y: to.y } : to;
  const partner = mirrorAnchor(segments, index, axisX);
  const moved = moveAnchor(segments, index, target);
  return partner === null ? moved : moveAnchor(moved, partner, { x: 2 * axisX - target.x, y: target.y });
}
