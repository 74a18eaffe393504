import { exportSvg, viewOf, type MotifArt } from '../../../shared/flat/svg';
import { formatPathData } from '../../../shared/flat/geometry/pathdata';
import type { FlatDocument, FlatView, Shape, ViewId } from '../../../shared/flat/schema';
import type { PatternCell } from './cell';
import type { PanelFill } from './palette';

/**
 * Shading, in millimetres of the garment: how far the soft shadow reaches in from a panel edge and
 * out from a seam. Real cloth rolls over at edges and dips at seams by about this much.
 */
export const SHADING = { edgeMm: 14, seamMm: 8, edgeOpacity: 0.26, seamOpacity: 0.22 } as const;

const num = (n: number): string => {
  const r = Number(n.toFixed(4));
  return Object.is(r, -0) ? '0' : String(r);
};
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface ColorwaySvgInput {
  doc: FlatDocument;
  viewId: ViewId;
  fills: ReadonlyMap<string, PanelFill>;
  /** The pattern cell of every swatch and grain angle the fills name (see cellKey), at this render's resolution. */
  cells: ReadonlyMap<string, PatternCell>;
  /** Artwork of the motifs the view's prints and motif fills name (missing ones draw as placement boxes). */
  motifs?: ReadonlyMap<string, MotifArt>;
  background: string | null;
  shading: boolean;
}

/** A swatch's pattern: its cell bitmap drawn 1:1 (magnified only in a cell that spans the page), over the tile's mean colour. */
function tilePattern(id: string, cell: PatternCell, angle: number): string {
  const turn = angle ? ` patternTransform="rotate(${num(angle)})"` : '';
  const at = (cell.x ? ` x="${num(cell.x)}"` : '') + (cell.y ? ` y="${num(cell.y)}"` : '');
  const w = num(cell.width);
  const h = num(cell.height);
  return (
    `<pattern id="${id}" patternUnits="userSpaceOnUse"${at} width="${w}" height="${h}"${turn}>` +
    `<rect width="${w}" height="${h}" fill="${cell.meanColour}"/>` +
    `<image href="${cell.dataUri}" width="${w}" height="${h}" preserveAspectRatio="none"/></pattern>`
  );
}

/** A swatch at one grain angle: its pattern, and its cell (a cell may span the page, which turns with the grain). */
export function cellKey(fill: { swatchId: string; angle: number }): string {
  return `${fill.swatchId}@${num(fill.angle)}`;
}

/**
 * One SVG per colorway: the flat as the SVG exporter draws it, with each fabric shape filled by a
 * pattern of its swatch tile at true scale (the tile spans the swatch's centimetres in document units),
 * and soft shadows along panel edges and seams drawn in paint order right after the shape they shade.
 */
export function buildColorwaySvg(input: ColorwaySvgInput): string {
  const { doc, fills, cells } = input;
  const view: FlatView = viewOf(doc, input.viewId);
  const mm = 1 / doc.units.mmPerUnit;

  const patterns = new Map<string, string>();
  const defs: string[] = [];
  const fillOf = new Map<string, string>();
  for (const [shapeId, fill] of fills) {
    if (fill.kind === 'solid') {
      fillOf.set(shapeId, fill.colour);
      continue;
    }
    const key = cellKey(fill);
    let id = patterns.get(key);
    if (!id) {
      const cell = cells.get(key);
      if (!cell) throw new Error(`No pattern cell made for swatch ${fill.swatchId}.`);
      id = `fabric-${patterns.size}`;
      patterns.set(key, id);
      defs.push(tilePattern(id, cell, fill.angle));
    }
    fillOf.set(shapeId, `url(#${id})`);
  }

  if (input.shading) {
    defs.push(
      // Light from above: a touch brighter at the shoulders, a touch darker towards the hem.
      `<linearGradient id="drape" x1="0" y1="0" x2="0.25" y2="1"><stop offset="0" stop-color="#ffffff" stop-opacity="0.10"/><stop offset="0.55" stop-color="#ffffff" stop-opacity="0"/><stop offset="1" stop-color="#000000" stop-opacity="0.10"/></linearGradient>`,
    );
  }

  // The exporter writes colours through its own sanitiser, which lets url(#fabric-N) and #rrggbb pass.
  const filled: FlatDocument = {
    ...doc,
    views: doc.views.map((v) =>
      v.id !== view.id
        ? v
        : {
            ...v,
            items: v.items.map((item) =>
              item.type === 'shape' && fillOf.has(item.id)
                ? { ...item, style: { ...item.style, fill: fillOf.get(item.id)!, fillOpacity: 1 } }
                : item,
            ),
          },
    ),
  };
  const base = exportSvg(filled, { viewId: view.id, background: input.background, ...(input.motifs ? { motifs: input.motifs } : {}) });

  const shading = new Map<string, string>();
  if (input.shading) {
    // Seam shadows stay on the cloth: a seam line that runs past a panel's edge casts nothing there.
    const cloth = view.items.filter((i): i is Shape => i.type === 'shape' && fills.has(i.id));
    defs.push(`<clipPath id="fabric-clip">${cloth.map((c) => `<path d="${esc(formatPathData(c.segments))}"/>`).join('')}</clipPath>`);
    let clip = 0;
    for (const item of view.items) {
      if (item.type !== 'shape') continue;
      if (fills.has(item.id)) {
        const clipId = `panel-clip-${clip++}`;
        shading.set(item.id, panelShading(item, clipId, mm));
      } else if (item.role === 'seam') {
        shading.set(item.id, seamShading(item, mm));
      }
    }
  }

  // The exporter writes one item per line, each shape as `<path id="..." ...`: the shading of a
  // shape goes right after it, so a pocket drawn over the body hides the body's shading too.
  const lines = base.split('\n').map((line) => {
    const m = /^<path id="([^"]*)" class="shape /.exec(line);
    if (!m) return line;
    const extra = shading.get(unescape(m[1]!));
    return extra ? `${line}${extra}` : line;
  });
  const open = lines.findIndex((l) => l.startsWith('<svg'));
  lines.splice(open + 1, 0, `<defs>${defs.join('')}</defs>`);
  return lines.join('\n');
}

function unescape(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** A soft inner shadow along the panel's outline and the drape gradient, both kept inside the panel. */
function panelShading(shape: Shape, clipId: string, mm: number): string {
  const d = esc(formatPathData(shape.segments));
  const rule = shape.style.fillRule === 'evenodd' ? ' clip-rule="evenodd"' : '';
  return (
    `<clipPath id="${clipId}"><path d="${d}"${rule}/></clipPath>` +
    `<g clip-path="url(#${clipId})" class="shading">` +
    `<path d="${d}" fill="url(#drape)" stroke="none"/>` +
    softStroke(d, SHADING.edgeMm * mm * 2, SHADING.edgeOpacity) +
    `</g>`
  );
}

/** A soft shadow either side of a seam line, where the cloth dips into the seam. */
function seamShading(shape: Shape, mm: number): string {
  const d = esc(formatPathData(shape.segments));
  return `<g class="shading" clip-path="url(#fabric-clip)">${softStroke(d, SHADING.seamMm * mm * 2, SHADING.seamOpacity)}</g>`;
}

/** Steps of a soft stroke: enough that the steps do not show at print sizes, few enough to stay fast. */
const SOFT_STEPS = 5;

/**
 * A shadow that fades out from a line without a blur filter (filters cost a full offscreen pass per
 * element): nested strokes, each narrower one adding a little more darkness nearer the line.
 */
function softStroke(d: string, width: number, opacity: number): string {
  const step = 1 - Math.pow(1 - opacity, 1 / SOFT_STEPS);
  let out = `<g fill="none" stroke="#000000" stroke-opacity="${num(step)}" stroke-linejoin="round" stroke-linecap="round">`;
  for (let k = SOFT_STEPS; k >= 1; k--) out += `<path d="${d}" stroke-width="${num((width * k) / SOFT_STEPS)}"/>`;
  return `${out}</g>`;
}
