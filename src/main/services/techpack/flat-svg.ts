import { exportSvg, FlatDocumentSchema, itemBounds, STITCH_TYPES, type FlatDocument, type StitchType, type ViewId } from '../../../shared/flat';

export interface FlatViewDrawing {
  /** SVG whose root viewBox is cropped to what is drawn, with no physical size. */
  svg: string;
  viewBox: [number, number, number, number];
  stitches: StitchType[];
  trims: Map<string, number>;
  callouts: { id: string; text: string }[];
}

/**
 * One view of a flat ready for a sheet: the flat's own SVG export (so the sheet shows exactly what
 * the editor exports, vector paths and all), with the view box cropped to the visible drawing so the
 * garment fills its frame, plus what the legend needs.
 */
export function drawFlatView(document: unknown, viewId: ViewId): FlatViewDrawing | null {
  const doc: FlatDocument = FlatDocumentSchema.parse(document);
  const view = doc.views.find((v) => v.id === viewId);
  if (!view) return null;
  const visible = new Set(view.layers.filter((l) => l.visible).map((l) => l.id));
  const items = view.items.filter((i) => visible.has(i.layerId));
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const item of items) {
    const b = itemBounds(item);
    if (!b) continue;
    // A callout's text runs right of its anchor; allow for it (average glyph ~0.6 em).
    const extra = item.type === 'callout' ? item.text.length * item.fontSize * 0.6 : 0;
    minX = Math.min(minX, b.minX);
    minY = Math.min(minY, b.minY - (item.type === 'callout' ? item.fontSize : 0));
    maxX = Math.max(maxX, b.maxX + extra);
    maxY = Math.max(maxY, b.maxY);
  }
  if (!Number.isFinite(minX)) [minX, minY, maxX, maxY] = [0, 0, doc.page.width, doc.page.height];
  const pad = Math.max(maxX - minX, maxY - minY) * 0.04;
  const viewBox: [number, number, number, number] = [minX - pad, minY - pad, maxX - minX + 2 * pad, maxY - minY + 2 * pad];
  const full = exportSvg(doc, { viewId, poms: true });
  const svg = full.replace(/<svg [^>]*>/, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${viewBox.map((n) => n.toFixed(3)).join(' ')}">`);
  const stitches = STITCH_TYPES.filter((s) => items.some((i) => i.type === 'stitch' && i.stitch === s));
  const trims = new Map<string, number>();
  for (const i of items) if (i.type === 'trim') trims.set(i.trim, (trims.get(i.trim) ?? 0) + 1);
  const callouts = items.filter((i) => i.type === 'callout').map((i) => ({ id: i.id, text: i.type === 'callout' ? i.text : '' }));
  return { svg, viewBox, stitches, trims, callouts };
}
