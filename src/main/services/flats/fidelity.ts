import fs from 'node:fs/promises';
import { exportSvg } from '../../../shared/flat/svg';
import { importSvgFile } from './files';
import { decodePng, pixelDifference, rasteriseToPixels, type PixelDifference } from './rasterise';

export interface FlatFidelity {
  file: string;
  items: number;
  /** The original SVG and the re-export, both rasterised by resvg: what the import lost. */
  exportVsOriginal: PixelDifference;
  /** The re-export against the reference PNG (rasterised elsewhere, so antialiasing differs). */
  exportVsPng: PixelDifference;
  /** The original SVG against the same PNG: the floor that the renderers alone explain. */
  originalVsPng: PixelDifference;
  dropped: number;
}

/** Imports an SVG, exports it again and compares rasterisations at the reference PNG's size. */
export async function measureFlatFidelity(svgFile: string, pngFile: string): Promise<FlatFidelity> {
  const [svgText, reference] = await Promise.all([fs.readFile(svgFile, 'utf8'), fs.readFile(pngFile).then(decodePng)]);
  const { doc, report } = await importSvgFile(svgFile);
  const exported = exportSvg(doc);
  const size = { width: reference.width, background: '#ffffff' };
  const original = rasteriseToPixels(svgText, size);
  const again = rasteriseToPixels(exported, size);
  return {
    file: svgFile,
    items: doc.views.reduce((n, v) => n + v.items.length, 0),
    exportVsOriginal: pixelDifference(original, again),
    exportVsPng: pixelDifference(again, reference),
    originalVsPng: pixelDifference(original, reference),
    dropped: report.dropped.reduce((n, d) => n + d.count, 0),
  };
}
