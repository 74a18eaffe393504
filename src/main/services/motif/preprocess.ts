import sharp from 'sharp';
import { AppError } from '../../../shared/contract';
import { cropRgb, pilBicubicResize, type RgbImage } from '../../../shared/motif/pil-bicubic';
import type { CropBox } from './index/crops';

/** The pack's preprocessing numbers (manifest motif.preprocess). */
export interface PixelSpec {
  imageSize: number;
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
  rescale: number;
}

/**
 * Decodes an image to 8-bit RGB as PIL's Image.open(...).convert('RGB') does: alpha dropped (not
 * composited), grey widened to three channels, no EXIF rotation. A file sharp cannot read is the
 * caller's bad input, said so.
 */
export async function decodeRgb(bytes: Buffer | Uint8Array): Promise<RgbImage> {
  try {
    const { data, info } = await sharp(bytes, { failOn: 'error' }).toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`${info.channels} channels after conversion to RGB`);
    return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  } catch (err) {
    throw new AppError('INVALID_INPUT', `The image cannot be read: ${(err as Error).message}`);
  }
}

/**
 * cn_clip's image transform: stretch to S x S with PIL's bicubic (src/shared/motif/pil-bicubic.ts,
 * bit-exact), scale to [0, 1], minus mean, over std, NCHW float32. A box crops first, as PIL's
 * Image.crop does before the resize.
 */
export function toPixels(image: RgbImage, spec: PixelSpec, box: CropBox | null = null): Float32Array {
  const region = box ? cropRgb(image, box) : image;
  const s = spec.imageSize;
  const resized = pilBicubicResize(region, s, s);
  const plane = s * s;
  const out = new Float32Array(3 * plane);
  const src = resized.data;
  for (let c = 0; c < 3; c++) {
    // Float32 steps as numpy does them: x / 255 rounded to float32, minus mean, over std (float32 each).
    const mean = Math.fround(spec.mean[c]!);
    const std = Math.fround(spec.std[c]!);
    for (let i = 0; i < plane; i++) out[c * plane + i] = Math.fround(Math.fround(src[i * 3 + c]! * spec.rescale) - mean) / std;
  }
  return out;
}

/** A box in normalised coordinates [x0, y0, x1, y1] (0..1) as whole pixels of a w x h image, at least 1 px. */
export function pixelBox(box: readonly [number, number, number, number], width: number, height: number): CropBox {
  const [x0, y0, x1, y1] = box;
  if (![x0, y0, x1, y1].every((v) => Number.isFinite(v) && v >= 0 && v <= 1) || !(x1 > x0 && y1 > y0)) {
    throw new AppError('INVALID_INPUT', `A region is [left, top, right, bottom] with 0 <= left < right <= 1 and 0 <= top < bottom <= 1, not [${box.join(', ')}].`);
  }
  const left = Math.min(Math.floor(x0 * width), width - 1);
  const top = Math.min(Math.floor(y0 * height), height - 1);
  const right = Math.max(Math.min(Math.ceil(x1 * width), width), left + 1);
  const bottom = Math.max(Math.min(Math.ceil(y1 * height), height), top + 1);
  return [left, top, right, bottom];
}
