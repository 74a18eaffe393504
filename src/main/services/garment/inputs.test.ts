import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImagePreprocess } from '../../../shared/packs/manifest';
import { exportSvg } from '../../../shared/flat';
import { importFlatFile } from '../flats';
import { loadFlatArgument } from '../render';
import { testFixture } from '../../test-fixtures';
import { generationFlat, lineArtFromFlat, readFlatFile, readSwatchFile, sketchFromFlat } from './inputs';

const SPEC: ImagePreprocess = {
  imageSize: 32,
  resize: 'shortest-edge',
  crop: 'center',
  interpolation: 'bicubic',
  channels: 'RGB',
  layout: 'NCHW',
  rescale: 1 / 255,
  mean: [0.48145466, 0.4578275, 0.40821073],
  std: [0.26862954, 0.26130258, 0.27577711],
};
const TALL_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="100mm" height="200mm" viewBox="0 0 100 200">
  <path d="M10 10 L90 10 L90 190 L10 190 Z" fill="none" stroke="#000" stroke-width="4"/>
</svg>`;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-garment-inputs-'));
  fs.writeFileSync(path.join(dir, 'panel.svg'), TALL_SVG);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('flat to sketch', () => {
  it('draws an SVG and the same flat as JSON alike, whole, on white at the encoder size', async () => {
    const fromSvg = await readFlatFile(path.join(dir, 'panel.svg'));
    fs.writeFileSync(path.join(dir, 'panel.json'), JSON.stringify(fromSvg));
    const fromJson = await readFlatFile(path.join(dir, 'panel.json'));
    const a = await sketchFromFlat(fromSvg, SPEC);
    const b = await sketchFromFlat(fromJson, SPEC);
    expect([a.width, a.height]).toEqual([32, 32]);
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
    const at = (x: number, y: number) => a.data[(y * 32 + x) * 3]!;
    // A tall panel is padded, not cropped: its top and bottom edges survive, the sides are paper.
    expect(at(0, 16)).toBe(255);
    expect(Math.min(...Array.from({ length: 32 }, (_, x) => at(x, 0)), ...Array.from({ length: 32 }, (_, x) => at(x, 1)))).toBeLessThan(128);
  });

  it('draws the same flat as line art at the output size, framed like the sketch', async () => {
    const flat = await readFlatFile(path.join(dir, 'panel.svg'));
    const control = { kind: 'lineart', invert: true, channels: 'RGB', layout: 'NCHW', rescale: 1 / 255, resize: 'stretch', interpolation: 'bilinear' } as const;
    const art = await lineArtFromFlat(flat, control, 64, 64);
    expect([art.width, art.height]).toEqual([64, 64]);
    const at = (x: number, y: number) => art.data[(y * 64 + x) * 3]!;
    // Padded like the sketch (the sides and the inside are paper), the top edge drawn as a grey-to-dark line.
    expect(at(0, 32)).toBe(255);
    expect(at(32, 32)).toBe(255);
    expect(Math.min(...Array.from({ length: 64 }, (_, x) => Math.min(at(x, 0), at(x, 1), at(x, 2))))).toBeLessThan(200);
  });

  it('refuses what is not a flat, saying why', async () => {
    fs.writeFileSync(path.join(dir, 'flat.txt'), 'x');
    await expect(readFlatFile(path.join(dir, 'flat.txt'))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    fs.writeFileSync(path.join(dir, 'broken.json'), '{ "schemaVersion": ');
    await expect(readFlatFile(path.join(dir, 'broken.json'))).rejects.toThrow(/not valid JSON/);
    await expect(readFlatFile(path.join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('a two-view SVG', () => {
  const qipao = testFixture('flat_views', 'qipao-front-back.svg');

  it('is read as the editor imports it (views auto), by generate and by render alike', async () => {
    const editor = (await importFlatFile(qipao)).doc;
    expect(editor.views.map((v) => v.id)).toEqual(['front', 'back']);
    expect(await readFlatFile(qipao)).toEqual(editor);
    expect(await loadFlatArgument(qipao)).toEqual(editor);
  });

  it('is drawn one view at a time: the front, as exportSvg draws it, unless the back is asked for', async () => {
    const doc = await readFlatFile(qipao);
    const front = generationFlat(doc);
    expect(front.views.map((v) => v.id)).toEqual(['front']);
    expect(exportSvg(front)).toBe(exportSvg(doc));
    expect(generationFlat(doc, 'front')).toEqual(front);
    const back = generationFlat(doc, 'back');
    expect(back.views.map((v) => v.id)).toEqual(['back']);
    expect(exportSvg(back)).toBe(exportSvg(doc, { viewId: 'back' }));
    expect(Buffer.from((await sketchFromFlat(back, SPEC)).data).equals(Buffer.from((await sketchFromFlat(front, SPEC)).data))).toBe(false);
  });

  it('refuses a view a flat does not have', async () => {
    const one = await readFlatFile(path.join(dir, 'panel.svg'));
    expect(generationFlat(one).views.map((v) => v.id)).toEqual(['front']);
    expect(() => generationFlat(one, 'back')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: 'The flat "panel" has no back view (it has front).' }));
  });
});

describe('swatch', () => {
  it('names an unreadable or missing swatch', async () => {
    fs.writeFileSync(path.join(dir, 'fake.jpg'), 'not a jpeg');
    await expect(readSwatchFile(path.join(dir, 'fake.jpg'), SPEC)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('fake.jpg') });
    await expect(readSwatchFile(path.join(dir, 'nope.png'), SPEC)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
