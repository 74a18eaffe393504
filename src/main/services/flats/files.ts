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

/** A view of the flat as a PNG at the given resolution of its real size (300 dpi for print). */
export function exportPng(doc: FlatDocument, options: PngExportOptions): Buffer {
  if (!(options.dpi >= 10 && options.dpi <= 1200)) throw new AppError('INVALID_INPUT', 'PNG export takes 10 to 1200 dpi.');
  // Checked before rendering: a coat at 1200 dpi would need gigabytes of pixels.
  const inches = (mm: number) => (mm * doc.units.mmPerUnit) / 25.4;
  const w = Math.ceil(inches(doc.page.width) * options.dpi);
  const h = Math.ceil(inches(doc.page.height) * options.dpi);
  if (w * h > MAX_PNG_PIXELS)
    throw new AppError('INVALID_INPUT', `A ${w} x ${h} px PNG is too large; choose at most ${Math.floor(options.dpi * Math.sqrt(MAX_PNG_PIXELS / (w * h)))} dpi for this page.`);
  const svg = exportSvg(doc, { ...options, background: options.background ?? '#ffffff' });
  return rasteriseToPng(svg, { dpi: options.dpi });
}
