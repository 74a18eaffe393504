import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../../shared/contract/errors';
import { loadFlat } from '../../../shared/flat/migrations';
import type { FlatDocument } from '../../../shared/flat/schema';

/** resources/templates beside the sources and the build alike. */
export const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL('../../../../resources/templates', import.meta.url));

export interface FlatTemplate {
  id: string;
  name: string;
  category: string;
  doc: FlatDocument;
}

/** Reads the shipped garment templates (index.json lists them in menu order). */
export async function loadTemplates(dir = DEFAULT_TEMPLATES_DIR): Promise<FlatTemplate[]> {
  let index: { id: string; file: string }[];
  try {
    index = JSON.parse(await fs.readFile(path.join(dir, 'index.json'), 'utf8')) as { id: string; file: string }[];
  } catch {
    throw new AppError('NOT_FOUND', `No garment templates in ${dir}.`);
  }
  return Promise.all(
    index.map(async (entry) => {
      const doc = loadFlat(JSON.parse(await fs.readFile(path.join(dir, path.basename(entry.file)), 'utf8')));
      return { id: doc.id, name: doc.name, category: doc.attributes.category, doc };
    }),
  );
}
