import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFlatFile } from '../../../src/main/services/flats';
import { lineArtFromFlat, readFlatFile, sketchFromFlat } from '../../../src/main/services/garment/inputs';
import { testFixture } from '../../../src/main/test-fixtures';
import { DEFAULT_CONTROL, DEFAULT_PACK, TEMPLATES_DIR, writeSketchCache, type SketchCache } from './sketch-cache';

const SIZE = 48;

async function png(file: string): Promise<Uint8Array> {
  return new Uint8Array(await sharp(file).removeAlpha().raw().toBuffer());
}

async function sketchSpec() {
  const manifest = JSON.parse(await fs.readFile(path.join(DEFAULT_PACK, 'manifest.json'), 'utf8'));
  return { ...manifest.garment.preprocess.sketch, imageSize: SIZE };
}

describe('the garment sketch cache (sketch-cache.ts)', () => {
  let tmp: string;
  let cache: SketchCache;
  const svg = testFixture('garment_flats', 'flats_svg', 'aaron.svg');

  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'jinxiu-sketch-cache-'));
    // one training flat, one held-out design (simon, in heldout.json) drawn the same, one template
    const flats = path.join(tmp, 'flats');
    const templates = path.join(tmp, 'templates');
    await fs.mkdir(flats);
    await fs.mkdir(templates);
    await fs.copyFile(svg, path.join(flats, 'aaron.svg'));
    await fs.copyFile(svg, path.join(flats, 'simon.svg'));
    const index = JSON.parse(await fs.readFile(path.join(TEMPLATES_DIR, 'index.json'), 'utf8')) as { id: string; file: string }[];
    const tee = index.filter((t) => t.id === 'template-t-shirt');
    await fs.writeFile(path.join(templates, 'index.json'), JSON.stringify(tee));
    await fs.copyFile(path.join(TEMPLATES_DIR, tee[0]!.file), path.join(templates, tee[0]!.file));
    cache = await writeSketchCache(path.join(tmp, 'out'), { size: SIZE, flats, templates });
  });
  afterAll(async () => {
    await fs.rm(tmp, { recursive: true, force: true });
  });

  const entry = (name: string) => {
    const e = cache.flats.find((f) => f.name === name);
    if (!e) throw new Error(`no ${name} in ${cache.flats.map((f) => f.name).join(', ')}`);
    return e;
  };
  const file = (name: string, key: string) => path.join(tmp, 'out', entry(name).dir, entry(name).files[key]!);

  it('holds each view of the training flats, never a held-out design, at the size asked for', async () => {
    expect(cache.flats.map((f) => f.name)).toEqual([
      'freesewing:aaron:front', 'freesewing:aaron:back', 'template:template-t-shirt:front', 'template:template-t-shirt:back',
    ]);
    expect(cache.heldout).toContain('simon');
    expect(entry('freesewing:aaron:front')).toMatchObject({ kind: 'real', sleeves: 'none', size: SIZE, views: 'gap', source: 'garment_flats/flats_svg/aaron.svg' });
    expect(entry('template:template-t-shirt:front')).toMatchObject({ kind: 't-shirt', sleeves: 'short' });
    const meta = await sharp(file('freesewing:aaron:front', 'sketch')).metadata();
    expect([meta.width, meta.height]).toEqual([SIZE, SIZE]);
    const index = JSON.parse(await fs.readFile(path.join(tmp, 'out', 'index.json'), 'utf8')) as SketchCache;
    expect(index.flats).toHaveLength(4);
    expect(index.control).toEqual(DEFAULT_CONTROL);
  });

  it('writes the sketch and the line art the studio sends for an imported flat, pixel for pixel', async () => {
    // The editor's import (views 'auto') splits the two views; generation draws the front one.
    const { doc } = await importFlatFile(svg, { views: 'auto' });
    expect(doc.views.map((v) => v.id)).toEqual(['front', 'back']);
    const sketch = await sketchFromFlat(doc, await sketchSpec());
    expect(await png(file('freesewing:aaron:front', 'sketch'))).toEqual(sketch.data);
    const lineArt = await lineArtFromFlat(doc, DEFAULT_CONTROL, SIZE, SIZE);
    expect(await png(file('freesewing:aaron:front', 'lineart'))).toEqual(lineArt.data);
    // `jinxiu generate --flat aaron.svg` (readFlatFile) imports the same way and sends the same front
    // view (no longer both views side by side, so the cache holds no 'both' view); --view back the back.
    const cli = await readFlatFile(svg);
    expect((await sketchFromFlat(cli, await sketchSpec())).data).toEqual(sketch.data);
    const back = await sketchFromFlat({ ...cli, views: [cli.views[1]!] }, await sketchSpec());
    expect(await png(file('freesewing:aaron:back', 'sketch'))).toEqual(back.data);
    expect(back.data).not.toEqual(sketch.data);
  });

  it('draws white and black fills from which the studio fill comes back', async () => {
    const [sent, white, black] = await Promise.all(['sketch', 'sketch-white', 'sketch-black'].map((k) => png(file('freesewing:aaron:front', k))));
    const purple = [0x5c, 0x35, 0x66];
    let close = 0;
    let filled = 0;
    let error = 0;
    for (let i = 0; i < sent!.length; i++) {
      const w = white![i]!;
      const k = black![i]!;
      if (w - k > 8) filled++;
      const drawn = w - (w - k) * (1 - purple[i % 3]! / 255);
      if (Math.abs(drawn - sent![i]!) <= 3) close++;
      error += Math.abs(drawn - sent![i]!);
    }
    expect(filled / sent!.length).toBeGreaterThan(0.05);
    // all but the pixels of the flat's second, lighter fill (the inside of the neckline)
    expect(close / sent!.length).toBeGreaterThan(0.95);
    expect(error / sent!.length).toBeLessThan(1.5);
  });

  it('refuses a size it cannot draw', async () => {
    await expect(writeSketchCache(path.join(tmp, 'bad'), { size: 7.5 })).rejects.toThrow(/--size must be a whole number/);
  });
});
