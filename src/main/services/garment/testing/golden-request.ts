import type { GarmentRequest } from '../generator';
import type { Rgb8 } from '../png';
import type { Golden } from './golden';

/** The case a garment pipeline golden was made with (tools/models/garment/goldens.py, goldens_sd15.py). */
export interface GoldenCase {
  prompt: string;
  steps: number;
  guidanceScale: number;
  seed: number;
  /** The fabric word; only the HiGarment case has one. */
  fabric?: string;
}

/** A uint8 [H, W, 3] golden array as an RGB image. */
export function goldenImage<Meta>(golden: Golden<Meta>, key: string): Rgb8 {
  const a = golden.array(key);
  if (!(a.data instanceof Uint8Array)) throw new Error(`golden ${key} is ${a.dtype}, not uint8`);
  return { width: a.shape[1]!, height: a.shape[0]!, data: a.data };
}

/**
 * The golden case as a render request: its prompt, sketch (and swatch and fabric where it has them),
 * steps, guidance, seed and explicit noise; `overrides` change or drop any of them.
 */
export function goldenRequest<Meta extends { case: GoldenCase }>(golden: Golden<Meta>, overrides: Partial<GarmentRequest> = {}): GarmentRequest {
  const c = golden.meta.case;
  return {
    prompt: c.prompt,
    sketch: goldenImage(golden, 'sketch'),
    ...(golden.has('swatch') ? { swatch: goldenImage(golden, 'swatch') } : {}),
    ...(c.fabric !== undefined ? { fabricLabel: c.fabric } : {}),
    steps: c.steps,
    guidanceScale: c.guidanceScale,
    seed: c.seed,
    noise: golden.float32('noise'),
    ...overrides,
  };
}

/** Share of values within tol of the reference. */
export function shareWithin(a: Float32Array, b: Float32Array, tol: number): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let ok = 0;
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i]! - b[i]!) <= tol) ok++;
  return ok / a.length;
}
