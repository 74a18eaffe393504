import type { Crop, DominantColour, SwatchGeometry } from '../../../shared/contract/swatches';
import { dominantColours } from './colours';
import { straightenAndCrop } from './geometry';
import { encodePng, resizeToFit, type RgbImage } from './raster';
import { mirrorTile, offsetBlendTile, repeatPreview } from './tile';

/** A tile's longest side: enough detail for a 512 x 512 render, small enough to store and blend fast. */
export const MAX_TILE_SIDE = 1024;
/** The repeat preview is the tile 3 x 3, scaled to this at most. */
const PREVIEW_REPEAT = 3;
const MAX_PREVIEW_SIDE = 1536;

export interface ProcessedSwatch {
  crop: Crop;
  tile: { png: Buffer; width: number; height: number };
  preview: { png: Buffer; width: number; height: number };
  dominantColours: DominantColour[];
}

/** Photo -> straightened crop -> seamless tile -> repeat preview, plus the crop's dominant colours. */
export async function processSwatch(photo: RgbImage, geometry: SwatchGeometry): Promise<ProcessedSwatch> {
  const { image: cropped, crop } = await straightenAndCrop(photo, geometry.rotateDeg, geometry.crop);
  const colours = await dominantColours(cropped);
  const method = geometry.tileMethod;
  // Mirroring doubles the size, so the crop is scaled to half the tile budget first.
  const base = await resizeToFit(cropped, method === 'mirror' ? MAX_TILE_SIDE / 2 : MAX_TILE_SIDE);
  const tile: RgbImage = method === 'offset-blend' ? offsetBlendTile(base) : method === 'mirror' ? mirrorTile(base) : base;
  const preview = await resizeToFit(repeatPreview(tile, PREVIEW_REPEAT), MAX_PREVIEW_SIDE);
  return {
    crop,
    tile: { png: await encodePng(tile), width: tile.width, height: tile.height },
    preview: { png: await encodePng(preview), width: preview.width, height: preview.height },
    dominantColours: colours,
  };
}
