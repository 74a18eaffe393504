/**
 * The sketch cache the garment pack trains on: every training flat drawn by the studio's own code, as
 * the garment pipeline receives it. Training then reads the sketch the studio sends instead of its own
 * rendering of a PNG (cause 1 in tools/models/garment/README.md).
 *
 * The training flats are the FreeSewing flats of the shared data (flats_svg/, minus the designs held
 * out in heldout.json) and the studio's templates (resources/templates). For each flat and each view:
 *
 * - `sketch.png`: `sketchFromFlat` at SIZE, the image encoder's input (service.ts `render`);
 * - `lineart.png`: `lineArtFromFlat` at SIZE x SIZE, the ControlNet's (or a sketch encoder's) input
 *   before `controlImage` rescales and inverts it;
 * - `sketch-white.png`, `sketch-black.png`, `lineart-white.png`, `lineart-black.png`: the same drawn
 *   with every filled shape's fill set to white and to black. Strokes are untouched, so with the two
 *   a fill of any colour C is `white - (white - black) * (1 - C)` (exact for the rasteriser's alpha
 *   compositing): training recolours the studio's purple to any colour (flats.py `recolour`).
 *
 * Which views: a technician imports an SVG through the editor's form or the host's `importSvg`
 * (`importFlatFile`, views 'auto'), which splits front and back, and `jinxiu generate --flat FILE.svg`
 * (`readFlatFile`, and so the held-out evaluation's heldout-render.ts) imports it the same way.
 * Generation then draws one view (`generationFlat`): the front, or the back with `jinxiu generate
 * --view back`. The cache holds views 'front' and 'back', each as generationFlat sends it. No way in
 * sends two views side by side any more, so there is no 'both' view. A template's front and back are
 * its two views.
 *
 *   npx tsx tools/models/garment/sketch-cache.ts --out DIR [--size 256] [--flats DIR] [--templates DIR]
 *     [--heldout FILE] [--pack DIR]
 *
 * `python -m tools.models cache garment-sketches --size 256` runs it into
 * tools/models/.cache/garment-sketches/256 and adds each flat's silhouette mask (mask.png).
 * OUT/index.json: size, the preprocessing used, and per flat its name, kind, sleeves, size, source,
 * view, folder and files.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import type { FlatDocument, ViewId } from '../../../src/shared/flat';
import type { ImagePreprocess } from '../../../src/shared/packs/manifest';
import { importFlatFile } from '../../../src/main/services/flats';
import { generationFlat, lineArtFromFlat, readFlatFile, sketchFromFlat } from '../../../src/main/services/garment/inputs';
import type { ControlPreprocess } from '../../../src/main/services/garment/controlnet';
import type { Rgb8 } from '../../../src/main/services/garment/png';
import { sharedData } from '../../../src/main/shared-data';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../../..');
export const HELDOUT_FILE = path.join(HERE, 'heldout.json');
export const TEMPLATES_DIR = path.join(REPO, 'resources', 'templates');
export const DEFAULT_PACK = path.join(REPO, 'resources', 'models', 'garment-default');

/** The control preprocessing a pack without a ControlNet gets: the README's proposed sketch encoder input. */
export const DEFAULT_CONTROL: ControlPreprocess = {
  kind: 'lineart',
  invert: true,
  channels: 'RGB',
  layout: 'NCHW',
  rescale: 1 / 255,
  resize: 'stretch',
  interpolation: 'bicubic',
};

export interface CachedFlat {
  name: string;
  /** 'real' for a FreeSewing flat, else the template's category. */
  kind: string;
  sleeves: 'long' | 'short' | 'none';
  size: number;
  /** The file the flat came from, relative to the shared data (FreeSewing) or the repository (templates). */
  source: string;
  view: ViewId;
  /** How the import told the views apart: 'names', 'gap', 'halves' or 'one'. */
  views: string;
  dir: string;
  files: Record<string, string>;
}

export interface SketchCache {
  size: number;
  sketch: ImagePreprocess;
  control: ControlPreprocess;
  heldout: string[];
  flats: CachedFlat[];
}

export interface CacheOptions {
  size?: number;
  /** Folder of FreeSewing SVGs (default: the shared data's garment_flats/flats_svg). */
  flats?: string;
  templates?: string;
  heldout?: string;
  /** The pack whose preprocessing is used (default: the bundled garment pack); imageSize becomes `size`. */
  pack?: string;
  log?: (line: string) => void;
}

/** The held-out design names: no training flat may come from them. */
export async function heldoutDesigns(file = HELDOUT_FILE): Promise<Set<string>> {
  const doc = JSON.parse(await fs.readFile(file, 'utf8')) as { flats?: { design: string }[] };
  if (!Array.isArray(doc.flats) || doc.flats.length === 0) throw new Error(`${file} lists no held-out flats`);
  return new Set(doc.flats.map((f) => f.design));
}

/** The document with every filled shape filled `fill` (strokes, unfilled shapes and the rest untouched). */
export function withFill(doc: FlatDocument, fill: string): FlatDocument {
  const copy = structuredClone(doc);
  for (const view of copy.views) {
    for (const item of view.items) {
      if (item.type !== 'shape' || item.style.fill === null) continue;
      item.style.fill = fill;
      item.motifFill = null;
    }
  }
  return copy;
}

/** One view of the document as generation sends it (generationFlat); null for a view it lacks or that is empty. */
export function onlyView(doc: FlatDocument, id: ViewId): FlatDocument | null {
  const view = doc.views.find((v) => v.id === id);
  return view && view.items.length > 0 ? generationFlat(doc, id) : null;
}

async function writePng(image: Rgb8, file: string): Promise<void> {
  await sharp(Buffer.from(image.data), { raw: { width: image.width, height: image.height, channels: 3 } }).png().toFile(file);
}

/** The sketch and the line art, as sent and with white and black fills, into `dir`. */
async function drawFlat(doc: FlatDocument, dir: string, size: number, sketch: ImagePreprocess, control: ControlPreprocess): Promise<Record<string, string>> {
  await fs.mkdir(dir, { recursive: true });
  const files: Record<string, string> = {};
  for (const [suffix, d] of [['', doc], ['-white', withFill(doc, '#ffffff')], ['-black', withFill(doc, '#000000')]] as const) {
    const s = await sketchFromFlat(d, sketch);
    const l = await lineArtFromFlat(d, control, size, size);
    for (const [key, image] of [[`sketch${suffix}`, s], [`lineart${suffix}`, l]] as const) {
      files[key] = `${key}.png`;
      await writePng(image, path.join(dir, files[key]!));
    }
  }
  return files;
}

async function preprocessOf(pack: string, size: number): Promise<{ sketch: ImagePreprocess; control: ControlPreprocess }> {
  const manifest = JSON.parse(await fs.readFile(path.join(pack, 'manifest.json'), 'utf8')) as {
    garment: { preprocess: { sketch: ImagePreprocess; control?: ControlPreprocess } };
  };
  const p = manifest.garment.preprocess;
  return { sketch: { ...p.sketch, imageSize: size }, control: p.control ?? DEFAULT_CONTROL };
}

/** Writes the cache into `out` (each flat's folder replaced) and returns its index. */
export async function writeSketchCache(out: string, options: CacheOptions = {}): Promise<SketchCache> {
  const size = options.size ?? 256;
  if (!Number.isInteger(size) || size < 16 || size > 2048) throw new Error(`--size must be a whole number of pixels from 16 to 2048, not ${size}`);
  const flatsDir = options.flats ?? sharedData('garment_flats', 'flats_svg');
  const templatesDir = options.templates ?? TEMPLATES_DIR;
  const { sketch, control } = await preprocessOf(options.pack ?? DEFAULT_PACK, size);
  const heldout = await heldoutDesigns(options.heldout);
  await fs.mkdir(out, { recursive: true });
  const flats: CachedFlat[] = [];
  const add = async (doc: FlatDocument, entry: Omit<CachedFlat, 'dir' | 'files' | 'size'>): Promise<void> => {
    const dir = entry.name.replace(/[^A-Za-z0-9_-]+/g, '-');
    await fs.rm(path.join(out, dir), { recursive: true, force: true });
    const files = await drawFlat(doc, path.join(out, dir), size, sketch, control);
    flats.push({ ...entry, size, dir, files });
  };

  const svgs = (await fs.readdir(flatsDir)).filter((f) => f.toLowerCase().endsWith('.svg')).sort();
  for (const file of svgs) {
    const design = file.replace(/\.svg$/i, '');
    if (heldout.has(design)) continue;
    const t0 = Date.now();
    const svg = path.join(flatsDir, file);
    // The editor's import, which `jinxiu generate` (readFlatFile) shares.
    const { doc, views } = await importFlatFile(svg, { views: 'auto' });
    const base = { kind: 'real', sleeves: 'none' as const, source: `garment_flats/flats_svg/${file}`, views: views.by };
    for (const id of ['front', 'back'] as const) {
      const one = onlyView(doc, id);
      if (one) await add(one, { ...base, name: `freesewing:${design}:${id}`, view: id });
    }
    options.log?.(`${design} (${views.by}): ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }

  const index = JSON.parse(await fs.readFile(path.join(templatesDir, 'index.json'), 'utf8')) as { id: string; file: string }[];
  for (const entry of index) {
    const doc = await readFlatFile(path.join(templatesDir, entry.file));
    const sleeveLength = doc.attributes.sleeveLength;
    const sleeves = sleeveLength === 'long' || sleeveLength === 'short' ? sleeveLength : 'none';
    for (const id of ['front', 'back'] as const) {
      const one = onlyView(doc, id);
      if (one) {
        await add(one, { name: `template:${entry.id}:${id}`, kind: doc.attributes.category, sleeves, source: `resources/templates/${entry.file}`,
          view: id, views: 'names' });
      }
    }
    options.log?.(`${entry.id}`);
  }

  const cache: SketchCache = { size, sketch, control, heldout: [...heldout].sort(), flats };
  await fs.writeFile(path.join(out, 'index.json'), `${JSON.stringify(cache, null, 2)}\n`);
  return cache;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const text = { type: 'string' } as const;
  const { values } = parseArgs({ options: { out: text, size: { type: 'string', default: '256' }, flats: text, templates: text, heldout: text, pack: text } });
  const out = values.out;
  if (!out) {
    process.stderr.write('usage: npx tsx tools/models/garment/sketch-cache.ts --out DIR [--size 256] [--flats DIR] [--templates DIR] [--heldout FILE] [--pack DIR]\n');
    process.exit(2);
  }
  const opts: CacheOptions = { size: Number(values.size), log: (line) => process.stderr.write(`${line}\n`) };
  for (const key of ['flats', 'templates', 'heldout', 'pack'] as const) {
    const value = values[key];
    if (value) opts[key] = path.resolve(value);
  }
  const cache = await writeSketchCache(path.resolve(out), opts);
  process.stderr.write(`${cache.flats.length} flats at ${cache.size} px\n`);
  process.stdout.write(`${path.join(path.resolve(out), 'index.json')}\n`);
}
