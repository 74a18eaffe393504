import sharp from 'sharp';
import { AppError } from '../../../shared/contract/errors';
import { pageRegion, type PageRegion } from '../../../shared/flat/geometry/region';

/** A swatch's seamless tile and the piece of cloth it shows, in centimetres. */
export interface FabricTile {
  /** The tile as PNG (RGB), as the swatch library stores it. */
  png: Buffer;
  widthPx: number;
  heightPx: number;
  widthCm: number;
  heightCm: number;
  /** #rrggbb: the tile's average, painted behind the pattern (it shows only at rotated joins). */
  meanColour: string;
}

/** One pattern cell, ready for the SVG: a bitmap at exactly the output's pixel size (see AxisPlan.bitmapPx). */
export interface PatternCell {
  dataUri: string;
  /** Where the cell starts, in the pattern's own (turned) document units: 0 unless it spans the page. */
  x: number;
  y: number;
  /** Cell size in document units: a whole number of output pixels. */
  width: number;
  height: number;
  /** Repeats of the tile across and down the cell. */
  across: number;
  down: number;
  meanColour: string;
}

/** What the pattern has to cover: the page's bounding box in the pattern's turned space, in document units. */
export type CellRegion = PageRegion;
export { pageRegion };

/** Pattern cells span at least this many pixels, so rounding them to whole pixels shifts scale by <0.4 %. */
export const MIN_CELL_PX = 128;
/** Cells larger than this are drawn without supersampling: a single repeat has no joins to blend. */
const MAX_CELL_PX = 4096;

/** How one axis of the cell is built. */
interface AxisPlan {
  /** Repeats of the tile in the cell. */
  repeats: number;
  cellPx: number;
  /** Each repeat's slot in the mosaic, in whole pixels. */
  slotPx: number;
  /** Repeats actually laid in the mosaic: below half a pixel every repeat is the same line, so one stands for all. */
  laid: number;
  /** The cell's bitmap: cellPx, except where a cell spanning the page would only magnify the tile's own pixels. */
  bitmapPx: number;
  /** Tile pixels the cell shows: the whole tile, unless one repeat outgrows the page. */
  sourcePx: number;
  /** Where the cell starts in document units. */
  origin: number;
}

const undrawable = (tilePx: number) => new AppError('INVALID_INPUT', `The swatch repeats every ${tilePx} px at this size, which cannot be drawn.`);

/**
 * One axis: n whole repeats in a cell of whole pixels; or, when one repeat is larger than the page,
 * a cell that spans just the page and shows the part of the tile that falls on it (the period never
 * shows there, so nothing is lost). Either way the work is in proportion to the output's pixels,
 * whatever the tile's real size.
 */
function planAxis(tilePx: number, tileSourcePx: number, regionStart: number, regionPx: number): AxisPlan {
  if (!(tilePx > 0) || !Number.isFinite(tilePx) || !Number.isFinite(regionPx)) throw undrawable(tilePx);
  const pagePx = Math.max(1, Math.ceil(regionPx));
  if (tilePx > pagePx && tilePx > MIN_CELL_PX) {
    // Whole tile pixels keep the scale true to half an output pixel, unless one tile pixel alone
    // spans more than MIN_CELL_PX output pixels: a blur at that scale, so it may stretch a little.
    const sourcePx = Math.min(tileSourcePx, Math.ceil((pagePx / tilePx) * tileSourcePx));
    const cellPx = Math.min(pagePx + MIN_CELL_PX, Math.max(pagePx, Math.round((sourcePx / tileSourcePx) * tilePx)));
    // Without repeats there is no seam to keep whole-pixel, so resvg may magnify the tile itself.
    const bitmapPx = Math.min(cellPx, sourcePx);
    return { repeats: 1, cellPx, slotPx: bitmapPx, laid: 1, bitmapPx, sourcePx, origin: regionStart };
  }
  const repeats = Math.max(1, Math.ceil(MIN_CELL_PX / tilePx));
  if (!Number.isFinite(repeats)) throw undrawable(tilePx);
  const cellPx = Math.max(1, Math.round(repeats * tilePx));
  // Supersampled slots blend the joins between repeats; a single large repeat has none inside it.
  const slotPx = cellPx > MAX_CELL_PX ? cellPx : Math.max(1, Math.ceil((2 * cellPx) / repeats));
  return { repeats, cellPx, slotPx, laid: slotPx === 1 ? 1 : repeats, bitmapPx: cellPx, sourcePx: tileSourcePx, origin: 0 };
}

/**
 * Resamples the tile into one pattern cell at the output's resolution. resvg draws a pattern cell
 * into a whole-pixel bitmap, which rounds the period and leaves a see-through seam between repeats
 * when the cell is not whole pixels, and it decodes and resamples the tile image on every render. So
 * the cell holds n x m repeats and spans a whole number of pixels (true scale to within 0.5 px per
 * cell), and sharp builds it once at that exact size, so resvg draws it 1:1.
 */
export async function patternCell(tile: FabricTile, unitsPerCm: number, pxPerUnit: number, region: CellRegion): Promise<PatternCell> {
  const x = planAxis(tile.widthCm * unitsPerCm * pxPerUnit, tile.widthPx, region.x, region.width * pxPerUnit);
  const y = planAxis(tile.heightCm * unitsPerCm * pxPerUnit, tile.heightPx, region.y, region.height * pxPerUnit);

  // Each repeat at twice its final size (whole pixels), laid edge to edge, then brought down to the
  // cell: the mosaic stays small whatever the tile's own resolution, and its joins are seamless.
  let source = sharp(tile.png).removeAlpha();
  if (x.sourcePx < tile.widthPx || y.sourcePx < tile.heightPx) source = source.extract({ left: 0, top: 0, width: x.sourcePx, height: y.sourcePx });
  const slot = await source.resize(x.slotPx, y.slotPx, { fit: 'fill' }).raw().toBuffer();
  const mosaicW = x.slotPx * x.laid;
  const mosaic = x.laid === 1 && y.laid === 1 ? slot : Buffer.alloc(mosaicW * y.slotPx * y.laid * 3);
  if (mosaic !== slot)
    for (let j = 0; j < y.laid; j++)
      for (let row = 0; row < y.slotPx; row++) {
        const line = slot.subarray(row * x.slotPx * 3, (row + 1) * x.slotPx * 3);
        for (let i = 0; i < x.laid; i++) line.copy(mosaic, ((j * y.slotPx + row) * mosaicW + i * x.slotPx) * 3);
      }
  const png = await sharp(mosaic, { raw: { width: mosaicW, height: y.slotPx * y.laid, channels: 3 } })
    .resize(x.bitmapPx, y.bitmapPx, { fit: 'fill' })
    .png({ compressionLevel: 1 })
    .toBuffer();
  return {
    dataUri: `data:image/png;base64,${png.toString('base64')}`,
    x: x.origin,
    y: y.origin,
    width: x.cellPx / pxPerUnit,
    height: y.cellPx / pxPerUnit,
    across: x.repeats,
    down: y.repeats,
    meanColour: tile.meanColour,
  };
}
