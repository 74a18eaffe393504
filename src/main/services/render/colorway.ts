import { renderAsync } from '@resvg/resvg-js';
import { AppError } from '../../../shared/contract/errors';
import { SWATCH_CM } from '../../../shared/contract/swatches';
import { FLAT_PAGE_MM, formatMm } from '../../../shared/flat/svg/limits';
import type { FlatDocument, ViewId } from '../../../shared/flat/schema';
import type { FabricSource } from './fabrics';
import { loadMotifArt, type MotifArtSource } from './motif-art';
import { resolvePanelFills, type Palette } from './palette';
import { pageRegion, patternCell, type CellRegion, type FabricTile, type PatternCell } from './cell';
import { buildColorwaySvg, cellKey } from './svg';

/** Long side of a colorway, in pixels: a thumbnail to a print-size sheet (~64 MP at most). */
export const MIN_COLORWAY_PX = 16;
export const MAX_COLORWAY_PX = 8192;
/** Most colorways in one batch call. */
export const MAX_COLORWAY_BATCH = 64;

export interface ColorwayOptions {
  viewId?: ViewId;
  /** Long side of the PNG in pixels; the other side follows the page's aspect ratio. */
  size: number;
  /** Paper behind the flat; null leaves it transparent. */
  background?: string | null;
  /** Soft shadows along panel edges and seams (on by default). */
  shading?: boolean;
}

export interface Colorway {
  png: Buffer;
  width: number;
  height: number;
  /** Pixels per centimetre of garment: what a tile's period in pixels is checked against. */
  pxPerCm: number;
}

/** The page's long side must be a garment's: past these, true scale means nothing (see FLAT_PAGE_MM). */
function checkPage(doc: FlatDocument): void {
  const sides = [doc.page.width, doc.page.height].map((n) => n * doc.units.mmPerUnit);
  if (sides.some((mm) => !Number.isFinite(mm) || mm < FLAT_PAGE_MM.min || mm > FLAT_PAGE_MM.max))
    throw new AppError(
      'INVALID_INPUT',
      `The flat "${doc.name}" is on a page of ${formatMm(sides[0]!)} × ${formatMm(sides[1]!)}; a flat's page is ${formatMm(FLAT_PAGE_MM.min)} to ${formatMm(FLAT_PAGE_MM.max)} on each side.`,
    );
}

/** A tile sized outside what any fabric repeats (an older library, a loose image) is refused by name. */
function checkTile(swatchId: string, tile: FabricTile): void {
  const fits = (cm: number) => Number.isFinite(cm) && cm >= SWATCH_CM.min && cm <= SWATCH_CM.max;
  if (!fits(tile.widthCm) || !fits(tile.heightCm))
    throw new AppError(
      'INVALID_INPUT',
      `The swatch ${swatchId} is set to ${cmText(tile.widthCm)} × ${cmText(tile.heightCm)} cm; a swatch is ${SWATCH_CM.min} to ${SWATCH_CM.max} cm each way, so give it its real size.`,
    );
}

const cmText = (cm: number) => (Number.isFinite(cm) && cm >= 0.01 && cm < 1e6 ? String(Number(cm.toPrecision(4))) : cm.toPrecision(3));

function checkSize(size: number): void {
  if (!Number.isInteger(size) || size < MIN_COLORWAY_PX || size > MAX_COLORWAY_PX)
    throw new AppError('INVALID_INPUT', `A colorway is ${MIN_COLORWAY_PX} to ${MAX_COLORWAY_PX} px on its long side (got ${size}).`);
}

/**
 * Renders colorways of a flat: one SVG per colorway (swatch tiles as patterns at true scale, the
 * flat's seams, stitches and trims over them, soft shading), rasterised by resvg off the main thread.
 * The same inputs give the same bytes: nothing depends on time, order of completion or randomness.
 */
export class ColorwayRenderer {
  /** Pattern cells by tile and resolution: a batch, or renders at one size, resample each tile once. */
  private readonly cells = new WeakMap<FabricTile, Map<string, Promise<PatternCell>>>();

  constructor(
    private readonly fabrics: FabricSource,
    /** Artwork for prints and motif fills; without it they are drawn as placement boxes. */
    private readonly motifs?: MotifArtSource,
  ) {}

  private cellOf(tile: FabricTile, unitsPerCm: number, pxPerUnit: number, region: CellRegion): Promise<PatternCell> {
    let bySize = this.cells.get(tile);
    if (!bySize) this.cells.set(tile, (bySize = new Map()));
    const key = `${unitsPerCm}:${pxPerUnit}:${region.x}:${region.y}:${region.width}:${region.height}`;
    let cell = bySize.get(key);
    if (!cell) {
      cell = patternCell(tile, unitsPerCm, pxPerUnit, region);
      cell.catch(() => bySize.delete(key));
      if (bySize.size >= 8) bySize.delete(bySize.keys().next().value!);
      bySize.set(key, cell);
    }
    return cell;
  }

  async render(doc: FlatDocument, palette: Palette, options: ColorwayOptions): Promise<Colorway> {
    const [one] = await this.renderBatch(doc, [palette], options);
    return one!;
  }

  /** N colorways of one flat; each tile is loaded once, and renders run in parallel on libuv's pool. */
  async renderBatch(doc: FlatDocument, palettes: readonly Palette[], options: ColorwayOptions): Promise<Colorway[]> {
    checkSize(options.size);
    if (palettes.length === 0 || palettes.length > MAX_COLORWAY_BATCH)
      throw new AppError('INVALID_INPUT', `A batch holds 1 to ${MAX_COLORWAY_BATCH} palettes (got ${palettes.length}).`);
    const viewId = options.viewId ?? 'front';
    const view = doc.views.find((v) => v.id === viewId);
    if (!view) throw new AppError('INVALID_INPUT', `The flat "${doc.name}" has no ${viewId} view.`);

    checkPage(doc);

    const fillsPerPalette = palettes.map((p) => resolvePanelFills(view, p));
    const swatches = new Map<string, { swatchId: string; angle: number }>();
    for (const fills of fillsPerPalette) for (const f of fills.values()) if (f.kind === 'swatch') swatches.set(cellKey(f), f);
    const { width: pageW, height: pageH } = doc.page;
    const fitTo = pageW >= pageH ? ({ mode: 'width', value: options.size } as const) : ({ mode: 'height', value: options.size } as const);
    const pxPerUnit = options.size / Math.max(pageW, pageH);
    const pxPerCm = (pxPerUnit * 10) / doc.units.mmPerUnit;

    const motifs = await loadMotifArt(this.motifs, view);
    const cells = new Map<string, PatternCell>();
    for (const [key, fill] of [...swatches].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const tile = await this.fabrics.tile(fill.swatchId);
      checkTile(fill.swatchId, tile);
      cells.set(key, await this.cellOf(tile, 10 / doc.units.mmPerUnit, pxPerUnit, pageRegion(doc.page, fill.angle)));
    }

    return Promise.all(
      fillsPerPalette.map(async (fills) => {
        const svg = buildColorwaySvg({
          doc,
          viewId,
          fills,
          cells,
          motifs,
          background: options.background === undefined ? '#ffffff' : options.background,
          shading: options.shading ?? true,
        });
        let image;
        try {
          // Callout text needs fonts; a flat without text renders without scanning the system's fonts.
          image = await renderAsync(svg, { fitTo, font: { loadSystemFonts: /<text[\s>]/.test(svg) }, logLevel: 'off' });
        } catch (e) {
          throw new AppError('INVALID_INPUT', `The colorway could not be rasterised: ${(e as Error).message}`);
        }
        return { png: image.asPng(), width: image.width, height: image.height, pxPerCm };
      }),
    );
  }
}
