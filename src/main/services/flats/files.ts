import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import { exportSvg, importSvg, type SvgExportOptions, type SvgImportOptions, type SvgImportResult } from '../../../shared/flat/svg';
import { DEFAULT_SVG_LIMITS, formatBytesForMessage } from './limits';
import type { FlatDocument } from '../../../shared/flat/schema';
import { rasteriseToPng } from './rasterise';

/** Imports an SVG file; its size is checked before a byte of it is read. */
export async function importSvgFile(file: string, options: SvgImportOptions = {}): Promise<SvgImportResult> {
  const maxBytes = options.limits?.maxBytes ?? DEFAULT_SVG_LIMITS.maxBytes;
  let size: number;
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) throw new AppError('INVALID_INPUT', `"${path.basename(file)}" is not a file.`);
    size = stat.size;
  } catch (e) {
    if (AppError.is(e)) throw e;
    throw new AppError('NOT_FOUND', `The SVG file "${path.basename(file)}" could not be opened.`);
  }
  if (size > maxBytes)
    throw new AppError('INVALID_INPUT', `The SVG is ${formatBytesForMessage(size)}; the largest accepted is ${formatBytesForMessage(maxBytes)}.`);
  const text = await fs.readFile(file, 'utf8');
  const name = options.name ?? path.basename(file).replace(/\.svg$/i, '');
  return importSvg(text, { ...options, name });
}

/** 64 megapixels: a 1 m x 1.3 m flat at about 178 dpi, 256 MB of RGBA while rendering. */
export const MAX_PNG_PIXELS = 64_000_000;

export interface PngExportOptions extends SvgExportOptions {
  dpi: number;
}

/** The reduction ratios of technical drawings (ISO 5455), 1:1 first: 10 means drawn at 1:10. */
export const PRINT_SCALES = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000] as const;

/**
 * The print scale a view of the flat is exported at: its real size, unless that would be more than
 * MAX_PNG_PIXELS at `dpi`, then the first drawing-office reduction that fits. A calibrated flat's page
 * can be many metres (its drawing small on a large page), far past any raster at print resolution.
 */
export function pngPrintScale(doc: Pick<FlatDocument, 'page' | 'units'>, dpi: number): number {
  if (!(dpi >= 10 && dpi <= 1200)) throw new AppError('INVALID_INPUT', 'PNG export takes 10 to 1200 dpi.');
  const inches = (units: number) => (units * doc.units.mmPerUnit) / 25.4;
  const pixels = (scale: number) => Math.ceil((inches(doc.page.width) * dpi) / scale) * Math.ceil((inches(doc.page.height) * dpi) / scale);
  const scale = PRINT_SCALES.find((s) => pixels(s) <= MAX_PNG_PIXELS);
  if (scale === undefined)
    throw new AppError('INVALID_INPUT', `Even at 1:${PRINT_SCALES.at(-1)} this page would be more than ${MAX_PNG_PIXELS / 1e6} megapixels at ${dpi} dpi.`);
  return scale;
}

/**
 * A view of the flat as a PNG at the given resolution (300 dpi for print): of its real size, or at
 * the print scale pngPrintScale gives where the real size would be too many pixels (checked before
 * rendering: a coat at 1200 dpi would need gigabytes).
 */
export function exportPng(doc: FlatDocument, options: PngExportOptions): Buffer {
  const scale = pngPrintScale(doc, options.dpi);
  const svg = exportSvg(doc, { ...options, background: options.background ?? '#ffffff' });
  return rasteriseToPng(svg, { dpi: options.dpi / scale });
}
