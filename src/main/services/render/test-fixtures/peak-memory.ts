/**
 * Renders 64 px colorways at the edges of what the studio accepts (the finest and the coarsest
 * swatch, the smallest and the largest page) in a process of its own, and prints its peak memory:
 * usage: peak-memory.ts <tile.png>. One JSON line on stdout.
 */
import type { FlatDocument } from '../../../../shared/flat/schema';
import { decodePng } from '../../flats';
import { ColorwayRenderer } from '../colorway';
import { imageFabrics } from '../fabrics';
import { loadFlatArgument } from '../flat-input';
import { panelPage } from './panel-page';

const FINE = '00000000-0000-4000-8000-000000000001';
const COARSE = '00000000-0000-4000-8000-000000000002';
const SIZE = 64;

/** A square page `mm` on a side, its panel's grain turned by `angle`. */
function squarePage(mm: number, swatchId: string, angle: number): FlatDocument {
  return panelPage(mm, mm, { fabric: { swatchId, angle } }, mm / 500);
}

const tileFile = process.argv[2]!;
const fabrics = await imageFabrics([
  { id: FINE, file: tileFile, widthCm: 0.1 },
  { id: COARSE, file: tileFile, widthCm: 1000 },
]);
const renderer = new ColorwayRenderer(fabrics);
const shirt = await loadFlatArgument('shirt');
const cases: [string, FlatDocument, Record<string, string>][] = [
  ['shirt, 0.1 cm swatch', shirt, { all: FINE }],
  ['shirt, 10 m swatch', shirt, { all: COARSE }],
  ['100 m page, 0.1 cm swatch', squarePage(100_000, FINE, 0), {}],
  ['100 m page, 0.1 cm swatch on the bias', squarePage(100_000, FINE, 45), {}],
  ['1 cm page, 10 m swatch', squarePage(10, COARSE, 0), {}],
  ['1 cm page, 10 m swatch on the bias', squarePage(10, COARSE, 45), {}],
];
const renders = [];
for (const [name, doc, palette] of cases) {
  const colorway = await renderer.render(doc, palette, { size: SIZE, shading: false });
  const img = decodePng(colorway.png);
  const at = ((img.height >> 1) * img.width + (img.width >> 1)) * 4;
  renders.push({ name, width: colorway.width, height: colorway.height, centre: [...img.pixels.subarray(at, at + 3)] });
}
const tileMean = (await fabrics.tile(FINE)).meanColour;
process.stdout.write(`${JSON.stringify({ maxRssMb: process.resourceUsage().maxRSS / 1024, tileMean, renders })}\n`);
