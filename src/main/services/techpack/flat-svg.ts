import { anchorPoint, exportSvg, FlatDocumentSchema, itemBounds, STITCH_TYPES, type FlatDocument, type MotifArt, type Point, type StitchType, type ViewId } from '../../../shared/flat';
import { imageMime, type ImageSource } from './display';

/**
 * The layout is a pure function of the resolved pack and never reads images; a flat's motif artwork
 * is named by this placeholder (the motif's image sha256) and swapped for the bytes when drawn.
 */
const MOTIF_HREF = 'jinxiu-motif:';

/** Motif artwork placeholders for a flat, from the motifs the pack resolved (motif id -> image sha256). */
export function motifArtRefs(motifs: readonly { id: string; imageSha256: string | null }[]): Map<string, MotifArt> {
  // The layout does not know the image's size: a square tile, with the artwork fitted inside it.
  return new Map(motifs.filter((m) => m.imageSha256).map((m) => [m.id, { href: `${MOTIF_HREF}${m.imageSha256!}`, width: 1, height: 1 }]));
}

/** A flat's SVG with its motif placeholders replaced by the images' bytes, as data URIs. */
export function embedMotifArt(svg: string, images: ImageSource): string {
  return svg.replace(/href="jinxiu-motif:([0-9a-f]{64})"/g, (_all, sha: string) => {
    const bytes = images(sha);
    return `href="data:${imageMime(bytes)};base64,${bytes.toString('base64')}"`;
  });
}

export interface FlatViewDrawing {
  /** SVG whose root viewBox is cropped to what is drawn, with no physical size. */
  svg: string;
  viewBox: [number, number, number, number];
  stitches: StitchType[];
  trims: Map<string, number>;
  /** Callouts of the view with their text's anchor (the baseline start) in the drawing's units. */
  callouts: { id: string; text: string; at: Point }[];
  /** Points of measure of the view: their ends in the drawing's units and their label (code, value, unit). */
  poms: { id: string; from: Point; to: Point; label: string }[];
}

/**
 * One view of a flat ready for a sheet: the flat's own SVG export (so the sheet shows exactly what
 * the editor exports, vector paths and all), with the view box cropped to the visible drawing so the
 * garment fills its frame, plus what the legend needs. Callout text is left out of the SVG and
 * returned instead: a callout's size in the document is at garment scale (6 mm letters on a shirt
 * fitted to a sheet print about 4 pt), so the sheet sets it in points at its anchor. Points of
 * measure are left out the same way and returned with their ends, so their labels and lines are
 * drawn in print units too, whatever the garment's scale.
 */
export function drawFlatView(document: unknown, viewId: ViewId, motifs?: ReadonlyMap<string, MotifArt>): FlatViewDrawing | null {
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
    minX = Math.min(minX, b.minX);
    minY = Math.min(minY, b.minY);
    maxX = Math.max(maxX, b.maxX);
    maxY = Math.max(maxY, b.maxY);
  }
  if (!Number.isFinite(minX)) [minX, minY, maxX, maxY] = [0, 0, doc.page.width, doc.page.height];
  const pad = Math.max(maxX - minX, maxY - minY) * 0.04;
  const viewBox: [number, number, number, number] = [minX - pad, minY - pad, maxX - minX + 2 * pad, maxY - minY + 2 * pad];
  const callouts = items.flatMap((i) => (i.type === 'callout' ? [{ id: i.id, text: i.text, at: { ...i.at } }] : []));
  for (const i of view.items) if (i.type === 'callout') i.text = '';
  const anchor = (end: { shapeId: string; segment: number }): Point | null => {
    const shape = view.items.find((i) => i.id === end.shapeId);
    return shape?.type === 'shape' ? anchorPoint(shape.segments, end.segment) : null;
  };
  const poms = view.poms.flatMap((pom) => {
    const [from, to] = [anchor(pom.from), anchor(pom.to)];
    return from && to ? [{ id: pom.id, from: { ...from }, to: { ...to }, label: `${pom.code} ${pom.value} ${pom.unit}` }] : [];
  });
  const full = exportSvg(doc, { viewId, poms: false, ...(motifs ? { motifs } : {}) });
  const svg = full.replace(/<svg [^>]*>/, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${viewBox.map((n) => n.toFixed(3)).join(' ')}">`);
  const stitches = STITCH_TYPES.filter((s) => items.some((i) => i.type === 'stitch' && i.stitch === s));
  const trims = new Map<string, number>();
  for (const i of items) if (i.type === 'trim') trims.set(i.trim, (trims.get(i.trim) ?? 0) + 1);
  return { svg, viewBox, stitches, trims, callouts, poms };
}
