import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract/errors';
import { deltaE76, hexToLab, rgbToLab } from '../../../shared/fabric/colour-space';
import { decodePng } from '../flats';
import { Library } from '../library';
import { SwatchLibrary } from '../swatches';
import { ColorwayRenderer } from './colorway';
import { LibraryFabrics, imageFabrics } from './fabrics';
import { panelPage } from './test-fixtures/panel-page';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../../..');
const SWATCH = '33333333-3333-4333-8333-333333333333';

let work: string;
/** An argyle-like tile: diagonal diamonds, 256 px. */
let argyle: string;
/** Upright stripes, 40 to the tile: a period that is easy to measure. */
let stripes: string;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-render-bounded-'));
  const draw = (w: number, h: number, dark: (x: number, y: number) => boolean) => {
    const px = Buffer.alloc(w * h * 3);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) px.set(dark(x, y) ? [40, 120, 60] : [200, 32, 62], (y * w + x) * 3);
    return sharp(px, { raw: { width: w, height: h, channels: 3 } }).png();
  };
  argyle = path.join(work, 'argyle.png');
  await draw(256, 256, (x, y) => Boolean((((x + y) >> 5) & 1) ^ (((x - y + 256) >> 5) & 1))).toFile(argyle);
  stripes = path.join(work, 'stripes.png');
  await draw(960, 240, (x) => x % 24 < 12).toFile(stripes);
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

async function refusal(work: Promise<unknown>): Promise<AppError> {
  const e = await work.then(
    () => null,
    (err: unknown) => err,
  );
  expect(AppError.is(e, 'INVALID_INPUT')).toBe(true);
  return e as AppError;
}

describe('colorway renders at the edges of real fabric and real pages', () => {
  it('keeps peak memory of a 64 px render far below the fabric’s own resolution (child process)', async () => {
    const script = path.join(here, 'test-fixtures', 'peak-memory.ts');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, argyle], { cwd: repoRoot });
    const report = JSON.parse(stdout) as { maxRssMb: number; tileMean: string; renders: { name: string; width: number; height: number; centre: number[] }[] };
    expect(report.renders).toHaveLength(6);
    for (const r of report.renders) expect(Math.max(r.width, r.height), r.name).toBe(64);
    // A repeat of a few thousandths of a pixel can only show as the cloth's average colour.
    for (const r of report.renders.filter((x) => x.name.includes('0.1 cm')))
      expect(deltaE76(rgbToLab(r.centre[0]!, r.centre[1]!, r.centre[2]!), hexToLab(report.tileMean)), r.name).toBeLessThan(3);
    // Measured about 140 MB, most of it Node, tsx, sharp and resvg themselves; 480 MB before.
    expect(report.maxRssMb).toBeLessThan(300);
  });

  it('keeps true scale when one repeat is larger than the page', async () => {
    // 120 cm of stripes 3 cm apart on a 30 cm page at 40 px/cm: a 4800 px repeat, 120 px stripes.
    const fabrics = await imageFabrics([{ id: SWATCH, file: stripes, widthCm: 120 }]);
    const colorway = await new ColorwayRenderer(fabrics).render(panelPage(300, 150), { all: SWATCH }, { size: 1200, shading: false });
    const img = decodePng(colorway.png);
    const dark = (x: number) => img.pixels[(300 * img.width + x) * 4 + 1]! > 76;
    // Dark-to-light edges along one row inside the panel (x 120..1080).
    const edges: number[] = [];
    for (let x = 130; x < 1070; x++) if (dark(x) && !dark(x + 1)) edges.push(x);
    expect(edges.length).toBeGreaterThanOrEqual(6);
    const gaps = edges.slice(1).map((e, i) => e - edges[i]!);
    for (const gap of gaps) expect(Math.abs(gap - 120)).toBeLessThanOrEqual(1);
  });

  it('refuses a swatch size no fabric has, with the limits', async () => {
    const fine = await refusal(imageFabrics([{ id: SWATCH, file: argyle, widthCm: 0.001 }]));
    expect(fine.message).toBe('argyle.png would show 0.001 × 0.001 cm of cloth; a swatch is 0.1 to 1000 cm each way.');
    const coarse = await refusal(imageFabrics([{ id: SWATCH, file: stripes, widthCm: 2000 }]));
    expect(coarse.message).toBe('stripes.png would show 2000 × 500 cm of cloth; a swatch is 0.1 to 1000 cm each way.');
    // The stripes tile is four times as wide as high: 0.2 cm wide is fine, but it would be 0.05 cm high.
    expect((await refusal(imageFabrics([{ id: SWATCH, file: stripes, widthCm: 0.2 }]))).message).toMatch(/0\.2 × 0\.05 cm/);
  });

  it('refuses a library swatch an older studio stored at 0.01 cm by name, and the swatch stays as it was', async () => {
    const dir = fs.mkdtempSync(path.join(work, 'lib-'));
    const library = Library.open(dir);
    try {
      const swatches = new SwatchLibrary(library);
      const swatch = await swatches.import({ path: argyle, geometry: { widthCm: 5, heightCm: 5 } });
      library.db.prepare('UPDATE swatches SET width_cm = 0.01, height_cm = 0.01 WHERE id = ?').run(swatch.id);
      const before = swatches.get(swatch.id);
      const renderer = new ColorwayRenderer(new LibraryFabrics(swatches, library.files));
      const e = await refusal(renderer.render(panelPage(300, 150), { all: swatch.id }, { size: 64 }));
      expect(e.message).toBe(`The swatch ${swatch.id} is set to 0.01 × 0.01 cm; a swatch is 0.1 to 1000 cm each way, so give it its real size.`);
      expect(swatches.get(swatch.id)).toEqual(before);
    } finally {
      library.close();
    }
  });

  it('refuses a page no flat has (1e30 mm, a pin-head) with the limits', async () => {
    const fabrics = await imageFabrics([{ id: SWATCH, file: argyle, widthCm: 5 }]);
    const renderer = new ColorwayRenderer(fabrics);
    const huge = await refusal(renderer.render(panelPage(1e30, 1e30), { all: SWATCH }, { size: 64 }));
    expect(huge.message).toBe('The flat "Page" is on a page of 1.00e+30 mm × 1.00e+30 mm; a flat\'s page is 1 cm to 100 m on each side.');
    const tiny = await refusal(renderer.render({ ...panelPage(300, 150), units: { name: 'mm', mmPerUnit: 1e-6 } }, { all: SWATCH }, { size: 64 }));
    expect(tiny.message).toMatch(/on a page of 0\.000300 mm × 0\.000150 mm; a flat's page is 1 cm to 100 m/);
  });
});
