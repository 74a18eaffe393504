import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import { loadFlat } from '../../../shared/flat/migrations';
import type { FlatDocument } from '../../../shared/flat/schema';
import { importFlatFile, loadTemplates } from '../flats';

/** A flat document JSON larger than this is not a flat (the largest template is well under 1 MB). */
const MAX_FLAT_JSON_BYTES = 32 * 1024 * 1024;

/**
 * What `--flat` may name: a flat document (.json), a drawing (.svg), or a shipped template by id
 * ("template-shirt"), short id ("shirt") or name ("Shirt"). A drawing is imported as the editor imports
 * it (`importFlatFile`, views 'auto'), so `--view back` draws the back of a two-view SVG.
 */
export async function loadFlatArgument(arg: string, templatesDir?: string): Promise<FlatDocument> {
  const ext = path.extname(arg).toLowerCase();
  if (ext === '.svg') return (await importFlatFile(arg)).doc;
  if (ext === '.json') {
    let text: string;
    try {
      const stat = await fs.stat(arg);
      if (stat.size > MAX_FLAT_JSON_BYTES) throw new AppError('INVALID_INPUT', `${path.basename(arg)} is too large to be a flat document.`);
      text = await fs.readFile(arg, 'utf8');
    } catch (e) {
      if (AppError.is(e)) throw e;
      throw new AppError('NOT_FOUND', `The flat file "${arg}" could not be opened.`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new AppError('INVALID_INPUT', `${path.basename(arg)} is not JSON: ${(e as Error).message}`);
    }
    return loadFlat(json);
  }
  const templates = await loadTemplates(templatesDir);
  const wanted = arg.toLowerCase();
  const found = templates.find((t) => [t.id, t.id.replace(/^template-/, ''), t.name].some((n) => n.toLowerCase() === wanted));
  if (!found) {
    throw new AppError(
      'NOT_FOUND',
      `"${arg}" is neither a .json or .svg flat nor a template; templates: ${templates.map((t) => t.id.replace(/^template-/, '')).join(', ')}.`,
    );
  }
  return found.doc;
}
