/**
 * Renders the held-out real flats (tools/models/garment/heldout.json) the way a technician gets them:
 * each through `jinxiu generate` (the CLI's own main(), in this one process, on a throwaway library),
 * so the SVG import (the editor's: front and back told apart), the one view drawn (the front, as the
 * app's generation draws it), the sketch rasterisation, the prompt handling, the automatic alpha and
 * the ONNX graphs are the studio's. Beside each pair it writes the sketch as the pack receives it: the
 * view run.json records (generationFlat), drawn by the studio's sketchFromFlat at the pack's output
 * size rather than the encoder's (the CLI's own sketch.png, which it is checked against). That is the
 * silhouette the image-biased variant is scored against (the Python evaluation, `python -m
 * tools.models eval garment`) and the first column of the contact sheet (`npm run report:garment`).
 *
 *   npx tsx tools/models/garment/heldout-render.ts --pack DIR --out DIR [--heldout FILE]
 *
 * OUT/index.json lists, per flat, its entry of heldout.json, the view drawn and the files:
 * sketch-output-size.png (checked against the CLI's encoder-sized sketch.png), image-biased.png,
 * text-biased.png and the CLI's run.json. A pack with a VAE encoder is also run as a technician who
 * ticks "Start from the colorway" would (`--init colorway`, the CLI's default strength), into
 * OUT/<design>/colorway/: the prompt's colour and fabric painted into the flat, then denoised.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { main as jinxiu } from '../../../src/main/cli/index';
import { generationFlat, readFlatFile, sketchFromFlat } from '../../../src/main/services/garment/inputs';
import type { ViewId } from '../../../src/shared/flat';
import { GarmentSectionSchema } from '../../../src/shared/packs/manifest';
import { sharedData } from '../../../src/main/shared-data';

export const HELDOUT_FILE = fileURLToPath(new URL('./heldout.json', import.meta.url));

export interface HeldoutFlat {
  design: string;
  kind: string;
  svg: string;
  prompt: string;
  colour: string;
  fabric: string;
  silhouette: string | null;
  seed: number;
}

export interface RenderedFlat extends HeldoutFlat {
  dir: string;
  /** The view of the flat the CLI drew (run.json's view): the front, as the app sends it. */
  view: ViewId;
  sketch: string;
  imageBiased: string;
  textBiased: string;
  run: string;
  /** The same flat started from its colorway render (a pack with a VAE encoder), else null. */
  colorway: { strength: number; imageBiased: string; textBiased: string } | null;
}

export interface RenderedSet {
  pack: string;
  /** The pack by id and version, as its model card names it: its folder is often a training run's "pack". */
  packName: string;
  width: number;
  height: number;
  flats: RenderedFlat[];
}

export async function readHeldout(file = HELDOUT_FILE): Promise<HeldoutFlat[]> {
  const doc = JSON.parse(await fs.readFile(file, 'utf8')) as { flats?: HeldoutFlat[] };
  if (!Array.isArray(doc.flats) || doc.flats.length === 0) throw new Error(`${file} lists no held-out flats`);
  return doc.flats;
}

/** Both variants and the sketch for every held-out flat, into `out` (created; each flat's folder OUT/<design> is replaced). */
export async function renderHeldout(packDir: string, out: string, options: { heldout?: string; log?: (line: string) => void } = {}): Promise<RenderedSet> {
  const pack = path.resolve(packDir);
  const manifest = JSON.parse(await fs.readFile(path.join(pack, 'manifest.json'), 'utf8')) as { id: string; version: string; garment?: unknown };
  const g = GarmentSectionSchema.parse(manifest.garment);
  const { width, height } = g.defaults;
  const flats = await readHeldout(options.heldout);
  await fs.mkdir(out, { recursive: true });
  const library = await fs.mkdtemp(path.join(os.tmpdir(), 'jinxiu-heldout-lib-'));
  const rendered: RenderedFlat[] = [];
  try {
    for (const flat of flats) {
      const svg = sharedData('garment_flats', flat.svg);
      const dir = path.join(out, flat.design);
      const t0 = Date.now();
      // generate refuses a folder that is not empty: a rerun writes a fresh one.
      await fs.rm(dir, { recursive: true, force: true });
      const generate = async (into: string, ...extra: string[]) => {
        const code = await jinxiu(['node', 'jinxiu', '--library', library, 'generate', '--flat', svg, '--prompt', flat.prompt,
          '--seed', String(flat.seed), '--pack', pack, ...extra, '--out', into]);
        if (code !== 0) throw new Error(`jinxiu generate ${extra.join(' ')} failed (exit ${code}) on the held-out flat ${flat.design}`);
      };
      await generate(dir);
      let colorway: RenderedFlat['colorway'] = null;
      if (g.graphs.vaeEncoder) {
        const into = path.join(dir, 'colorway');
        await generate(into, '--init', 'colorway');
        const init = (JSON.parse(await fs.readFile(path.join(into, 'run.json'), 'utf8')) as { init: { strength: number } }).init;
        colorway = { strength: init.strength, imageBiased: path.join(into, 'image-biased.png'), textBiased: path.join(into, 'text-biased.png') };
      }
      // The sketch the image encoder read (the view run.json records), drawn at the output size rather than the encoder's.
      const run = JSON.parse(await fs.readFile(path.join(dir, 'run.json'), 'utf8')) as { view: ViewId };
      const fed = generationFlat(await readFlatFile(svg), run.view);
      // Drawn at the encoder's size it is the CLI's sketch.png to the byte: this is the sketch the pack read.
      const cli = await sharp(path.join(dir, 'sketch.png')).removeAlpha().raw().toBuffer();
      if (!cli.equals(Buffer.from((await sketchFromFlat(fed, g.preprocess.sketch)).data))) {
        throw new Error(`the sketch jinxiu generate fed for ${flat.design} is not the ${run.view} view this evaluation scores against`);
      }
      const sketch = await sketchFromFlat(fed, { ...g.preprocess.sketch, imageSize: Math.max(width, height) });
      const sketchFile = path.join(dir, 'sketch-output-size.png');
      await sharp(Buffer.from(sketch.data), { raw: { width: sketch.width, height: sketch.height, channels: 3 } }).png().toFile(sketchFile);
      options.log?.(`${flat.design}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      rendered.push({ ...flat, dir, view: run.view, sketch: sketchFile, imageBiased: path.join(dir, 'image-biased.png'),
        textBiased: path.join(dir, 'text-biased.png'), run: path.join(dir, 'run.json'), colorway });
    }
  } finally {
    await fs.rm(library, { recursive: true, force: true });
  }
  const set: RenderedSet = { pack, packName: `${manifest.id} ${manifest.version}`, width, height, flats: rendered };
  await fs.writeFile(path.join(out, 'index.json'), `${JSON.stringify(set, null, 2)}\n`);
  return set;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const { pack, out, heldout } = parseArgs({ options: { pack: { type: 'string' }, out: { type: 'string' }, heldout: { type: 'string' } } }).values;
  if (!pack || !out) {
    process.stderr.write('usage: npx tsx tools/models/garment/heldout-render.ts --pack DIR --out DIR [--heldout FILE]\n');
    process.exit(2);
  }
  await renderHeldout(pack, out, { ...(heldout ? { heldout } : {}), log: (line) => process.stderr.write(`${line}\n`) });
  process.stdout.write(`${path.join(out, 'index.json')}\n`);
}
