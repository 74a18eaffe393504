import { flatten, printCorners, trimDrawing, type Box, type FlatItem, type Point, type Polyline } from '../../../../../shared/flat';

/**
 * What lies under the pointer, from the document's own geometry rather than fabric's bounding boxes:
 * a stitch line run along an outline has a box as large as the panel, and fabric would hand it every
 * click meant for the darts and pockets inside. A line is hit within a tolerance of its path; only
 * what covers an area (a closed panel, a print, a trim, a callout's text) is hit anywhere inside.
 */

/** How an item is under the pointer: near its line (how far past the ink, document units) or inside its area. */
export type Reach = { on: 'line'; distance: number } | { on: 'area' } | null;

/** A line to be hit near: its centre path and how far the ink (or the band of needles) reaches either side. */
interface Line {
  polylines: Polyline[];
  halfWidth: number;
}

interface Geometry {
  box: Box;
  lines: Line[];
  /** Inside these (fill rule applied) the item is hit anywhere. */
  fill: { polylines: Polyline[]; rule: 'nonzero' | 'evenodd' } | null;
  /** Trims are drawn about their own centre: the pointer is taken into that frame first. */
  placement: { at: Point; rad: number } | null;
  /** Discs and boxes of a trim, in its own frame: solid to the pointer whatever their fill. */
  solids: ({ kind: 'circle'; c: Point; r: number } | { kind: 'rect'; x: number; y: number; w: number; h: number })[];
}

/** Curves are flattened this finely (document units) for the hit test: well under a pixel at any useful zoom. */
const FLATTEN = 0.1;

const NO_BOX: Box = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };

function growBox(box: Box, points: readonly Point[], pad: number): Box {
  let { minX, minY, maxX, maxY } = box;
  for (const p of points) {
    minX = Math.min(minX, p.x - pad);
    minY = Math.min(minY, p.y - pad);
    maxX = Math.max(maxX, p.x + pad);
    maxY = Math.max(maxY, p.y + pad);
  }
  return { minX, minY, maxX, maxY };
}

const painted = (colour: string | null | undefined) => !!colour && colour !== 'none';

function lineBox(lines: readonly Line[], box = NO_BOX): Box {
  for (const l of lines) for (const p of l.polylines) box = growBox(box, p.points, l.halfWidth);
  return box;
}

function shapeGeometry(item: Extract<FlatItem, { type: 'shape' }>): Geometry {
  const polylines = flatten(item.segments, FLATTEN);
  const s = item.style;
  const lines = [{ polylines, halfWidth: painted(s.stroke) ? s.strokeWidth / 2 : 0 }];
  const filled = (painted(s.fill) && s.fillOpacity > 0) || item.fabric !== null || item.motifFill !== null;
  // A closed outline is a garment piece even drawn unfilled: a press inside it is on the piece (the
  // stitch tool and the eyedropper take a panel so). Open lines are only ever hit near them.
  const areas = filled ? polylines : polylines.filter((l) => l.closed);
  return { box: lineBox(lines), lines, fill: areas.length ? { polylines: areas, rule: s.fillRule } : null, placement: null, solids: [] };
}

/** Where each needle row runs, as the band either side of the stitched line it spans. */
function stitchGeometry(item: Extract<FlatItem, { type: 'stitch' }>): Geometry {
  const pen = item.style.strokeWidth / 2;
  const band = item.stitch === 'zigzag' ? item.zigzagWidth / 2 : item.stitch === 'topstitch' ? 0 : item.needleGap / 2;
  const lines = [{ polylines: flatten(item.segments, FLATTEN), halfWidth: band + pen }];
  return { box: lineBox(lines), lines, fill: null, placement: null, solids: [] };
}

function trimGeometry(item: Extract<FlatItem, { type: 'trim' }>): Geometry {
  const drawing = trimDrawing(item);
  const lines: Line[] = [];
  const solids: Geometry['solids'] = [];
  for (const m of drawing.marks) {
    const half = m.kind === 'text' ? 0 : (m.pen?.width ?? 0) / 2;
    if (m.kind === 'path') lines.push({ polylines: flatten(m.segments, FLATTEN), halfWidth: half });
    else if (m.kind === 'circle') solids.push({ kind: 'circle', c: m.centre, r: m.r + half });
    else if (m.kind === 'rect') solids.push({ kind: 'rect', x: m.x - half, y: m.y - half, w: m.width + 2 * half, h: m.height + 2 * half });
  }
  const placement = drawing.placement ? { at: drawing.placement.at, rad: (drawing.placement.rotation * Math.PI) / 180 } : null;
  // Loose about the placement: every part of a placed trim lies within half its size (and a pen) of its centre.
  const box = placement ? growBox(lineBox(lines), [placement.at], item.size) : lineBox(lines);
  return { box, lines, fill: null, placement, solids };
}

function calloutGeometry(item: Extract<FlatItem, { type: 'callout' }>): Geometry {
  const lines = item.leader.length >= 2 ? [{ polylines: [{ points: item.leader.map((p) => ({ x: p.x, y: p.y })), closed: false }], halfWidth: 0.8 }] : [];
  return { box: lineBox(lines), lines, fill: null, placement: null, solids: [] };
}

function printGeometry(item: Extract<FlatItem, { type: 'print' }>): Geometry {
  const corners = printCorners(item);
  return { box: growBox(NO_BOX, corners, 0), lines: [], fill: { polylines: [{ points: corners, closed: true }], rule: 'nonzero' }, placement: null, solids: [] };
}

// Items are immutable (a change makes a new object), so an item's flattened geometry is worked out
// once, not on every pointer move over a flat of thousands of items.
const cache = new WeakMap<FlatItem, Geometry>();

function geometryOf(item: FlatItem): Geometry {
  let g = cache.get(item);
  if (!g) {
    switch (item.type) {
      case 'shape':
        g = shapeGeometry(item);
        break;
      case 'stitch':
        g = stitchGeometry(item);
        break;
      case 'trim':
        g = trimGeometry(item);
        break;
      case 'callout':
        g = calloutGeometry(item);
        break;
      case 'print':
        g = printGeometry(item);
        break;
    }
    cache.set(item, g);
  }
  return g;
}

function segmentDistance(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** Distance from `p` to the polyline's path (its closing edge too when closed). */
export function polylineDistance(p: Point, line: Polyline): number {
  const pts = line.points;
  if (pts.length === 1) return Math.hypot(p.x - pts[0]!.x, p.y - pts[0]!.y);
  let best = Infinity;
  for (let i = 1; i < pts.length; i++) best = Math.min(best, segmentDistance(p, pts[i - 1]!, pts[i]!));
  if (line.closed && pts.length > 2) best = Math.min(best, segmentDistance(p, pts[pts.length - 1]!, pts[0]!));
  return best;
}

/** Whether `p` is inside the filled area; every subpath is filled as if closed, as SVG and canvas fill it. */
export function insideFill(p: Point, polylines: readonly Polyline[], rule: 'nonzero' | 'evenodd'): boolean {
  let winding = 0;
  let crossings = 0;
  for (const line of polylines) {
    const pts = line.points;
    for (let i = 0; i < pts.length; i++) {
      const a = pts[i]!;
      const b = pts[(i + 1) % pts.length]!;
      if (a.y <= p.y === b.y <= p.y) continue;
      const x = a.x + ((p.y - a.y) * (b.x - a.x)) / (b.y - a.y);
      if (x <= p.x) continue;
      crossings++;
      winding += b.y > a.y ? 1 : -1;
    }
  }
  return rule === 'evenodd' ? crossings % 2 === 1 : winding !== 0;
}

/** How item is under `p`, with `tolerance` the pick distance in document units (screen pixels over the zoom). */
export function reachOf(item: FlatItem, p: Point, tolerance: number): Reach {
  const g = geometryOf(item);
  if (p.x < g.box.minX - tolerance || p.x > g.box.maxX + tolerance || p.y < g.box.minY - tolerance || p.y > g.box.maxY + tolerance) return null;
  let q = p;
  if (g.placement) {
    const { at, rad } = g.placement;
    const [c, s] = [Math.cos(rad), Math.sin(rad)];
    const [dx, dy] = [p.x - at.x, p.y - at.y];
    q = { x: dx * c + dy * s, y: -dx * s + dy * c };
  }
  let distance = Infinity;
  for (const line of g.lines) for (const pl of line.polylines) distance = Math.min(distance, Math.max(0, polylineDistance(q, pl) - line.halfWidth));
  for (const s of g.solids) {
    const d =
      s.kind === 'circle'
        ? Math.hypot(q.x - s.c.x, q.y - s.c.y) - s.r
        : Math.hypot(Math.max(s.x - q.x, 0, q.x - (s.x + s.w)), Math.max(s.y - q.y, 0, q.y - (s.y + s.h)));
    distance = Math.min(distance, Math.max(0, d));
  }
  if (distance <= tolerance) return { on: 'line', distance };
  if (g.fill && insideFill(q, g.fill.polylines, g.fill.rule)) return { on: 'area' };
  return null;
}

/** One thing on the canvas to pick from: a document item, or (`item` null) something only fabric can test. */
export interface HitCandidate<T> {
  target: T;
  item: FlatItem | null;
  /** A filled area only the renderer knows (a callout's text box, sized by the zoom), or fabric's own box test. */
  contains?: () => boolean;
}

/**
 * What a press at `p` picks from candidates in paint order (bottom first): of the lines within the
 * tolerance, the nearest, the topmost of equally near ones; a filled area hides what lies under it,
 * so below the topmost area hit only that area is left, taken when no line above it is near.
 */
export function pickAt<T>(candidates: readonly HitCandidate<T>[], p: Point, tolerance: number): T | undefined {
  let best: { target: T; distance: number } | null = null;
  for (let i = candidates.length - 1; i >= 0; i--) {
    const c = candidates[i]!;
    const reach = c.item ? reachOf(c.item, p, tolerance) : null;
    if (reach?.on === 'line') {
      if (!best || reach.distance < best.distance) best = { target: c.target, distance: reach.distance };
      continue;
    }
    if (reach?.on === 'area' || c.contains?.()) return best ? best.target : c.target;
  }
  return best?.target;
}
