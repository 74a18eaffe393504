import { AppError } from '../../contract/errors';
import { SWATCH_CM } from '../../contract/swatches';
import { penOf } from '../geometry/marks';
import { anchorPoint } from '../geometry/path';
import { formatPathData } from '../geometry/pathdata';
import { pageRegion } from '../geometry/region';
import { stitchRows } from '../geometry/stitches';
import { trimDrawing } from '../geometry/trims';
import type { Callout, FlatDocument, FlatView, MotifFill, Point, Print, Shape, StitchLine, StrokeStyle, Trim, ViewId } from '../schema';
import { attrs, colour, esc, num } from './attrs';
import { markSvg, penAttrs, placementTransform } from './marks';

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

/** A document stroke style as SVG attributes: its pen, then the element's opacity. */
function strokeAttrs(s: StrokeStyle): Record<string, string | number | null | undefined> {
  return { ...penAttrs(penOf(s)), opacity: s.opacity === 1 ? null : s.opacity };
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
  const pattern = shape.motifFill ? fills.patternFor(shape, shape.motifFill) : null;
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

/**
 * How far a pattern tile that spans the page reaches past it, as a share of the page: resvg rounds a
 * tile to whole pixels, so a tile exactly the page's size could repeat half a pixel early at its edge.
 */
const SPAN_MARGIN = 1 / 16;

/**
 * One axis of a motif pattern: a tile one repeat long, or, once a repeat is longer than the page
 * (plus its margin), a tile that spans just the page, holding the one or two repeats that fall on it
 * where the repeat from the origin puts them. resvg draws a pattern's tile into a bitmap at output
 * resolution first, so a tile a repeat long could take gigabytes; this one never outgrows the page.
 */
function motifAxis(repeat: number, regionStart: number, regionLength: number): { origin: number; size: number; offsets: number[] } {
  const span = regionLength * (1 + SPAN_MARGIN);
  if (repeat <= span) return { origin: 0, size: repeat, offsets: [0] };
  const first = Math.floor(regionStart / repeat);
  const offsets = [first * repeat - regionStart];
  // The tile is shorter than a repeat, so at most the next one starts inside it.
  if ((first + 1) * repeat < regionStart + span) offsets.push((first + 1) * repeat - regionStart);
  return { origin: regionStart, size: span, offsets };
}

const cmText = (cm: number) => (Number.isFinite(cm) && cm >= 0.01 && cm < 1e6 ? String(Number(cm.toPrecision(4))) : cm.toPrecision(3));

/** Motif repeat patterns, made once per motif, size and angle, and written into the SVG's defs. */
class MotifFills {
  readonly defs: string[] = [];
  private readonly ids = new Map<string, string>();

  constructor(
    private readonly art: ReadonlyMap<string, MotifArt> | undefined,
    private readonly unitsPerCm: number,
    private readonly page: { width: number; height: number },
  ) {}

  patternFor(shape: Shape, fill: MotifFill): string | null {
    const art = this.art?.get(fill.motifId);
    if (!art) return null;
    const { repeatCm, angle } = fill;
    // One repeat is the motif `repeatCm` wide, its height kept in proportion: a block repeat.
    const heightCm = (repeatCm * art.height) / art.width;
    // As for swatches: a repeat finer than a weave or longer than a marker is a typing slip, and its
    // pattern would be nothing but cost.
    const fits = (cm: number) => Number.isFinite(cm) && cm >= SWATCH_CM.min && cm <= SWATCH_CM.max;
    if (!fits(repeatCm) || !fits(heightCm))
      throw new AppError(
        'INVALID_INPUT',
        `The motif fill on "${shape.name || shape.id}" repeats every ${cmText(repeatCm)} × ${cmText(heightCm)} cm; a repeat is ${SWATCH_CM.min} to ${SWATCH_CM.max} cm each way, so give it its real size.`,
      );
    const key = `${fill.motifId}@${repeatCm}@${angle}`;
    let id = this.ids.get(key);
    if (!id) {
      id = `motif-fill-${this.ids.size}`;
      this.ids.set(key, id);
      const w = repeatCm * this.unitsPerCm;
      const h = heightCm * this.unitsPerCm;
      const region = pageRegion(this.page, angle);
      const x = motifAxis(w, region.x, region.width);
      const y = motifAxis(h, region.y, region.height);
      const images = x.offsets.flatMap((ox) =>
        y.offsets.map((oy) => `<image${attrs({ href: art.href, x: ox || null, y: oy || null, width: w, height: h, preserveAspectRatio: 'xMidYMid meet' })}/>`),
      );
      this.defs.push(
        `<pattern${attrs({ id, patternUnits: 'userSpaceOnUse', x: x.origin || null, y: y.origin || null, width: x.size, height: y.size, patternTransform: angle ? `rotate(${num(angle)})` : null })}>` +
          `${images.join('')}</pattern>`,
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

/** A stitch line: one path, or a group with a path per needle row. */
function stitchSvg(stitch: StitchLine): string {
  const cls = `stitch stitch-${stitch.stitch}`;
  const rows = stitchRows(stitch);
  if (rows.length === 1) return markSvg(rows[0]!, { id: stitch.id, class: cls });
  const paths = rows.map((row, k) => markSvg(row, { class: cls, 'data-row': String(k + 1) }));
  return `<g${attrs({ id: stitch.id, class: cls })}>${paths.join('')}</g>`;
}

function trimSvg(trim: Trim): string {
  const drawing = trimDrawing(trim);
  const body = drawing.marks.map((m) => markSvg(m)).join('');
  return `<g${attrs({ id: trim.id, class: `trim trim-${trim.trim}`, transform: placementTransform(drawing) })}>${body}</g>`;
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
 * The view a drawing of the flat shows: the one asked for, 'front' when none is, and the first view
 * of a flat that lacks it. Generation draws this view (the front of a two-view import), as do the
 * colorway renderer and the editor's canvas.
 */
export function viewOf(doc: Pick<FlatDocument, 'views'>, viewId: ViewId = 'front'): FlatView {
  return doc.views.find((v) => v.id === viewId) ?? doc.views[0]!;
}

/**
 * Writes one view as clean SVG: one group per layer, panels and seams as paths, stitch lines as
 * dashed paths classed by stitch type, sized in real millimetres.
 */
export function exportSvg(doc: FlatDocument, options: SvgExportOptions = {}): string {
  const view = viewOf(doc, options.viewId);
  const k = doc.units.mmPerUnit;
  const { width, height } = doc.page;
  const parts: string[] = [];
  const fills = new MotifFills(options.motifs, 10 / k, doc.page);
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
