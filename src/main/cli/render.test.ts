import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../shared/contract';
import type { FlatItem } from '../../shared/flat/schema';
import { createDispatcher } from '../host/dispatch';
import { createHandlers } from '../host/handlers';
import { decodePng } from '../services/flats';
import { HERITAGE_DIR } from '../services/motif/test-kit';
import { IMAGE_SWATCH_ID, imageFabric, motifArtFrom } from '../services/render';
import { TILES_DIR } from '../services/render/golden/spec';
import { meanDiff, raw, squareFlat, type Raw } from '../services/render/testing/pixels';
import { Studio, colorwayRenderer } from '../studio';
import { runJinxiu } from './test-kit';

let root: string;

const jinxiu = (...args: string[]) => runJinxiu(path.join(root, 'lib'), ...args);

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-render-cli-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('jinxiu render', () => {
  it('renders a template with a tile image, and with a library swatch by id', async () => {
    const out = path.join(root, 'tee.png');
    const byImage = await jinxiu('--json', 'render', '--flat', 't-shirt', '--swatch', path.join(TILES_DIR, 'denim.png'), '--swatch-cm', '7', '--size', '300', '--out', out);
    expect(byImage.stderr).toBe('');
    expect(byImage.code).toBe(0);
    const summary = JSON.parse(byImage.stdout) as { width: number; height: number; out: string };
    expect(summary.out).toBe(out);
    expect(decodePng(fs.readFileSync(out))).toMatchObject({ width: summary.width, height: summary.height });
    expect(Math.max(summary.width, summary.height)).toBe(300);
    // A loose tile and a flat without prints need nothing of a library, so none was opened (or made).
    expect(fs.existsSync(path.join(root, 'lib'))).toBe(false);

    const imported = await jinxiu('--json', 'swatches', 'import', path.join(TILES_DIR, 'denim.png'), '--size-cm', '7x7');
    const { id } = JSON.parse(imported.stdout) as { id: string };
    const out2 = path.join(root, 'tee-library.png');
    const byId = await jinxiu('render', '--flat', 'template-t-shirt', '--swatch', id, '--size', '300', '--out', out2);
    expect(byId.code).toBe(0);
    expect(byId.stdout).toMatch(/^wrote .*tee-library\.png \(\d+ x 300 px/);
  });

  it('says what is wrong with a bad flat, swatch or size and writes nothing', async () => {
    const out = path.join(root, 'never.png');
    const noFlat = await jinxiu('render', '--flat', 'kimono', '--swatch', path.join(TILES_DIR, 'denim.png'), '--out', out);
    expect(noFlat.code).toBe(1);
    expect(noFlat.stderr).toMatch(/"kimono" is neither .* templates: .*shirt/);
    const noSwatch = await jinxiu('render', '--flat', 'shirt', '--swatch', 'no-such-file.png', '--out', out);
    expect(noSwatch.stderr).toMatch(/neither an image file nor a swatch id/);
    for (const size of ['5', '0x100']) {
      const badSize = await jinxiu('render', '--flat', 'shirt', '--swatch', path.join(TILES_DIR, 'denim.png'), '--size', size, '--out', out);
      expect(badSize.stderr).toBe(`jinxiu: --size takes a whole number from 16 to 8192, not "${size}". [INVALID_INPUT]\n`);
    }
    expect(fs.existsSync(out)).toBe(false);
    const badOut = await jinxiu('render', '--flat', 'shirt', '--swatch', path.join(TILES_DIR, 'denim.png'), '--out', '/dev/null/colorway.png');
    expect(badOut).toEqual({ code: 1, stdout: '', stderr: 'jinxiu: Cannot write /dev/null/colorway.png: /dev/null is a file, not a folder. [INVALID_INPUT]\n' });
  });
});

describe('jinxiu render draws prints as the studio does', () => {
  const BROCADE = 'brocade_bird_flower_xinjiang1000.jpg';
  const DENIM = path.join(TILES_DIR, 'denim.png');
  /** Page 150 x 150 mm rendered at 300 px: 2 px per mm; a 60 mm print in its middle. */
  const PX_PER_MM = 2;
  const SIDE = 60;
  const print = (motifId: string): FlatItem => ({ id: 'p', layerId: 'l', name: '', type: 'print', motifId, at: { x: 75, y: 75 }, width: SIDE, height: SIDE, rotation: 0, opacity: 1 });
  let library: string;
  let flatFile: string;
  let motifId: string;
  let swatchId: string;
  /** The print's box as it should look: the motif fitted inside it, and where it sits in the picture. */
  let motif: Raw;
  let box: { x0: number; y0: number; w: number; h: number };

  const openStudio = () => Studio.open({ libraryDir: library });
  /** Mean difference between the inside of the print's box in `picture` and the same box of `ref`. */
  const inBox = (picture: Raw, ref: Raw, ox: number, oy: number) => meanDiff(picture, box.x0 + 4, box.y0 + 4, ref, ox + 4, oy + 4, box.w - 8, box.h - 8);

  beforeAll(async () => {
    library = path.join(root, 'prints-lib');
    const captions = path.join(root, 'brocade.jsonl');
    fs.writeFileSync(captions, `${fs.readFileSync(path.join(HERITAGE_DIR, 'captions.jsonl'), 'utf8').split('\n').filter((l) => l.includes(BROCADE)).join('\n')}\n`);
    const studio = openStudio().start();
    try {
      const job = studio.motifs.startImport({ folder: HERITAGE_DIR, captions });
      expect((await studio.jobs.waitFor(job.id)).state).toBe('succeeded');
      const [stored] = studio.motifs.list(1, 0);
      motifId = stored!.id;
      swatchId = (await studio.swatches.import({ path: DENIM, geometry: { widthCm: 7, heightCm: 7 } })).id;
      const art = await motifArtFrom(await studio.library.files.read(stored!.fileSha256));
      const k = Math.min(SIDE / art.width, SIDE / art.height) * PX_PER_MM;
      const [w, h] = [Math.round(art.width * k), Math.round(art.height * k)];
      motif = await raw(Buffer.from(art.href.replace(/^data:image\/png;base64,/, ''), 'base64'), { width: w, height: h });
      box = { x0: Math.round(75 * PX_PER_MM - w / 2), y0: Math.round(75 * PX_PER_MM - h / 2), w, h };
    } finally {
      await studio.close();
    }
    flatFile = path.join(root, 'printed.json');
    fs.writeFileSync(flatFile, JSON.stringify(squareFlat([print(motifId)])));
  });

  it('with a loose tile image, the print shows the motif from the library, not its placement box', async () => {
    const out = path.join(root, 'printed-tile.png');
    const run = await runJinxiu(library, 'render', '--flat', flatFile, '--swatch', DENIM, '--size', '300', '--out', out);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const picture = await raw(out);
    const onMotif = inBox(picture, motif, 0, 0);
    expect(onMotif).toBeLessThan(12);

    // The same flat drawn with its motif gone from the library: the placement box, far from the artwork.
    const studio = openStudio();
    try {
      const boxOnly = squareFlat([print('6b2d3c4e-5f60-4b7c-8d9e-0f1a2b3c4d5e')]);
      const placement = await colorwayRenderer(await imageFabric(DENIM, null), () => studio).render(boxOnly, { all: IMAGE_SWATCH_ID }, { size: 300 });
      expect(inBox(await raw(placement.png), motif, 0, 0)).toBeGreaterThan(3 * onMotif);
    } finally {
      await studio.close();
    }
  });

  it('with a library swatch, writes the very bytes the render.colorway channel answers', async () => {
    const out = path.join(root, 'printed-swatch.png');
    expect(await runJinxiu(library, 'render', '--flat', flatFile, '--swatch', swatchId, '--size', '300', '--out', out)).toMatchObject({ code: 0, stderr: '' });
    expect(inBox(await raw(out), motif, 0, 0)).toBeLessThan(12);
    const studio = openStudio();
    try {
      const doc = JSON.parse(fs.readFileSync(flatFile, 'utf8')) as unknown;
      const answer = await createDispatcher(contract, createHandlers(studio))('render.colorway', { doc, palette: { all: swatchId }, size: 300, as: 'bytes' });
      if (!answer.ok) throw new Error(answer.error.message);
      expect(Buffer.from((answer.value as { pngBase64: string }).pngBase64, 'base64').equals(fs.readFileSync(out))).toBe(true);
    } finally {
      await studio.close();
    }
  });
});
