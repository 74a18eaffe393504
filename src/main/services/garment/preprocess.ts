import sharp from 'sharp';
import { AppError } from '../../../shared/contract';
import type { ImagePreprocess } from '../../../shared/packs/manifest';
import type { Rgb8 } from './png';
import type { ControlPreprocess } from './controlnet';
import type { F32 } from './tensor';

const f32 = Math.fround;

/**
 * uint8 RGB at the encoder's size -> float32 [1, 3, S, S]: rescale then (x - mean) / std, rounded to
 * float32 op by op as the numpy reference does.
 */
export function normalizeImage(image: Rgb8, spec: ImagePreprocess): F32 {
  const size = spec.imageSize;
  if (image.width !== size || image.height !== size) {
    throw new Error(`expected a ${size}x${size} image, got ${image.width}x${image.height}`);
  }
  const plane = size * size;
  const out = new Float32Array(3 * plane);
  const rescale = f32(spec.rescale);
  for (let c = 0; c < 3; c++) {
    const mean = f32(spec.mean[c]!);
    const std = f32(spec.std[c]!);
    for (let p = 0; p < plane; p++) out[c * plane + p] = f32(f32(image.data[p * 3 + c]! * rescale) - mean) / std;
  }
  return { dims: [1, 3, size, size], data: out };
}

const KERNEL = { bicubic: 'cubic', bilinear: 'linear', nearest: 'nearest' } as const;

/**
 * Any image sharp reads (PNG, JPEG, WebP, TIFF...) to RGB at the encoder's size: the shortest edge
 * resized to it and the centre cropped (CLIPImageProcessor's rule), or stretched. Transparency is
 * flattened onto white, as a flat sketch sits on white paper. An image already at the size passes
 * through untouched.
 */
export function fitImage(input: Buffer | Rgb8, spec: ImagePreprocess, what: string): Promise<Rgb8> {
  const size = spec.imageSize;
  return resizeOnWhite(input, size, size, spec.resize === 'stretch' ? 'fill' : 'cover', spec.interpolation, what);
}

/**
 * Line art at the pack's output size: stretched (the manifest's `resize: "stretch"`) with its
 * interpolation, transparency flattened onto white paper. Art already at the size passes untouched,
 * so a flat rasterised at the output size reaches the ControlNet pixel for pixel.
 */
export function fitLineArt(input: Rgb8 | Buffer, spec: ControlPreprocess, width: number, height: number): Promise<Rgb8> {
  return resizeOnWhite(input, width, height, 'fill', spec.interpolation, 'line art');
}

/**
 * The image-to-image init image (the colorway render) at the pack's output size: stretched, bicubic,
 * transparency on white. A render already at the size passes untouched.
 */
export function fitInitImage(input: Rgb8 | Buffer, width: number, height: number): Promise<Rgb8> {
  return resizeOnWhite(input, width, height, 'fill', 'bicubic', 'init image');
}

async function resizeOnWhite(
  input: Buffer | Rgb8,
  width: number,
  height: number,
  fit: 'fill' | 'cover',
  interpolation: keyof typeof KERNEL,
  what: string,
): Promise<Rgb8> {
  if (!Buffer.isBuffer(input) && input.width === width && input.height === height) return input;
  try {
    const source = Buffer.isBuffer(input)
      ? sharp(input, { limitInputPixels: 100_000_000 })
      : sharp(Buffer.from(input.data), { raw: { width: input.width, height: input.height, channels: 3 } });
    const { data, info } = await source
      .flatten({ background: '#ffffff' })
      .removeAlpha()
      .toColourspace('srgb')
      .resize(width, height, { fit, position: 'centre', kernel: KERNEL[interpolation] })
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`got ${info.channels} channels`);
    return { width: info.width, height: info.height, data: new Uint8Array(data) };
  } catch (err) {
    throw new AppError('INVALID_INPUT', `The ${what} could not be read as an image: ${(err as Error).message}`);
  }
}
