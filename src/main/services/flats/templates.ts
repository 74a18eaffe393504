import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../../shared/contract/errors';
import { loadFlat } from '../../../shared/flat/migrations';
import type { FlatDocument } from '../../../shared/flat/schema';
import { KNOWN_MEASUREMENTS, measuredCm, measurementsFor, type KnownMeasurement } from '../../../shared/flat/scale';

/** resources/templates beside the sources and the build alike. */
export const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL('../../../../resources/templates', import.meta.url));

export interface FlatTemplate {
  id: string;
  name: string;
  category: string;
  doc: FlatDocument;
  /**
   * The garment kind's usual known measurements in cm, measured on the template as an import measures
   * a drawing (shared/flat/scale.ts): what the import form offers before the technician types theirs.
   * Null where the kind has no such measurement (a skirt's chest).
   */
  reference: Record<KnownMeasurement, number | null>;
}

/** The template's reference measurements, from its front view at its true scale. */
export function referenceOf(doc: FlatDocument): FlatTemplate['reference'] {
  const view = doc.views[0]!;
  const offered = measurementsFor(doc.attributes.category);
  return Object.fromEntries(KNOWN_MEASUREMENTS.map((m) => [m, offered.includes(m) ? measuredCm(doc, view, m) : null])) as FlatTemplate['reference'];
}

/** The reference of the template for a garment kind; null when no template is of that kind. */
export function referenceFor(templates: readonly FlatTemplate[], category: string): FlatTemplate['reference'] | null {
  return templates.find((t) => t.category === category)?.reference ?? null;
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
      return { id: doc.id, name: doc.name, category: doc.attributes.category, doc, reference: referenceOf(doc) };
    }),
  );
}
