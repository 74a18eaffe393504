import { anchorPoint, flatten } from '../geometry/path';
import { offsetPath } from '../geometry/offset';
import { formatPathData } from '../geometry/pathdata';
import type { Callout, FlatDocument, FlatView, Point, Print, Segment, Shape, StitchLine, StrokeStyle, Trim, ViewId } from '../schema';

/** A motif's artwork as an SVG can embed it: a data URI (or any href) and its pixel size, for its aspect. */
export interface MotifArt {
  href: string;
  width: number;
  height: number;
}

export interface SvgExportOptions {
  viewId?: ViewId;
  /** Draw hidden layers too (still marked display="none" unless this is set). */
  showHidden?: boolean;
  /** Draw points of measure as dimension lines with their codes. */
  poms?: boolean;
  /** Paint a background rectangle (e.g. '#ffffff' for a PNG on white). */
  background?: string | null;
  /**
   * The artwork of the motifs that prints and motif fills name. Without it (a plain SVG export) a
   * print is drawn as its placement box, the way a tech pack marks where artwork goes.
   */
  motifs?: ReadonlyMap<string, MotifArt>;
}

const num = (n: number): string => {
  const r = Number(n.toFixed(3));
  return Object.is(r, -0) ? '0' : String(r);
};
const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
/** Colours come from documents that may come from anywhere: only plain colour syntax is written. */
const colour = (c: string | null): string => (c === null ? 'none' : /^[#\w(),.%\s-]{1,64}$/.test(c) ? c : '#000000');

function attrs(pairs: Record<string, string | number | null | undefined>): string {
  return Object.entries(pairs)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => ` ${k}="${esc(typeof v === 'number' ? num(v) : String(v))}"`)
    .join('');
}

function strokeAttrs(s: StrokeStyle, dash: number[] | null = s.dash): Record<string, string | number | null> {
  return {
    stroke: colour(s.stroke),
    'stroke-width': s.stroke === null ? null : s.strokeWidth,
    'stroke-opacity': s.strokeOpacity === 1 ? null : s.strokeOpacity,
    'stroke-dasharray': dash && dash.length ? dash.map(num).join(' ') : null,
    'stroke-dashoffset': dash && s.dashOffset ? s.dashOffset : null,
    'stroke-linecap': s.lineCap,
    'stroke-linejoin': s.lineJoin,
    'stroke-miterlimit': s.lineJoin === 'miter' && s.miterLimit !== 4 ? s.miterLimit : null,
    opacity: s.opacity === 1 ? null : s.opacity,
  };
}

function shapeSvg(shape: Shape, fills: MotifFills): string {
  const st = shape.style;
  const outline = `<path${attrs({
    id: shape.id,
    class: `shape ${shape.role}`,
    'data-name': shape.name || null,
    'data-fabric': shape.fabric?.swatchId ?? null,
    'data-motif-fill': shape.motifFill?.motifId ?? null,
    'data-motif-repeat-cm': shape.motifFill?.repeatCm ?? null,
    d: formatPathData(shape.segments),
    fill: colour(st.fill),
    'fill-opacity': st.fill !== null && st.fillOpacity !== 1 ? st.fillOpacity : null,
    'fill-rule': st.fillRule === 'evenodd' ? 'evenodd' : null,
    ...strokeAttrs(st),
  })}/>`;
  const pattern = shape.motifFill ? fills.patternFor(shape.motifFill.motifId, shape.motifFill.repeatCm, shape.motifFill.angle) : null;
  if (!pattern) return outline;
  // The repeat prints over the cloth and under the outline, so the panel's edge stays drawn on top.
  // Kept on the outline's line: the colorway renderer adds its shading after each shape's line.
  const d = formatPathData(shape.segments);
  const rule = st.fillRule === 'evenodd' ? 'evenodd' : null;
  return (
    outline +
    `<path${attrs({ class: 'motif-fill', 'data-motif': shape.motifFill!.motifId, d, fill: `url(#${pattern})`, 'fill-rule': rule, stroke: 'none' })}/>` +
    (st.stroke === null ? '' : `<path${attrs({ class: 'motif-fill-edge', d, fill: 'none', ...strokeAttrs(st) })}/>`)
  );
}

/** Motif repeat patterns, made once per motif, size and angle, and written into the SVG's defs. */
class MotifFills {
  readonly defs: string[] = [];
  private readonly ids = new Map<string, string>();

  constructor(
    private readonly art: ReadonlyMap<string, MotifArt> | undefined,
    private readonly unitsPerCm: number,
  ) {}

  patternFor(motifId: string, repeatCm: number, angle: number): string | null {
    const art = this.art?.get(motifId);
    if (!art) return null;
    const key = `${motifId}@${repeatCm}@${angle}`;
    let id = this.ids.get(key);
    if (!id) {
      id = `motif-fill-${this.ids.size}`;
      this.ids.set(key, id);
      // One repeat is the motif `repeatCm` wide, its height kept in proportion: a block repeat.
      const w = repeatCm * this.unitsPerCm;
      const h = (w * art.height) / art.width;
      this.defs.push(
        `<pattern${attrs({ id, patternUnits: 'userSpaceOnUse', width: w, height: h, patternTransform: angle ? `rotate(${num(angle)})` : null })}>` +
          `<image${attrs({ href: art.href, width: w, height: h, preserveAspectRatio: 'xMidYMid meet' })}/></pattern>`,
      );
    }
    return id;
  }
}

/**
 * A print: its artwork fitted inside the placement box (proportions kept, centred), or, with no
 * artwork at hand, the placement box crossed corner to corner as a tech pack marks artwork.
 */
function printSvg(print: Print, art: MotifArt | undefined): string {
  const [w, h] = [print.width, print.height];
  const transform = `translate(${num(print.at.x)} ${num(print.at.y)})${print.rotation ? ` rotate(${num(print.rotation)})` : ''}`;
  const box = { x: -w / 2, y: -h / 2, width: w, height: h };
  const body = art
    ? `<image${attrs({ ...box, href: art.href, preserveAspectRatio: 'xMidYMid meet', opacity: print.opacity === 1 ? null : print.opacity })}/>`
    : `<rect${attrs({ ...box, fill: '#d4a017', 'fill-opacity': 0.15, stroke: '#9a6b12', 'stroke-width': 0.5, 'stroke-dasharray': '3 1.5' })}/>` +
      `<path${attrs({ d: `M ${num(-w / 2)} ${num(-h / 2)} L ${num(w / 2)} ${num(h / 2)} M ${num(w / 2)} ${num(-h / 2)} L ${num(-w / 2)} ${num(h / 2)}`, fill: 'none', stroke: '#9a6b12', 'stroke-width': 0.3 })}/>`;
  return `<g${attrs({ id: print.id, class: 'print', 'data-name': print.name || null, 'data-motif': print.motifId, transform })}>${body}</g>`;
}

/** A zigzag drawn along the flattened line: one full swing per stitch length. */
function zigzag(segments: readonly Segment[], width: number, pitch: number): Segment[] {
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

function stitchSvg(stitch: StitchLine): string {
  const cls = `stitch stitch-${stitch.stitch}`;
  const dash = stitch.style.dash ?? [stitch.stitchLength, stitch.spacing];
  const path = (segs: readonly Segment[], d: number[] | null, suffix = '') =>
    `<path${attrs({ id: suffix ? null : stitch.id, class: cls, 'data-row': suffix || null, d: formatPathData(segs), fill: 'none', ...strokeAttrs(stitch.style, d) })}/>`;
  const g = stitch.needleGap;
  switch (stitch.stitch) {
    case 'topstitch':
      return path(stitch.segments, dash);
    case 'zigzag':
      return path(zigzag(stitch.segments, stitch.zigzagWidth, stitch.stitchLength), null);
    case 'doubleNeedle':
    case 'coverstitch': {
      const offsets = stitch.stitch === 'doubleNeedle' ? [-g / 2, g / 2] : [-g / 2, 0, g / 2];
      const rows = offsets.map((o, k) => path(o === 0 ? stitch.segments : offsetPath(stitch.segments, o), dash, String(k + 1)));
      return `<g${attrs({ id: stitch.id, class: cls })}>${rows.join('')}</g>`;
    }
  }
}

function trimSvg(trim: Trim): string {
  const r = trim.size / 2;
  const c = colour(trim.colour);
  const line = { stroke: c, 'stroke-width': Math.max(trim.size * 0.06, 0.2) };
  let body = '';
  switch (trim.trim) {
    case 'button': {
      const h = r * 0.25;
      body = `<circle${attrs({ r, fill: '#ffffff', ...line })}/>`;
      for (const [dx, dy] of [[-1, -1], [1, -1], [-1, 1], [1, 1]] as const)
        body += `<circle${attrs({ cx: dx * h, cy: dy * h, r: r * 0.1, fill: c })}/>`;
      break;
    }
    case 'rivet':
    case 'snap':
    case 'eyelet':
      body = `<circle${attrs({ r, fill: trim.trim === 'eyelet' ? 'none' : '#ffffff', ...line })}/><circle${attrs({ r: r * 0.45, fill: trim.trim === 'snap' ? c : 'none', ...line })}/>`;
      break;
    case 'label':
      body = `<rect${attrs({ x: -r, y: -r / 2, width: trim.size, height: r, fill: '#ffffff', ...line })}/>`;
      if (trim.text) body += `<text${attrs({ 'font-size': r * 0.5, 'text-anchor': 'middle', y: r * 0.15, fill: c })}>${esc(trim.text)}</text>`;
      break;
    case 'zipper':
      if (trim.path)
        return `<g${attrs({ id: trim.id, class: 'trim trim-zipper' })}><path${attrs({ d: formatPathData(trim.path), fill: 'none', stroke: c, 'stroke-width': trim.size * 0.25 })}/><path${attrs({ d: formatPathData(trim.path), fill: 'none', stroke: c, 'stroke-width': trim.size, 'stroke-dasharray': `${num(trim.size * 0.12)} ${num(trim.size * 0.12)}` })}/></g>`;
      body = `<rect${attrs({ x: -r * 0.15, y: -r, width: r * 0.3, height: trim.size, fill: c })}/>`;
      break;
  }
  const transform = `translate(${num(trim.at.x)} ${num(trim.at.y)})${trim.rotation ? ` rotate(${num(trim.rotation)})` : ''}`;
  return `<g${attrs({ id: trim.id, class: `trim trim-${trim.trim}`, transform })}>${body}</g>`;
}

function calloutSvg(callout: Callout): string {
  const c = colour(callout.colour);
  const leader =
    callout.leader.length > 1
      ? `<polyline${attrs({ class: 'leader', points: callout.leader.map((p) => `${num(p.x)},${num(p.y)}`).join(' '), fill: 'none', stroke: c, 'stroke-width': 0.25 })}/>` +
        `<circle${attrs({ cx: callout.leader[callout.leader.length - 1]!.x, cy: callout.leader[callout.leader.length - 1]!.y, r: 0.6, fill: c })}/>`
      : '';
  const text = `<text${attrs({ x: callout.at.x, y: callout.at.y, 'font-size': callout.fontSize, 'font-family': 'sans-serif', fill: c })}>${esc(callout.text)}</text>`;
  return `<g${attrs({ id: callout.id, class: 'callout' })}>${leader}${text}</g>`;
}

function pomSvg(view: FlatView, doc: FlatDocument): string {
  return view.poms
    .map((pom) => {
      const at = (id: string, k: number): Point | null => {
        const s = view.items.find((i) => i.id === id);
        return s?.type === 'shape' ? anchorPoint(s.segments, k) : null;
      };
      const a = at(pom.from.shapeId, pom.from.segment);
      const b = at(pom.to.shapeId, pom.to.segment);
      if (!a || !b) return '';
      const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
      const size = 3 / doc.units.mmPerUnit;
      return `<g${attrs({ id: pom.id, class: 'pom' })}><line${attrs({ x1: a.x, y1: a.y, x2: b.x, y2: b.y, stroke: '#d0021b', 'stroke-width': 0.3, 'stroke-dasharray': '1 1' })}/><text${attrs({ x: mid.x, y: mid.y - size / 2, 'font-size': size, 'text-anchor': 'middle', fill: '#d0021b', 'font-family': 'sans-serif' })}>${esc(`${pom.code} ${pom.value} ${pom.unit}`)}</text></g>`;
    })
    .join('');
}

/**
 * Writes one view as clean SVG: one group per layer, panels and seams as paths, stitch lines as
 * dashed paths classed by stitch type, sized in real millimetres.
 */
export function exportSvg(doc: FlatDocument, options: SvgExportOptions = {}): string {
  const view = doc.views.find((v) => v.id === (options.viewId ?? 'front')) ?? doc.views[0]!;
  const k = doc.units.mmPerUnit;
  const { width, height } = doc.page;
  const parts: string[] = [];
  const fills = new MotifFills(options.motifs, 10 / k);
  if (options.background) parts.push(`<rect${attrs({ width, height, fill: colour(options.background) })}/>`);
  for (const layer of view.layers) {
    const items = view.items.filter((i) => i.layerId === layer.id);
    const body = items
      .map((item) => {
        switch (item.type) {
          case 'shape':
            return shapeSvg(item, fills);
          case 'stitch':
            return stitchSvg(item);
          case 'trim':
            return trimSvg(item);
          case 'callout':
            return calloutSvg(item);
          case 'print':
            return printSvg(item, options.motifs?.get(item.motifId));
        }
      })
      .join('\n');
    const hidden = !layer.visible && !options.showHidden;
    parts.push(`<g${attrs({ id: layer.id, class: 'layer', 'data-name': layer.name, display: hidden ? 'none' : null })}>\n${body}\n</g>`);
  }
  if (options.poms) parts.push(pomSvg(view, doc));
  return (
    `<svg xmlns="http://www.w3.org/2000/svg"${attrs({ width: `${num(width * k)}mm`, height: `${num(height * k)}mm`, viewBox: `0 0 ${num(width)} ${num(height)}`, 'data-view': view.id })}>\n` +
    `<title>${esc(doc.name)}</title>\n${fills.defs.length ? `<defs>${fills.defs.join('')}</defs>\n` : ''}${parts.join('\n')}\n</svg>\n`
  );
}
