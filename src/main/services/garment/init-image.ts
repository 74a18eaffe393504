import { AppError } from '../../../shared/contract/errors';
import type { Rgb8 } from './png';
import { strengthStartIndex } from './schedulers/strength';
import type { F32 } from './tensor';

const f32 = Math.fround;

/** Where a render starts denoising: an image (the flat's colorway render) noised to `strength`. */
export interface InitImage {
  /** At the pack's output size (width x height); other sizes are stretched to it. */
  image: Rgb8;
  /** 0..1: how much of the schedule runs; 1 is text-to-image from pure noise. */
  strength: number;
}

/** The refusal for a pack without the optional vaeEncoder graph, naming the pack. */
export function noVaeEncoder(packId: string): AppError {
  return new AppError(
    'INVALID_INPUT',
    `The garment pack "${packId}" cannot start from the colorway: this pack has no VAE encoder; start from noise or install a pack that has one.`,
  );
}

/**
 * The strength checked against the run's steps before anything runs: in 0..1, and leaving at least
 * one step (diffusers keeps int(steps x strength) of them and would run none).
 */
export function checkStrength(strength: number, steps: number): void {
  if (!(typeof strength === 'number' && strength >= 0 && strength <= 1)) {
    throw new AppError('INVALID_INPUT', `The strength must be a number between 0 and 1, got ${String(strength)}.`);
  }
  if (strengthStartIndex(steps, strength) >= steps) {
    throw new AppError(
      'INVALID_INPUT',
      `A strength of ${strength} leaves none of the ${steps} steps to run; use at least ${Math.ceil((1 / steps) * 1000) / 1000}, or more steps.`,
    );
  }
}

/** Whether the run starts from the image at all: strength 1 is text-to-image, the encoder is not needed. */
export function startsFromImage(init: { strength: number } | undefined | null): boolean {
  return Boolean(init && init.strength < 1);
}

/**
 * uint8 RGB at the output size -> float32 [1, 3, H, W] in [-1, 1], as diffusers' VaeImageProcessor
 * (x / 255, then 2x - 1) rounded to float32 op by op like the numpy reference.
 */
export function initPixels(image: Rgb8): F32 {
  const { width, height } = image;
  const plane = width * height;
  const out = new Float32Array(3 * plane);
  for (let c = 0; c < 3; c++) {
    for (let p = 0; p < plane; p++) out[c * plane + p] = f32(f32(f32(image.data[p * 3 + c]! / 255) * 2) - 1);
  }
  return { dims: [1, 3, height, width], data: out };
}
