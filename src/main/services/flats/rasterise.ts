import { Resvg } from '@resvg/resvg-js';
import { PNG } from 'pngjs';
import { AppError } from '../../../shared/contract/errors';

/** Straight RGBA pixels, row by row. */
export interface RgbaImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

export interface RasteriseOptions {
  /** Exact output width in pixels (height follows the aspect ratio)... */
  width?: number;
  /** ...or dots per inch of the drawing's real size (SVG sizes in mm or px at 96 per inch). */
  dpi?: number;
  background?: string | null;
}

function renderer(svg: string, options: RasteriseOptions): Resvg {
  const fitTo =
    options.width !== undefined
      ? ({ mode: 'width', value: Math.round(options.width) } as const)
      : ({ mode: 'zoom', value: (options.dpi ?? 96) / 96 } as const);
  try {
    return new Resvg(svg, {
      fitTo,
      background: options.background ?? undefined,
      // Only fonts for callouts are needed; system fonts keep text legible without shipping any.
      font: { loadSystemFonts: /<text[\s>]/.test(svg) },
    });
  } catch (e) {
    throw new AppError('INVALID_INPUT', `The SVG could not be rasterised: ${(e as Error).message}`);
  }
}

export function rasteriseToPixels(svg: string, options: RasteriseOptions = {}): RgbaImage {
  const image = renderer(svg, options).render();
  return { width: image.width, height: image.height, pixels: new Uint8Array(image.pixels) };
}

export function rasteriseToPng(svg: string, options: RasteriseOptions = {}): Buffer {
  return Buffer.from(renderer(svg, options).render().asPng());
}

export function decodePng(data: Buffer): RgbaImage {
  try {
    const png = PNG.sync.read(data);
    return { width: png.width, height: png.height, pixels: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length) };
  } catch (e) {
    throw new AppError('INVALID_INPUT', `The PNG could not be read: ${(e as Error).message}`);
  }
}

export interface PixelDifference {
  /** Mean absolute difference per channel (RGB, 0-255), alpha composited on white first. */
  meanAbsDiff: number;
  /** Share of pixels (percent) whose mean channel difference exceeds `threshold`. */
  differingPct: number;
}

/** Compares two images of the same size as they would look on white paper. */
export function pixelDifference(a: RgbaImage, b: RgbaImage, threshold = 32): PixelDifference {
  if (a.width !== b.width || a.height !== b.height)
    throw new AppError('INVALID_INPUT', `Images differ in size: ${a.width}x${a.height} vs ${b.width}x${b.height}.`);
  const onWhite = (px: Uint8Array, i: number, c: number) => {
    const alpha = px[i + 3]! / 255;
    return px[i + c]! * alpha + 255 * (1 - alpha);
  };
  let sum = 0;
  let differing = 0;
  const n = a.width * a.height;
  for (let i = 0; i < n * 4; i += 4) {
    let d = 0;
    for (let c = 0; c < 3; c++) d += Math.abs(onWhite(a.pixels, i, c) - onWhite(b.pixels, i, c));
    sum += d / 3;
    if (d / 3 > threshold) differing++;
  }
  return { meanAbsDiff: sum / n, differingPct: (100 * differing) / n };
}
