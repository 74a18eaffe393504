import sharp from 'sharp';

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

/** One pattern cell, ready for the SVG: a bitmap at exactly the output's pixel size. */
export interface PatternCell {
  dataUri: string;
  /** Cell size in document units: a whole number of output pixels. */
  width: number;
  height: number;
  /** Repeats of the tile across and down the cell. */
  across: number;
  down: number;
  meanColour: string;
}

/** Pattern cells span at least this many pixels, so rounding them to whole pixels shifts scale by <0.4 %. */
export const MIN_CELL_PX = 128;
/** Larger cells would cost more memory than they save; the period error stays under 1/(2 x this). */
const MAX_CELL_PX = 4096;

/**
 * Resamples the tile into one pattern cell at the output's resolution. resvg draws a pattern cell
 * into a whole-pixel bitmap, which rounds the period and leaves a see-through seam between repeats
 * when the cell is not whole pixels, and it decodes and resamples the tile image on every render. So
 * the cell holds n x m repeats and spans a whole number of pixels (true scale to within 0.5 px per
 * cell), and sharp builds it once at that exact size, so resvg draws it 1:1.
 */
export async function patternCell(tile: FabricTile, unitsPerCm: number, pxPerUnit: number): Promise<PatternCell> {
  const tilePxW = tile.widthCm * unitsPerCm * pxPerUnit;
  const tilePxH = tile.heightCm * unitsPerCm * pxPerUnit;
  const across = Math.max(1, Math.ceil(MIN_CELL_PX / tilePxW));
  const down = Math.max(1, Math.ceil(MIN_CELL_PX / tilePxH));
  const cellW = Math.min(MAX_CELL_PX, Math.max(1, Math.round(across * tilePxW)));
  const cellH = Math.min(MAX_CELL_PX, Math.max(1, Math.round(down * tilePxH)));

  // Each repeat at twice its final size (whole pixels), laid edge to edge, then brought down to the
  // cell: the mosaic stays small whatever the tile's own resolution, and its joins are seamless.
  const slotW = Math.max(1, Math.ceil((2 * cellW) / across));
  const slotH = Math.max(1, Math.ceil((2 * cellH) / down));
  const slot = await sharp(tile.png).removeAlpha().resize(slotW, slotH, { fit: 'fill' }).raw().toBuffer();
  const mosaicW = slotW * across;
  const mosaic = Buffer.alloc(mosaicW * slotH * down * 3);
  for (let j = 0; j < down; j++)
    for (let y = 0; y < slotH; y++) {
      const row = slot.subarray(y * slotW * 3, (y + 1) * slotW * 3);
      for (let i = 0; i < across; i++) row.copy(mosaic, ((j * slotH + y) * mosaicW + i * slotW) * 3);
    }
  const png = await sharp(mosaic, { raw: { width: mosaicW, height: slotH * down, channels: 3 } })
    .resize(cellW, cellH, { fit: 'fill' })
    .png({ compressionLevel: 1 })
    .toBuffer();
  return {
    dataUri: `data:image/png;base64,${png.toString('base64')}`,
    width: cellW / pxPerUnit,
    height: cellH / pxPerUnit,
    across,
    down,
    meanColour: tile.meanColour,
  };
}
