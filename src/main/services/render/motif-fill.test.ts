import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract/errors';
import { MAX_MOTIF_REPEAT_CM } from '../../../shared/flat/schema';
import { exportSvg, type MotifArt } from '../../../shared/flat/svg';
import { decodePng } from '../flats';
import { ColorwayRenderer } from './colorway';
import { imageFabrics } from './fabrics';
import { motifArtFrom } from './motif-art';
import { ANGLES, MOTIF, SIZE, motifPage } from './test-fixtures/motif-fill-memory';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../../..');

/** The motif: 40 x 80 px, each pixel its own colour (red counts columns, green rows), so any pixel says where in the motif it is. */
const ART = { width: 40, height: 80 };
const artColour = (i: number, j: number) => [i * 6, j * 3, 90];

let work: string;
let artFile: string;
beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-motif-fill-'));
  const px = Buffer.alloc(ART.width * ART.height * 3);
  for (let j = 0; j < ART.height; j++) for (let i = 0; i < ART.width; i++) px.set(artColour(i, j), (j * ART.width + i) * 3);
  artFile = path.join(work, 'art.png');
  await sharp(px, { raw: { ...ART, channels: 3 } }).png().toFile(artFile);
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/**
 * Where the centre of each motif pixel falls on the panel (30..270 x 15..135 mm, kept 5 mm clear of
 * its edge), with the repeat laid from the origin and turned by `angle` as SVG's patternTransform
 * does; for every repeat that reaches the page.
 */
function motifPixelCentres(angle: number, repeatMm: number): { x: number; y: number; i: number; j: number }[] {
  const [w, h] = [repeatMm, (repeatMm * ART.height) / ART.width];
  const [cos, sin] = [Math.cos((angle * Math.PI) / 180), Math.sin((angle * Math.PI) / 180)];
  const out = [];
  for (let ku = -1; ku <= 0; ku++)
    for (let kv = -1; kv <= 0; kv++)
      for (let i = 0; i < ART.width; i++)
        for (let j = 0; j < ART.height; j++) {
          const u = ku * w + ((i + 0.5) * w) / ART.width;
          const v = kv * h + ((j + 0.5) * h) / ART.height;
          const [x, y] = [u * cos - v * sin, u * sin + v * cos];
          if (x > 35 && x < 265 && y > 20 && y < 130) out.push({ x, y, i, j });
        }
  return out;
}

describe('motif fills at the largest repeat', () => {
  it('keep peak memory in proportion to the output, with every motif pixel where true scale puts it (child process)', async () => {
    const script = path.join(here, 'test-fixtures', 'motif-fill-memory.ts');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, artFile, work], { cwd: repoRoot });
    const { maxRssMb } = JSON.parse(stdout) as { maxRssMb: number };
    for (const angle of ANGLES) {
      const img = decodePng(fs.readFileSync(path.join(work, `${angle}.png`)));
      expect([img.width, img.height]).toEqual([SIZE, SIZE / 2]);
      const pxPerMm = SIZE / 300;
      const centres = motifPixelCentres(angle, MAX_MOTIF_REPEAT_CM * 10);
      // One motif pixel is 50 mm: a handful land on the panel, from the far end of the motif when turned.
      expect(centres.length, `${angle}°`).toBeGreaterThanOrEqual(4);
      for (const c of centres) {
        const at = (Math.floor(c.y * pxPerMm) * img.width + Math.floor(c.x * pxPerMm)) * 4;
        const got = [...img.pixels.subarray(at, at + 3)];
        const want = artColour(c.i, c.j);
        expect(Math.max(...got.map((g, k) => Math.abs(g - want[k]!))), `${angle}° motif pixel ${c.i},${c.j} at ${c.x.toFixed(0)},${c.y.toFixed(0)} mm: ${got}`).toBeLessThanOrEqual(3);
      }
    }
    // One repeat at this scale is 13653 x 27307 px, 1.5 GB as a pattern tile; the page is 8 MB.
    // Measured about 200 MB for all three; 1.56 GB (and four minutes) for one when the tile was a repeat.
    expect(maxRssMb).toBeLessThan(400);
  });

  it('refuses a repeat no fabric has, either way, by the panel’s name and with the limits', async () => {
    const art: MotifArt = await motifArtFrom(fs.readFileSync(artFile));
    const motifs = new Map([[MOTIF, art]]);
    const refusal = (repeatCm: number) => {
      const e = (() => {
        try {
          exportSvg(motifPage(300, 150, repeatCm, 0), { motifs });
          return null;
        } catch (err) {
          return err;
        }
      })();
      expect(AppError.is(e, 'INVALID_INPUT'), String(e)).toBe(true);
      return (e as AppError).message;
    };
    expect(refusal(0.02)).toBe('The motif fill on "Front panel" repeats every 0.02 × 0.04 cm; a repeat is 0.1 to 1000 cm each way, so give it its real size.');
    expect(refusal(0.06)).toMatch(/repeats every 0\.06 × 0\.12 cm; a repeat is 0\.1 to 1000 cm/);
    expect(() => exportSvg(motifPage(300, 150, 0.1, 0), { motifs })).not.toThrow();
    // A border motif forty times as wide as high: 2 cm across is fine, but it would repeat every 0.05 cm down.
    const border = new Map([[MOTIF, { ...art, width: 80, height: 2 }]]);
    expect(() => exportSvg(motifPage(300, 150, 2, 0), { motifs: border })).toThrow(/repeats every 2 × 0\.05 cm; a repeat is 0\.1 to 1000 cm each way/);
    expect(() => exportSvg(motifPage(300, 150, 4, 0), { motifs: border })).not.toThrow();
    // A plain SVG export draws no repeat, so it has nothing to refuse: the drawing can always be had.
    expect(exportSvg(motifPage(300, 150, 0.02, 0))).toContain('data-motif-repeat-cm="0.02"');

    // The colorway says the same, and draws nothing.
    const renderer = new ColorwayRenderer(await imageFabrics([]), { art: async () => art });
    await expect(renderer.render(motifPage(300, 150, 0.02, 0), {}, { size: 64 })).rejects.toThrow(/repeats every 0\.02 × 0\.04 cm/);
  });
});
