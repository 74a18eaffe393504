import fsp from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Metadata } from 'sharp';
import { AppError } from '../../../shared/contract';
import { toRaw, type RgbImage } from './raster';

/** Swatch photos the library accepts, by the format sharp detects from the bytes (not the file name). */
const FORMATS: Record<string, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', tiff: 'image/tiff' };

export interface SwatchLimits {
  /** Largest photo file, in bytes. */
  maxBytes: number;
  /** Largest photo, in pixels (width x height), checked from the header before anything is decoded. */
  maxPixels: number;
}

// A flatbed scan of an A4 swatch card at 600 dpi is about 35 MP; twice that is a generous ceiling that
// still keeps a decoded RGB photo under 200 MB of memory.
export const DEFAULT_SWATCH_LIMITS: SwatchLimits = { maxBytes: 80 * 1024 * 1024, maxPixels: 70_000_000 };

export interface SwatchPhoto {
  bytes: Buffer;
  format: string;
  mime: string;
  /** Decoded, EXIF orientation applied, flattened on white, sRGB. */
  image: RgbImage;
}

const MB = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;

/**
 * Reads and decodes a swatch photo, or refuses it with a message that says why: not a file, too large,
 * not an image, a format the library does not take, too many pixels, or damaged. Nothing is stored here,
 * so a refused photo leaves the library exactly as it was.
 */
export async function readSwatchPhoto(
  source: string | Buffer,
  limits: SwatchLimits = DEFAULT_SWATCH_LIMITS,
  /** The file's name, for messages about bytes that came without a path. */
  name?: string,
): Promise<SwatchPhoto> {
  const label = name || (typeof source === 'string' ? path.basename(source) : 'The photo');
  let bytes: Buffer;
  if (typeof source === 'string') {
    const stat = await fsp.stat(source).catch((err: NodeJS.ErrnoException) => {
      throw new AppError('INVALID_INPUT', `Cannot read the swatch photo ${source}: ${err.code === 'ENOENT' ? 'no such file' : err.message}.`);
    });
    if (!stat.isFile()) throw new AppError('INVALID_INPUT', `${source} is not a file.`);
    if (stat.size > limits.maxBytes) {
      throw new AppError('INVALID_INPUT', `${label} is ${MB(stat.size)}; the swatch library takes photos up to ${MB(limits.maxBytes)}.`);
    }
    bytes = await fsp.readFile(source);
  } else {
    bytes = source;
    if (bytes.byteLength > limits.maxBytes) {
      throw new AppError('INVALID_INPUT', `${label} is ${MB(bytes.byteLength)}; the swatch library takes photos up to ${MB(limits.maxBytes)}.`);
    }
  }
  if (bytes.byteLength === 0) throw new AppError('INVALID_INPUT', `${label} is empty.`);

  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw new AppError('INVALID_INPUT', `${label} is not a readable image (${(err as Error).message}).`);
  }
  const format = meta.format ?? 'unknown';
  const mime = FORMATS[format];
  if (!mime) {
    throw new AppError('INVALID_INPUT', `${label} is ${format.toUpperCase()}; swatch photos must be JPEG, PNG, WebP or TIFF.`);
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width <= 0 || height <= 0) throw new AppError('INVALID_INPUT', `${label} has no pixels.`);
  if (width * height > limits.maxPixels) {
    throw new AppError(
      'INVALID_INPUT',
      `${label} is ${width}×${height} px (${((width * height) / 1e6).toFixed(0)} MP); the swatch library takes photos up to ${(limits.maxPixels / 1e6).toFixed(0)} MP. Scale it down or crop it first.`,
    );
  }

  let image: RgbImage;
  try {
    image = await toRaw(
      sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: 'error' })
        .autoOrient()
        .flatten({ background: '#ffffff' })
        .toColourspace('srgb'),
    );
  } catch (err) {
    throw new AppError('INVALID_INPUT', `${label} could not be decoded; the file looks damaged or truncated (${(err as Error).message}).`);
  }
  return { bytes, format, mime, image };
}
