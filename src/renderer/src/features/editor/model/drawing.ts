import {
  anchorIndices,
  FLAT_SCHEMA_VERSION,
  FlatDocumentSchema,
  type FlatDocument,
  type FlatView,
  type Point,
  type Segment,
  type Shape,
  type ShapeStyle,
  snapPoint as snapAt,
  snapTargets,
} from '../../../../../shared/flat';

/** One anchor of the pen: the on-curve point and its handles (absent on a corner). */
export interface PenAnchor {
  p: Point;
  hin?: Point;
  hout?: Point;
}

const segmentBetween = (a: PenAnchor, b: PenAnchor): Segment =>
  a.hout || b.hin ? { kind: 'C', c1: a.hout ?? a.p, c2: b.hin ?? b.p, to: b.p } : { kind: 'L', to: b.p };

/** The pen's anchors as path segments; a closed path runs back to the first anchor. */
export function penSegments(anchors: readonly PenAnchor[], closed: boolean): Segment[] {
  if (anchors.length === 0) return [];
  const segs: Segment[] = [{ kind: 'M', to: anchors[0]!.p }];
  for (let i = 1; i < anchors.length; i++) segs.push(segmentBetween(anchors[i - 1]!, anchors[i]!));
  if (closed && anchors.length > 2) {
    segs.push(segmentBetween(anchors[anchors.length - 1]!, anchors[0]!));
    segs.push({ kind: 'Z' });
  }
  return segs;
}

/** A smooth anchor: dragging sets the outgoing handle, the incoming one mirrors it. */
export const smoothAnchor = (p: Point, drag: Point): PenAnchor => ({ p, hout: drag, hin: { x: 2 * p.x - drag.x, y: 2 * p.y - drag.y } });

export function rectSegments(a: Point, b: Point): Segment[] {
  const x0 = Math.min(a.x, b.x);
  const y0 = Math.min(a.y, b.y);
  const x1 = Math.max(a.x, b.x);
  const y1 = Math.max(a.y, b.y);
  return [
    { kind: 'M', to: { x: x0, y: y0 } },
    { kind: 'L', to: { x: x1, y: y0 } },
    { kind: 'L', to: { x: x1, y: y1 } },
    { kind: 'L', to: { x: x0, y: y1 } },
    { kind: 'Z' },
  ];
}

/** Four cubics with the usual kappa: off a true ellipse by under 0.03 % of the radius. */
export function ellipseSegments(a: Point, b: Point): Segment[] {
  const cx = (a.x + b.x) / 2;
  const cy = (a.y + b.y) / 2;
  const rx = Math.abs(b.x - a.x) / 2;
  const ry = Math.abs(b.y - a.y) / 2;
  const k = 0.5522847498;
  const p = (x: number, y: number): Point => ({ x: cx + x, y: cy + y });
  return [
    { kind: 'M', to: p(rx, 0) },
    { kind: 'C', c1: p(rx, k * ry), c2: p(k * rx, ry), to: p(0, ry) },
    { kind: 'C', c1: p(-k * rx, ry), c2: p(-rx, k * ry), to: p(-rx, 0) },
    { kind: 'C', c1: p(-rx, -k * ry), c2: p(-k * rx, -ry), to: p(0, -ry) },
    { kind: 'C', c1: p(k * rx, -ry), c2: p(rx, -k * ry), to: p(rx, 0) },
    { kind: 'Z' },
  ];
}

/** Technical-flat line weights as the templates draw them: 1.2 mm outlines, white fill for closed panels. */
export function lineStyle(closed: boolean): ShapeStyle {
  return {
    stroke: '#1d1d1f',
    strokeWidth: 1.2,
    strokeOpacity: 1,
    dash: null,
    dashOffset: 0,
    lineCap: 'round',
    lineJoin: 'round',
    miterLimit: 4,
    opacity: 1,
    fill: closed ? '#ffffff' : null,
    fillOpacity: 1,
    fillRule: 'nonzero',
  };
}

export function makeShape(id: string, layerId: string, segments: Segment[], name = ''): Shape {
  const closed = segments.some((s) => s.kind === 'Z');
  return { id, layerId, name, type: 'shape', role: closed ? 'panel' : 'seam', segments, style: lineStyle(closed), fabric: null, motifFill: null };
}

export interface AnchorHit {
  shapeId: string;
  segment: number;
  point: Point;
  distance: number;
}

/** The anchor nearest to `p` within `tolerance` (document units) on a visible shape, if any. */
export function nearestAnchor(view: FlatView, p: Point, tolerance: number, hidden: ReadonlySet<string> = new Set()): AnchorHit | null {
  let best: AnchorHit | null = null;
  for (const item of view.items) {
    if (item.type !== 'shape' || hidden.has(item.layerId)) continue;
    for (const i of anchorIndices(item.segments)) {
      const s = item.segments[i]!;
      if (s.kind === 'Z') continue;
      const d = Math.hypot(s.to.x - p.x, s.to.y - p.y);
      if (d <= tolerance && (!best || d < best.distance)) best = { shapeId: item.id, segment: i, point: s.to, distance: d };
    }
  }
  return best;
}

export interface SnapOptions {
  tolerance: number;
  anchors: boolean;
  axisX: number | null;
  grid: number | null;
}

/** Snaps to an anchor first, then to a guide or the symmetry axis, then to the grid, as flat editors do. */
export function snapPoint(view: FlatView, p: Point, o: SnapOptions, hidden: ReadonlySet<string> = new Set()): Point {
  const targets = { ...snapTargets(view, { hidden, anchors: o.anchors, grid: o.grid }), axisX: o.axisX };
  return snapAt(p, targets, o.tolerance).point;
}

/** A blank page the size of the templates, front and back, with the layers the templates use. */
export function blankFlat(id: string, name: string): FlatDocument {
  const layers = [
    { id: 'outline', name: 'Outline', visible: true, locked: false },
    { id: 'seams', name: 'Seams', visible: true, locked: false },
    { id: 'stitching', name: 'Stitching', visible: true, locked: false },
    { id: 'trims', name: 'Trims', visible: true, locked: false },
  ];
  return FlatDocumentSchema.parse({
    schemaVersion: FLAT_SCHEMA_VERSION,
    id,
    name,
    units: { name: 'mm', mmPerUnit: 1 },
    page: { width: 1000, height: 1300 },
    views: [
      { id: 'front', axisX: 500, layers, items: [] },
      { id: 'back', axisX: 500, layers, items: [] },
    ],
    attributes: {},
  });
}

/** JSON with object keys sorted: a document read back from the library lists keys in schema order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A fingerprint of a document's content, so a test or the status bar can tell two states apart. */
export function docDigest(doc: FlatDocument): string {
  const text = canonicalJson(doc);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return `${text.length.toString(36)}-${(h >>> 0).toString(36)}`;
}
