import { AppError } from '../../../shared/contract/errors';
import type { StoredFlat } from '../../../shared/contract/flats';
import type { KnownMeasurement } from '../../../shared/flat/scale';
import type { FlatDocument } from '../../../shared/flat/schema';
import type { SvgImportResult, ViewMode } from '../../../shared/flat/svg';
import { importSvgFile } from './files';
import type { FlatStore } from './store';
import { DEFAULT_TEMPLATES_DIR, loadTemplates, referenceFor } from './templates';

export interface FlatImportOptions {
  /** 'auto' (the default) finds front and back by names or by the gap between two garments. */
  views?: ViewMode;
  category?: FlatDocument['attributes']['category'];
  /**
   * The one length the technician knows; without `cm`, the usual value for the garment kind (its
   * template's). Left out, the drawing keeps its page's scale (a flat already drawn to scale).
   */
  known?: { measurement: KnownMeasurement; cm?: number | undefined } | undefined;
  templatesDir?: string;
}

const NAMES: Record<KnownMeasurement, string> = { bodyLength: 'body length', chestWidth: 'chest width' };

/** The known length in cm: the one given, else the garment kind's template's. */
async function knownCm(options: FlatImportOptions): Promise<{ measurement: KnownMeasurement; cm: number } | undefined> {
  const known = options.known;
  if (!known) return undefined;
  if (known.cm !== undefined) return { measurement: known.measurement, cm: known.cm };
  const category = options.category ?? 'other';
  const reference = referenceFor(await loadTemplates(options.templatesDir ?? DEFAULT_TEMPLATES_DIR), category);
  const cm = reference?.[known.measurement] ?? null;
  if (cm === null)
    throw new AppError('INVALID_INPUT', `No garment template of the kind "${category}" has a ${NAMES[known.measurement]}; give the ${NAMES[known.measurement]} in cm.`);
  return { measurement: known.measurement, cm };
}

/** An SVG file as a flat document with its views told apart and its scale set from a known length. */
export async function importFlatFile(file: string, options: FlatImportOptions = {}): Promise<SvgImportResult> {
  const known = await knownCm(options);
  return importSvgFile(file, {
    views: options.views ?? 'auto',
    ...(options.category ? { category: options.category } : {}),
    ...(known ? { known } : {}),
  });
}

/** Imports an SVG file into a project of the library; nothing is stored when the import is refused. */
export async function importFlat(
  store: FlatStore,
  projectId: string,
  file: string,
  options: FlatImportOptions = {},
): Promise<{ stored: StoredFlat } & Omit<SvgImportResult, 'doc'>> {
  const { doc, report, views } = await importFlatFile(file, options);
  return { stored: store.create(projectId, doc), report, views };
}
