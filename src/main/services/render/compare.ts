import { deltaE76, rgbToLab } from '../../../shared/fabric/colour-space';
import type { RgbaImage } from '../flats';

/**
 * Perceptual distance between two renders of the same size: CIE76 Delta E per pixel, alpha
 * composited on white, averaged, and the share of pixels a technician would see as another colour.
 */
export function meanDeltaE(a: RgbaImage, b: RgbaImage, visible = 10): { mean: number; visiblePct: number } {
  if (a.width !== b.width || a.height !== b.height) throw new Error(`Sizes differ: ${a.width}x${a.height} vs ${b.width}x${b.height}.`);
  const cache = new Map<number, ReturnType<typeof rgbToLab>>();
  const lab = (px: Uint8Array, i: number) => {
    const al = px[i + 3]! / 255;
    const r = Math.round(px[i]! * al + 255 * (1 - al));
    const g = Math.round(px[i + 1]! * al + 255 * (1 - al));
    const bl = Math.round(px[i + 2]! * al + 255 * (1 - al));
    const key = (r << 16) | (g << 8) | bl;
    let v = cache.get(key);
    if (!v) cache.set(key, (v = rgbToLab(r, g, bl)));
    return v;
  };
  let sum = 0;
  let seen = 0;
  const n = a.width * a.height;
  for (let i = 0; i < n * 4; i += 4) {
    const d = deltaE76(lab(a.pixels, i), lab(b.pixels, i));
    sum += d;
    if (d > visible) seen++;
  }
  return { mean: sum / n, visiblePct: (100 * seen) / n };
}
