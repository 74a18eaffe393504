import { Circle, FabricText, Group, Path, Polyline, Rect, type FabricObject } from 'fabric';
import { formatPathData, offsetPath, type FlatItem, type Segment, type Shape, type StitchLine, type Trim, type Callout } from '../../../../../shared/flat';

/** Colour shown for a panel with a swatch assigned, by swatch id. */
export type SwatchColours = ReadonlyMap<string, string>;

// Per-object caching is off on purpose: measured with npm run bench:editor in software-rastered
// Chromium, painting 2,000 objects from 2,000 cache canvases took about 270 ms a frame against about
// 10 ms drawing the paths themselves. Pans and drags are served from one cached bitmap of the whole
// scene instead (FastCanvas.freeze). Strokes keep their width when scaled, as the document's
// transform keeps them.
const common = { objectCaching: false, strokeUniform: true, lockSkewingX: true, lockSkewingY: true, borderColor: '#2f6fed', cornerColor: '#ffffff', cornerStrokeColor: '#2f6fed', transparentCorners: false, cornerSize: 8 } as const;

const pathData = (segments: readonly Segment[]) => formatPathData(segments, 3) || 'M 0 0';

function shapeObject(item: Shape, swatches: SwatchColours): FabricObject {
  const s = item.style;
  const fabricFill = item.fabric ? (swatches.get(item.fabric.swatchId) ?? '#d9c7a3') : null;
  return new Path(pathData(item.segments), {
    ...common,
    fill: fabricFill ?? s.fill ?? null,
    fillRule: s.fillRule,
    stroke: s.stroke ?? undefined,
    strokeWidth: s.stroke ? s.strokeWidth : 0,
    strokeDashArray: s.dash ?? null,
    strokeLineCap: s.lineCap,
    strokeLineJoin: s.lineJoin,
    strokeMiterLimit: s.miterLimit,
    opacity: s.opacity,
  });
}

function stitchObject(item: StitchLine): FabricObject {
  const dash = item.stitch === 'zigzag' ? [item.zigzagWidth / 3, item.spacing / 2] : [item.stitchLength, item.spacing];
  const style = {
    ...common,
    fill: null,
    stroke: item.style.stroke ?? '#000000',
    strokeWidth: item.style.strokeWidth,
    strokeDashArray: dash,
    strokeLineCap: 'butt' as const,
    opacity: item.style.opacity,
  };
  if (item.stitch === 'doubleNeedle' || item.stitch === 'coverstitch') {
    const half = item.needleGap / 2;
    const rows = [offsetPath(item.segments, half), offsetPath(item.segments, -half)].map((segs) => new Path(pathData(segs), style));
    return new Group(rows, { ...common });
  }
  return new Path(pathData(item.segments), style);
}

function trimObject(item: Trim): FabricObject {
  const r = item.size / 2;
  const base = { ...common, stroke: item.colour, strokeWidth: 0.4, fill: '#ffffff', angle: item.rotation };
  if (item.trim === 'zipper' && item.path) return new Path(pathData(item.path), { ...base, fill: null, strokeWidth: 1.2, strokeDashArray: [1, 0.6] });
  if (item.trim === 'label') return new Rect({ ...base, left: item.at.x, top: item.at.y, width: item.size, height: item.size * 0.5, originX: 'center', originY: 'center' });
  return new Circle({ ...base, left: item.at.x, top: item.at.y, radius: r, originX: 'center', originY: 'center' });
}

function calloutObject(item: Callout): FabricObject {
  const text = new FabricText(item.text, {
    ...common,
    left: item.at.x,
    top: item.at.y,
    originY: 'bottom',
    fontSize: item.fontSize,
    fontFamily: 'Inter, "Noto Sans SC", system-ui, sans-serif',
    fill: item.colour,
  });
  if (item.leader.length < 2) return text;
  const leader = new Polyline(item.leader.map((p) => ({ x: p.x, y: p.y })), { ...common, fill: null, stroke: item.colour, strokeWidth: 0.3 });
  const dot = new Circle({ ...common, left: item.leader.at(-1)!.x, top: item.leader.at(-1)!.y, radius: 0.8, fill: item.colour, originX: 'center', originY: 'center' });
  return new Group([leader, dot, text], { ...common });
}

/** The fabric object that draws one item of the document, at document coordinates. */
export function itemObject(item: FlatItem, swatches: SwatchColours): FabricObject {
  switch (item.type) {
    case 'shape':
      return shapeObject(item, swatches);
    case 'stitch':
      return stitchObject(item);
    case 'trim':
      return trimObject(item);
    case 'callout':
      return calloutObject(item);
  }
}
