import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GarmentSectionSchema } from '../../shared/packs/manifest';
import { importFlatFile } from '../services/flats';
import { importSvgFile } from '../services/flats/files';
import { sketchFromFlat } from '../services/garment/inputs';
import { TINY_PACK_DIR } from '../services/garment/testing/tiny-pack';
import { TEE_FLAT_SVG } from '../services/garment/testing/tee-flat';
import { testFixture } from '../test-fixtures';
import { runJinxiu } from './test-kit';

// `jinxiu generate` reads a two-view SVG as the editor imports it (views 'auto') and draws one view,
// the front unless --view back, as the app's generation does: never both garments in one sketch.
const QIPAO = testFixture('flat_views', 'qipao-front-back.svg');

let root: string;
let library: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-generate-views-'));
  library = path.join(root, 'library');
  fs.writeFileSync(path.join(root, 'tee.svg'), TEE_FLAT_SVG);
});
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

const generate = (flat: string, out: string, ...args: string[]) =>
  runJinxiu(library, 'generate', '--flat', flat, '--prompt', 'a red silk qipao', '--pack', TINY_PACK_DIR, '--steps', '1', '--seed', '5', '--out', out, ...args);

async function sketchSpec() {
  const manifest = JSON.parse(fs.readFileSync(path.join(TINY_PACK_DIR, 'manifest.json'), 'utf8')) as { garment: unknown };
  return GarmentSectionSchema.parse(manifest.garment).preprocess.sketch;
}

async function pixels(file: string): Promise<Uint8Array> {
  return new Uint8Array(await sharp(file).removeAlpha().raw().toBuffer());
}

describe('jinxiu generate on a two-view SVG', () => {
  it('feeds the sketch of the front view the app sends, and records the view', async () => {
    const out = path.join(root, 'front');
    const res = await generate(QIPAO, out);
    expect(res.stderr).not.toMatch(/jinxiu:/);
    expect(res.code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['image-biased.png', 'run.json', 'sketch.png', 'text-biased.png']);
    const run = JSON.parse(fs.readFileSync(path.join(out, 'run.json'), 'utf8')) as Record<string, unknown>;
    expect(run).toMatchObject({ view: 'front', sketch: path.join(out, 'sketch.png') });

    // The editor's import of the same file, drawn by the app's sketchFromFlat (its front view).
    const { doc } = await importFlatFile(QIPAO);
    expect(doc.views.map((v) => v.id)).toEqual(['front', 'back']);
    const spec = await sketchSpec();
    const app = await sketchFromFlat(doc, spec);
    const fed = await pixels(path.join(out, 'sketch.png'));
    expect(fed).toEqual(new Uint8Array(app.data));
    // Not the whole page, both garments side by side, that the CLI used to send.
    const whole = await sketchFromFlat((await importSvgFile(QIPAO, { views: 'one' })).doc, spec);
    expect(fed).not.toEqual(new Uint8Array(whole.data));
  });

  it('feeds the back view with --view back', async () => {
    const out = path.join(root, 'back');
    const res = await generate(QIPAO, out, '--view', 'back');
    expect(res.code).toBe(0);
    const run = JSON.parse(fs.readFileSync(path.join(out, 'run.json'), 'utf8')) as Record<string, unknown>;
    expect(run).toMatchObject({ view: 'back' });
    const { doc } = await importFlatFile(QIPAO);
    const back = await sketchFromFlat({ ...doc, views: [doc.views[1]!] }, await sketchSpec());
    const front = await sketchFromFlat(doc, await sketchSpec());
    const fed = await pixels(path.join(out, 'sketch.png'));
    expect(fed).toEqual(new Uint8Array(back.data));
    expect(fed).not.toEqual(new Uint8Array(front.data));
  });

  it('refuses a view the flat does not have, or is not a view, before any work', async () => {
    const out = path.join(root, 'refused');
    const missing = await generate(path.join(root, 'tee.svg'), out, '--view', 'back');
    expect(missing).toEqual({ code: 1, stdout: '', stderr: 'jinxiu: The flat "tee" has no back view (it has front). [INVALID_INPUT]\n' });
    const side = await generate(QIPAO, out, '--view', 'side');
    expect(side).toEqual({ code: 1, stdout: '', stderr: 'jinxiu: --view is front or back (got "side"). [INVALID_INPUT]\n' });
    expect(fs.existsSync(out)).toBe(false);
  });
});
