/**
 * Renders 64 px colorways at the edges of what the studio accepts (the finest and the coarsest
 * swatch, the smallest and the largest page) in a process of its own, and prints its peak memory:
 * usage: peak-memory.ts <tile.png>. One JSON line on stdout.
 */
import { FLAT_SCHEMA_VERSION, FlatDocumentSchema, type FlatDocument } from '../../../../shared/flat/schema';
import { decodePng } from '../../flats';
import { ColorwayRenderer } from '../colorway';
import { imageFabrics } from '../fabrics';
import { loadFlatArgument } from '../flat-input';

const FINE = '00000000-0000-4000-8000-000000000001';
const COARSE = '00000000-0000-4000-8000-000000000002';
const SIZE = 64;

/** A square page `mm` on a side, one panel over its middle, its grain turned by `angle`. */
function squarePage(mm: number, swatchId: string, angle: number): FlatDocument {
  const [a, b] = [mm * 0.1, mm * 0.9];
  return FlatDocumentSchema.parse({
    schemaVersion: FLAT_SCHEMA_VERSION,
    id: `square-${mm}`,
    name: `${mm} mm square`,
    units: { name: 'mm', mmPerUnit: 1 },
    page: { width: mm, height: mm },
    views: [
      {
        id: 'front',
        axisX: null,
        layers: [{ id: 'l', name: 'Main', visible: true, locked: false }],
        items: [
          {
            id: 'panel',
            layerId: 'l',
            type: 'shape',
            role: 'panel',
            segments: [
              { kind: 'M', to: { x: a, y: a } },
              { kind: 'L', to: { x: b, y: a } },
              { kind: 'L', to: { x: b, y: b } },
              { kind: 'L', to: { x: a, y: b } },
              { kind: 'Z' },
            ],
            style: { stroke: '#000000', strokeWidth: mm / 500, fill: '#ffffff' },
            fabric: { swatchId, angle },
          },
        ],
      },
    ],
    attributes: {},
  });
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
