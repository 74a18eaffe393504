import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { AppError } from '../../../shared/contract';
import { exportSvg, loadFlat, viewOf, type FlatDocument, type ViewId } from '../../../shared/flat';
import type { ImagePreprocess } from '../../../shared/packs/manifest';
import { importFlatFile, rasteriseToPixels } from '../flats';
import type { Rgb8 } from './png';
import type { ControlPreprocess } from './controlnet';
import { fitImage, fitLineArt } from './preprocess';

/** A swatch image larger than this is refused before it is decoded. */
const SWATCH_MAX_BYTES = 50 * 1024 * 1024;
const FLAT_JSON_MAX_BYTES = 20 * 1024 * 1024;

/**
 * The flat drawn on white at `side` pixels across, padded to a square so no part is cropped away and
 * the sketch and the line art frame the garment the same way.
 */
async function flatOnPaper(doc: FlatDocument, side: number): Promise<Buffer> {
  const svg = exportSvg(doc, { background: '#ffffff' });
  const { width, height, pixels } = rasteriseToPixels(svg, { width: side, background: '#ffffff' });
  const square = Math.max(width, height);
  return sharp(Buffer.from(pixels), { raw: { width, height, channels: 4 } })
    .flatten({ background: '#ffffff' })
    .extend({
      top: Math.floor((square - height) / 2),
      bottom: Math.ceil((square - height) / 2),
      left: Math.floor((square - width) / 2),
      right: Math.ceil((square - width) / 2),
      background: '#ffffff',
    })
    .png()
    .toBuffer();
}

/** The flat as the image encoder sees it. */
export async function sketchFromFlat(doc: FlatDocument, spec: ImagePreprocess): Promise<Rgb8> {
  return fitImage(await flatOnPaper(doc, spec.imageSize * 4), spec, 'flat sketch');
}

/** The flat as a ControlNet's line art, drawn at the pack's output size rather than scaled up from the sketch. */
export async function lineArtFromFlat(doc: FlatDocument, spec: ControlPreprocess, width: number, height: number): Promise<Rgb8> {
  return fitLineArt(await flatOnPaper(doc, Math.max(width, height) * 2), spec, width, height);
}

/**
 * The flat as generation draws it: one view, as a document of its own, the sketch, the line art and a
 * colorway start all show. The front unless `view` asks for the back (`viewOf`, the view the app's
 * generation has always drawn); a flat with one view gives that one. Asking for a view the flat does
 * not have is INVALID_INPUT.
 */
export function generationFlat(doc: FlatDocument, view?: ViewId): FlatDocument {
  if (view && !doc.views.some((v) => v.id === view)) {
    const has = doc.views.map((v) => v.id).join(' and ');
    throw new AppError('INVALID_INPUT', `The flat "${doc.name}" has no ${view} view (it has ${has}).`);
  }
  return { ...doc, views: [viewOf(doc, view)] };
}

/**
 * A flat from a file: an SVG or a flat JSON document. An SVG goes through the editor's import
 * (`importFlatFile`, views 'auto': front and back told apart by names or by the gap between two
 * garments), which refuses hostile or huge ones, so the CLI reads a file as the app does.
 */
export async function readFlatFile(file: string): Promise<FlatDocument> {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.svg') return (await importFlatFile(file)).doc;
  if (ext !== '.json') throw new AppError('INVALID_INPUT', `A flat is an .svg or a flat .json document; "${path.basename(file)}" is neither.`);
  const stat = await fs.stat(file).catch(() => null);
  if (!stat?.isFile()) throw new AppError('NOT_FOUND', `The flat "${path.basename(file)}" could not be opened.`);
  if (stat.size > FLAT_JSON_MAX_BYTES) throw new AppError('INVALID_INPUT', `The flat document is larger than ${FLAT_JSON_MAX_BYTES} bytes.`);
  let raw: unknown;
  try {
    raw = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    throw new AppError('INVALID_INPUT', `The flat "${path.basename(file)}" is not valid JSON: ${(err as Error).message}`);
  }
  return loadFlat(raw);
}

/** A fabric swatch photo from a file, fitted to the encoder; an unreadable one is INVALID_INPUT. */
export async function readSwatchFile(file: string, spec: ImagePreprocess): Promise<{ image: Rgb8; bytes: Buffer }> {
  const stat = await fs.stat(file).catch(() => null);
  if (!stat?.isFile()) throw new AppError('NOT_FOUND', `The swatch "${path.basename(file)}" could not be opened.`);
  if (stat.size > SWATCH_MAX_BYTES) throw new AppError('INVALID_INPUT', `The swatch "${path.basename(file)}" is larger than ${SWATCH_MAX_BYTES} bytes.`);
  const bytes = await fs.readFile(file);
  return { image: await fitImage(bytes, spec, `swatch "${path.basename(file)}"`), bytes };
}
