import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract/errors';
import { hexToLab, deltaE76, rgbToLab } from '../../../shared/fabric/colour-space';
import { FLAT_SCHEMA_VERSION, FlatDocumentSchema, type FlatDocument } from '../../../shared/flat/schema';
import { decodePng, type RgbaImage } from '../flats';
import { ColorwayRenderer } from './colorway';
import { meanDeltaE } from './compare';
import { imageFabrics, type FabricSource } from './fabrics';
import { loadFlatArgument } from './flat-input';
import { DENIM, GOLDEN, PLAID, TILES_DIR } from './golden/spec';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHECK = '33333333-3333-4333-8333-333333333333';
const LINEN = '44444444-4444-4444-8444-444444444444';

/** Two square panels side by side on a 300 x 150 mm page: simple geometry whose pixels are easy to find. */
function twoPanels(): FlatDocument {
  const rect = (id: string, x0: number) => ({
    id,
    layerId: 'l',
    type: 'shape' as const,
    role: 'panel' as const,
    segments: [
      { kind: 'M' as const, to: { x: x0, y: 10 } },
      { kind: 'L' as const, to: { x: x0 + 130, y: 10 } },
      { kind: 'L' as const, to: { x: x0 + 130, y: 140 } },
      { kind: 'L' as const, to: { x: x0, y: 140 } },
      { kind: 'Z' as const },
    ],
    style: { stroke: '#000000', strokeWidth: 0.5, fill: '#ffffff' },
  });
  return FlatDocumentSchema.parse({
    schemaVersion: FLAT_SCHEMA_VERSION,
    id: 'test-two-panels',
    name: 'Two panels',
    units: { name: 'mm', mmPerUnit: 1 },
    page: { width: 300, height: 150 },
    views: [{ id: 'front', axisX: null, layers: [{ id: 'l', name: 'Main', visible: true, locked: false }], items: [rect('left', 10), rect('right', 160)] }],
    attributes: {},
  });
}

function labAt(img: RgbaImage, x: number, y: number) {
  const i = (y * img.width + x) * 4;
  return rgbToLab(img.pixels[i]!, img.pixels[i + 1]!, img.pixels[i + 2]!);
}

/** Mean Lab over a box of the image. */
function meanLab(img: RgbaImage, x0: number, y0: number, x1: number, y1: number) {
  let L = 0;
  let a = 0;
  let b = 0;
  let n = 0;
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) {
      const c = labAt(img, x, y);
      L += c.L;
      a += c.a;
      b += c.b;
      n++;
    }
  return { L: L / n, a: a / n, b: b / n };
}

/**
 * The horizontal period of the texture in a box, in pixels: the lag in [lo, hi] where rows agree best
 * with themselves shifted (mean squared difference of luminance, lowest wins).
 */
function periodPx(img: RgbaImage, x0: number, x1: number, y0: number, y1: number, lo: number, hi: number, vertical = false): number {
  const L = new Float64Array(img.width * img.height);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) L[y * img.width + x] = labAt(img, x, y).L;
  // Vertically, the same search runs over the image read column by column.
  const lum = vertical ? (x: number, y: number) => L[(x - x0 + y0) * img.width + (y - y0 + x0)]! : (x: number, y: number) => L[y * img.width + x]!;
  let best = lo;
  let bestScore = Infinity;
  for (let lag = lo; lag <= hi; lag++) {
    let s = 0;
    let n = 0;
    for (let y = y0; y < y1; y += 3)
      for (let x = x0; x + lag < x1; x++) {
        const d = lum(x, y) - lum(x + lag, y);
        s += d * d;
        n++;
      }
    if (s / n < bestScore) {
      bestScore = s / n;
      best = lag;
    }
  }
  return best;
}

/** Mean lightness change between horizontal neighbours (across) and vertical neighbours (along). */
function grain(img: RgbaImage, x0: number, x1: number, y0: number, y1: number): { across: number; along: number } {
  let across = 0;
  let along = 0;
  let n = 0;
  for (let y = y0; y < y1 - 1; y += 2)
    for (let x = x0; x < x1 - 1; x += 2) {
      const here = labAt(img, x, y).L;
      across += Math.abs(labAt(img, x + 1, y).L - here);
      along += Math.abs(labAt(img, x, y + 1).L - here);
      n++;
    }
  return { across: across / n, along: along / n };
}

let fabrics: FabricSource;
beforeAll(async () => {
  fabrics = await imageFabrics([
    ...GOLDEN.tiles,
    { id: CHECK, file: `${TILES_DIR}/checkered_pattern.png`, widthCm: 4 },
    { id: LINEN, file: `${TILES_DIR}/linen.png`, widthCm: 10 },
  ]);
});

describe('ColorwayRenderer', () => {
  it('repeats the tile at true scale: its period in pixels is its centimetres times pixels per centimetre', async () => {
    const doc = twoPanels();
    for (const widthCm of [1.7, 4, 5.5]) {
      const source = await imageFabrics([{ id: CHECK, file: `${TILES_DIR}/checkered_pattern.png`, widthCm }]);
      const colorway = await new ColorwayRenderer(source).render(doc, { all: CHECK }, { size: 1200, shading: false });
      expect(colorway.pxPerCm).toBeCloseTo(40, 6);
      const img = decodePng(colorway.png);
      const expected = widthCm * colorway.pxPerCm;
      // Inside the left panel (10..140 mm = 40..560 px), away from its outline.
      const found = periodPx(img, 60, 540, 60, 540, Math.floor(expected * 0.7), Math.ceil(expected * 1.4));
      expect(Math.abs(found - expected)).toBeLessThanOrEqual(1);
    }
  });

  it('follows the fabric the flat assigns to a panel, grain turned by its angle', async () => {
    const doc = twoPanels();
    const source = await imageFabrics([{ id: CHECK, file: `${TILES_DIR}/blu_stripes.png`, widthCm: 3 }]);
    const turned = (angle: number): FlatDocument => ({
      ...doc,
      views: doc.views.map((v) => ({ ...v, items: v.items.map((i) => (i.type === 'shape' && i.id === 'left' ? { ...i, fabric: { swatchId: CHECK, angle } } : i)) })),
    });
    const renderer = new ColorwayRenderer(source);
    const straight = decodePng((await renderer.render(turned(0), {}, { size: 1200, shading: false })).png);
    const quarter = decodePng((await renderer.render(turned(90), {}, { size: 1200, shading: false })).png);
    const expected = 3 * 40;
    // Square box inside the left panel, so the vertical search reads the same area turned.
    expect(Math.abs(periodPx(straight, 60, 540, 60, 540, 84, 168) - expected)).toBeLessThanOrEqual(1);
    expect(Math.abs(periodPx(quarter, 60, 540, 60, 540, 84, 168, true) - expected)).toBeLessThanOrEqual(1);
    // The stripes run down the cloth: across them lightness changes often, along them hardly at all.
    const straightGrain = grain(straight, 60, 540, 60, 540);
    const quarterGrain = grain(quarter, 60, 540, 60, 540);
    expect(straightGrain.across).toBeGreaterThan(1.5 * straightGrain.along);
    expect(quarterGrain.along).toBeGreaterThan(1.5 * quarterGrain.across);
    // The right panel has no fabric and no palette entry: it keeps the flat's white.
    expect(deltaE76(meanLab(straight, 680, 80, 1100, 500), hexToLab('#ffffff'))).toBeLessThan(0.5);
  });

  it('fills each panel with its own swatch and a panel named nowhere with the flat’s fill', async () => {
    const doc = twoPanels();
    const renderer = new ColorwayRenderer(fabrics);
    const img = decodePng((await renderer.render(doc, { left: DENIM, right: LINEN }, { size: 600, shading: false })).png);
    // 2 px per mm: panels span x 20..280 and 320..580.
    const left = meanLab(img, 40, 40, 260, 260);
    const right = meanLab(img, 340, 40, 560, 260);
    const denim = (await fabrics.tile(DENIM)).meanColour;
    const linen = (await fabrics.tile(LINEN)).meanColour;
    expect(deltaE76(left, hexToLab(denim))).toBeLessThan(3);
    expect(deltaE76(right, hexToLab(linen))).toBeLessThan(3);
    expect(deltaE76(left, hexToLab(linen))).toBeGreaterThan(10);

    const solid = decodePng((await renderer.render(doc, { left: '#1f2a44' }, { size: 600, shading: false })).png);
    expect(deltaE76(meanLab(solid, 40, 40, 260, 260), hexToLab('#1f2a44'))).toBeLessThan(0.5);
    expect(deltaE76(meanLab(solid, 340, 40, 560, 260), hexToLab('#ffffff'))).toBeLessThan(0.5);
  });

  it('shades panel edges darker than panel middles', async () => {
    const img = decodePng((await new ColorwayRenderer(fabrics).render(twoPanels(), { all: '#c8c8c8' }, { size: 600 })).png);
    const middle = meanLab(img, 140, 140, 160, 160).L;
    const nearEdge = meanLab(img, 24, 140, 28, 160).L;
    expect(middle - nearEdge).toBeGreaterThan(5);
  });

  it('gives the same bytes for the same inputs, alone or in a batch', async () => {
    const doc = await loadFlatArgument(GOLDEN.template);
    const renderer = new ColorwayRenderer(fabrics);
    const a = await renderer.render(doc, GOLDEN.palette, { size: 300 });
    const again = await new ColorwayRenderer(await imageFabrics(GOLDEN.tiles)).render(doc, GOLDEN.palette, { size: 300 });
    expect(again.png.equals(a.png)).toBe(true);
    const batch = await renderer.renderBatch(doc, [{ all: PLAID }, GOLDEN.palette, { all: '#884422' }], { size: 300 });
    expect(batch).toHaveLength(3);
    expect(batch[1]!.png.equals(a.png)).toBe(true);
    expect(batch[0]!.png.equals(a.png)).toBe(false);
  });

  it('matches the golden colorway (mean Delta E), and a wrong swatch does not (scale: see the period test)', async () => {
    const golden = decodePng(fs.readFileSync(path.join(HERE, 'golden', GOLDEN.file)));
    const doc = await loadFlatArgument(GOLDEN.template);
    const render = async (palette: Record<string, string>) =>
      decodePng((await new ColorwayRenderer(fabrics).render(doc, palette, { size: GOLDEN.size })).png);

    const same = meanDeltaE(await render(GOLDEN.palette), golden);
    expect(same.mean).toBeLessThan(0.5);

    const swapped = meanDeltaE(await render({ ...GOLDEN.palette, all: LINEN }), golden);
    expect(swapped.mean).toBeGreaterThan(2);
  });

  it('refuses a palette naming no shape, a size out of range and a missing view, with the reason', async () => {
    const renderer = new ColorwayRenderer(fabrics);
    const doc = twoPanels();
    await expect(renderer.render(doc, { sleeve: DENIM }, { size: 256 })).rejects.toThrow(/"sleeve", which is not a shape/);
    await expect(renderer.render(doc, {}, { size: 9000 })).rejects.toThrow(AppError);
    await expect(renderer.render(doc, {}, { size: 256, viewId: 'back' })).rejects.toThrow(/no back view/);
    await expect(renderer.render(doc, { all: '55555555-5555-4555-8555-555555555555' }, { size: 256 })).rejects.toThrow(/No image is loaded/);
  });
});
