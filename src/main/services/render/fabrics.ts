import path from 'node:path';
import sharp from 'sharp';
import { AppError } from '../../../shared/contract/errors';
import { SWATCH_CM } from '../../../shared/contract/swatches';
import type { FileStore } from '../library';
import type { SwatchLibrary } from '../swatches';
import { readSwatchPhoto } from '../swatches/decode';
import { MAX_TILE_SIDE } from '../swatches/process';
import type { FabricTile } from './cell';

/**
 * When a swatch was imported without its real size, its tile is taken to show 10 cm of cloth: a
 * common swatch-card crop, and a scale at which any weave still reads on a flat.
 */
export const ASSUMED_TILE_WIDTH_CM = 10;

/** Where tiles come from: the swatch library in the app, a loose image on the command line. */
export interface FabricSource {
  tile(swatchId: string): Promise<FabricTile>;
}

/** Turns a tile's pixel size and whatever centimetres are known into the tile's real size. */
export function tileSizeCm(px: { width: number; height: number }, widthCm: number | null, heightCm: number | null): { widthCm: number; heightCm: number } {
  const aspect = px.height / px.width;
  if (widthCm && heightCm) return { widthCm, heightCm };
  if (widthCm) return { widthCm, heightCm: widthCm * aspect };
  if (heightCm) return { widthCm: heightCm / aspect, heightCm };
  return { widthCm: ASSUMED_TILE_WIDTH_CM, heightCm: ASSUMED_TILE_WIDTH_CM * aspect };
}

const hex = (n: number) => Math.round(n).toString(16).padStart(2, '0');

/** The tile as the SVG needs it: a data URI and its mean colour (what shows at the joins between repeats). */
async function tileFrom(png: Buffer, size: { widthCm: number; heightCm: number }): Promise<FabricTile> {
  const image = sharp(png);
  const { width, height } = await image.metadata();
  const { channels } = await image.removeAlpha().stats();
  const meanColour = `#${channels.slice(0, 3).map((c) => hex(c.mean)).join('')}`;
  return { png, widthPx: width, heightPx: height, meanColour, ...size };
}

/** Tiles kept decoded between renders; a handful covers any one palette batch. */
const TILE_CACHE_SIZE = 32;

/**
 * Tiles of the library's swatches, read (hash-checked) from the file store. Cached by tile hash and
 * size, so a reprocessed or resized swatch is read afresh.
 */
export class LibraryFabrics implements FabricSource {
  private readonly cache = new Map<string, Promise<FabricTile>>();

  constructor(
    private readonly swatches: Pick<SwatchLibrary, 'get'>,
    private readonly files: Pick<FileStore, 'read'>,
  ) {}

  tile(swatchId: string): Promise<FabricTile> {
    const swatch = this.swatches.get(swatchId);
    const size = tileSizeCm(swatch.tile, swatch.geometry.widthCm, swatch.geometry.heightCm);
    const key = `${swatch.tileSha256}:${size.widthCm}:${size.heightCm}`;
    let found = this.cache.get(key);
    if (!found) {
      found = this.files.read(swatch.tileSha256).then((png) => tileFrom(png, size));
      found.catch(() => this.cache.delete(key));
      this.cache.set(key, found);
      if (this.cache.size > TILE_CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    }
    return found;
  }
}

/**
 * Library swatches at a width given for this render (`jinxiu render --swatch-cm`) instead of their
 * recorded one; the height keeps the tile's aspect.
 */
export function withTileWidth(source: FabricSource, swatches: Pick<SwatchLibrary, 'get'>, widthCm: number): FabricSource {
  return {
    async tile(id) {
      const tile = await source.tile(id);
      return { ...tile, ...tileSizeCm(swatches.get(id).tile, widthCm, null) };
    },
  };
}

/** An image file used as a tile as it is (already seamless), named by a palette id, `widthCm` wide. */
export interface ImageTile {
  id: string;
  file: string;
  widthCm: number | null;
}

/**
 * Image files used as tiles as they are (e.g. tiles exported from a fabric library), with the photo
 * checks of the swatch library; for the command line and for tests that need no library.
 */
export async function imageFabrics(images: readonly ImageTile[]): Promise<FabricSource> {
  const tiles = new Map<string, FabricTile>();
  for (const image of images) {
    const photo = await readSwatchPhoto(image.file);
    const { width, height } = photo.image;
    const size = tileSizeCm({ width, height }, image.widthCm, null);
    if (![size.widthCm, size.heightCm].every((cm) => Number.isFinite(cm) && cm >= SWATCH_CM.min && cm <= SWATCH_CM.max))
      throw new AppError(
        'INVALID_INPUT',
        `${path.basename(image.file)} would show ${Number(size.widthCm.toPrecision(4))} × ${Number(size.heightCm.toPrecision(4))} cm of cloth; a swatch is ${SWATCH_CM.min} to ${SWATCH_CM.max} cm each way.`,
      );
    // A tile larger than the swatch library's own tiles only slows every render down.
    const png = await sharp(photo.image.data, { raw: { width, height, channels: 3 } })
      .resize({ width: MAX_TILE_SIDE, height: MAX_TILE_SIDE, fit: 'inside', withoutEnlargement: true })
      .png()
      .toBuffer();
    tiles.set(image.id, await tileFrom(png, size));
  }
  return {
    tile: async (swatchId) => {
      const tile = tiles.get(swatchId);
      if (!tile) throw new AppError('NOT_FOUND', `No image is loaded for swatch ${swatchId}.`);
      return tile;
    },
  };
}

/** The id a single loose image takes in a palette. */
export const IMAGE_SWATCH_ID = '00000000-0000-4000-8000-000000000000';

/** One image file as the only fabric, under IMAGE_SWATCH_ID. */
export function imageFabric(file: string, widthCm: number | null): Promise<FabricSource> {
  return imageFabrics([{ id: IMAGE_SWATCH_ID, file, widthCm }]);
}
