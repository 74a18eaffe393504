import { rgbImage, type RgbImage } from './raster';

function smoothstep(edge0: number, edge1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - edge0) / (edge1 - edge0)));
  return t * t * (3 - 2 * t);
}

/**
 * Weight of the unshifted image at position i of n: 0 at the edges, where the half-shifted copy (which
 * wraps seamlessly there) shows, rising to 1 over the outer quarter and staying 1 across the middle half,
 * which hides the shifted copy's own seam at n/2.
 */
function weights(n: number): Float32Array {
  const w = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = Math.min(i + 0.5, n - i - 0.5) / n;
    w[i] = smoothstep(0, 0.25, t);
  }
  return w;
}

/** One pass of offset-and-blend along x (axis 0) or y (axis 1). */
function blendAxis(img: RgbImage, axis: 0 | 1): RgbImage {
  const { width, height, data } = img;
  const out = rgbImage(width, height);
  const n = axis === 0 ? width : height;
  const half = Math.floor(n / 2);
  const w = weights(n);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sx = axis === 0 ? (x + half) % width : x;
      const sy = axis === 1 ? (y + half) % height : y;
      const k = axis === 0 ? w[x]! : w[y]!;
      const o = (y * width + x) * 3;
      const s = (sy * width + sx) * 3;
      for (let c = 0; c < 3; c++) out.data[o + c] = Math.round(k * data[o + c]! + (1 - k) * data[s + c]!);
    }
  }
  return out;
}

/**
 * Offset-and-blend: blend the crop with itself shifted by half its size, per axis, so opposite edges
 * meet without a seam while the middle keeps the original texture untouched.
 */
export function offsetBlendTile(img: RgbImage): RgbImage {
  return blendAxis(blendAxis(img, 0), 1);
}

/** Mirror tile: the crop and its three reflections, 2x the size; seamless by construction. */
export function mirrorTile(img: RgbImage): RgbImage {
  const { width, height } = img;
  const out = rgbImage(width * 2, height * 2);
  for (let y = 0; y < height * 2; y++) {
    const sy = y < height ? y : 2 * height - 1 - y;
    for (let x = 0; x < width * 2; x++) {
      const sx = x < width ? x : 2 * width - 1 - x;
      img.data.copy(out.data, (y * width * 2 + x) * 3, (sy * width + sx) * 3, (sy * width + sx) * 3 + 3);
    }
  }
  return out;
}

/** The tile repeated n x n, to judge the repeat by eye. */
export function repeatPreview(tile: RgbImage, n: number): RgbImage {
  const out = rgbImage(tile.width * n, tile.height * n);
  const row = tile.width * 3;
  for (let y = 0; y < out.height; y++) {
    const from = (y % tile.height) * row;
    for (let i = 0; i < n; i++) tile.data.copy(out.data, y * out.width * 3 + i * row, from, from + row);
  }
  return out;
}

/**
 * How visible the repeat's seams are: the mean colour step across the wrap-around edges divided by the
 * mean step between neighbouring pixels inside the tile. About 1 for a seamless tile; a photo crop with
 * unrelated edges scores well above.
 */
export function seamRatio(img: RgbImage): number {
  const { width, height, data } = img;
  const px = (x: number, y: number, c: number) => data[(y * width + x) * 3 + c]!;
  let wrap = 0;
  let wrapN = 0;
  for (let y = 0; y < height; y++) for (let c = 0; c < 3; c++, wrapN++) wrap += Math.abs(px(width - 1, y, c) - px(0, y, c));
  for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++, wrapN++) wrap += Math.abs(px(x, height - 1, c) - px(x, 0, c));
  let inner = 0;
  let innerN = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width - 1; x++) for (let c = 0; c < 3; c++, innerN++) inner += Math.abs(px(x + 1, y, c) - px(x, y, c));
  }
  for (let y = 0; y < height - 1; y++) {
    for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++, innerN++) inner += Math.abs(px(x, y + 1, c) - px(x, y, c));
  }
  const meanInner = inner / innerN;
  return meanInner === 0 ? (wrap === 0 ? 1 : Number.POSITIVE_INFINITY) : wrap / wrapN / meanInner;
}
