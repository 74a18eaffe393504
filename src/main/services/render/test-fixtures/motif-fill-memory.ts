/**
 * Renders a 30 x 15 cm page whose panel carries a motif fill of the largest repeat a flat may take
 * (200 cm wide, twice as high), square to the page, turned a quarter and on the bias, 2048 px wide,
 * in a process of its own; writes each render to <out>/<angle>.png and prints its peak memory:
 * usage: motif-fill-memory.ts <art.png> <out-dir>. One JSON line on stdout.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MAX_MOTIF_REPEAT_CM, type FlatDocument } from '../../../../shared/flat/schema';
import { ColorwayRenderer } from '../colorway';
import { imageFabrics } from '../fabrics';
import { motifArtFrom } from '../motif-art';
import { panelPage } from './panel-page';

export const MOTIF = '44444444-4444-4444-8444-444444444444';
export const ANGLES = [0, 90, 30] as const;
export const SIZE = 2048;

/** A page `w` x `h` mm whose panel carries a motif fill `repeatCm` wide turned by `angle`. */
export function motifPage(w: number, h: number, repeatCm: number, angle: number): FlatDocument {
  return panelPage(w, h, { name: 'Front panel', motifFill: { motifId: MOTIF, repeatCm, angle } });
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (isMain) {
  const [artFile, outDir] = process.argv.slice(2) as [string, string];
  const art = await motifArtFrom(fs.readFileSync(artFile));
  const renderer = new ColorwayRenderer(await imageFabrics([]), { art: async () => art });
  for (const angle of ANGLES) {
    const colorway = await renderer.render(motifPage(300, 150, MAX_MOTIF_REPEAT_CM, angle), {}, { size: SIZE, shading: false });
    fs.writeFileSync(path.join(outDir, `${angle}.png`), colorway.png);
  }
  process.stdout.write(`${JSON.stringify({ maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
}
