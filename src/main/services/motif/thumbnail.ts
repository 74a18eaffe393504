import sharp, { type Metadata } from 'sharp';
import { AppError } from '../../../shared/contract';

/** Raster formats a motif may be; SVG is refused (it is a document, and may be hostile). */
const MIME_BY_FORMAT: Record<string, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  tiff: 'image/tiff',
  avif: 'image/avif',
  heif: 'image/heif',
};

export const THUMB_EDGE = 320;

export interface DecodedMotif {
  mime: string;
  width: number;
  height: number;
  /** WebP, the long edge at most THUMB_EDGE, orientation applied. */
  thumbnail: Buffer;
}

/**
 * Decodes the whole image (making the thumbnail does), so a truncated or damaged file is found here,
 * at import, and never reaches the library. sharp's default failOn ('warning') refuses a JPEG that
 * libjpeg only half decodes.
 */
export async function decodeMotif(bytes: Buffer): Promise<DecodedMotif> {
  let meta: Metadata;
  try {
    meta = await sharp(bytes).metadata();
  } catch (err) {
    throw new AppError('INVALID_INPUT', `not a readable image (${(err as Error).message})`);
  }
  const mime = meta.format ? MIME_BY_FORMAT[meta.format] : undefined;
  if (!mime) throw new AppError('INVALID_INPUT', `the image format ${meta.format ?? 'unknown'} is not accepted (JPEG, PNG, WebP, GIF, TIFF, AVIF, HEIF are)`);
  try {
    const thumbnail = await sharp(bytes)
      .rotate()
      .resize({ width: THUMB_EDGE, height: THUMB_EDGE, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer();
    const upright = (meta.orientation ?? 1) >= 5;
    return { mime, width: (upright ? meta.height : meta.width) ?? 0, height: (upright ? meta.width : meta.height) ?? 0, thumbnail };
  } catch (err) {
    throw new AppError('INVALID_INPUT', `the image cannot be decoded (${(err as Error).message})`);
  }
}
