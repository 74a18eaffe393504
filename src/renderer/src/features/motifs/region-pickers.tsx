import type { NormalisedBox } from '../../../../shared/contract';
import type { FlatDocument, ViewId } from '../../../../shared/flat';
import { useStudioApi } from '../../lib/api-context';
import { RegionPicker } from './RegionPicker';
import type { OverlayBox, RegionQuery } from './region';
import { useTranslation } from 'react-i18next';

/** Long side of the flat picture a region is cut from: a quarter of the page still gives 256 px. */
const FLAT_REGION_PX = 1024;

type Matrix = readonly [number, number, number, number, number, number];

/** A point on screen (relative to the canvas) back in document units, through the canvas viewport. */
function toDocument(vpt: Matrix, x: number, y: number): { x: number; y: number } {
  const [a, b, c, d, e, f] = vpt;
  const det = a * d - b * c || 1;
  return { x: (d * (x - e) - c * (y - f)) / det, y: (-b * (x - e) + a * (y - f)) / det };
}

/**
 * A box drawn over the canvas as a region of the page: the flat is rendered as the page (the colorway
 * renderer draws the page edge to edge), so document units over the page size are the fractions.
 */
export function flatRegionBox(box: OverlayBox, size: { width: number; height: number }, vpt: Matrix, page: { width: number; height: number }): NormalisedBox | null {
  const p = toDocument(vpt, box[0] * size.width, box[1] * size.height);
  const q = toDocument(vpt, box[2] * size.width, box[3] * size.height);
  const c = (v: number) => Math.min(1, Math.max(0, v));
  const out: NormalisedBox = [c(Math.min(p.x, q.x) / page.width), c(Math.min(p.y, q.y) / page.height), c(Math.max(p.x, q.x) / page.width), c(Math.max(p.y, q.y) / page.height)];
  return out[2] - out[0] > 0.005 && out[3] - out[1] > 0.005 ? out : null;
}

/** The viewport the editor publishes on its canvas frame (data-viewport: a,b,c,d,e,f). */
function viewportOf(frame: HTMLElement | null): Matrix | null {
  const v = frame?.dataset.viewport?.split(',').map(Number);
  return v && v.length === 6 && v.every(Number.isFinite) ? (v as unknown as Matrix) : null;
}

/** The region overlay for the flat editor: mounted inside the canvas frame. */
export function FlatRegionPicker({ doc, viewId }: { doc: FlatDocument; viewId: ViewId }) {
  const { client } = useStudioApi();
  const { t } = useTranslation();
  const resolve = async (box: OverlayBox, overlay: HTMLElement): Promise<RegionQuery> => {
    const vpt = viewportOf(overlay.parentElement);
    if (!vpt) throw new Error('The canvas has not been laid out yet.');
    const region = flatRegionBox(box, { width: overlay.clientWidth, height: overlay.clientHeight }, vpt, doc.page);
    if (!region) throw new Error(t('motifs:region.tooSmall'));
    // The flat as the colorway renderer draws it (its swatches, prints and motif fills), stored in the
    // library so the search can read it by sha256 like any library image.
    const picture = await client.render.colorway({ doc, viewId, size: FLAT_REGION_PX, background: '#ffffff', shading: false, as: 'file', palette: {} });
    if (!picture.sha256) throw new Error('The flat picture was not stored.');
    return { image: picture.sha256, box: region, label: t('motifs:region.flat') };
  };
  return <RegionPicker picker={`flat-${viewId}`} resolve={resolve} />;
}

const SHA256 = /[0-9a-f]{64}/i;

/** The library file a render is shown from (jinxiu://library/ab/<sha> or /library-files/<sha>), or null. */
export function renderSha(url: string): string | null {
  return SHA256.exec(url)?.[0]?.toLowerCase() ?? null;
}

/**
 * The region overlay for a generated render, mounted in the render's zoomed layer so a box drawn at
 * any zoom maps to the same part of the picture. Renders are square, shown edge to edge in the layer.
 */
export function RenderRegionPicker({ url, id }: { url: string; id: string }) {
  const { t } = useTranslation();
  const sha = renderSha(url);
  if (!sha) return null;
  const resolve = async (box: OverlayBox): Promise<RegionQuery> => ({ image: sha, box: [...box] as NormalisedBox, label: t('motifs:region.render') });
  return <RegionPicker picker={`render-${id}`} resolve={resolve} />;
}
