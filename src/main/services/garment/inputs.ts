import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { AppError } from '../../../shared/contract';
import { exportSvg, loadFlat, type FlatDocument } from '../../../shared/flat';
import type { ImagePreprocess } from '../../../shared/packs/manifest';
import { importSvgFile, rasteriseToPixels } from '../flats';
import type { Rgb8 } from './png';
import { fitImage } from './preprocess';

/** A swatch image larger than this is refused before it is decoded. */
const SWATCH_MAX_BYTES = 50 * 1024 * 1024;
const FLAT_JSON_MAX_BYTES = 20 * 1024 * 1024;

/** The flat as the model sees it: drawn on white, padded to a square so no part is cropped away. */
export async function sketchFromFlat(doc: FlatDocument, spec: ImagePreprocess): Promise<Rgb8> {
  const svg = exportSvg(doc, { background: '#ffffff' });
  const side = spec.imageSize * 4;
  const { width, height, pixels } = rasteriseToPixels(svg, { width: side, background: '#ffffff' });
  const square = Math.max(width, height);
  const padded = await sharp(Buffer.from(pixels), { raw: { width, height, channels: 4 } })
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
  return fitImage(padded, spec, 'flat sketch');
}

/** A flat from a file: an SVG (through the importer, which refuses hostile or huge ones) or a flat JSON document. */
export async function readFlatFile(file: string): Promise<FlatDocument> {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.svg') return (await importSvgFile(file)).doc;
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
