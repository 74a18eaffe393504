import sharp, { type Sharp } from 'sharp';

/** A decoded 8-bit sRGB image, three channels, rows top to bottom: what every swatch step works on. */
export interface RgbImage {
  data: Buffer;
  width: number;
  height: number;
}

export function rgbImage(width: number, height: number): RgbImage {
  return { data: Buffer.alloc(width * height * 3), width, height };
}

/** sharp over a raw RGB image. */
export function fromRaw(img: RgbImage): Sharp {
  return sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } });
}

export async function toRaw(pipeline: Sharp): Promise<RgbImage> {
  const { data, info } = await pipeline.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`Expected 3 channels, got ${info.channels}.`);
  return { data, width: info.width, height: info.height };
}

/** Lossless PNG for tiles and previews: a tile is reused in renders, so no compression artefacts. */
export function encodePng(img: RgbImage): Promise<Buffer> {
  return fromRaw(img).png({ compressionLevel: 9 }).toBuffer();
}

export async function resizeToFit(img: RgbImage, maxSide: number): Promise<RgbImage> {
  if (Math.max(img.width, img.height) <= maxSide) return img;
  return toRaw(fromRaw(img).resize({ width: maxSide, height: maxSide, fit: 'inside' }));
}

/** Copies a rectangle out of an image (bounds already checked by the caller). */
export function extract(img: RgbImage, left: number, top: number, width: number, height: number): RgbImage {
  const out = rgbImage(width, height);
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * img.width + left) * 3;
    img.data.copy(out.data, y * width * 3, from, from + width * 3);
  }
  return out;
}
